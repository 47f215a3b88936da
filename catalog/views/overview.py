"""The home page: what the catalog holds, where it came from, what is wrong, what to compare.

Counts by kind, format and collection; bar charts (server-rendered SVG) of models, tools,
problems by rule and by collection, file sizes, the most connected agents and the most
named missing ones; names found in several collections; recent imports. Every number links
to the filtered list behind it. The reads live in ``catalog.statistics``.
"""

from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import selectors, statistics
from ..models import Definition, ImportRun
from .common import respond

RECENT_IMPORTS = 5
CHARTS = ("models", "tools", "rules", "problem_collections", "sizes", "connected", "missing")


@require_GET
@vary_on_headers("HX-Request")
def overview(request):
    """The whole catalog at a glance; ``?format=json`` gives the same numbers with their links."""
    # Every number here scans the catalog, and all of them only change with it.
    context = selectors.cached("overview", _overview)
    return respond(request, "catalog/overview.html", context, fragment="content", json_data=lambda: _json(context))


def _overview():
    return statistics.statistics() | {
        "kind_choices": Definition.Kind.choices,
        "collections": list(selectors.collection_list()),
        "problem_collections": statistics.problems_by_collection(),
        "imports": list(ImportRun.objects.all()[:RECENT_IMPORTS]),
        "shared_names": selectors.shared_names(),
    }


def _json(context):
    return {
        "counts": context["by_kind"],
        "formats": context["by_format"],
        "definitions_with_problems": context["definitions_with_problems"],
        "agents_with_problems": context["agents_with_problems"],
        "charts": {name: context[name].as_rows() for name in CHARTS},
        "collections": [
            {
                "slug": c.slug,
                "url": c.get_absolute_url(),
                "name": c.name,
                "agents": c.agents,
                "commands": c.commands,
                "skills": c.skills,
            }
            for c in context["collections"]
        ],
        "imports": [
            {
                "id": run.pk,
                "status": run.status,
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "found": run.found,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "rejected": run.rejected,
                "missing": run.missing,
            }
            for run in context["imports"]
        ],
        "shared_names": [
            {
                "kind": shared.kind,
                "slug": shared.slug,
                "definitions": [{"key": d.key, "url": d.get_absolute_url()} for d in shared.definitions],
                "compare": [url for _, url in shared.comparisons],
            }
            for shared in context["shared_names"]
        ],
    }
