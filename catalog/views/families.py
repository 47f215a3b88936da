"""The families pages: the list (largest and most divergent first) and one family side by side,
each a full page, its HTMX fragment or its JSON twin. The reads are ``catalog.selectors.families``.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..selectors import families
from ..selectors.browse import KINDS
from . import json_api
from .common import respond, wants_fragment

PAGE_SIZE = 50


@require_GET
@vary_on_headers("HX-Request")
def family_list(request):
    """Families, filtered by kind, a member's collection and words of the name, from the URL."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS.values else ""
    collection = request.GET.get("collection", "")
    q = request.GET.get("q", "").strip()
    page_obj = Paginator(families.family_list(kind=kind, collection=collection, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    families.add_member_collections(page_obj.object_list)
    context = {
        "page_obj": page_obj,
        "kind": kind,
        "collection": collection,
        "q": q,
        "kinds": KINDS.choices,
        "collections": [] if wants_fragment(request) else families.collection_choices(),
    }
    return respond(
        request, "catalog/family_list.html", context, json_data=lambda: json_api.family_list(request, page_obj)
    )


@require_GET
@vary_on_headers("HX-Request")
def family_detail(request, key):
    """One family: a column per version (copies folded in), rows for what differs, the score's reasons."""
    page = families.family_page(key)
    if page is None:
        raise Http404(f"No family {key}.")
    sort = request.GET.get("sort", "score")
    sort = sort if sort in families.MEMBER_SORTS else "score"
    context = {"page": page, "family": page.family, "members": families.sorted_members(page, sort), "sort": sort}
    return respond(request, "catalog/family_detail.html", context, fragment="", json_data=lambda: json_api.family(page))
