"""The collaboration graph in real Chromium: it draws, filters narrow it, a click opens an agent.

Runs against ``live_server`` with the sample catalog; the page must stay free of console
errors and CSP violations (Cytoscape must not inject inline styles).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Edge
from tests.helpers import SAMPLE, SAMPLE_NAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog(transactional_db, import_tree):
    return import_tree(SAMPLE, collection=SAMPLE_NAME)


def node_count(tab):
    return int(tab.locator("#graph").get_attribute("data-graph-nodes"))


def test_graph_draws_and_filters_narrow_it(live_server, page, catalog):
    """Cytoscape draws every node; ticking an edge kind reloads a smaller graph in place."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:graph"))
    tab.wait_for_selector("#graph[data-graph-ready]")
    assert tab.locator("#graph canvas").count() > 0
    everything = node_count(tab)
    assert everything == 18
    assert int(tab.locator("#graph").get_attribute("data-graph-edges")) == Edge.objects.count()
    assert tab.evaluate("window.graphReady") is True
    assert tab.locator("[data-graph-legend] li").count() == 2  # one collection, plus "not in the catalog"

    tab.evaluate("window.__sameDocument = true")
    tab.locator("input[name=kind][value=excludes]").check()
    expect(tab.locator("#graph")).to_have_attribute(
        "data-graph-edges", str(Edge.objects.filter(kind="excludes").count())
    )
    tab.wait_for_selector("#graph[data-graph-ready]")
    assert node_count(tab) < everything
    assert "kind=excludes" in tab.url
    assert tab.evaluate("window.__sameDocument") is True
    page.assert_clean()


def test_typing_a_name_highlights_it(live_server, page, catalog):
    """The focus box marks the matching node and fades the rest, without a reload."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:graph"))
    tab.wait_for_selector("#graph[data-graph-ready]")
    tab.locator("[data-graph-focus]").press_sequentially("legacy-mig", delay=20)
    focused = tab.evaluate("window.agentdashGraph.nodes('.focused').map((n) => n.id())")
    assert focused == ["acme-studio-sample/agent/legacy-migrator"]
    assert tab.evaluate("window.agentdashGraph.nodes('.faded').length") > 0
    page.assert_clean()


def test_clicking_a_node_opens_the_agent(live_server, page, catalog):
    """A click on an agent's node navigates to its page."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:graph") + "?focus=legacy-migrator")
    tab.wait_for_selector("#graph[data-graph-ready]")
    key = "acme-studio-sample/agent/legacy-migrator"
    position = tab.evaluate(f"window.agentdashGraph.getElementById('{key}').renderedPosition()")
    box = tab.locator("#graph").bounding_box()
    with tab.expect_navigation():
        tab.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    assert tab.url.endswith("/d/acme-studio-sample/agent/legacy-migrator/")
    page.assert_clean()


def test_a_large_graph_opens_on_collections_that_expand_on_click(live_server, page, catalog, monkeypatch):
    """Past the overview threshold (lowered here, so the sample catalog passes it) the graph
    shows one node per collection plus "not in the catalog", with edges summed between them;
    a click on a collection opens its agents, with the collection in the URL."""
    monkeypatch.setattr("catalog.views.graph.OVERVIEW_FROM", 5)
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:graph"))
    tab.wait_for_selector("#graph[data-graph-ready]")
    assert tab.locator("#graph").get_attribute("data-graph-view") == "overview"
    assert node_count(tab) == 2
    counts = tab.evaluate("window.agentdashGraph.edges().map((e) => e.data('count'))")
    assert sum(counts) == Edge.objects.count()
    assert tab.locator("[data-graph-overview-note]").is_visible()

    # Cytoscape's own tap event: where the node lands on screen depends on the layout, which
    # made a mouse click at its computed position miss now and then.
    with tab.expect_navigation():
        tab.evaluate("window.agentdashGraph.getElementById('group:acme-studio-sample').emit('tap')")
    tab.wait_for_selector("#graph[data-graph-ready]")
    assert "collection=acme-studio-sample" in tab.url
    assert tab.locator("#graph").get_attribute("data-graph-view") == "agents"
    assert node_count(tab) > 2
    page.assert_clean()
