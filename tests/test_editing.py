"""Staff edits versus re-imports: the importer's save_edit and resolve_conflict services."""

import pytest

from catalog.models import Conflict, Definition, DefinitionVersion
from catalog.services.editing import InvalidEdit, resolve_conflict, save_edit

pytestmark = pytest.mark.django_db

FILE = """---
name: release-helper
description: {description}
tools: Read, Bash
---

## Core Responsibilities
- {duty}
"""


@pytest.fixture
def imported(tmp_path, import_tree):
    path = tmp_path / "agents" / "release-helper.md"
    path.parent.mkdir()
    path.write_text(FILE.format(description="Upstream words.", duty="Tag releases."))
    import_tree(tmp_path)
    return tmp_path, path, Definition.objects.get()


def edited_text(description="Local words.", duty="Tag and announce releases."):
    return FILE.format(description=description, duty=duty)


def test_edit_and_taking_upstream_render_the_body_again(imported, import_tree):
    """The stored HTML follows staff's text, and upstream's again when a conflict takes it."""
    root, path, agent = imported
    save_edit(agent, edited_text(duty="Announce *loudly*."))
    agent.refresh_from_db()
    assert "<em>loudly</em>" in agent.rendered_html
    path.write_text(FILE.format(description="Upstream words.", duty="Tag **new** releases."))
    import_tree(root)
    resolve_conflict(Conflict.objects.get(), Conflict.Resolution.TOOK_UPSTREAM)
    agent.refresh_from_db()
    assert "<strong>new</strong>" in agent.rendered_html and "loudly" not in agent.rendered_html


def test_edit_marks_locally_modified_and_rederives(imported):
    """Saving an edit replaces the content, keeps the old one as a version, rebuilds items."""
    _, _, agent = imported
    upstream_sha = agent.sha256
    save_edit(agent, edited_text())
    agent.refresh_from_db()
    assert agent.locally_modified is True
    assert agent.description == "Local words."
    assert list(agent.items.values_list("text", flat=True)) == ["Tag and announce releases."]
    assert agent.sha256 == upstream_sha  # provenance still names the imported file
    assert DefinitionVersion.objects.get(definition=agent).replaced_by == "edit"


def test_invalid_edit_is_refused_and_nothing_changes(imported):
    """Text the parser rejects raises InvalidEdit and leaves the definition as it was."""
    _, _, agent = imported
    bomb = "---\nname: x\na: &a [1, 2]\nb: [*a, *a]\n---\nbody\n"
    with pytest.raises(InvalidEdit):
        save_edit(agent, bomb)
    agent.refresh_from_db()
    assert (agent.description, agent.locally_modified) == ("Upstream words.", False)
    assert not DefinitionVersion.objects.exists()


def test_unchanged_upstream_leaves_the_edit_alone(imported, import_tree):
    """Re-importing the same upstream file is 'unchanged' and records no conflict."""
    root, _, agent = imported
    save_edit(agent, edited_text())
    report = import_tree(root)
    assert (report.unchanged, report.conflicts) == (1, 0)
    agent.refresh_from_db()
    assert agent.description == "Local words."
    assert not Conflict.objects.exists()


def changed_upstream(root, path, import_tree):
    path.write_text(FILE.format(description="Newer upstream words.", duty="Tag, sign and publish releases."))
    return import_tree(root)


def test_changed_upstream_records_conflict_and_keeps_edit(imported, import_tree):
    """A changed upstream file does not overwrite the edit; one open conflict holds it."""
    root, path, agent = imported
    save_edit(agent, edited_text())
    report = changed_upstream(root, path, import_tree)
    assert report.conflicts == 1 and report.updated == 0
    agent.refresh_from_db()
    assert agent.description == "Local words."
    conflict = Conflict.objects.open().get()
    assert b"Newer upstream words." in bytes(conflict.upstream_raw)
    assert import_tree(root).conflicts == 0  # the same upstream change is not recorded twice


def test_resolve_keep_local(imported, import_tree):
    """Keeping the local version closes the conflict; the same upstream file stays quiet after."""
    root, path, agent = imported
    save_edit(agent, edited_text())
    changed_upstream(root, path, import_tree)
    resolve_conflict(Conflict.objects.get(), Conflict.Resolution.KEPT_LOCAL)
    agent.refresh_from_db()
    assert agent.description == "Local words." and agent.locally_modified
    assert not Conflict.objects.open().exists()
    report = import_tree(root)
    assert (report.unchanged, report.conflicts) == (1, 0)


def test_resolve_take_upstream(imported, import_tree):
    """Taking upstream applies the new file and ends local modification."""
    root, path, agent = imported
    save_edit(agent, edited_text())
    changed_upstream(root, path, import_tree)
    agent = resolve_conflict(Conflict.objects.get(), Conflict.Resolution.TOOK_UPSTREAM)
    assert agent.description == "Newer upstream words."
    assert agent.locally_modified is False
    assert bytes(agent.raw) == path.read_bytes()
    assert list(agent.items.values_list("text", flat=True)) == ["Tag, sign and publish releases."]
    assert import_tree(root).unchanged == 1


def test_resolve_with_a_merge(imported, import_tree):
    """A merge is saved as an edit of its own, and the upstream file counts as seen."""
    root, path, agent = imported
    save_edit(agent, edited_text())
    changed_upstream(root, path, import_tree)
    merged = edited_text(description="Merged words.", duty="Tag, sign and announce releases.")
    agent = resolve_conflict(Conflict.objects.get(), Conflict.Resolution.MERGED, merged)
    assert agent.description == "Merged words." and agent.locally_modified
    assert Conflict.objects.get().resolution == "merged"
    assert set(DefinitionVersion.objects.values_list("replaced_by", flat=True)) == {"edit", "merge"}
    assert import_tree(root).conflicts == 0
