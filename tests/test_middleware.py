"""agentdash.middleware: NUL characters never reach a view (PostgreSQL refuses them in any
parameter), and the health check answers the container before anything else runs."""

import sys

import pytest

from tests.production import production_env, run

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_path_is_not_found(client):
    assert client.get("/d/alpha/agent/x%00y/").status_code == 404
    assert client.get("/tools/Ba%00sh/").status_code == 404


def test_nuls_in_the_query_string_are_dropped_before_the_view(client, sample_catalog):
    """A filter value with a NUL filters as the value without it; a key with one is its key without."""
    plain = client.get("/agents/", {"tool": "Bash", "format": "json"}).json()
    assert plain["count"] > 0
    assert client.get("/agents/?tool=Ba%00sh&format=json").json() == plain
    assert client.get("/agents/?to%00ol=Bash&format=json").json() == plain


def test_the_health_check_answers_for_any_host_before_the_other_middleware(client):
    """/healthz says "ok" to GET and HEAD whatever the Host (the container asks 127.0.0.1), and
    carries nothing but the outcome."""
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert response["Content-Type"] == "text/plain"
    assert client.head("/healthz", HTTP_HOST="not-an-allowed-host.example").status_code == 200
    assert client.get("/healthz", HTTP_HOST="not-an-allowed-host.example").content == b"ok\n"


def test_only_a_get_or_head_of_healthz_is_the_health_check(client):
    """A POST, or another path, goes through the app as usual (the host is checked, then 404)."""
    assert client.post("/healthz").status_code == 404
    assert client.get("/healthz/").status_code == 404
    assert client.get("/healthz/", HTTP_HOST="not-an-allowed-host.example").status_code == 400


def test_the_health_check_says_503_when_the_database_does_not_answer(tmp_path):
    """A database that cannot be opened (its folder does not exist) makes /healthz answer 503."""
    script = (
        "import django; django.setup(); from django.test import Client;"
        "r = Client().get('/healthz', HTTP_HOST='127.0.0.1'); print(r.status_code, r.content.decode().strip())"
    )
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}")
    result = run([sys.executable, "-c", script], env)
    assert result.stdout.strip() == "503 database unavailable", result.stderr[-2000:]
