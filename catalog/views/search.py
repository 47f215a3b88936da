"""Live search over responsibilities and success metrics: one URL for the page, its htmx
fragment and its JSON twin. The engines live in ``catalog.search``; this only translates.
"""

from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import search as engine
from ..selectors import browse
from . import json_api
from .common import respond

TOO_EXPENSIVE = "This query is too expensive to run: try fewer or more specific words, or narrow the filters."


def criteria_from_query(query):
    """Read ``request.GET`` into search criteria; values that cannot be valid are dropped, never an error."""

    def text(name, length=300):
        return query.get(name, "")[:length]

    scope = text("scope")
    kind = text("kind")
    return engine.Criteria(
        query=text("q", engine.MAX_QUERY_LENGTH),
        scope=scope if scope in dict(engine.SCOPES) else engine.ALL,
        collection=text("collection").strip(),
        kind=kind if kind in browse.KINDS.values else "",
        model=text("model").strip(),
        tool=text("tool").strip(),
        category=text("category").strip().strip("/"),
    )


@require_GET
@vary_on_headers("HX-Request")
def search(request):
    """Definitions whose responsibilities or success metrics match ``?q=``, best first."""
    criteria = criteria_from_query(request.GET)
    results, error = None, ""
    if criteria.query.strip():
        try:
            results = engine.search(criteria, page=_page_number(request.GET))
        except engine.SearchTooExpensive:
            error = TOO_EXPENSIVE
    context = {
        "criteria": criteria,
        "results": results,
        "error": error,
        "scopes": engine.SCOPES,
        "options": browse.search_filter_options,
    }
    return respond(request, "catalog/search.html", context, json_data=lambda: json_api.search(results, error))


def _page_number(query):
    value = query.get("page", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else 1  # "²" is no int
