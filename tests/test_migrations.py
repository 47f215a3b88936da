"""Migrations that move data: a catalog imported before one keeps every row after it.

Each test builds a scratch database (a SQLite file, or a PostgreSQL database when the suite runs
on PostgreSQL) stopped at the migration before, imports real files, then migrates forward.
"""

import io
import re
import subprocess
import sys
import tarfile

from tests.helpers import CORPUS, REPO, SEEDS, env_for, manage, on_postgres, scratch_database

ITEMS = "SELECT id, definition_id, field, section, text, line, position FROM catalog_item ORDER BY id"


def code_before(migration, tmp_path):
    """The project as it was just before ``migration`` was added, unpacked from git.

    Its importer writes exactly the schema the migration starts from; today's importer writes
    every column added since, which that schema does not have yet.
    """
    added = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", f"catalog/migrations/{migration}.py"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split()[-1]  # fmt: skip
    archive = subprocess.run(
        ["git", "archive", f"{added}^", "agentdash", "catalog", "manage.py"], cwd=REPO, capture_output=True, check=True
    ).stdout
    root = tmp_path / "before"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(root, filter="data")
    return root


def manage_with(code, url, *args):
    """``manage.py`` of the project unpacked in ``code``: its own ``catalog`` comes first on the path."""
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=code, env=env_for(url), capture_output=True, text=True, check=True
    )


def test_partitioning_the_items_keeps_them_searchable_and_their_ids(tmp_path):
    """0006 (PostgreSQL) moves catalog_item into hash partitions: same rows and ids, each row's
    search vector computed, the next import numbered after them."""
    with scratch_database(tmp_path, "catalog", "0005_tool_filter_indexes") as (url, query):
        code = code_before("0006_partition_items", tmp_path)
        found = manage_with(code, url, "shell", "-c", "import catalog; print(catalog.__file__)").stdout
        assert f"{code}/catalog/__init__.py" in found.splitlines(), found  # the old importer, not today's
        manage_with(code, url, "import_agents", str(SEEDS))
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
