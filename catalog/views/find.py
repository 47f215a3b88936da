"""Quick find: definitions by name, slug or description, for the header's combobox.

One URL answers three ways through ``respond``: the results page (a plain form GET, so it
works without JavaScript), the listbox fragment the header's combobox swaps in with htmx,
and the JSON twin (``?format=json``, shaped in ``json_api``). The reads are in
``catalog.selectors.finding``.
"""

from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..selectors import browse, finding
from . import json_api
from .common import respond, wants_fragment, wants_json


@require_GET
@vary_on_headers("HX-Request")
def quick_find(request):
    """Definitions matching ``?q=``: exact name first, then prefixes, then words; grouped by kind."""
    listbox = wants_fragment(request) and not wants_json(request)
    found = finding.quick_find(
        request.GET.get("q", ""), per_kind=finding.PER_KIND if listbox else finding.PER_KIND_PAGE
    )
    context = {
        "query": found.query,
        "found": found,
        "groups": [(kind, browse.kind_label(kind), hits) for kind, hits in found.groups],
    }
    return respond(
        request, "catalog/quick_find.html", context, fragment="options", json_data=lambda: json_api.quick_find(found)
    )
