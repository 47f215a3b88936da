"""The home page: what the catalog holds, where it came from, what is wrong, what to compare.

Counts by kind, format and collection; bar charts (server-rendered SVG) of models, tools,
problems by rule and by collection, file sizes, the most connected agents and the most
named missing ones; names found in several collections; recent imports. Every number links
to the filtered list behind it. The reads live in ``catalog.selectors.overview``.
"""

from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..selectors import overview as reads
from . import json_api
from .common import respond


@require_GET
@vary_on_headers("HX-Request")
def overview(request):
    """The whole catalog at a glance; ``?format=json`` gives the same numbers with their links."""
    context = reads.overview()
    return respond(
        request, "catalog/overview.html", context, fragment="content", json_data=lambda: json_api.overview(context)
    )
