"""Settings for AgentDash, read from environment variables with safe local defaults.

Every variable is listed in the README's Configuration table. Importing this module reads the
environment and files but never writes: every process imports it (management commands, each
gunicorn worker, the image build's collectstatic), and a read-only filesystem must work.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AGENTDASH_VAR_DIR") or BASE_DIR / "var")


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """A comma-separated variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def secret_key_from_environment():
    """The secret key and where it came from: "environment", "file", "local file" or "process".

    DJANGO_SECRET_KEY wins, then the file DJANGO_SECRET_KEY_FILE names (a Docker secret, say),
    then var/secret_key, which ./dev writes for local use. With none of them this process makes
    up a key of its own: never written, never shared, so nothing signed outlives the process.
    That is enough for a management command or a single local server, and `check --deploy`
    refuses it (agentdash.E001).
    """
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if key:
        return key, "environment"
    key_file = os.environ.get("DJANGO_SECRET_KEY_FILE", "").strip()
    if key_file:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"DJANGO_SECRET_KEY_FILE: cannot read {key_file}: {error.strerror}.") from None
        if not key:
            raise ImproperlyConfigured(f"DJANGO_SECRET_KEY_FILE: {key_file} is empty.")
        return key, "file"
    try:
        key = (VAR_DIR / "secret_key").read_text().strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key, "local file"
    return secrets.token_urlsafe(50), "process"


def database_from_url(url):
    """Translate a DATABASE_URL into a Django DATABASES entry (SQLite or PostgreSQL).

    dj-database-url does the parsing, so the URL's query reaches the driver as OPTIONS
    (``?sslmode=require``); what it cannot know is added here.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"sqlite", "postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported (use sqlite or postgres).")
    if parts.scheme == "sqlite":
        config = dj_database_url.parse(url)
        # dj-database-url reads a bare "sqlite://" as an in-memory database; here it is the default file.
        if not parts.netloc and parts.path in {"", "/"}:
            config["NAME"] = str(VAR_DIR / "agentdash.sqlite3")
        config["OPTIONS"] = {
            # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers
            # queue on the busy timeout instead of failing half-way with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            **config.get("OPTIONS", {}),
        }
        config["TEST"] = {"NAME": os.environ.get("AGENTDASH_TEST_SQLITE") or None}
        return config
    return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)


def cache_from_url(url):
    """Translate a CACHE_URL into a Django CACHES entry; empty means the shared file cache.

    The default is Django's file cache under the var directory: every gunicorn worker and
    every import read and write the same folder, and no extra server is needed. It is chosen
    over the database cache because on SQLite a cache write needs the database's write lock,
    which an import holds for its whole transaction: pages would wait for imports.
    """
    parts = urlsplit(url)
    if not url or parts.scheme == "file":
        return {
            "BACKEND": "agentdash.cache.TolerantFileBasedCache",
            "LOCATION": unquote(parts.path) if url else str(VAR_DIR / "cache"),
            # Pages of a few catalog states, each page in its three variants, fit.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if parts.scheme in {"redis", "rediss"}:  # needs the redis package: pip install 'agentdash[redis]'
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "memcached":  # needs pymemcache: pip install 'agentdash[memcached]'
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": parts.netloc}
    if parts.scheme == "locmem":  # one process only: for tests and experiments
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": parts.netloc}
    raise ImproperlyConfigured(
        f"CACHE_URL scheme {parts.scheme!r} is not supported (use redis, rediss, memcached, file or locmem)."
    )


# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------

DEBUG = env_flag("DJANGO_DEBUG")
SECRET_KEY, AGENTDASH_SECRET_KEY_SOURCE = secret_key_from_environment()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "catalog",
    "agentdash",
]

MIDDLEWARE = [
    # First: the container's health check asks from inside, over plain HTTP, with no public host name.
    "agentdash.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before sessions, authentication and CSRF: a cached page needs none of them. After the
    # headers above, which every response gets, cached or not.
    "catalog.views.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After CSP and the others, so its 404 page is rendered like any other (nonces included).
    "agentdash.middleware.NulBytesMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "agentdash.urls"
WSGI_APPLICATION = "agentdash.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", "sqlite://"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (a sync that staff start in the admin) runs in Django's tasks framework. The
# database backend (django-tasks-db) keeps the queue in the catalog's own database, so a
# deployment needs no broker: `manage.py db_worker` runs the tasks (compose runs it as a service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# ---------------------------------------------------------------------------
# Cache (pages, graph JSON, filter options), shared by every process
# ---------------------------------------------------------------------------

CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}

# ---------------------------------------------------------------------------
# Static files
# ---------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In production `collectstatic` copies every file into STATIC_ROOT under a hashed name, with
# compressed twins, and whitenoise serves them with far-future caching; the image does this at
# build time. Locally (the demo, the tests) whitenoise serves straight from the source folders,
# so a checkout runs without collectstatic and there is no STATIC_ROOT at all.
COLLECTED_STATIC = env_flag("AGENTDASH_COLLECTED_STATIC")
STATIC_ROOT = Path(os.environ.get("AGENTDASH_STATIC_ROOT") or VAR_DIR / "staticfiles") if COLLECTED_STATIC else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if COLLECTED_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not COLLECTED_STATIC
WHITENOISE_AUTOREFRESH = DEBUG and not COLLECTED_STATIC

# ---------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------

HTTPS = env_flag("AGENTDASH_HTTPS")
# Origins (scheme and host) allowed to post forms besides the page's own, e.g. when a proxy
# serves the site under a name the request does not carry.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS

# Scripts come only from our own static files (page data rides in inert json_script blocks),
# so the policy needs no per-response nonce and a cached page can be served to anyone as it is.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---------------------------------------------------------------------------
# Login throttling
# ---------------------------------------------------------------------------

# Django has no login throttling of its own; django-axes counts failed logins and, after five
# for one user name from one address, refuses that pair for an hour. Locking out the pair, not
# the address alone, means an attacker guessing at a staff account never locks staff out from
# their own addresses. Its backend must come first to refuse before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

# The client's address. Directly exposed, it is the socket's (X-Forwarded-For is the client's
# own claim and is ignored). Behind AGENTDASH_PROXY_COUNT reverse proxies, each appending the
# address it was reached from to X-Forwarded-For, the socket address is the nearest proxy's,
# shared by every visitor; the client is the entry the outermost proxy appended, the proxy
# count's from the right (django-ipware counts only the proxies listed in the header, one fewer).
# Entries a client put in front of those are ignored rather than voiding the header (strict off).
AGENTDASH_PROXY_COUNT = env_int("AGENTDASH_PROXY_COUNT", 0)
if AGENTDASH_PROXY_COUNT < 0:
    raise ImproperlyConfigured("AGENTDASH_PROXY_COUNT must be 0 or more.")
if AGENTDASH_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = AGENTDASH_PROXY_COUNT - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None
IPWARE_STRICT = False

# ---------------------------------------------------------------------------
# Internationalization and logging
# ---------------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AGENTDASH_LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------------------
# AgentDash
# ---------------------------------------------------------------------------

# Anonymous pages from the shared cache (catalog/views/page_cache.py); off only for tests that
# pin the queries a view itself runs.
AGENTDASH_PAGE_CACHE = True

# Where `./dev demo` imports from: the original sample catalog bundled with the app.
AGENTDASH_SAMPLE_CATALOG = BASE_DIR / "catalog" / "sample_catalog"
# Where `import_agents URL` keeps its checkouts, and how long one git command may take (seconds).
AGENTDASH_SOURCES_DIR = Path(os.environ.get("AGENTDASH_SOURCES_DIR") or VAR_DIR / "sources")
AGENTDASH_GIT_TIMEOUT = env_int("AGENTDASH_GIT_TIMEOUT", 600)
