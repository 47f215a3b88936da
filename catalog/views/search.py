"""Live search over responsibilities and success metrics: one URL for the page, its htmx
fragment and its JSON twin. The engines live in ``catalog.search``; this only translates.
"""

from django.db.models import Count
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import search as engine
from .. import selectors
from ..models import Collection, Definition
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
        kind=kind if kind in Definition.Kind.values else "",
        model=text("model").strip(),
        tool=text("tool").strip(),
    )


def filter_options():
    """Choices for the filter form, as lazy querysets: the htmx fragment never runs them."""
    present = Definition.objects.present()
    return {
        "collections": Collection.objects.filter(definitions__missing=False)
        .annotate(n=Count("definitions"))
        .order_by("name")
        .values_list("slug", "name", "n"),
        "kinds": Definition.Kind.choices,
        "models": selectors.model_counts(present).order_by("model"),
        "tools": selectors.tool_counts(present).order_by("name"),
    }


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
        "options": filter_options,
    }
    return respond(request, "catalog/search.html", context, json_data=lambda: _json(results, error))


def _page_number(query):
    value = query.get("page", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else 1  # "²" is no int


def _json(results, error):
    data = {
        "count": results.count if results else 0,
        "exact": results.exact if results else True,
        "page": results.page if results else 1,
        "pages": results.pages if results else 1,
        "results": [
            {
                "key": hit.definition.key,
                "url": hit.definition.get_absolute_url(),
                "name": hit.definition.name,
                "matches": [{"field": m.field, "section": m.section, "text": m.text} for m in hit.matches],
            }
            for hit in (results.hits if results else ())
        ],
    }
    if error:
        data["error"] = error
    return data
