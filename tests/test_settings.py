"""agentdash.settings as a deployment reads it: secrets, writes, origins, proxies, static files, databases.

Most cases start a subprocess with the environment of a production deployment
(tests/production.py) and look at what the settings became or how the app then behaved, so
they test the module as it reads the environment. Folders that must not be written are made
read-only, and the subprocess runs without root's capabilities, so a write fails loudly.
"""

import json
import re
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from agentdash import settings as project_settings
from tests.helpers import REPO, SAMPLE
from tests.production import HOST, as_unprivileged, production_env, read_only_dir, run

# Prints the settings a deployment cares about as one JSON line; the connection parameters
# are what the driver would be given, computed without connecting.
SETTINGS_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
print(json.dumps({
    "secret_key": settings.SECRET_KEY,
    "secret_key_source": settings.AGENTDASH_SECRET_KEY_SOURCE,
    "csrf_trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
    "lockout_parameters": settings.AXES_LOCKOUT_PARAMETERS,
    "ipware_proxy_count": settings.AXES_IPWARE_PROXY_COUNT,
    "ipware_precedence": list(settings.AXES_IPWARE_META_PRECEDENCE_ORDER),
    "ipware_strict": settings.IPWARE_STRICT,
    "staticfiles_backend": settings.STORAGES["staticfiles"]["BACKEND"],
    "static_root": settings.STATIC_ROOT and str(settings.STATIC_ROOT),
    "use_finders": settings.WHITENOISE_USE_FINDERS,
    "database": {k: v for k, v in settings.DATABASES["default"].items() if k != "PASSWORD"},
    "connection_params": {k: v for k, v in connection.get_connection_params().items() if k != "password"},
}, default=str))
"""


def probe(env):
    result = run(as_unprivileged([sys.executable, "-c", SETTINGS_PROBE]), env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def deploy_check(env):
    return run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def contents(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# ---------------------------------------------------------------------------
# The secret key
# ---------------------------------------------------------------------------


def test_the_secret_key_comes_from_the_environment(tmp_path, collected_static):
    env = production_env(tmp_path, collected_static)
    seen = probe(env)
    assert seen["secret_key"] == env["DJANGO_SECRET_KEY"]
    assert seen["secret_key_source"] == "environment"


def test_the_secret_key_can_come_from_a_file(tmp_path, collected_static):
    """DJANGO_SECRET_KEY_FILE (a Docker secret) is read and stripped, and passes the deploy checks."""
    key_file = tmp_path / "secret"
    key_file.write_text("  a-key-kept-in-a-file-that-is-long-and-random-enough-for-django-0123456789\n")
    env = production_env(tmp_path, collected_static, DJANGO_SECRET_KEY_FILE=str(key_file))
    del env["DJANGO_SECRET_KEY"]
    seen = probe(env)
    assert seen["secret_key"] == key_file.read_text().strip()
    assert seen["secret_key_source"] == "file"
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", ["missing", "empty"])
def test_an_unreadable_or_empty_key_file_is_a_clear_error(tmp_path, case):
    """A key file that was asked for but cannot give a key stops the start, naming the file."""
    key_file = tmp_path / "secret"
    if case == "empty":
        key_file.write_text("\n")
    env = production_env(tmp_path, DJANGO_SECRET_KEY_FILE=str(key_file))
    del env["DJANGO_SECRET_KEY"]
    result = run([sys.executable, "-c", SETTINGS_PROBE], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY_FILE" in result.stderr and str(key_file) in result.stderr


def test_the_local_key_file_is_read_but_a_deployment_refuses_it(tmp_path, collected_static):
    """var/secret_key (what ./dev writes) is used locally; `check --deploy` wants a deployment's own key."""
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text("a-local-key-written-once-by-dev-for-this-checkout-only-0123456789\n")
    env = production_env(tmp_path, collected_static)
    del env["DJANGO_SECRET_KEY"]
    seen = probe(env)
    assert seen["secret_key_source"] == "local file"
    assert seen["secret_key"] == (var / "secret_key").read_text().strip()
    result = deploy_check(env)
    assert result.returncode != 0
    assert "agentdash.E001" in result.stdout + result.stderr


def test_without_any_key_each_process_makes_its_own_and_writes_nothing(tmp_path, collected_static):
    """No key anywhere: a random key per process, no file written, and `check --deploy` fails."""
    var = read_only_dir(tmp_path / "var")
    env = production_env(tmp_path, collected_static)
    del env["DJANGO_SECRET_KEY"]
    first, second = probe(env), probe(env)
    assert first["secret_key_source"] == second["secret_key_source"] == "process"
    assert first["secret_key"] != second["secret_key"]
    assert len(first["secret_key"]) >= 50
    assert contents(var) == []
    result = deploy_check(env)
    assert result.returncode != 0
    assert "agentdash.E001" in result.stdout + result.stderr


# ---------------------------------------------------------------------------
# Nothing is written at import
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("with_key", [True, False], ids=["key-set", "no-key"])
def test_importing_the_settings_and_the_app_writes_nothing(tmp_path, with_key):
    """With var/ read-only and STATIC_ROOT at its default inside it, the settings, the WSGI app and
    its middleware load, and var/ stays empty (the settings used to write var/secret_key and
    create var/staticfiles here)."""
    var = read_only_dir(tmp_path / "var")
    env = production_env(tmp_path)
    del env["AGENTDASH_STATIC_ROOT"]
    if not with_key:
        del env["DJANGO_SECRET_KEY"]
    script = (
        "import warnings; warnings.simplefilter('ignore');"
        "from agentdash.wsgi import application; from django.conf import settings;"
        "print(settings.STATIC_ROOT)"
    )
    result = run(as_unprivileged([sys.executable, "-c", script]), env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == str(var / "staticfiles")
    assert contents(var) == []


def test_the_deploy_checks_pass_on_a_read_only_var_folder(tmp_path, collected_static):
    var = read_only_dir(tmp_path / "var")
    env = production_env(tmp_path, collected_static, AGENTDASH_VAR_DIR=str(var))
    result = run(as_unprivileged([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]), env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert contents(var) == []


def test_the_readme_import_command_needs_no_variable(tmp_path):
    """`manage.py migrate` and `import_agents PATH` run with no key and no settings variable set
    (only var/ moved out of the checkout): the default SQLite file, a per-process key."""
    var = tmp_path / "var"
    var.mkdir()  # ./dev makes it
    env = {k: v for k, v in production_env(tmp_path).items() if not k.startswith(("DJANGO_", "AGENTDASH_"))}
    del env["DATABASE_URL"]
    env["AGENTDASH_VAR_DIR"] = str(var)
    assert run([sys.executable, "manage.py", "migrate", "--noinput"], env).returncode == 0
    result = run([sys.executable, "manage.py", "import_agents", str(SAMPLE), "--json"], env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout)["created"] > 0
    assert "agentdash.sqlite3" in contents(var) and "secret_key" not in contents(var)


# ---------------------------------------------------------------------------
# CSRF_TRUSTED_ORIGINS
# ---------------------------------------------------------------------------

# Logs in through the admin with an Origin header that differs from the host, as when a proxy
# serves the site under another name, and prints the status.
ORIGIN_PROBE = """
import django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
User.objects.create_superuser("boss", "boss@example.com", "a long test password 1")
client = Client(enforce_csrf_checks=True, HTTP_HOST="{host}")
client.get("/admin/login/", secure=True)
token = client.cookies["csrftoken"].value
form = {{"username": "boss", "password": "a long test password 1", "csrfmiddlewaretoken": token}}
response = client.post("/admin/login/?next=/admin/", form, secure=True, HTTP_ORIGIN="https://admin.example.org")
print(response.status_code)
"""


def test_csrf_trusted_origins_come_from_a_comma_separated_variable(tmp_path, collected_static):
    env = production_env(
        tmp_path, collected_static, DJANGO_CSRF_TRUSTED_ORIGINS=" https://admin.example.org, https://*.example.net ,"
    )
    assert probe(env)["csrf_trusted_origins"] == ["https://admin.example.org", "https://*.example.net"]
    assert deploy_check(env).returncode == 0


def test_a_trusted_origin_may_post_and_another_may_not(tmp_path, collected_static):
    """A login posted from https://admin.example.org is refused (403) until that origin is trusted."""
    script = [sys.executable, "-c", ORIGIN_PROBE.format(host=HOST)]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    refused = run(script, production_env(tmp_path / "a", collected_static))
    trusted = run(
        script,
        production_env(tmp_path / "b", collected_static, DJANGO_CSRF_TRUSTED_ORIGINS="https://admin.example.org"),
    )
    assert refused.stdout.split()[-1] == "403", refused.stderr[-2000:]
    assert trusted.stdout.split()[-1] == "302", trusted.stderr[-2000:]


def test_an_origin_without_a_scheme_fails_the_checks(tmp_path, collected_static):
    result = deploy_check(production_env(tmp_path, collected_static, DJANGO_CSRF_TRUSTED_ORIGINS="admin.example.org"))
    assert result.returncode != 0
    assert "4_0.E001" in result.stdout + result.stderr


# ---------------------------------------------------------------------------
# django-axes behind a reverse proxy
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "ipware_count", "precedence"),
    [(None, None, ["REMOTE_ADDR"]), ("0", None, ["REMOTE_ADDR"]), ("1", 0, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]),
     ("2", 1, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"])],
)  # fmt: skip
def test_the_proxy_count_sets_how_axes_finds_the_client(tmp_path, collected_static, count, ipware_count, precedence):
    env = production_env(tmp_path, collected_static)
    if count is not None:
        env["AGENTDASH_PROXY_COUNT"] = count
    seen = probe(env)
    assert seen["ipware_proxy_count"] == ipware_count
    assert seen["ipware_precedence"] == precedence
    assert seen["ipware_strict"] is False
    assert seen["lockout_parameters"] == [["username", "ip_address"]]


@pytest.mark.parametrize("count", ["-1", "two"])
def test_a_bad_proxy_count_is_a_clear_error(tmp_path, count):
    result = run([sys.executable, "-c", SETTINGS_PROBE], production_env(tmp_path, AGENTDASH_PROXY_COUNT=count))
    assert result.returncode != 0
    assert "AGENTDASH_PROXY_COUNT" in result.stderr


# Five wrong passwords for "boss" from an attacker, then the right one from the attacker and
# from staff, through one proxy whose own address every request shares. Prints each status.
LOCKOUT_PROBE = """
import json, django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
User.objects.create_superuser("boss", "boss@example.com", "a long test password 1")
PROXY = "172.18.0.2"

def login(forwarded_for, password):
    client = Client(HTTP_HOST="{host}", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    response = client.post("/admin/login/?next=/admin/", {{"username": "boss", "password": password}}, secure=True)
    return response.status_code

out = {{"guesses": [login("203.0.113.66", "wrong") for _ in range(5)]}}
out["attacker"] = login("203.0.113.66", "a long test password 1")
out["attacker_claiming_staff"] = login("198.51.100.7, 203.0.113.66", "a long test password 1")
out["staff"] = login("198.51.100.7", "a long test password 1")
print(json.dumps(out))
"""


def lockout(tmp_path, static_root, **extra):
    env = production_env(tmp_path, static_root, **extra)
    result = run([sys.executable, "-c", LOCKOUT_PROBE.format(host=HOST)], env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_behind_a_proxy_an_attacker_locks_out_only_itself(tmp_path, collected_static):
    """With AGENTDASH_PROXY_COUNT=1 the attacker's fifth failure locks the attacker out (429),
    also when it puts staff's address in front of its own, while staff still logs in (302)."""
    seen = lockout(tmp_path, collected_static, AGENTDASH_PROXY_COUNT="1")
    assert seen["guesses"][-1] == 429
    assert seen["attacker"] == 429
    assert seen["attacker_claiming_staff"] == 429
    assert seen["staff"] == 302


def test_without_a_proxy_count_forwarded_for_is_not_believed(tmp_path, collected_static):
    """Exposed directly (no proxy count), X-Forwarded-For is the client's own claim: every request
    here counts as the socket's address, so changing the header does not escape the lockout."""
    seen = lockout(tmp_path, collected_static)
    assert seen["guesses"][-1] == 429
    assert seen["attacker"] == seen["attacker_claiming_staff"] == seen["staff"] == 429


# ---------------------------------------------------------------------------
# Static files: whitenoise's compressed manifest storage in production
# ---------------------------------------------------------------------------


def test_collected_static_files_use_the_compressed_manifest_storage(tmp_path, collected_static):
    seen = probe(production_env(tmp_path, collected_static))
    assert seen["staticfiles_backend"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert seen["static_root"] == str(collected_static)
    assert seen["use_finders"] is False


def test_locally_static_files_come_from_the_source_folders(tmp_path):
    """Without AGENTDASH_COLLECTED_STATIC (the demo, the tests) there is no STATIC_ROOT to collect into."""
    env = production_env(tmp_path)
    del env["AGENTDASH_COLLECTED_STATIC"]
    seen = probe(env)
    assert seen["staticfiles_backend"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert seen["static_root"] is None
    assert seen["use_finders"] is True
    assert "agentdash.W002" in deploy_check(env).stderr


def test_collected_static_without_a_manifest_fails_the_checks(tmp_path):
    result = deploy_check(production_env(tmp_path))
    assert result.returncode != 0
    assert "agentdash.E003" in result.stdout + result.stderr


# Imports the sample catalog, fetches pages that use {% static %} (the admin's too) and every
# static URL they name, and prints what came back.
STATIC_PROBE = """
import json, re, django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from catalog.services.importer import import_paths
from catalog.models import Definition
call_command("migrate", verbosity=0)
import_paths([{sample!r}], collection_name="Acme Studio (sample)")
client = Client(HTTP_HOST="{host}")
client.force_login(User.objects.create_superuser("boss", "boss@example.com", "a long test password 1"))
agent = Definition.objects.get(slug="backend-engineer")
change = reverse("admin:catalog_definition_change", args=[agent.pk])
pages = {{}}
for url in ["/", "/agents/", agent.get_absolute_url(), "/graph/", "/search/?q=release", "/admin/", change]:
    response = client.get(url, secure=True)
    linked = set(re.findall(r'/static/[^"\\'\\s)]+', response.text))
    pages[url] = {{"status": response.status_code, "static": sorted(linked)}}
files = {{}}
for url in sorted({{u for page in pages.values() for u in page["static"]}}):
    plain = client.get(url, secure=True)
    gzipped = client.get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip")
    files[url] = {{"status": plain.status_code, "cache": plain.get("Cache-Control", ""),
                  "gzip": gzipped.get("Content-Encoding", ""), "type": plain.get("Content-Type", "")}}
print(json.dumps({{"pages": pages, "files": files}}))
"""

HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")


def test_pages_link_hashed_files_that_whitenoise_serves_compressed_for_a_year(tmp_path, collected_static):
    """Every page that uses {% static %} renders with the manifest, links only hashed names, and
    each of those is served with far-future immutable caching and a gzip twin for text files."""
    env = production_env(tmp_path, collected_static, AGENTDASH_VAR_DIR=str(read_only_dir(tmp_path / "var")))
    result = run(as_unprivileged([sys.executable, "-c", STATIC_PROBE.format(sample=str(SAMPLE), host=HOST)]), env)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    for url, page in seen["pages"].items():
        assert page["status"] == 200, url
    linked = set(seen["files"])
    expected = (
        "/static/css/agentdash.", "/static/css/pygments.", "/static/img/favicon.", "/static/js/agentdash.",
        "/static/js/graph.", "/static/vendor/cytoscape-", "/static/django_htmx/", "/static/admin/css/base.",
    )  # fmt: skip
    assert [prefix for prefix in expected if not any(url.startswith(prefix) for url in linked)] == []
    for url, served in seen["files"].items():
        assert HASHED.search(url), f"{url} is not a hashed name"
        assert served["status"] == 200, url
        assert "immutable" in served["cache"] and "max-age=315360000" in served["cache"], (url, served)
        if served["type"].startswith(("text/", "application/javascript", "image/svg")):
            assert served["gzip"] == "gzip", (url, served)


def test_every_static_file_a_template_names_is_in_the_manifest(collected_static):
    """A {% static %} name missing from the manifest would make its page fail in production only."""
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    named = set()
    for template in (REPO / "templates").rglob("*.html"):
        named.update(re.findall(r"""{%\s*static\s+['"]([^'"]+)['"]""", template.read_text()))
    assert named, "no {% static %} found in templates/"
    assert sorted(named - set(manifest)) == []


# ---------------------------------------------------------------------------
# DATABASE_URL through dj-database-url
# ---------------------------------------------------------------------------


def test_a_postgres_urls_query_reaches_the_connection(tmp_path, collected_static):
    """?sslmode=require (a managed PostgreSQL) and other parameters reach the driver, worked out
    without connecting; the connection is kept 60 s with health checks."""
    url = "postgres://agentdash:s%40cret@db.example.com:6543/agentdash?sslmode=require&connect_timeout=5"
    seen = probe(production_env(tmp_path, collected_static, DATABASE_URL=url))
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
