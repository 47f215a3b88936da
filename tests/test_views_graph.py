"""The collaboration graph view (catalog.views.graph): JSON twin, filters, page, fragment, queries.

Runs on the bundled sample catalog, whose agents name each other in their collaboration
sections and once name "chaos-engineer", which the catalog does not have.
"""

import pytest
from django.urls import reverse

from catalog.models import Definition, Edge
from catalog.selectors.graph import neighbourhood
from catalog.views.graph import TABLE_CAP
from tests.helpers import HTMX

# Query counts here are the views' own: the page cache in front of them is tested in test_page_cache.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

URL = "/graph/"


def graph_json(client, query="", queries=None):
    response = client.get(f"{URL}?format=json{query}")
    assert response.status_code == 200
    return response.json()


def test_url_name_resolves_to_the_graph():
    """The route keeps its name, so the navigation link points at this view."""
    assert reverse("catalog:graph") == URL


def test_json_shape_with_a_dangling_node(client, sample_catalog):
    """Nodes carry the documented fields; the unresolved name is one dangling node."""
    data = graph_json(client)
    assert data["nodes"] and data["edges"]
    assert all(
        set(node) == {"id", "label", "collection", "dangling", "kind", "url", "degree"} for node in data["nodes"]
    )
    assert all(set(edge) == {"source", "target", "kind", "evidence", "line"} for edge in data["edges"])
    dangling = [node for node in data["nodes"] if node["dangling"]]
    assert [node["id"] for node in dangling] == ["missing:chaos-engineer"]
    assert dangling[0]["url"] is None and dangling[0]["collection"] is None
    backend = Definition.objects.select_related("collection").get(slug="backend-engineer")
    node = next(node for node in data["nodes"] if node["id"] == backend.key)
    assert node["url"] == backend.get_absolute_url()
    assert node["label"] == backend.name


def test_every_edge_joins_two_nodes_and_degrees_add_up(client, sample_catalog):
    """Each edge's ends are node ids; a node's degree counts the edges touching it."""
    data = graph_json(client)
    ids = {node["id"] for node in data["nodes"]}
    assert len(ids) == len(data["nodes"])
    for edge in data["edges"]:
        assert edge["source"] in ids and edge["target"] in ids
        assert edge["kind"] in Edge.Kind.values
    assert sum(node["degree"] for node in data["nodes"]) == 2 * len(data["edges"])
    assert len(data["edges"]) == Edge.objects.count()


def test_kind_filter_narrows_to_those_kinds(client, sample_catalog):
    """``?kind=`` keeps only edges of the named kinds; an unknown kind is ignored."""
    everything = graph_json(client)
    peers = graph_json(client, "&kind=peer")
    assert 0 < len(peers["edges"]) < len(everything["edges"])
    assert {edge["kind"] for edge in peers["edges"]} == {"peer"}
    two = graph_json(client, "&kind=peer&kind=hands_off_to")
    assert {edge["kind"] for edge in two["edges"]} == {"peer", "hands_off_to"}
    assert graph_json(client, "&kind=nonsense")["edges"] == everything["edges"]


def test_collection_filter_keeps_edges_from_that_collection(client, sample_catalog, import_tree, tmp_path):
    """``?collection=`` keeps edges whose source is in the collection."""
    other = tmp_path / "other" / ".claude" / "agents"
    other.mkdir(parents=True)
    (other / "solo.md").write_text(
        "---\nname: solo-agent\ndescription: Works alone.\n---\n\n## Collaboration\n\n"
        "- **hands off to** backend-engineer for the server side\n",
        encoding="utf-8",
    )
    import_tree(tmp_path / "other", collection="Other place")
    everything = graph_json(client)
    sample = graph_json(client, "&collection=acme-studio-sample")
    assert {n["collection"] for n in sample["nodes"]} <= {"acme-studio-sample", None}
    assert len(sample["edges"]) == Edge.objects.filter(source__collection__slug="acme-studio-sample").count()
    assert graph_json(client, "&collection=nowhere") == {"nodes": [], "edges": [], "focus": []}
    if Edge.objects.exclude(source__collection__slug="acme-studio-sample").exists():
        assert len(sample["edges"]) < len(everything["edges"])


def test_min_degree_drops_weakly_connected_nodes(client, sample_catalog):
    """``?min_degree=N`` drops nodes with fewer than N edges, and the edges that touch them."""
    everything = graph_json(client)
    high = graph_json(client, "&min_degree=10")
    assert 0 < len(high["nodes"]) < len(everything["nodes"])
    ids = {node["id"] for node in high["nodes"]}
    assert "missing:chaos-engineer" not in ids
    assert all(edge["source"] in ids and edge["target"] in ids for edge in high["edges"])
    degree = {node["id"]: node["degree"] for node in everything["nodes"]}
    assert ids == {node_id for node_id, d in degree.items() if d >= 10}
    assert graph_json(client, "&min_degree=oops")["nodes"] == everything["nodes"]


def test_focus_keeps_a_node_and_its_neighbours(client, sample_catalog):
    """``?focus=`` by name or key keeps that node and its direct neighbours, and reports it."""
    by_name = graph_json(client, "&focus=legacy-migrator")
    key = "acme-studio-sample/agent/legacy-migrator"
    assert by_name["focus"] == [key]
    assert all(key in (edge["source"], edge["target"]) for edge in by_name["edges"])
    assert len(by_name["nodes"]) < len(graph_json(client)["nodes"])
    assert graph_json(client, f"&focus={key}")["edges"] == by_name["edges"]
    missing = graph_json(client, "&focus=CHAOS-ENGINEER")
    assert missing["focus"] == ["missing:chaos-engineer"]
    assert graph_json(client, "&focus=nobody-at-all") == {"nodes": [], "edges": [], "focus": []}


def test_json_takes_one_query(client, sample_catalog, django_assert_num_queries):
    """The whole graph comes from one joined query, whatever its size (plus the catalog stamp its
    cache keys on); then from the cache until the catalog changes."""
    with django_assert_num_queries(2):
        first = client.get(f"{URL}?format=json").json()
    with django_assert_num_queries(2):
        client.get(f"{URL}?format=json&kind=peer&collection=acme-studio-sample&min_degree=2&focus=test-engineer")
    with django_assert_num_queries(1):  # the stamp
        assert client.get(f"{URL}?format=json").json() == first


def test_full_page_has_form_graph_data_and_table(client, sample_catalog, django_assert_num_queries):
    """The page has the filter form, the graph's data as json_script, and the edges as a table."""
    with django_assert_num_queries(3):  # stamp, edges, collection choices
        response = client.get(URL)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<html" in html
    assert 'id="graph-data" type="application/json"' in html
    assert 'name="kind" value="peer"' in html and 'name="min_degree"' in html
    assert 'value="acme-studio-sample"' in html
    assert html.count("<tr>") == Edge.objects.count() + 1  # header row
    assert "chaos-engineer" in html and 'class="dangling"' in html
    assert "cytoscape-3.34.4.min.js" in html and "js/graph.js" in html


def test_fragment_is_the_table_and_data_only(client, sample_catalog, django_assert_num_queries):
    """An htmx request gets the results partial alone, with the same filters applied."""
    with django_assert_num_queries(2):  # stamp, edges
        response = client.get(f"{URL}?kind=peer", headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "HX-Request" in response["Vary"]
    assert 'id="graph-data"' not in html  # htmx would drop it; the script fetches the JSON twin
    assert html.count("<tr>") == Edge.objects.filter(kind="peer").count() + 1


def test_boosted_request_gets_the_full_page(client, sample_catalog):
    """A boosted navigation must not receive a bare fragment."""
    response = client.get(URL, headers={**HTMX, "HX-Boosted": "true"})
    assert "<html" in response.content.decode()


def test_page_escapes_evidence(client, sample_catalog):
    """Evidence is imported text: markup in it is escaped in the table and in the JSON script."""
    edge = Edge.objects.first()
    edge.evidence = "<script>alert(1)</script>"
    edge.save()
    html = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_table_is_capped(client, sample_catalog, monkeypatch):
    """Past the cap the table stops and says so, while the graph data keeps every edge."""
    monkeypatch.setattr("catalog.views.graph.TABLE_CAP", 5)
    html = client.get(URL).content.decode()
    assert html.count("<tr>") == 5 + 1
    assert "The table shows the first 5 edges" in html
    assert TABLE_CAP == 500


def test_empty_catalog_says_so(client):
    """With no edges the page explains itself instead of drawing an empty table."""
    html = client.get(URL).content.decode()
    assert "No edges match these filters" in html


def test_neighbourhood_two_hops(sample_catalog, django_assert_num_queries):
    """The mini graph reaches two hops out, marks the agent as focus, in one query per hop."""
    agent = Definition.objects.select_related("collection").get(slug="legacy-migrator")
    with django_assert_num_queries(2):
        near = neighbourhood(agent)
    ids = {node["id"] for node in near["nodes"]}
    assert near["focus"] == [agent.key]
    one_hop = neighbourhood(agent, hops=1)
    assert {n["id"] for n in one_hop["nodes"]} < ids
    assert all(agent.key in (e["source"], e["target"]) for e in one_hop["edges"])
    assert all(e["source"] in ids and e["target"] in ids for e in near["edges"])


def test_neighbourhood_include_renders(client, sample_catalog):
    """The include draws the mini graph's data and links to the focused full graph."""
    from django.template.loader import render_to_string

    agent = Definition.objects.select_related("collection").get(slug="legacy-migrator")
    html = render_to_string(
        "catalog/_neighbourhood.html", {"definition": agent, "neighbourhood": neighbourhood(agent)}
    )
    assert 'id="neighbourhood-data"' in html and 'data-graph="neighbourhood-data"' in html
    assert "/graph/?focus=acme-studio-sample%2Fagent%2Flegacy-migrator" in html
