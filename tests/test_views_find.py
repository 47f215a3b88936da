"""Quick find's URL (catalog.views.find): the results page, the listbox fragment and the JSON twin."""

import json

import pytest
from django.urls import reverse

from tests.helpers import HTMX
from tests.helpers import add_definition as add

# These pin the queries a view runs: the page cache in front of it stays out of the count.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


@pytest.fixture
def catalog():
    add("kubernetes-expert", description="Runs clusters.")
    add("kubernetes-expert", kind="command", collection="Other")
    add("helm-charts", kind="skill", description="Packages kubernetes apps.")
    add("<script>alert(1)</script>", slug="xss", description="kubernetes")


def test_full_page_without_javascript(client, catalog, django_assert_num_queries):
    """A plain GET gets the whole page, grouped by kind, imported names escaped."""
    with django_assert_num_queries(4):  # name prefixes, slug prefixes, word ids, their rows
        response = client.get(reverse("catalog:quick_find"), {"q": "kubernetes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'id="find-q"' in html
    assert [h for h in ("Agents", "Commands", "Skills") if f">{h}</h2>" in html] == ["Agents", "Commands", "Skills"]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_fragment_for_htmx_is_the_listbox_options(client, catalog, django_assert_num_queries):
    """An htmx request gets only the options: ARIA option ids, one group per kind, no page around them."""
    with django_assert_num_queries(4):
        response = client.get(reverse("catalog:quick_find"), {"q": "kubernetes-expert"}, headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('role="group"') == 2
    assert 'id="qf-option-agent-1"' in html and 'aria-selected="false"' in html
    assert 'href="/d/fixtures/agent/kubernetes-expert/"' in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("header", ["HX-Boosted", "HX-History-Restore-Request"])
def test_boosted_and_history_restore_get_the_page(client, catalog, header):
    response = client.get(reverse("catalog:quick_find"), {"q": "helm"}, headers={**HTMX, header: "true"})
    assert "<html" in response.content.decode()


def test_json_twin(client, catalog):
    """``results`` are ``{key, name, kind, url}``, in the page's order: exact first within each kind."""
    response = client.get(reverse("catalog:quick_find"), {"q": "kubernetes-expert", "format": "json"})
    data = json.loads(response.content)
    assert data["query"] == "kubernetes-expert"
    assert [(r["key"], r["kind"], r["match"]) for r in data["results"]] == [
        ("fixtures/agent/kubernetes-expert", "agent", "exact"),
        ("other/command/kubernetes-expert", "command", "exact"),
    ]
    assert data["results"][0]["url"] == "/d/fixtures/agent/kubernetes-expert/"
    assert data["count"] == 2


def test_empty_and_unmatched_queries(client, catalog, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("catalog:quick_find"), headers=HTMX)
    assert response.content.decode().strip() == ""
    response = client.get(reverse("catalog:quick_find"), {"q": "zzz%"})
    assert "Nothing is called “zzz%”" in response.content.decode()


def test_every_page_has_the_combobox(client, catalog):
    html = client.get(reverse("catalog:overview")).content.decode()
    for attribute in ('role="combobox"', 'aria-expanded="false"', 'aria-controls="quick-find-listbox"',
                      'role="listbox"', 'hx-trigger="input changed delay:150ms, search"'):  # fmt: skip
        assert attribute in html
    assert "js/quick_find" in html
