"""agentdash.settings as a deployment reads it.

Cases that depend on the environment start a subprocess with the environment of a production
deployment (tests/production.py) and look at what the settings became, so they test the module
as it reads the environment.
"""

import json
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from agentdash import settings as project_settings
from tests.production import production_env, run

# Prints the settings a deployment cares about as one JSON line; the connection parameters
# are what the driver would be given, computed without connecting.
SETTINGS_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
print(json.dumps({
    "database": {k: v for k, v in settings.DATABASES["default"].items() if k != "PASSWORD"},
    "connection_params": {k: v for k, v in connection.get_connection_params().items() if k != "password"},
}, default=str))
"""


def probe(env):
    result = run([sys.executable, "-c", SETTINGS_PROBE], env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


# ---------------------------------------------------------------------------
# DATABASE_URL through dj-database-url
# ---------------------------------------------------------------------------


def test_a_postgres_urls_query_reaches_the_connection(tmp_path):
    """?sslmode=require (a managed PostgreSQL) and other parameters reach the driver, worked out
    without connecting; the connection is kept 60 s with health checks."""
    url = "postgres://agentdash:s%40cret@db.example.com:6543/agentdash?sslmode=require&connect_timeout=5"
    seen = probe(production_env(tmp_path, DATABASE_URL=url))
    params = seen["connection_params"]
    assert params["sslmode"] == "require"
    assert params["connect_timeout"] == 5
    assert (params["host"], str(params["port"]), params["dbname"], params["user"]) == (
        "db.example.com", "6543", "agentdash", "agentdash",
    )  # fmt: skip
    database = seen["database"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"] is True


def test_the_password_in_a_postgres_url_is_unquoted():
    assert project_settings.database_from_url("postgres://u:s%40cret%2F1@h/db")["PASSWORD"] == "s@cret/1"


SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite://", str(project_settings.VAR_DIR / "agentdash.sqlite3")),
        ("sqlite:///", str(project_settings.VAR_DIR / "agentdash.sqlite3")),
        ("sqlite:///var/demo.sqlite3", "var/demo.sqlite3"),
        ("sqlite:////srv/agentdash/db.sqlite3", "/srv/agentdash/db.sqlite3"),
        ("sqlite:////srv/agent%20dash/db.sqlite3", "/srv/agent dash/db.sqlite3"),
        ("sqlite://:memory:", ":memory:"),
    ],
)
def test_sqlite_urls_resolve_as_before_with_their_options(url, name):
    """Relative, absolute and the default "sqlite://" (the default file, not a memory database),
    each with IMMEDIATE transactions, the busy timeout and WAL."""
    database = project_settings.database_from_url(url)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == name
    assert database["OPTIONS"] == SQLITE_OPTIONS


def test_a_sqlite_urls_query_overrides_an_option():
    options = project_settings.database_from_url("sqlite:////srv/db.sqlite3?timeout=5")["OPTIONS"]
    assert options == {**SQLITE_OPTIONS, "timeout": 5}


def test_the_sqlite_test_database_name_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("AGENTDASH_TEST_SQLITE", "/tmp/agentdash-test.sqlite3")
    assert project_settings.database_from_url("sqlite://")["TEST"] == {"NAME": "/tmp/agentdash-test.sqlite3"}
    monkeypatch.delenv("AGENTDASH_TEST_SQLITE")
    assert project_settings.database_from_url("sqlite://")["TEST"] == {"NAME": None}


def test_an_unsupported_database_is_named():
    with pytest.raises(ImproperlyConfigured, match="'mysql'"):
        project_settings.database_from_url("mysql://u:p@h/db")
