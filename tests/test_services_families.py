"""Families in the database (catalog.services.families, catalog.selectors.families): computed at
import for what changed, kept across imports, and updated by renames, edits, deletes and staff edits."""

import re
import shutil

import pytest

from catalog.models import Definition, Family, FamilyMember
from catalog.selectors import families as family_reads
from catalog.services import editing
from catalog.services.families import refresh_families
from catalog.services.sources import import_sources
from tests.helpers import CORPUS, Upstream, hermetic_git_env, made_up_prose, seed_path, write_tree

pytestmark = pytest.mark.django_db


def agent(name, body, description="Writes the notes for a release.", tools="Read, Grep"):
    return f"---\nname: {name}\ndescription: {description}\ntools: {tools}\n---\n\n## Mission\n\n{body}\n"


BODY = made_up_prose(1)


@pytest.fixture
def two_collections(tmp_path):
    """alpha and beta hold one body under two names; gamma holds an unrelated agent."""
    root = tmp_path / "catalog"
    write_tree(root / "alpha", {"agents/release-notes-writer.md": agent("release-notes-writer", BODY)})
    write_tree(
        root / "beta",
        {
            "agents/changelog-scribe.md": agent("changelog-scribe", BODY),
            "agents/log-reader.md": agent("log-reader", made_up_prose(5), "Reads logs."),
        },
    )
    write_tree(root / "gamma", {"agents/db-tuner.md": agent("db-tuner", made_up_prose(2), "Tunes databases.")})
    return root


def family_of(key):
    return FamilyMember.objects.select_related("family").get(key=key).family


def points(reasons):
    return sum(int(re.match(r"^([+-]\d+) ", reason).group(1)) for reason in reasons)


def test_one_body_under_two_names_in_two_collections_is_one_family_with_one_copy(two_collections, import_tree):
    """The import groups the renamed copy with its original; exactly one member is a copy, of the other."""
    import_tree(two_collections)
    family = family_of("alpha/agent/release-notes-writer")
    members = {m.key: m for m in family.members.select_related("copy_of")}
    assert set(members) == {"alpha/agent/release-notes-writer", "beta/agent/changelog-scribe"}
    copies = [m for m in members.values() if m.copy_of is not None]
    assert len(copies) == 1
    (copy,) = copies
    assert copy.copy_of.key in members and copy.copy_of.key != copy.key
    assert copy.copy_similarity == 1.0  # the same body; the files differ in their name line
    assert (family.size, family.versions, family.collections) == (2, 1, 2)
    assert family_of("gamma/agent/db-tuner").size == 1


def test_the_original_is_the_earliest_import(two_collections, import_tree):
    """Imported a day apart, the copy imported later points at the one imported first."""
    import_tree(two_collections / "beta")
    FamilyMember.objects.update(first_imported="2020-01-01T00:00:00Z")  # beta was seen long before
    import_tree(two_collections)
    scribe = FamilyMember.objects.get(key="beta/agent/changelog-scribe")
    writer = FamilyMember.objects.get(key="alpha/agent/release-notes-writer")
    assert writer.copy_of_id == scribe.pk and scribe.copy_of_id is None


def test_with_git_sources_the_original_is_the_earliest_upstream_change(tmp_path, monkeypatch, settings):
    """Two repositories hold one body: the one whose file was committed first is the original,
    though it is imported last, and the newer change earns the recency points."""
    hermetic_git_env(monkeypatch, tmp_path)
    settings.AGENTDASH_SOURCES_DIR = tmp_path / "sources"
    newer, older = Upstream(tmp_path / "newer"), Upstream(tmp_path / "older")
    newer.commit("2024-03-01T12:00:00+00:00", {"agents/release-notes-writer.md": agent("release-notes-writer", BODY)})
    older.commit("2019-07-01T12:00:00+00:00", {"agents/changelog-scribe.md": agent("changelog-scribe", BODY)})
    import_sources([newer.url])
    import_sources([older.url])

    writer = FamilyMember.objects.get(key__endswith="/agent/release-notes-writer")
    scribe = FamilyMember.objects.get(key__endswith="/agent/changelog-scribe")
    assert writer.family_id == scribe.family_id
    assert writer.copy_of_id == scribe.pk and scribe.copy_of_id is None
    page = family_reads.family_page(writer.family.key)
    reasons = {m.key: m.score_reasons for m in page.members}
    assert any("changed upstream 2024-03-01 (the newest)" in r for r in reasons[writer.key]), reasons
    assert any("changed upstream 2019-07-01" in r for r in reasons[scribe.key]), reasons


def test_reimporting_unchanged_files_rewrites_no_family(two_collections, import_tree):
    """Nothing changed, nothing regrouped: the rows stay as they were."""
    import_tree(two_collections)
    before = list(FamilyMember.objects.order_by("key").values_list("pk", "family_id", "score", "copy_of_id"))
    assert refresh_families().families == {}
    import_tree(two_collections)
    assert list(FamilyMember.objects.order_by("key").values_list("pk", "family_id", "score", "copy_of_id")) == before


def test_edit_rename_and_delete_update_only_the_families_they_reach(two_collections, import_tree):
    """Each change and re-import regroups the family it touches and leaves the unrelated one alone."""
    import_tree(two_collections)
    unrelated = family_of("gamma/agent/db-tuner")
    stamp = (unrelated.pk, unrelated.updated_at)

    # Edit: beta's agent gets a body of its own, so it leaves the family it had joined by content.
    scribe = two_collections / "beta" / "agents" / "changelog-scribe.md"
    scribe.write_text(agent("changelog-scribe", made_up_prose(3)))
    import_tree(two_collections)
    assert family_of("alpha/agent/release-notes-writer").size == 1
    assert family_of("beta/agent/changelog-scribe").key == "agent/changelog-scribe"
    assert not FamilyMember.objects.exclude(copy_of=None).exists()

    # Rename: beta's file now names the agent release-notes-writer, so it joins by name.
    scribe.unlink()
    write_tree(
        two_collections / "beta", {"agents/release-notes-writer.md": agent("Release Notes Writer", made_up_prose(3))}
    )
    import_tree(two_collections)
    family = family_of("alpha/agent/release-notes-writer")
    assert set(family.members.values_list("key", flat=True)) == {
        "alpha/agent/release-notes-writer",
        "beta/agent/release-notes-writer",
    }
    assert family.versions == 2
    assert not Family.objects.filter(key="agent/changelog-scribe").exists()
    assert not FamilyMember.objects.filter(key="beta/agent/changelog-scribe").exists()

    # Delete: the file disappears upstream; its definition is marked missing and leaves the family.
    (two_collections / "beta" / "agents" / "release-notes-writer.md").unlink()
    import_tree(two_collections)
    assert Definition.objects.get(slug="release-notes-writer", collection__slug="beta").missing
    assert family_of("alpha/agent/release-notes-writer").size == 1
    assert FamilyMember.objects.count() == 3

    unrelated = family_of("gamma/agent/db-tuner")
    assert (unrelated.pk, unrelated.updated_at) == stamp


def test_a_staff_edit_regroups_the_edited_definition(two_collections, import_tree):
    """An admin edit that rewrites the copy's body makes it a version of its own."""
    import_tree(two_collections)
    definition = Definition.objects.get(collection__slug="beta", slug="changelog-scribe")
    editing.save_edit(definition, agent("changelog-scribe", made_up_prose(4)))
    assert family_of("beta/agent/changelog-scribe").size == 1
    assert family_of("alpha/agent/release-notes-writer").size == 1


def test_a_deleted_definition_leaves_its_family(two_collections, import_tree):
    """However a definition row goes, the next refresh drops it from its family."""
    import_tree(two_collections)
    Definition.objects.filter(collection__slug="beta", slug="changelog-scribe").delete()
    refresh_families()
    assert family_of("alpha/agent/release-notes-writer").size == 1
    assert not FamilyMember.objects.filter(definition=None).exists()


def test_score_reasons_add_up_to_the_score(two_collections, import_tree):
    """Every stored score is the sum of the points its reasons give."""
    import_tree(two_collections)
    for member in FamilyMember.objects.all():
        assert member.score_reasons and points(member.score_reasons) == member.score


def test_family_of_a_definition(two_collections, import_tree):
    """The definition's family as its JSON twin names it: key, url and size. Of two names used
    equally often, the key takes the alphabetically first."""
    import_tree(two_collections)
    definition = Definition.objects.get(collection__slug="alpha")
    assert family_reads.family_of(definition) == {
        "key": "agent/changelog-scribe",
        "url": "/families/agent/changelog-scribe/",
        "size": 2,
    }


@pytest.mark.corpus
def test_seeds_join_the_corpus_backend_architect(tmp_path, import_tree):
    """Seeds 000, 001 and 003 and the corpus's backend-architect agent form one family; the
    backend-engineer seeds stay out of it."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in ("000", "001", "002", "003", "004"):
        shutil.copy(seed_path(number), seeds)
    corpus_file = CORPUS / "davila7__claude-code-templates/cli-tool/components/agents/development-team"
    import_tree(seeds)
    import_tree(corpus_file / "backend-architect.md")
    family = Family.objects.get(key="agent/backend-architect")
    members = list(family.members.select_related("definition"))
    seed_members = sorted(m.definition.source_path for m in members if m.collection == "seeds")
    assert [path[:3] for path in seed_members] == ["000", "001", "003"]
    assert [m.collection for m in members if m.collection != "seeds"] == ["development-team"]
    for member in members:
        assert points(member.score_reasons) == member.score
