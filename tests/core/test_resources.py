"""Which files are kept beside definitions, and which go with a selection (catalog.core.resources)."""

import hashlib

from catalog.core import resources
from catalog.core.discovery import discover
from catalog.core.parsing import MAX_FILE_BYTES
from tests.helpers import CORPUS, write_tree


def test_read_keeps_skill_files_manifests_and_licences_as_they_are(tmp_path):
    """Every kept file comes back byte for byte with its hash; definitions and other files are not resources."""
    write_tree(
        tmp_path,
        {
            ".claude-plugin/plugin.json": '{"name": "kit"}',
            "LICENSE": "Use it.",
            "skills/notes/SKILL.md": "---\nname: notes\ndescription: d\n---\nBody.\n",
            "skills/notes/scripts/run.sh": "#!/bin/sh\necho hi\n",
            "skills/notes/LICENSE.txt": "Also.",
            "agents/a.md": "---\nname: a\ndescription: d\n---\nBody.\n",
            "README.md": "Hello.",
        },
    )
    (tmp_path / "skills/notes/big.bin").write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    kept = {r.relpath: r for r in map(resources.read, discover(tmp_path)) if r is not None}
    assert {path: r.kind for path, r in kept.items()} == {
        ".claude-plugin/plugin.json": resources.PLUGIN_MANIFEST,
        "LICENSE": resources.LICENSE,
        "skills/notes/scripts/run.sh": resources.SKILL_RESOURCE,
        "skills/notes/LICENSE.txt": resources.LICENSE,
    }
    run = kept["skills/notes/scripts/run.sh"]
    assert run.raw == b"#!/bin/sh\necho hi\n" and run.sha256 == hashlib.sha256(run.raw).hexdigest()


def test_a_real_marketplace_keeps_its_manifest_and_every_skill_licence():
    kept = [r for r in map(resources.read, discover(CORPUS / "anthropics__skills")) if r is not None]
    kinds = {r.relpath: r.kind for r in kept}
    assert kinds[".claude-plugin/marketplace.json"] == resources.MARKETPLACE_MANIFEST
    assert kinds["skills/canvas-design/LICENSE.txt"] == resources.LICENSE


RESOURCES = [
    (1, "c", ".claude-plugin/plugin.json", resources.PLUGIN_MANIFEST),
    (2, "c", "LICENSE", resources.LICENSE),
    (3, "c", "skills/notes/scripts/run.sh", resources.SKILL_RESOURCE),
    (4, "c", "skills/notes/LICENSE.txt", resources.LICENSE),
    (5, "c", "skills/other/scripts/go.py", resources.SKILL_RESOURCE),
    (6, "c", "skills/other/LICENSE.txt", resources.LICENSE),
    (7, "d", ".claude-plugin/plugin.json", resources.PLUGIN_MANIFEST),
]


def test_a_skill_takes_its_own_files_and_the_licences_above_it():
    chosen = [("c", "skill", "skills/notes/SKILL.md")]
    assert resources.belongs_with(chosen, RESOURCES) == [1, 2, 3, 4]


def test_an_agent_takes_its_collection_manifests_and_licence_but_no_skill_files():
    assert resources.belongs_with([("c", "agent", "agents/a.md")], RESOURCES) == [1, 2]
    assert resources.belongs_with([], RESOURCES) == []
