"""Migrations that move data: a catalog imported before one keeps every row after it.

Each test builds a scratch database (a SQLite file, or a PostgreSQL database when the suite runs
on PostgreSQL) stopped at the migration before, imports real files, then migrates forward.
"""

import json
import re

from tests.helpers import BEFORE_SOURCES, CORPUS, SEEDS, code_at, manage, on_postgres, scratch_database

ITEMS = "SELECT id, definition_id, field, section, text, line, position FROM catalog_item ORDER BY id"


def test_partitioning_the_items_keeps_them_searchable_and_their_ids(tmp_path):
    """0006 (PostgreSQL) moves catalog_item into hash partitions: same rows and ids, each row's
    search vector computed, the next import numbered after them."""
    old = code_at(BEFORE_SOURCES, tmp_path / "old")
    with scratch_database(tmp_path, "catalog", "0005_tool_filter_indexes") as (url, query):
        manage(url, "import_agents", str(SEEDS), code=old)
        before = query(ITEMS)
        assert len(before) > 20

        manage(url, "migrate", "--noinput")

        assert query(ITEMS) == before
        if on_postgres():
            (partitions,) = query("SELECT count(*) FROM pg_inherits WHERE inhparent = 'catalog_item'::regclass")[0]
            assert partitions == 8
            assert query("SELECT count(*) FROM catalog_item WHERE search_vector IS NULL") == [(0,)]
            hits = query(
                "SELECT d.source_path FROM catalog_item i JOIN catalog_definition d ON d.id = i.definition_id"
                " WHERE i.search_vector @@ plainto_tsquery('english', 'sub-20ms')"
            )
            assert hits and all(path.startswith("000_") for (path,) in hits), hits

        # Back past 0006 and forward again: the table stays as it is, rows included.
        manage(url, "migrate", "--noinput", "catalog", "0005_tool_filter_indexes")
        manage(url, "migrate", "--noinput")
        assert query(ITEMS) == before

        more = manage(url, "import_agents", str(CORPUS / "VoltAgent__awesome-claude-code-subagents"))
        assert more.returncode == 0, more.stderr
        after = query(ITEMS)
        assert after[: len(before)] == before
        assert len(after) > len(before) and min(row[0] for row in after[len(before) :]) > before[-1][0]


def test_quick_find_indexes_the_definitions_already_imported(tmp_path):
    """0009 builds quick find's word index over the rows already there, and drops it going back."""
    # Imported with today's schema, then taken back before 0009: today's importer writes
    # columns that a database stopped at 0006 does not have yet.
    with scratch_database(tmp_path) as (url, query):
        manage(url, "import_agents", str(SEEDS))
        (count,) = query("SELECT count(*) FROM catalog_definition")[0]
        assert count > 3
        manage(url, "migrate", "--noinput", "catalog", "0006_partition_items")

        manage(url, "migrate", "--noinput", "catalog", "0009_quick_find")
        if on_postgres():
            indexed = query("SELECT count(*) FROM catalog_definition WHERE quick_vector IS NOT NULL")
            assert indexed == [(count,)]
        else:
            # An external-content table counts its content table's rows: only a MATCH reads the index.
            rows = query("SELECT id, name FROM catalog_definition")
            for pk, name in rows:
                word = re.search(r"[a-z0-9]{2,}", name.lower()).group()
                assert (pk,) in query(
                    f"SELECT rowid FROM catalog_definition_qf WHERE catalog_definition_qf MATCH '{word}*'"
                )

        manage(url, "migrate", "--noinput", "catalog", "0006_partition_items")
        if on_postgres():
            gone = query("SELECT count(*) FROM information_schema.columns WHERE column_name = 'quick_vector'")
        else:
            gone = query("SELECT count(*) FROM sqlite_master WHERE name LIKE 'catalog_definition_qf%'")
        assert gone == [(0,)]


DEFINITIONS = (
    "SELECT id, collection_id, kind, slug, sha256, locally_modified, missing FROM catalog_definition ORDER BY id"
)


def test_sources_keep_every_definition_version_edit_and_conflict(tmp_path):
    """0007 gives each collection its source key and each definition its category; a re-import
    by the new importer then finds every definition where it was: nothing created or missing."""
    old = code_at(BEFORE_SOURCES, tmp_path / "old")
    tree = tmp_path / "team"
    for relpath in ("design/ui-designer.md", "agents/reviewer.md", "agents/writer.md"):
        path = tree / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        name = path.stem
        path.write_text(f"---\nname: {name}\ndescription: The {name}.\n---\n\n# {name}\n")
    with scratch_database(tmp_path, "catalog", "0006_partition_items") as (url, query):
        manage(url, "import_agents", str(tree), code=old)
        (tree / "agents/reviewer.md").write_text("---\nname: reviewer\ndescription: Reviews.\n---\n\nNew.\n")
        manage(url, "import_agents", str(tree), code=old)  # a version of reviewer
        query("UPDATE catalog_definition SET locally_modified = TRUE WHERE slug = 'writer'")
        (tree / "agents/writer.md").write_text("---\nname: writer\ndescription: Writes.\n---\n\nNew.\n")
        manage(url, "import_agents", str(tree), code=old)  # an open conflict on writer
        before = query(DEFINITIONS), query("SELECT id, definition_id, sha256 FROM catalog_definitionversion")
        conflicts = query("SELECT id, definition_id, upstream_sha256 FROM catalog_conflict WHERE resolved_at IS NULL")
        assert before[1] and len(conflicts) == 1

        manage(url, "migrate", "--noinput")

        assert query("SELECT name, source_key FROM catalog_collection") == [("team", f"dir:{tree.resolve()}")]
        assert sorted(query("SELECT source_path, category FROM catalog_definition")) == [
            ("agents/reviewer.md", ""),
            ("agents/writer.md", ""),
            ("design/ui-designer.md", "design"),
        ]
        report = manage(url, "import_agents", "--json", str(tree))
        assert '"created": 0' in report.stdout and '"missing": 0' in report.stdout, report.stdout
        assert (query(DEFINITIONS), query("SELECT id, definition_id, sha256 FROM catalog_definitionversion")) == before
        assert query("SELECT id, definition_id, upstream_sha256 FROM catalog_conflict WHERE resolved_at IS NULL") == (
            conflicts
        )


def test_a_repository_split_by_the_old_rule_becomes_one_collection_again(tmp_path):
    """The old rule made design/ and engineering/ collections of their own; after 0007 the
    repository's import takes them over: same definition rows (edits and conflicts included),
    paths relative to the repository, nothing created or missing, two same slugs kept apart."""
    old = code_at(BEFORE_SOURCES, tmp_path / "old")
    tree = tmp_path / "agency"
    (tree / "README.md").parent.mkdir(parents=True)
    (tree / "README.md").write_text("# Agency\n")
    for relpath in ("design/lead.md", "design/ui-designer.md", "engineering/lead.md"):
        path = tree / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\nname: lead\ndescription: The {relpath}.\n---\n\n# {path.stem}\n")
    with scratch_database(tmp_path, "catalog", "0006_partition_items") as (url, query):
        manage(url, "import_agents", str(tree), code=old)
        assert sorted(query("SELECT name FROM catalog_collection")) == [("design",), ("engineering",)]
        query("UPDATE catalog_definition SET locally_modified = TRUE WHERE source_path = 'ui-designer.md'")
        (tree / "design/ui-designer.md").write_text("---\nname: ui\ndescription: Changed.\n---\n\nNew.\n")
        manage(url, "import_agents", str(tree), code=old)  # an open conflict
        rows = "SELECT id, kind, sha256, locally_modified FROM catalog_definition ORDER BY id"
        before = query(rows)
        conflicts = query("SELECT id, definition_id FROM catalog_conflict WHERE resolved_at IS NULL")
        assert len(before) == 3 and len(conflicts) == 1

        manage(url, "migrate", "--noinput")
        report = json.loads(manage(url, "import_agents", "--json", str(tree)).stdout)

        assert (report["created"], report["missing"], report["adopted"]) == (0, 0, 3)
        assert query("SELECT name FROM catalog_collection") == [("agency",)]
        assert query(rows) == before
        assert query("SELECT id, definition_id FROM catalog_conflict WHERE resolved_at IS NULL") == conflicts
        paths = sorted(query("SELECT source_path, slug, category FROM catalog_definition"))
        assert [path for path, _, _ in paths] == ["design/lead.md", "design/ui-designer.md", "engineering/lead.md"]
        assert len({slug for _, slug, _ in paths}) == 3
        assert {category for _, _, category in paths} == {"design", "engineering"}


def test_definitions_imported_before_rendering_at_import_are_rendered_by_0008(tmp_path):
    """0008 renders every row an import stored without HTML, so no page shows an empty body;
    rows already rendered keep their HTML."""
    with scratch_database(tmp_path, "catalog", "0006_partition_items") as (url, query):
        # The code of that time stored no HTML at import; a page view filled it (here: the first row).
        old = code_at(BEFORE_SOURCES, tmp_path / "old")
        manage(url, "import_agents", str(SEEDS), code=old)
        manage(url, "shell", "-c", (
            "from django.db.models import F; from catalog.models import Definition as D;"
            "first = D.objects.order_by('pk').first();"
            "D.objects.filter(pk=first.pk).update(rendered_html='<p>viewed</p>', rendered_sha256=F('sha256'))"
        ), code=old)  # fmt: skip
        manage(url, "migrate", "--noinput")
        rows = query("SELECT rendered_html, rendered_sha256 = sha256 FROM catalog_definition ORDER BY id")
        assert len(rows) > 3
        assert rows[0] == ("<p>viewed</p>", True)
        assert all(html.count("<h") >= 1 and same for html, same in rows[1:]), rows
