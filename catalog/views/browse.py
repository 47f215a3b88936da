"""Browsing the catalog: agent, command and skill lists and pages, tools and collections.

Each view answers one URL three ways through ``respond``: the full page, the page's HTMX
fragment, or its JSON twin (``?format=json``, same filters). Reads come from
``catalog.selectors``; the JSON shapes are documented in docs/json-api.md.
"""

from pathlib import PurePosixPath

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import selectors, statistics
from ..models import Collection, Definition, Problem, Tool
from ..selectors import DefinitionFilters
from . import graph
from .common import respond, wants_fragment, wants_json

TOOL_PAGE_SIZE = 100
COLLECTION_PAGE_SIZE = 100


def _paginate(request, queryset, per_page, count=None):
    """One page of ``queryset``: the page's keys first, then only that page's rows.

    A deep page then skips entries of an index instead of reading and joining every skipped
    row (on SQLite, every skipped file's pages). ``count``, when the caller already knows
    the number of rows, saves counting them again.
    """
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    keys = list(page.object_list)
    rows = queryset.in_bulk(keys) if keys else {}
    page.object_list = [rows[pk] for pk in keys]
    selectors.add_tool_chips(page.object_list)
    return page


def _kind_total(kind_counts, kind):
    """How many rows a page lists for ``kind`` (every kind when it names none), from its
    per-kind counts: the paginator need not count them again."""
    return kind_counts.get(kind, 0) if kind in Definition.Kind.values else sum(kind_counts.values())


def _kind_label(kind, plural=True):
    label = Definition.Kind(kind).label
    return f"{label}s" if plural else label


def _page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return f"{request.path}?{query.urlencode()}"


def _page_json(request, page, item):
    """The list contract: ``count`` and ``results``, plus the links to walk the pages."""
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
        "previous": _page_url(request, page.previous_page_number()) if page.has_previous() else None,
        "results": [item(obj) for obj in page.object_list],
    }


def _summary(definition):
    """One definition in a JSON list."""
    return {
        "key": definition.key,
        "url": definition.get_absolute_url(),
        "kind": definition.kind,
        "name": definition.name,
        "collection": definition.collection.slug,
        "format": definition.format,
        "model": definition.model,
        "description": definition.description,
        "tools": definition.tool_names,
        "size": definition.size,
        "collaborators": definition.collaborator_count,
        "problem_count": definition.problem_count,
    }


def _definition_ref(definition):
    """A definition linked from another one's JSON; ``None`` when the link is dangling."""
    if definition is None:
        return {"key": None, "url": None}
    return {"key": definition.key, "url": definition.get_absolute_url()}


# ---------------------------------------------------------------------------
# Agents, commands and skills
# ---------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def definition_list(request, kind):
    """Agents (or commands, or skills), filtered, sorted and paginated from the query string."""
    filters = DefinitionFilters.from_query(request.GET)
    page = _paginate(request, selectors.definition_list(kind, filters), selectors.PAGE_SIZE)
    context = {
        "kind": kind,
        "kind_label": _kind_label(kind),
        "kind_singular": _kind_label(kind, plural=False).lower(),
        "filters": filters,
        "page_obj": page,
        "options": selectors.filter_options(kind),
        "sort_choices": selectors.SORT_CHOICES,
        "problem_choices": selectors.PROBLEM_CHOICES,
    }
    return respond(
        request, "catalog/definition_list.html", context, json_data=lambda: _page_json(request, page, _summary)
    )


@require_GET
@vary_on_headers("HX-Request")
def definition_detail(request, collection, kind, slug):
    """One definition: rendered body, frontmatter, tools, references, collaborators, variants."""
    definition = get_object_or_404(
        Definition.objects.select_related("collection", "import_run").defer("raw"),
        collection__slug=collection,
        kind=kind,
        slug=slug,
    )
    if not wants_json(request):
        selectors.ensure_rendered(definition)
    panels = selectors.definition_panels(definition)
    context = {
        "definition": definition,
        "panels": panels,
        "kind_label": _kind_label(kind),
        "list_url": reverse(f"catalog:{kind}_list"),
    }
    if not wants_json(request):  # the JSON twin never shows these
        context["versions"] = list(definition.versions.defer("raw", "source_text", "body"))
        context["open_conflict"] = definition.conflicts.open().defer("upstream_raw").first()
        if definition.kind != Definition.Kind.SKILL:
            context["neighbourhood"] = graph.neighbourhood(definition)
    return respond(
        request,
        "catalog/definition_detail.html",
        context,
        fragment="content",
        json_data=lambda: _detail_json(definition, panels),
    )


def _detail_json(definition, panels):
    def variant(v, relation):
        return {
            **_definition_ref(v.definition),
            "name": v.definition.name,
            "collection": v.definition.collection.slug,
            "relation": relation,
            "similarity": round(v.similarity, 3),
            "compare_url": v.compare_url,
        }

    def edge(e, name, other):
        return {"kind": e.kind, "name": name, **_definition_ref(other), "evidence": e.evidence, "line": e.line}

    return {
        "key": definition.key,
        "url": definition.get_absolute_url(),
        "kind": definition.kind,
        "name": definition.name,
        "slug": definition.slug,
        "collection": definition.collection.slug,
        "collection_name": definition.collection.name,
        "format": definition.format,
        "description": definition.description,
        "examples": definition.examples,
        "model": definition.model,
        "color": definition.color,
        "tools": list(dict.fromkeys(link.tool.name for link in panels.tools)),
        "tool_links": [
            {
                "name": link.tool.name,
                "raw": link.raw,
                "pattern": link.pattern,
                "legacy": link.legacy,
                "enabled": link.enabled,
                "tool_kind": link.tool.kind,
            }
            for link in panels.tools
        ],
        "skills": [r.name for r in panels.skills],
        "commands": [r.name for r in panels.commands],
        "references": [
            {"kind": r.kind, "name": r.name, **_definition_ref(r.target)} for r in panels.skills + panels.commands
        ],
        "referenced_by": [_definition_ref(r.definition) for r in panels.referenced_by],
        "collaborators": {
            "out": [edge(e, e.target_name, e.target) for e in panels.edges_out],
            "in": [edge(e, e.source.name, e.source) for e in panels.edges_in],
        },
        "problems": [
            {"severity": p.severity, "code": p.code, "message": p.message, "line": p.line} for p in panels.problems
        ],
        "variants": [variant(v, "same-name") for v in panels.same_name]
        + [variant(v, "similar") for v in panels.similar],
        "frontmatter": definition.frontmatter,
        "missing": definition.missing,
        "provenance": {
            "path": definition.source_path,
            "sha256": definition.sha256,
            "size": definition.size,
            "imported_at": definition.imported_at.isoformat(),
            "import_run": definition.import_run_id,
            "raw_url": reverse(
                "catalog:definition_raw", args=[definition.collection.slug, definition.kind, definition.slug]
            ),
        },
    }


@require_GET
def definition_raw(request, collection, kind, slug):
    """The file exactly as imported, as a download; never rendered, so it needs no Vary."""
    definition = get_object_or_404(
        Definition.objects.only("raw", "source_path"), collection__slug=collection, kind=kind, slug=slug
    )
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
    page = Paginator(selectors.tool_list(kind, sort), TOOL_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "kind": kind, "sort": sort, "kinds": Tool.Kind.choices}
    return respond(
        request,
        "catalog/tool_list.html",
        context,
        json_data=lambda: _page_json(
            request,
            page,
            lambda t: {
                "name": t.name,
                "url": t.get_absolute_url(),
                "kind": t.kind,
                "server": t.server,
                "definitions": t.n,
            },
        ),
    )


@require_GET
@vary_on_headers("HX-Request")
def tool_detail(request, name):
    """A tool and every definition allowed it, with how each one wrote it."""
    tool = get_object_or_404(Tool, name=name)
    kind = request.GET.get("kind", "")
    users = Definition.objects.present().using_tool(tool.name).for_list()
    kind_counts = dict(users.order_by("kind").values_list("kind").annotate(n=Count("pk")))
    if kind in Definition.Kind.values:
        users = users.filter(kind=kind)
    users = users.sorted_by(DefinitionFilters.from_query(request.GET).sort)
    page = _paginate(request, users, selectors.PAGE_SIZE, _kind_total(kind_counts, kind))
    rows = [(d, [link for link in d.listed_tools if link.name == tool.name]) for d in page.object_list]
    legacy = tool.definition_links.exclude(legacy="").values_list("legacy").annotate(n=Count("pk")).order_by("legacy")
    context = {
        "tool": tool,
        "kind": kind,
        "kind_counts": [(value, label, kind_counts.get(value, 0)) for value, label in Definition.Kind.choices],
        "total": sum(kind_counts.values()),
        "page_obj": page,
        "rows": rows,
        "legacy_names": legacy,
    }

    def as_json():
        data = {"name": tool.name, "url": tool.get_absolute_url(), "kind": tool.kind, "server": tool.server}
        written = {d.pk: [link.raw for link in links] for d, links in rows}
        return data | _page_json(request, page, lambda d: _summary(d) | {"written_as": written[d.pk]})

    return respond(request, "catalog/tool_detail.html", context, json_data=as_json)


# ---------------------------------------------------------------------------
# Collections
# ---------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def collection_list(request):
    """Every collection with its numbers of agents, commands and skills."""
    collections = selectors.collection_list()
    context = {"collections": collections}

    def as_json():
        rows = list(collections)
        return {
            "count": len(rows),
            "results": [
                {
                    "slug": c.slug,
                    "url": c.get_absolute_url(),
                    "name": c.name,
                    "kind": c.kind,
                    "origin": c.origin,
                    "agents": c.agents,
                    "commands": c.commands,
                    "skills": c.skills,
                }
                for c in rows
            ],
        }

    return respond(request, "catalog/collection_list.html", context, json_data=as_json)


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
    collection = get_object_or_404(Collection, slug=slug)
    kind = request.GET.get("kind", "")
    filters = DefinitionFilters.from_query(request.GET)
    definitions = Definition.objects.present().filter(collection=collection).for_list()
    kind_counts = dict(definitions.order_by("kind").values_list("kind").annotate(n=Count("pk")))
    if kind in Definition.Kind.values:
        definitions = definitions.filter(kind=kind)
    count = _kind_total(kind_counts, kind)
    if filters.problems:
        definitions = definitions.with_problems(filters.problems == "yes")
        count = None  # the paginator counts them
    definitions = definitions.sorted_by(filters.sort)
    # Each fragment reads only its own table.
    page = _paginate(request, definitions, COLLECTION_PAGE_SIZE, count) if fragment != "problems" else None

    rule = filters.rule
    severity = request.GET.get("severity", "")
    severity = severity if severity in Problem.Severity.values else ""
    problems = None
    if fragment != "results":
        problems = Paginator(
            statistics.collection_problems(collection, rule=rule, severity=severity), statistics.PROBLEM_PAGE_SIZE
        ).get_page(request.GET.get("problems_page"))
    # The charts and the score scan the whole collection: computed only when a template or
    # the JSON uses them (never for a table's fragment), and cached until the catalog changes.
    stats = SimpleLazyObject(
        lambda: selectors.cached(
            f"collection-stats:{collection.pk}", lambda: statistics.collection_statistics(collection)
        )
    )
    context = {
        "collection": collection,
        "kind": kind,
        "filters": filters,
        "kind_counts": [(value, label, kind_counts.get(value, 0)) for value, label in Definition.Kind.choices],
        "page_obj": page,
        "rejections": Problem.objects.filter(collection=collection, definition=None).order_by("path", "line"),
        "sort_choices": selectors.SORT_CHOICES,
        "problem_choices": selectors.PROBLEM_CHOICES,
        "stats": stats,
        "problems": problems,
        "rule": rule,
        "severity": severity,
        # Each table's form keeps the other table's state, so a submit without JS loses neither.
        "definitions_state": [(k, request.GET[k]) for k in ("kind", "problems", "sort", "page") if request.GET.get(k)],
        "problems_state": [(k, request.GET[k]) for k in ("rule", "severity", "problems_page") if request.GET.get(k)],
    }

    def as_json():
        data = {
            "slug": collection.slug,
            "url": collection.get_absolute_url(),
            "name": collection.name,
            "kind": collection.kind,
            "origin": collection.origin,
            "commit": collection.commit,
            "description": collection.description,
            "counts": kind_counts,
            "formats": stats["by_format"],
            "health": {
                "score": stats["health"].score,
                "formula": stats["health"].formula,
                "definitions": stats["health"].definitions,
                "clean": stats["health"].clean,
                "rejected": stats["health"].rejected,
            },
            "charts": {name: stats[name].as_rows() for name in statistics.COLLECTION_CHARTS},
            "problems": {
                "rule": rule,
                "severity": severity,
                "by_rule": {r.code: r.n for r in stats["by_rule"]},
                "by_severity": stats["by_severity"],
                "count": problems.paginator.count,
                "page": problems.number,
                "pages": problems.paginator.num_pages,
                "results": [
                    {
                        "severity": p.severity,
                        "code": p.code,
                        "path": p.path,
                        "line": p.line,
                        "message": p.message,
                        "definition": _definition_ref(p.definition),
                    }
                    for p in problems.object_list
                ],
            },
        }
        return data | _page_json(request, page, _summary)

    return respond(request, "catalog/collection_detail.html", context, fragment=fragment, json_data=as_json)
