"""The ``q`` text filter on every list (catalog.views.browse): page, fragment and JSON twin agree.

Terms follow Django admin's search: the text splits on spaces (quoted phrases stay whole),
each term may match any field, and a row must match every term.
"""

import pytest
from django.urls import reverse

from catalog.models import DefinitionTool, Tool
from tests.helpers import HTMX
from tests.helpers import add_definition as add

# These pin the queries a view runs: the page cache in front of it stays out of the count.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


@pytest.fixture
def catalog():
    read = Tool.objects.create(name="Read", kind=Tool.Kind.BUILTIN)
    jira = Tool.objects.create(name="mcp__jira__search", kind=Tool.Kind.MCP, server="jira")
    rows = {
        "reviewer": add("code-reviewer", description="Reviews pull requests for security issues."),
        "writer": add("docs-writer", description="Writes code samples and guides."),
        "auditor": add("security-auditor", collection="Audits", description="Audits 100% of the code."),
        "gone": add("code-ghost", missing=True, description="security"),
        "skill": add("code-style", kind="skill", description="House style."),
    }
    for position, key in enumerate(("reviewer", "writer", "auditor")):
        DefinitionTool.objects.create(definition=rows[key], tool=read, raw="Read", position=position)
    DefinitionTool.objects.create(definition=rows["reviewer"], tool=jira, raw=jira.name, position=1)
    return rows


def names(client, url, **params):
    data = client.get(url, {**params, "format": "json"}).json()
    key = "slug" if url == reverse("catalog:collection_list") else "name"
    found = [row[key] for row in data["results"]]
    assert data["count"] == len(found)
    return found


def test_agent_list_matches_every_term_in_any_field(client, catalog, django_assert_num_queries):
    url = reverse("catalog:agent_list")
    assert names(client, url, q="code") == ["code-reviewer", "docs-writer", "security-auditor"]
    assert names(client, url, q="code security") == ["code-reviewer", "security-auditor"]
    assert names(client, url, q='"pull requests"') == ["code-reviewer"]
    assert names(client, url, q="CODE-REV") == ["code-reviewer"]
    assert names(client, url, q="100%") == ["security-auditor"]
    assert names(client, url, q="1%") == []  # % is a character, not a wildcard
    assert names(client, url, q="_") == []
    assert names(client, url, q="code", collection="audits") == ["security-auditor"]

    # The same queries as the unfiltered list: the words are one more condition, not one more query.
    with django_assert_num_queries(4):  # count, keys, rows, their tools
        response = client.get(url, {"q": "code security"}, headers=HTMX)
    html = response.content.decode()
    assert "2 agents match the filters" in html and "docs-writer" not in html
    page = client.get(url, {"q": "code security"}).content.decode()
    assert 'name="q" value="code security"' in page
    assert "Clear filters" in page


def test_tool_list_matches_name_and_server(client, catalog):
    url = reverse("catalog:tool_list")
    assert sorted(names(client, url)) == ["Read", "mcp__jira__search"]
    assert names(client, url, q="jira") == ["mcp__jira__search"]
    assert names(client, url, q="read") == ["Read"]
    assert names(client, url, q="read jira") == []
    assert 'name="q" value="jira"' in client.get(url, {"q": "jira"}).content.decode()


def test_tool_detail_filters_its_definitions_and_counts_them(client, catalog):
    url = reverse("catalog:tool_detail", args=["Read"])
    assert names(client, url, q="security") == ["code-reviewer", "security-auditor"]
    assert names(client, url, q="security", kind="agent") == ["code-reviewer", "security-auditor"]
    html = client.get(url, {"q": "security"}, headers=HTMX).content.decode()
    assert "code-reviewer" in html and "docs-writer" not in html


def test_collection_list_matches_name_slug_and_description(client, catalog):
    url = reverse("catalog:collection_list")
    assert names(client, url) == ["audits", "fixtures"]
    assert names(client, url, q="AUD") == ["audits"]
    assert names(client, url, q="nothing") == []
    html = client.get(url, {"q": "nothing"}).content.decode()
    assert "No collection matches “nothing”." in html and 'name="q"' in html


def test_collection_detail_filters_its_definitions_but_keeps_its_counts(client, catalog):
    url = reverse("catalog:collection_detail", args=["fixtures"])
    data = client.get(url, {"q": "code", "format": "json"}).json()
    assert [row["name"] for row in data["results"]] == ["code-reviewer", "code-style", "docs-writer"]
    assert data["count"] == 3
    assert data["counts"] == {"agent": 2, "skill": 1}  # the collection's, whatever the words
    assert names(client, url, q="code", kind="skill") == ["code-style"]
    html = client.get(url, {"q": "style"}, headers=HTMX).content.decode()
    assert "1 definition" in html
