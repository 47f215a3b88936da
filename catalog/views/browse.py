"""Browsing the catalog: agent, command and skill lists and pages, tools and collections.

Each view answers one URL three ways through ``respond``: the full page, the page's HTMX
fragment, or its JSON twin (``?format=json``, same filters, shapes in ``json_api``). Reads
come from ``catalog.selectors``; the one write a page causes (its rendered-HTML cache) is
``catalog.services.rendering``.
"""

from pathlib import PurePosixPath

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..core.install import install_for
from ..selectors import browse, definitions, finding, graph, overview
from ..selectors.browse import DefinitionFilters
from . import json_api
from .common import respond, wants_fragment, wants_json
from .downloads import wants_zip, zip_response

# ---------------------------------------------------------------------------
# Agents, commands and skills
# ---------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def definition_list(request, kind):
    """Agents (or commands, or skills), filtered, sorted and paginated from the query string."""
    filters = DefinitionFilters.from_query(request.GET)
    if wants_zip(request):
        return zip_response(browse.definition_list(kind, filters), f"{kind}s.zip")
    page = browse.paginate(browse.definition_list(kind, filters), request.GET.get("page"), browse.PAGE_SIZE)
    context = {
        "kind": kind,
        "kind_label": browse.kind_label(kind),
        "kind_singular": browse.kind_label(kind, plural=False).lower(),
        "filters": filters,
        "page_obj": page,
        "options": browse.filter_options(kind),
        "sort_choices": browse.SORT_CHOICES,
        "problem_choices": browse.PROBLEM_CHOICES,
    }
    return respond(
        request, "catalog/definition_list.html", context, json_data=lambda: json_api.definition_list(request, page)
    )


@require_GET
@vary_on_headers("HX-Request")
def definition_detail(request, collection, kind, slug):
    """One definition: rendered body, frontmatter, tools, references, collaborators, variants."""
    definition = get_object_or_404(definitions.detail_queryset(), collection__slug=collection, kind=kind, slug=slug)
    panels = definitions.definition_panels(definition)
    raw_url = reverse("catalog:definition_raw", args=[collection, kind, slug])
    install = install_for(definition, request.build_absolute_uri(raw_url))
    upstream = definitions.provenance(definition)
    context = {
        "definition": definition,
        "panels": panels,
        "install": install,
        "upstream": upstream,
        "kind_label": browse.kind_label(kind),
        "list_url": reverse(f"catalog:{kind}_list"),
    }
    if not wants_json(request):  # the JSON twin never shows these
        context["versions"], context["open_conflict"] = definitions.history(definition)
        if definition.kind != browse.KINDS.SKILL:
            context["neighbourhood"] = graph.neighbourhood(definition)
    return respond(
        request,
        "catalog/definition_detail.html",
        context,
        fragment="content",
        json_data=lambda: json_api.definition_detail(definition, panels, upstream) | {"install": install.text},
    )


@require_GET
def definition_raw(request, collection, kind, slug):
    """The file exactly as imported, as a download; never rendered, so it needs no Vary."""
    definition = get_object_or_404(definitions.raw_queryset(), collection__slug=collection, kind=kind, slug=slug)
    # text/plain without a charset: the bytes are served as they were, whatever their encoding.
    response = HttpResponse(bytes(definition.raw), content_type="text/plain")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=PurePosixPath(definition.source_path).name or f"{slug}.md"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def tool_list(request):
    """Every tool in use, with how many definitions are allowed it."""
    kind = request.GET.get("kind", "")
    sort = "usage" if request.GET.get("sort") == "usage" else "name"
    q = finding.normalize(request.GET.get("q", ""))
    page = Paginator(browse.tool_list(kind, sort, q), browse.TOOL_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "kind": kind, "sort": sort, "kinds": browse.TOOL_KINDS.choices, "q": q}
    return respond(request, "catalog/tool_list.html", context, json_data=lambda: json_api.tool_list(request, page))


@require_GET
@vary_on_headers("HX-Request")
def tool_detail(request, name):
    """A tool and every definition allowed it, with how each one wrote it."""
    tool = get_object_or_404(browse.tools(), name=name)
    kind = request.GET.get("kind", "")
    filters = DefinitionFilters.from_query(request.GET)
    users = browse.tool_users(tool)
    counts = browse.kind_counts(users)
    if kind in browse.KINDS.values:
        users = users.filter(kind=kind)
    users = filters.matching(users).sorted_by(filters.sort)
    # The tabs count the tool's users; with words to match, the paginator counts the matches.
    count = None if filters.q else browse.kind_total(counts, kind)
    page = browse.paginate(users, request.GET.get("page"), browse.PAGE_SIZE, count)
    rows = [(d, [link for link in d.listed_tools if link.name == tool.name]) for d in page.object_list]
    context = {
        "tool": tool,
        "kind": kind,
        "q": filters.q,
        "kind_counts": browse.kind_tabs(counts),
        "total": sum(counts.values()),
        "page_obj": page,
        "rows": rows,
        "legacy_names": browse.legacy_names(tool),
    }
    return respond(
        request, "catalog/tool_detail.html", context, json_data=lambda: json_api.tool_detail(request, tool, page, rows)
    )


# ---------------------------------------------------------------------------
# Collections
# ---------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def collection_list(request):
    """Every collection with its numbers of agents, commands and skills."""
    q = finding.normalize(request.GET.get("q", ""))
    collections = browse.collection_list(q)
    return respond(
        request,
        "catalog/collection_list.html",
        {"collections": collections, "q": q},
        json_data=lambda: json_api.collection_list(collections),
    )


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def collection_detail(request, slug):
    """A collection at a glance: counts, charts, a health score, its problems and definitions.

    Two tables swap in place: the definitions (``?kind=&problems=&sort=&page=``) and the
    problems (``?rule=&severity=&problems_page=``). An htmx request gets the partial its
    ``HX-Target`` names, the definitions by default.
    """
    fragment = None  # the full page (or the JSON twin)
    if wants_fragment(request) and not wants_json(request):
        fragment = "problems" if request.htmx.target == "problems" else "results"
    collection = get_object_or_404(browse.collections(), slug=slug)
    kind = request.GET.get("kind", "")
    filters = DefinitionFilters.from_query(request.GET)
    listed = browse.collection_definitions(collection)
    counts = browse.kind_counts(listed)
    if kind in browse.KINDS.values:
        listed = listed.filter(kind=kind)
    count = browse.kind_total(counts, kind)
    if filters.problems or filters.q:
        listed = filters.matching(listed)
        if filters.problems:
            listed = listed.with_problems(filters.problems == "yes")
        count = None  # the paginator counts them
    if filters.category:
        listed = listed.in_category(filters.category)
        count = None
    listed = listed.sorted_by(filters.sort)
    if wants_zip(request):
        return zip_response(listed, f"{collection.slug}.zip")
    # Each fragment reads only its own table.
    page = None
    if fragment != "problems":
        page = browse.paginate(listed, request.GET.get("page"), browse.COLLECTION_PAGE_SIZE, count)

    rule = filters.rule
    severity = request.GET.get("severity", "")
    severity = severity if severity in browse.SEVERITIES.values else ""
    problems = None
    if fragment != "results":
        problems = Paginator(
            overview.collection_problems(collection, rule=rule, severity=severity), overview.PROBLEM_PAGE_SIZE
        ).get_page(request.GET.get("problems_page"))
    # The charts and the score scan the whole collection: computed only when a template or
    # the JSON uses them (never for a table's fragment), and cached until the catalog changes.
    stats = SimpleLazyObject(lambda: overview.cached_collection_statistics(collection))
    context = {
        "collection": collection,
        "kind": kind,
        "filters": filters,
        "kind_counts": browse.kind_tabs(counts),
        "page_obj": page,
        "rejections": browse.rejections(collection),
        "categories": browse.collection_categories(collection),
        "sort_choices": browse.SORT_CHOICES,
        "problem_choices": browse.PROBLEM_CHOICES,
        "stats": stats,
        "problems": problems,
        "rule": rule,
        "severity": severity,
        # Each table's form keeps the other table's state, so a submit without JS loses neither.
        "definitions_state": [
            (k, request.GET[k]) for k in ("q", "kind", "category", "problems", "sort", "page") if request.GET.get(k)
        ],
        "problems_state": [(k, request.GET[k]) for k in ("rule", "severity", "problems_page") if request.GET.get(k)],
    }

    def as_json():
        return json_api.collection_detail(
            request,
            collection,
            kind_counts=counts,
            stats=stats,
            problems=problems,
            rule=rule,
            severity=severity,
            page_obj=page,
        )

    return respond(request, "catalog/collection_detail.html", context, fragment=fragment, json_data=as_json)
