"""Headers and configuration: the deploy checks, the security headers, cookies and error pages.

The production cases run ``manage.py`` or a short script in a subprocess with production
environment variables (debug unset, a long random secret key, HTTPS on, explicit hosts,
collected static files; see tests/production.py), so they test the settings module as it reads
the environment, not values overridden in a test. The in-process cases check that every kind of
response carries the strict headers.
"""

import json
import sys

import pytest
from django.urls import reverse

from tests.helpers import REPO
from tests.hostile.checks import active_content
from tests.production import HOST, as_unprivileged, production_env, read_only_dir, run

# Run in a subprocess with production settings: migrates a throwaway SQLite database, logs a
# staff user in, fetches a page, a missing page and a page whose table has gone (a 500), and
# prints what came back.
PRODUCTION_PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client

call_command("migrate", verbosity=0)
User.objects.create_superuser("boss", "boss@example.com", "a long test password 1")
client = Client(raise_request_exception=False, HTTP_HOST="{host}")

def seen(response):
    cookies = {{
        name: {{"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}}
        for name, c in response.cookies.items()
    }}
    return {{"status": response.status_code, "headers": dict(response.headers), "cookies": cookies,
             "body": response.content.decode("utf-8", "replace")}}

out = {{"debug": settings.DEBUG}}
out["plain_http"] = seen(client.get("/agents/"))
out["login_form"] = seen(client.get("/admin/login/", secure=True))
out["login"] = seen(client.post(
    "/admin/login/?next=/admin/",
    {{"username": "boss", "password": "a long test password 1",
      "csrfmiddlewaretoken": client.cookies["csrftoken"].value}},
    secure=True,
))
out["page"] = seen(client.get("/agents/", secure=True))
out["missing"] = seen(client.get("/no/such/page/", secure=True))
with connection.cursor() as cursor:
    cursor.execute("ALTER TABLE catalog_collection RENAME TO catalog_collection_gone")
out["error"] = seen(client.get("/collections/", secure=True))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory, collected_static):
    """What the production probe saw, by request; its var/ folder is read-only throughout."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path, collected_static, AGENTDASH_VAR_DIR=str(read_only_dir(tmp_path / "var")))
    result = run(as_unprivileged([sys.executable, "-c", PRODUCTION_PROBE.format(host=HOST)]), env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


# ---------------------------------------------------------------------------
# manage.py check --deploy
# ---------------------------------------------------------------------------


def test_deploy_checks_pass_with_production_settings(tmp_path, collected_static):
    """``check --deploy --fail-level WARNING`` finds nothing with the production environment."""
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, collected_static),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_checks_fail_without_https(tmp_path, collected_static):
    """Without AGENTDASH_HTTPS the same check fails on HSTS, SSL redirect and secure cookies."""
    env = production_env(tmp_path, collected_static)
    del env["AGENTDASH_HTTPS"]
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout


@pytest.mark.parametrize(("value", "expected"), [(None, False), ("", False), ("0", False), ("1", True)])
def test_debug_is_off_unless_asked(tmp_path, value, expected):
    """DEBUG is False with DJANGO_DEBUG unset, empty or "0", and True only when asked for."""
    env = production_env(tmp_path)
    if value is not None:
        env["DJANGO_DEBUG"] = value
    result = run([sys.executable, "-c", "from agentdash import settings; print(settings.DEBUG)"], env)
    assert result.stdout.strip() == str(expected), result.stderr


# ---------------------------------------------------------------------------
# Production responses
# ---------------------------------------------------------------------------


def test_production_runs_with_debug_off(production):
    assert production["debug"] is False


def test_plain_http_is_redirected_to_https(production):
    """A plain-HTTP request gets a permanent redirect to the same URL over HTTPS."""
    response = production["plain_http"]
    assert response["status"] == 301
    assert response["headers"]["Location"] == f"https://{HOST}/agents/"


def test_https_pages_carry_hsts(production):
    """Over HTTPS every response says Strict-Transport-Security for a year, subdomains included."""
    for name in ("login_form", "page", "missing", "error"):
        hsts = production[name]["headers"].get("Strict-Transport-Security", "")
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, (name, hsts)


def test_csrf_cookie_is_secure_and_http_only(production):
    """The CSRF cookie set by the login form is Secure and HttpOnly (the forms carry the token)."""
    cookie = production["login_form"]["cookies"]["csrftoken"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_session_cookie_is_secure_and_http_only(production):
    """Logging in sets a Secure, HttpOnly, SameSite session cookie."""
    login = production["login"]
    assert login["status"] == 302, login["body"][:500]
    cookie = login["cookies"]["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_missing_page_is_a_plain_404(production):
    """A 404 uses templates/404.html: no URL patterns listed, no technical page."""
    missing = production["missing"]
    assert missing["status"] == 404
    assert "Not found" in missing["body"]
    for leak in ("URLconf", "Using the URLconf", "DEBUG = True", "catalog.urls", "Traceback"):
        assert leak not in missing["body"]
    assert active_content(missing["body"]) == []


def test_server_error_is_a_plain_500_without_a_trace(production):
    """A view that fails shows templates/500.html: no traceback, no SQL, no paths, no settings."""
    error = production["error"]
    assert error["status"] == 500
    assert "Something went wrong" in error["body"]
    for leak in ("Traceback", "catalog_collection", "OperationalError", "no such table", str(REPO), "SECRET_KEY"):
        assert leak not in error["body"]
    assert active_content(error["body"]) == []


def test_production_responses_carry_the_strict_headers(production):
    """Pages, the 404 and the 500 all carry the CSP and the other security headers."""
    for name in ("login_form", "page", "missing", "error"):
        assert_security_headers(production[name]["headers"])


# ---------------------------------------------------------------------------
# Every kind of response, in process
# ---------------------------------------------------------------------------


def csp_directives(header):
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(headers):
    """The CSP is strict and the usual security headers are there."""
    csp = headers.get("Content-Security-Policy", "")
    assert csp, "no Content-Security-Policy header"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "unsafe-hashes" not in csp
    directives = csp_directives(csp)
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert "*" not in csp.split() and "data:" not in csp and "http:" not in csp
    # Our own static files only: no nonce, so a page served from the cache is as valid as a fresh one.
    assert directives["script-src"] == ["'self'"]
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "same-origin"
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin"


PAGES = [
    ("catalog:overview", {}),
    ("catalog:agent_list", {}),
    ("catalog:agent_list", {"format": "json"}),
    ("catalog:tool_list", {}),
    ("catalog:collection_list", {}),
    ("catalog:graph", {}),
    ("catalog:graph", {"format": "json"}),
    ("catalog:search", {"q": "release"}),
    ("catalog:compare", {}),
    ("admin:login", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "query"), PAGES, ids=lambda value: str(value))
def test_every_page_carries_the_strict_headers(client, sample_catalog, name, query):
    """HTML pages, JSON twins and the admin login all carry the CSP and security headers."""
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    assert_security_headers(response.headers)
    if "json" not in response["Content-Type"]:
        assert active_content(response.content.decode()) == []


@pytest.mark.django_db
def test_a_definition_page_its_raw_file_and_a_404_carry_the_headers(client, sample_catalog):
    """The detail page, the raw download (text/plain, attachment) and a 404 are covered too."""
    from catalog.models import Definition

    definition = Definition.objects.select_related("collection").get(slug="backend-engineer")
    detail = client.get(definition.get_absolute_url())
    raw = client.get(reverse("catalog:definition_raw", args=[definition.collection.slug, "agent", definition.slug]))
    missing = client.get("/d/nope/agent/nothing/")
    for response in (detail, raw, missing):
        assert_security_headers(response.headers)
    assert raw["Content-Type"].startswith("text/plain") and raw["Content-Disposition"].startswith("attachment")
    assert missing.status_code == 404 and "Not found" in missing.content.decode()


@pytest.mark.django_db
def test_admin_pages_carry_the_headers(admin_client, sample_catalog):
    """The admin index and a change list are served under the same strict policy."""
    for url in (reverse("admin:index"), reverse("admin:catalog_definition_changelist")):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert_security_headers(response.headers)


def test_pages_need_no_nonce(client, db):
    """Every script is a static file: a page neither carries a nonce nor depends on one, so the
    same cached bytes are valid for every visitor."""
    pages = [client.get(reverse("catalog:overview")) for _ in range(2)]
    assert pages[0].content == pages[1].content
    assert b"nonce" not in pages[0].content
    assert "nonce" not in pages[0]["Content-Security-Policy"]
