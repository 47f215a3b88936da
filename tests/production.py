"""The environment of a production deployment, for tests that run the settings in a subprocess.

Those tests start ``manage.py`` or a short script with these variables, so they test the
settings module as it reads the environment, not values overridden inside a test process.
"""

import os
import secrets
import subprocess

from tests.conftest import REPO

HOST = "agentdash.example.com"


def production_env(tmp_path, **extra):
    """Debug unset, a long random key, HTTPS on, one host, an own SQLite file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AGENTDASH_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="agentdash.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=HOST,
        AGENTDASH_HTTPS="1",
        AGENTDASH_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def run(args, env, timeout=120):
    return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
