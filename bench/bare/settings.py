"""Settings for the bare app: production values, no middleware, one SQLite file from the environment.

Environment:
    BARE_SQLITE         path of the SQLite file AgentDash serves (required)
    DJANGO_SECRET_KEY   required, as for AgentDash in production
"""

import os
from pathlib import Path

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1"]

INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "bare.urls"
WSGI_APPLICATION = "bare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
    },
]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BARE_SQLITE"]}}

USE_TZ = True
