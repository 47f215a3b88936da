"""Resources kept at import (catalog.services.resources, catalog.selectors.resources) make exports complete.

A real marketplace of skills (its manifest, every skill's licence) and a fixture plugin with a
skill's scripts go through import, ``export_agents`` and import again.
"""

import shutil

import pytest
from django.core.management import call_command

from catalog.core import resources as core
from catalog.models import Collection, Definition, Resource
from catalog.selectors.resources import for_definitions
from tests.helpers import CORPUS, write_tree

pytestmark = pytest.mark.django_db

SKILL = "---\nname: {name}\ndescription: Does {name}.\n---\nBody.\n"


@pytest.fixture
def plugin_tree(tmp_path):
    return write_tree(
        tmp_path / "kit",
        {
            ".claude-plugin/plugin.json": '{"name": "kit", "version": "1.0.0"}\n',
            "LICENSE": "Use it.\n",
            "commands/review/deep.md": "---\ndescription: Review deeply.\n---\nReview $ARGUMENTS.\n",
            "skills/notes/SKILL.md": SKILL.format(name="notes"),
            "skills/notes/scripts/run.sh": "#!/bin/sh\necho notes\n",
            "skills/other/SKILL.md": SKILL.format(name="other"),
            "skills/other/reference.md": "Other's reference.\n",
        },
    )


def stored(collection_name):
    return sorted(Resource.objects.filter(collection__name=collection_name).values_list("path", "kind", "sha256"))


def identities(collection_name):
    return sorted(Definition.objects.filter(collection__name=collection_name).values_list("kind", "slug", "sha256"))


def test_the_model_names_the_kinds_the_core_keeps():
    assert set(Resource.Kind.values) == set(core.KEPT.values())


def test_an_export_holds_the_resources_and_imports_again_to_the_same_catalog(plugin_tree, import_tree, tmp_path):
    """Manifests, licences and skill files are exported byte for byte; the plugin's commands keep
    their namespace on the way back, which they would lose without its plugin.json."""
    import_tree(plugin_tree)
    assert [path for path, _, _ in stored("kit")] == [
        ".claude-plugin/plugin.json",
        "LICENSE",
        "skills/notes/scripts/run.sh",
        "skills/other/reference.md",
    ]
    call_command("export_agents", str(tmp_path / "out"), "--collection", "kit")
    exported = tmp_path / "out" / Collection.objects.get(name="kit").slug
    for path in plugin_tree.rglob("*"):
        if path.is_file():
            assert (exported / path.relative_to(plugin_tree)).read_bytes() == path.read_bytes(), path

    import_tree(exported, collection="again")
    assert identities("again") == identities("kit")
    assert ("command", "kit:review:deep") in [(kind, slug) for kind, slug, _ in identities("again")]
    assert stored("again") == stored("kit")


def test_a_real_marketplace_exports_its_manifest_and_licences(import_tree, tmp_path):
    import_tree(CORPUS / "anthropics__skills")
    name = Collection.objects.get().name
    call_command("export_agents", str(tmp_path / "out"))
    exported = tmp_path / "out" / Collection.objects.get().slug
    original = CORPUS / "anthropics__skills"
    for relpath in (".claude-plugin/marketplace.json", "skills/canvas-design/LICENSE.txt"):
        assert (exported / relpath).read_bytes() == (original / relpath).read_bytes()
    import_tree(exported, collection="again")
    assert identities("again") == identities(name)
    assert stored("again") == stored(name)


def test_a_selection_takes_only_what_belongs_with_it(plugin_tree, import_tree, django_assert_num_queries):
    import_tree(plugin_tree)
    notes = Definition.objects.filter(slug="notes")
    with django_assert_num_queries(3):  # the definitions' paths, the candidates, the bytes
        kept = for_definitions(notes)
    assert [r.path for r in kept] == [".claude-plugin/plugin.json", "LICENSE", "skills/notes/scripts/run.sh"]
    assert [r.path for r in for_definitions(Definition.objects.filter(kind="command"))] == [
        ".claude-plugin/plugin.json",
        "LICENSE",
    ]
    assert for_definitions(Definition.objects.none()) == []


def test_reimports_keep_unchanged_resources_and_mark_vanished_ones_missing(plugin_tree, import_tree):
    import_tree(plugin_tree)
    before = dict(Resource.objects.values_list("path", "imported_at"))
    import_tree(plugin_tree)
    assert dict(Resource.objects.values_list("path", "imported_at")) == before  # not written again

    (plugin_tree / "skills/notes/scripts/run.sh").write_text("#!/bin/sh\necho changed\n")
    shutil.rmtree(plugin_tree / "skills/other")
    import_tree(plugin_tree)
    run = Resource.objects.get(path="skills/notes/scripts/run.sh")
    assert bytes(run.raw) == b"#!/bin/sh\necho changed\n" and not run.missing
    assert Resource.objects.get(path="skills/other/reference.md").missing
    assert "skills/other/reference.md" not in [r.path for r in for_definitions(Definition.objects.all())]
