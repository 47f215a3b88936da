"""Quick find and the lists' q filter (catalog.selectors.finding), on whichever database the suite uses."""

import pytest

from catalog.core.finding import MAX_QUERY_LENGTH, normalize
from catalog.models import Definition
from catalog.selectors import finding
from tests.helpers import add_definition as add

pytestmark = pytest.mark.django_db


def found(q, **kwargs):
    return [(hit.kind, hit.name, hit.match) for hit in finding.quick_find(q, **kwargs).hits]


def test_exact_name_ranks_before_prefixes_and_words():
    """The exact name comes first, then names that start with the text, then word matches."""
    add("kubernetes-expert-helper")
    add("kubernetes-expert")
    add("cluster-operator", description="Keeps a Kubernetes expert's clusters healthy.")
    add("unrelated", description="Writes release notes.")
    assert found("kubernetes-expert") == [
        ("agent", "kubernetes-expert", "exact"),
        ("agent", "kubernetes-expert-helper", "prefix"),
        ("agent", "cluster-operator", "words"),
    ]


def test_matching_ignores_case_and_finds_slugs():
    """Case does not matter, and a slug that differs from the display name is found too."""
    add("Code Reviewer", slug="code-reviewer")
    add("Security Auditor", slug="sec-audit")
    assert found("CODE rev") == [("agent", "Code Reviewer", "prefix")]
    assert found("sec-audit") == [("agent", "Security Auditor", "exact")]


def test_every_word_must_match_somewhere():
    """Words may come from the name, the slug or the description, as prefixes; all of them must match."""
    add("api-designer", description="Designs REST contracts.")
    add("api-tester", description="Tests endpoints.")
    assert found("rest api") == [("agent", "api-designer", "words")]
    assert found("des api") == [("agent", "api-designer", "words")]
    assert found("api graphql") == []


def test_results_are_grouped_by_kind_and_capped_per_kind():
    """Agents, then commands, then skills; at most ``per_kind`` of each."""
    for n in range(4):
        add(f"release-{n}", kind="skill")
        add(f"release-{n}", kind="command")
    add("release", kind="agent")
    result = finding.quick_find("release", per_kind=2)
    assert [kind for kind, _ in result.groups] == ["agent", "command", "skill"]
    assert [len(hits) for _, hits in result.groups] == [1, 2, 2]
    assert [hit.name for hit in result.groups[1][1]] == ["release-0", "release-1"]


def test_missing_definitions_are_left_out():
    add("ghost-writer", missing=True)
    add("ghost-hunter", description="ghost stories")
    assert [name for _, name, _ in found("ghost")] == ["ghost-hunter"]


def test_typed_wildcards_and_fts_syntax_are_data():
    """LIKE wildcards, FTS5 operators and tsquery syntax match only themselves."""
    add("100%_done")
    add("ten-cuts", description="NEAR quick OR slow")
    assert found("100%_") == [("agent", "100%_done", "prefix")]
    assert found("%") == []
    assert found("_") == []
    for hostile in ['"', "NEAR(quick slow)", "quick OR", "a:* & b", "'", "\\", "name:quick", "*", "-slow"]:
        finding.quick_find(hostile)  # must not raise
    # Read as an operator, OR would find "quick" alone; as data, "zebra" must match too.
    assert found('quick" OR "zebra') == []
    assert found("quick OR") == [("agent", "ten-cuts", "words")]


def test_renames_and_deletions_reach_the_word_index():
    """The word index follows updates and deletions of definitions without any writer's help."""
    definition = add("alpha", description="first draft")
    assert found("draft") == [("agent", "alpha", "words")]
    Definition.objects.filter(pk=definition.pk).update(description="second version")
    assert found("draft") == []
    assert found("second") == [("agent", "alpha", "words")]
    definition.delete()
    assert found("second") == []


def test_empty_and_overlong_queries():
    add("x" * 50)
    assert finding.quick_find("   ").groups == []
    assert len(normalize("y" * 1000)) == MAX_QUERY_LENGTH


def test_search_terms_split_like_the_admin():
    """Spaces split terms, quoted phrases stay whole, quotes are taken off."""
    assert finding.search_terms("code \"pull request\" 'two words'") == ["code", "pull request", "two words"]
    assert finding.search_terms("   ") == []


def test_matching_needs_every_term_in_some_field():
    add("code-reviewer", description="Reviews pull requests")
    add("code-writer", description="Writes code")
    add("pull-bot", description="Opens pull requests")
    fields = ("name", "slug", "description")
    names = lambda q: sorted(finding.matching(Definition.objects.all(), q, fields).values_list("name", flat=True))  # noqa: E731
    assert names("code") == ["code-reviewer", "code-writer"]
    assert names("code pull") == ["code-reviewer"]
    assert names('"pull requests"') == ["code-reviewer", "pull-bot"]
    assert names("100%") == []
    assert names("") == ["code-reviewer", "code-writer", "pull-bot"]
