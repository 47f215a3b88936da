"""catalog.services.exporting and the export_agents command: files written back as imported, or strictly when edited."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.core import parsing
from catalog.models import Collection, Definition
from catalog.services import exporting
from catalog.services.editing import save_edit
from tests.helpers import CORPUS

AGENT = """---
zeta: kept first
name: release-helper
description: Ships releases
x-team: {owner: platform, since: 2024-05-01}
tools: Read, Bash
---

## Core Responsibilities
- Tag releases.
"""

# Unquoted ": " and a leading "*": strict YAML refuses this, the lenient reader recovers it.
LENIENT = """---
name: lenient-helper
description: Use when: the build is red
argument-hint: *ref
---

Body text.
"""


def write(root, relpath, data):
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def strict_frontmatter(text):
    yaml_text, _, _, _ = parsing.split_frontmatter(text)
    return yaml.safe_load(yaml_text)


@pytest.fixture
def catalog(tmp_path, import_tree):
    source = tmp_path / "source"
    write(source, "agents/release-helper.md", AGENT)
    write(source, "agents/lenient-helper.md", LENIENT)
    # A BOM and CRLF line ends: exported untouched, these bytes must survive as they are.
    write(source, "commands/deploy.md", b"\xef\xbb\xbf---\r\ndescription: Deploy it\r\n---\r\nRun the deploy.\r\n")
    import_tree(source)
    return source


# ---------------------------------------------------------------------------
# Frontmatter text (no database)
# ---------------------------------------------------------------------------


def test_dump_keeps_order_and_quotes_what_yaml_would_misread():
    """Field order is kept and values YAML would read as other types or syntax come back as the same text."""
    mapping = {
        "name": "x",
        "description": "Use when: red # not a comment",
        "argument-hint": "[a] | [b]",
        "tools": "*",
        "flag": "yes",
        "date": "2024-01-01",
        "version": 2.0,
        "nested": {"a": [1, None, True]},
    }
    text = exporting.dump_frontmatter(mapping)
    loaded = yaml.safe_load(text)
    assert loaded == mapping
    assert list(loaded) == list(mapping)


def test_multiline_strings_are_literal_blocks():
    """A description with newlines is written as a | block, the way people write one."""
    text = exporting.dump_frontmatter({"description": "First line.\nSecond line.\n"})
    assert text.startswith("description: |\n  First line.\n  Second line.\n")
    assert yaml.safe_load(text) == {"description": "First line.\nSecond line.\n"}


def test_file_text_without_frontmatter_keeps_a_leading_rule_as_body():
    """A body that starts with --- is preceded by an empty frontmatter block, so it stays body."""
    text = exporting.file_text({}, "---\n\nA horizontal rule first.\n")
    parsed = parsing.parse_definition(text.encode(), "x.md", "command", "claude-code")
    assert parsed.body == "---\n\nA horizontal rule first.\n"
    assert exporting.file_text({}, "Plain body.\n") == "Plain body.\n"


# The catalog never holds a NUL: the reader drops it (PostgreSQL refuses it in text and JSON), so
# the mappings it can store, and must export faithfully, are made of NUL-free strings.
stored_text = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
json_scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(stored_text, max_size=40)
json_scalars |= st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(stored_text, min_size=1, max_size=10), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(stored_text, min_size=1, max_size=20), json_values, max_size=6))
def test_any_json_frontmatter_reads_back_the_same(mapping):
    """Whatever JSON-safe mapping the catalog stores, its dump is strict YAML that reads back equal, in order."""
    text = exporting.dump_frontmatter(mapping)
    if mapping:
        loaded, lenient, problems = parsing.read_frontmatter(text)
        assert not lenient and not problems
        assert loaded == mapping and list(loaded) == list(mapping)


# ---------------------------------------------------------------------------
# Definitions to files
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_unedited_definitions_are_written_byte_for_byte(catalog, tmp_path):
    """An export of an untouched catalog holds the imported files exactly, at their paths."""
    out = tmp_path / "out"
    report = exporting.export_tree(Definition.objects.select_related("collection"), out)
    assert (report.written, report.verbatim, report.rebuilt, report.refused) == (3, 3, 0, [])
    slug = Collection.objects.get().slug
    for relpath in ("agents/release-helper.md", "agents/lenient-helper.md", "commands/deploy.md"):
        assert (out / slug / relpath).read_bytes() == (catalog / relpath).read_bytes()


@pytest.mark.django_db
def test_edited_definition_is_written_with_strict_frontmatter_in_order(catalog):
    """An edit is exported with strict YAML: unknown fields and field order kept, the edit included."""
    agent = Definition.objects.get(slug="release-helper")
    save_edit(agent, AGENT.replace("Ships releases", "Ships releases: tags, notes # and more"))
    agent.refresh_from_db()
    text = exporting.definition_bytes(agent).decode("utf-8")
    frontmatter = strict_frontmatter(text)
    assert list(frontmatter) == ["zeta", "name", "description", "x-team", "tools"]
    assert frontmatter["description"] == "Ships releases: tags, notes # and more"
    assert frontmatter["x-team"] == {"owner": "platform", "since": "2024-05-01"}
    assert text.endswith("## Core Responsibilities\n- Tag releases.\n")


@pytest.mark.django_db
def test_lenient_frontmatter_is_exported_strict_after_an_edit(catalog):
    """A file that needed the lenient reader, once edited, exports as YAML a strict reader accepts, same values."""
    helper = Definition.objects.get(slug="lenient-helper")
    assert helper.lenient
    save_edit(helper, LENIENT.replace("Body text.", "Body text, edited."))
    helper.refresh_from_db()
    text = exporting.definition_bytes(helper).decode("utf-8")
    assert strict_frontmatter(text) == {
        "name": "lenient-helper",
        "description": "Use when: the build is red",
        "argument-hint": "*ref",
    }
    reparsed = parsing.parse_definition(text.encode(), helper.source_path, helper.kind, helper.format)
    assert not reparsed.lenient
    assert (reparsed.frontmatter, reparsed.body) == (helper.frontmatter, helper.body)


@pytest.mark.django_db
@pytest.mark.parametrize("source_path", ["../escape.md", "agents/../../escape.md", "/etc/escape.md", "a\\..\\b.md"])
def test_paths_leaving_the_export_are_refused(catalog, tmp_path, source_path):
    """A source path that is absolute or climbs out is refused and nothing is written outside the root."""
    Definition.objects.filter(slug="release-helper").update(source_path=source_path)
    out = tmp_path / "deep" / "out"
    report = exporting.export_tree(Definition.objects.select_related("collection"), out)
    assert report.written == 2
    assert [key.rsplit("/", 1)[-1] for key, _ in report.refused] == ["release-helper"]
    assert not (tmp_path / "deep" / "escape.md").exists() and not (tmp_path / "escape.md").exists()
    with pytest.raises(exporting.UnsafePath):
        exporting.export_path(Definition.objects.select_related("collection").get(slug="release-helper"))


@pytest.mark.django_db
def test_a_symlink_in_the_export_cannot_carry_files_out(catalog, tmp_path):
    """A directory symlink already inside the export root is not followed out of it."""
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    slug = Collection.objects.get().slug
    (out / slug).mkdir(parents=True)
    (out / slug / "agents").symlink_to(outside, target_is_directory=True)
    report = exporting.export_tree(Definition.objects.select_related("collection"), out)
    assert report.written == 1 and len(report.refused) == 2
    assert list(outside.iterdir()) == []


@pytest.mark.django_db
def test_zip_holds_the_same_files(catalog):
    """The zip export holds each file under collection slug and source path, with the same bytes."""
    stream, report = exporting.export_zip(Definition.objects.select_related("collection"))
    slug = Collection.objects.get().slug
    with zipfile.ZipFile(io.BytesIO(stream.getvalue())) as archive:
        names = sorted(archive.namelist())
        assert names == [
            f"{slug}/agents/lenient-helper.md",
            f"{slug}/agents/release-helper.md",
            f"{slug}/commands/deploy.md",
        ]
        assert archive.read(f"{slug}/commands/deploy.md") == (catalog / "commands/deploy.md").read_bytes()
    assert report.written == 3


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_exports_one_collection(catalog, tmp_path, import_tree):
    """--collection limits the export to that collection; the summary counts what was written."""
    other = tmp_path / "other"
    write(other, "agents/other.md", "---\nname: other\ndescription: Other.\n---\nBody.\n")
    import_tree(other)
    out, stdout = tmp_path / "out", io.StringIO()
    call_command("export_agents", str(out), "--collection", other.name, stdout=stdout)
    assert [p.relative_to(out).as_posix() for p in out.rglob("*.md")] == [
        f"{Collection.objects.get(name=other.name).slug}/agents/other.md"
    ]
    assert "Wrote 1 files" in stdout.getvalue() and "1 as imported, 0 rebuilt" in stdout.getvalue()


@pytest.mark.django_db
def test_command_refuses_an_unknown_collection(tmp_path):
    """Naming a collection the catalog lacks is an error, not an empty export."""
    with pytest.raises(CommandError, match="No collection"):
        call_command("export_agents", str(tmp_path / "out"), "--collection", "nope")


@pytest.mark.django_db
def test_command_fails_when_a_path_is_refused(catalog, tmp_path):
    """An unsafe path makes the command fail after writing the safe files."""
    Definition.objects.filter(slug="release-helper").update(source_path="../escape.md")
    with pytest.raises(CommandError, match="1 definition"):
        call_command("export_agents", str(tmp_path / "out"), stdout=io.StringIO(), stderr=io.StringIO())
    assert len(list((tmp_path / "out").rglob("*.md"))) == 2


# ---------------------------------------------------------------------------
# The whole corpus
# ---------------------------------------------------------------------------


def catalog_content(definition):
    """What the catalog derives from a file, minus provenance and how leniently it was read."""
    return {
        "fields": {
            name: getattr(definition, name)
            for name in (
                "kind",
                "format",
                "slug",
                "name",
                "description",
                "examples",
                "model",
                "color",
                "plugin",
                "namespace",
                "frontmatter",
                "body",
            )
        },
        "tools": [
            (link.raw, link.tool.name, link.pattern, link.enabled)
            for link in definition.tool_links.select_related("tool").order_by("position")
        ],
        "items": list(definition.items.order_by("position").values_list("field", "section", "text")),
        "edges": sorted(definition.edges_out.filter(manual=False).values_list("kind", "target_name")),
        "references": sorted(definition.references.values_list("kind", "name")),
    }


def edit_a_sample(per_group=8):
    """Edit a spread of hard cases: lenient YAML, non-text values, multi-line text, no frontmatter.

    Lenient files keep their original frontmatter text (so the export must rebuild it
    strictly); the others are edited the way the admin form writes them.
    """
    by_hash = Definition.objects.select_related("collection").order_by("sha256")
    groups = {"lenient": [], "typed": [], "multiline": [], "bare": []}
    for definition in by_hash.iterator():
        frontmatter = definition.frontmatter
        if definition.lenient:
            group = "lenient"
        elif not frontmatter:
            group = "bare"
        elif any("\n" in value for value in frontmatter.values() if isinstance(value, str)):
            group = "multiline"
        elif any(not isinstance(value, str) for value in frontmatter.values()):
            group = "typed"
        else:
            continue
        if len(groups[group]) < per_group:
            groups[group].append(definition)
    edited = []
    for group, definitions in groups.items():
        for definition in definitions:
            if group == "lenient":
                text = definition.source_text + "\nEdited locally; the frontmatter stays as written.\n"
            else:
                mapping = exporting.frontmatter_of(definition)
                if isinstance(mapping.get("description"), str):
                    mapping["description"] += " Edited: yes # kept"
                text = exporting.file_text(mapping, definition.body + "\nEdited locally.\n")
            save_edit(definition, text)
            edited.append(definition.pk)
    return groups, edited


@pytest.mark.corpus
@pytest.mark.django_db
def test_corpus_round_trip(tmp_path, import_tree, capsys):
    """Import the corpus, edit a sample, export: unedited files are identical, edited ones re-import the same."""
    report = import_tree(CORPUS)
    groups, edited = edit_a_sample()
    assert all(groups.values()), {name: len(found) for name, found in groups.items()}

    out = tmp_path / "export"
    definitions = Definition.objects.select_related("collection").order_by("pk")
    result = exporting.export_tree(definitions, out)
    assert result.refused == []
    assert (result.written, result.rebuilt) == (Definition.objects.count(), len(edited))

    identical = 0
    for definition in definitions.filter(locally_modified=False).defer("raw", "source_text", "body"):
        exported = out / definition.collection.slug / definition.source_path
        assert exported.read_bytes() == (Path(definition.collection.source_root) / definition.source_path).read_bytes()
        identical += 1
    assert identical == report.created - len(edited)

    # Re-import the edited files inside a copy of their repositories (manifests decide what a
    # plugin's file is), under new collection names, and compare what the catalog derives.
    expected = {}
    tree = tmp_path / "tree"
    for definition in definitions.filter(pk__in=edited):
        root = Path(definition.collection.source_root)
        copy = tree / f"rt-{root.name}"
        if not copy.exists():
            shutil.copytree(root, copy)
        shutil.copyfile(out / definition.collection.slug / definition.source_path, copy / definition.source_path)
        expected[(f"rt-{definition.collection.name}", definition.source_path)] = catalog_content(definition)
    import_tree(tree)
    for (collection, source_path), content in expected.items():
        reimported = Definition.objects.get(collection__name=collection, source_path=source_path)
        assert not reimported.lenient, source_path
        assert catalog_content(reimported) == content, source_path

    with capsys.disabled():
        print(
            f"\ncorpus round trip: {report.found} files found, {report.created} definitions imported, "
            f"{identical} exported byte-identical, {len(edited)} edited "
            f"({', '.join(f'{len(found)} {name}' for name, found in groups.items())}) re-imported equal"
        )
