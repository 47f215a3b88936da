"""catalog.selectors.links: the URLs pages write to each other, built in one place."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from catalog.core.keys import DefinitionKey
from catalog.selectors.links import compare_url, graph_url, list_url, pairwise_compare_urls, patch_url


def query_of(url):
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query, keep_blank_values=True)


def test_compare_url_names_both_sides_and_only_non_default_views():
    """Two keys, plus view and hide only when they differ from the defaults."""
    path, query = query_of(compare_url("a/agent/x", "b/agent/x"))
    assert path == reverse("catalog:compare")
    assert query == {"left": ["a/agent/x"], "right": ["b/agent/x"]}
    _, query = query_of(compare_url("a/agent/x", "b/agent/x", view="unified", hide=True))
    assert query == {"left": ["a/agent/x"], "right": ["b/agent/x"], "view": ["unified"], "hide": ["1"]}


def test_compare_url_with_one_side_is_the_picker_with_it_chosen():
    """Without a right side the URL says nothing of one; an empty right side is still written."""
    assert query_of(compare_url("a/agent/x"))[1] == {"left": ["a/agent/x"]}
    assert query_of(compare_url("a/agent/x", ""))[1] == {"left": ["a/agent/x"], "right": [""]}


def test_keys_are_written_as_text_versions_included():
    """A DefinitionKey and its text give the same link; a version travels in the key."""
    key = DefinitionKey("a", "agent", "x", 12)
    assert compare_url(key, "a/agent/x") == compare_url("a/agent/x@12", "a/agent/x")
    path, query = query_of(patch_url(key, "a/agent/x"))
    assert path == reverse("catalog:compare_patch")
    assert query == {"left": ["a/agent/x@12"], "right": ["a/agent/x"]}


def test_a_many_links_base_changes_nothing_but_the_cost():
    """Passing the compare path ahead gives the very same link."""
    base = reverse("catalog:compare")
    assert compare_url("a/agent/x", "b/agent/y", base=base) == compare_url("a/agent/x", "b/agent/y")


def test_list_and_graph_urls_carry_their_filters():
    """A chart bar's list and graph links hold its filters (and none when there are none)."""
    assert list_url("agent") == reverse("catalog:agent_list")
    assert query_of(list_url("command", tool="Bash"))[1] == {"tool": ["Bash"]}
    path, query = query_of(graph_url("missing:helper"))
    assert path == reverse("catalog:graph")
    assert query == {"focus": ["missing:helper"]}


def test_pairwise_compare_urls_are_the_compare_urls_of_every_ordered_pair():
    """The family page's many compare links are the ones compare_url writes, one per ordered pair."""
    keys = ["a/agent/x", "b/agent/x y+z", "c/agent/ü"]
    pairs = pairwise_compare_urls(keys)
    assert len(pairs) == 6
    assert pairs == {(left, right): compare_url(left, right) for left in keys for right in keys if left != right}
