"""The collaboration graph page: one URL for the page, its HTMX fragment (the edge table plus
the graph's data) and its JSON twin, all filtered from the query string. The reads are
``catalog.selectors.graph``.
"""

from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..selectors import graph
from .common import respond, wants_fragment, wants_json

TABLE_CAP = 500  # rows of the no-JavaScript edge table; the graph itself is not capped
# Above this many nodes the whole-catalog graph opens on collections (static/js/graph.js).
OVERVIEW_FROM = 300


@require_GET
@vary_on_headers("HX-Request")
def collaboration_graph(request):
    """The collaboration graph, filtered from the URL; a capped edge table without JavaScript."""
    filters = graph.GraphFilters.from_query(request.GET)
    if wants_json(request):
        return respond(request, "catalog/graph.html", {}, json_data=lambda: graph.graph_data(filters))
    data = graph.graph_data(filters)
    labels = {node["id"]: node for node in data["nodes"]}
    kind_labels = dict(graph.EDGE_KINDS.choices)
    table = [
        {
            **edge,
            "kind_label": kind_labels[edge["kind"]],
            "source_node": labels[edge["source"]],
            "target_node": labels[edge["target"]],
        }
        for edge in data["edges"][:TABLE_CAP]
    ]
    context = {
        "filters": filters,
        "data": data,
        "table": table,
        "edge_count": len(data["edges"]),
        "node_count": len(data["nodes"]),
        "capped": len(data["edges"]) > TABLE_CAP,
        "table_cap": TABLE_CAP,
        "overview": len(data["nodes"]) > OVERVIEW_FROM
        and not filters.focus
        and not filters.collections
        and request.GET.get("view") != "agents",
        "overview_from": OVERVIEW_FROM,
        "edge_kinds": graph.EDGE_KINDS.choices,
        # The fragment carries no filter form, so it skips the choices query.
        "collections": [] if wants_fragment(request) else list(graph.collection_choices()),
    }
    return respond(request, "catalog/graph.html", context)
