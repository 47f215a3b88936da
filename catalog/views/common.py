"""What every catalog view shares: one response for the full page, its HTMX fragment, or JSON."""

from django.http import JsonResponse
from django.shortcuts import render


def wants_json(request):
    return request.GET.get("format") == "json"


def wants_fragment(request):
    """A plain htmx request swaps a fragment; boosted and history-restore requests need the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def respond(request, template, context, *, fragment="results", json_data=None):
    """Render ``template`` as a page, or only its ``{% partialdef fragment %}`` for htmx.

    ``json_data`` is a callable returning the page's JSON twin for ``?format=json``;
    it is called only when asked for, so the HTML path never builds it.
    """
    if json_data is not None and wants_json(request):
        return JsonResponse(json_data(), json_dumps_params={"ensure_ascii": False})
    if fragment and wants_fragment(request):
        template = f"{template}#{fragment}"
    return render(request, template, context)
