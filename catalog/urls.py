"""URLs of the catalog; names match the views (``catalog:agent_list``, ...)."""

from django.urls import path

from .views import browse, compare, downloads, families, find, graph, overview, search

app_name = "catalog"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("agents/", browse.definition_list, {"kind": "agent"}, name="agent_list"),
    path("commands/", browse.definition_list, {"kind": "command"}, name="command_list"),
    path("skills/", browse.definition_list, {"kind": "skill"}, name="skill_list"),
    path("d/<slug:collection>/<str:kind>/<str:slug>/", browse.definition_detail, name="definition_detail"),
    path("d/<slug:collection>/<str:kind>/<str:slug>/raw", browse.definition_raw, name="definition_raw"),
    path("tools/", browse.tool_list, name="tool_list"),
    path("tools/<path:name>/", browse.tool_detail, name="tool_detail"),
    path("collections/", browse.collection_list, name="collection_list"),
    path("collections/<slug:slug>/", browse.collection_detail, name="collection_detail"),
    path("compare/", compare.compare, name="compare"),
    path("compare/patch", compare.compare_patch, name="compare_patch"),
    path("compare/pick", compare.compare_pick, name="compare_pick"),
    path("families/", families.family_list, name="family_list"),
    path("families/<path:key>/", families.family_detail, name="family_detail"),
    path("graph/", graph.collaboration_graph, name="graph"),
    path("search/", search.search, name="search"),
    path("find/", find.quick_find, name="quick_find"),
    path("plugin/", downloads.plugin_builder, name="plugin_builder"),
]
