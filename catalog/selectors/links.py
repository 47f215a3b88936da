"""The URLs one page writes to another, built in one place: filtered lists, the graph, compare.

A number on the overview links to the list that counts the same items; a variant, a shared
name or a version links to the compare page for that pair. Every such link is built here.
"""

from urllib.parse import quote_plus, urlencode

from django.urls import reverse


def list_url(kind, collection=None, **params):
    """The list of ``kind`` (agent, command, skill) narrowed by ``params`` and the collection."""
    query = ({"collection": collection.slug} if collection else {}) | params
    return f"{reverse(f'catalog:{kind}_list')}?{urlencode(query)}" if query else reverse(f"catalog:{kind}_list")


def graph_url(focus, collection=None):
    """The collaboration graph around ``focus`` (a key, or ``missing:<name>``), in one collection or all."""
    query = {"focus": focus} | ({"collection": collection.slug} if collection else {})
    return f"{reverse('catalog:graph')}?{urlencode(query)}"


def compare_url(left, right=None, *, view="split", hide=False, base=None):
    """The compare page for two keys (``str()`` of each: a key, a ``DefinitionKey``); without
    ``right``, the picker with the left side chosen. ``view`` and ``hide`` appear only when not
    the defaults. Pass ``base`` (the page's path) when building many links for one page."""
    query = {"left": str(left)}
    if right is not None:
        query["right"] = str(right)
    if view != "split":
        query["view"] = view
    if hide:
        query["hide"] = "1"
    return f"{base or reverse('catalog:compare')}?{urlencode(query)}"


def patch_url(left, right):
    """The unified diff of two keys' files, as a download."""
    return f"{reverse('catalog:compare_patch')}?{urlencode({'left': str(left), 'right': str(right)})}"


def pairwise_compare_urls(keys):
    """``{(left, right): URL}`` of the compare page for every ordered pair of these keys, as
    ``compare_url`` writes them: a family page links every pair of its columns, hundreds of
    links, so each key is quoted once."""
    base = reverse("catalog:compare")
    quoted = {key: quote_plus(str(key)) for key in keys}
    return {
        (left, right): f"{base}?left={quoted[left]}&right={quoted[right]}"
        for left in quoted
        for right in quoted
        if left != right
    }
