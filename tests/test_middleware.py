"""agentdash.middleware: NUL characters never reach a view (PostgreSQL refuses them in any parameter)."""

import pytest

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

