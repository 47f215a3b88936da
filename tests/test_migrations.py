"""Migrations that move data: a catalog imported before one keeps every row after it.

Each test builds a scratch database (a SQLite file, or a PostgreSQL database when the suite runs
on PostgreSQL) stopped at the migration before, imports real files, then migrates forward.
"""

from tests.helpers import CORPUS, SEEDS, manage, on_postgres, scratch_database

ITEMS = "SELECT id, definition_id, field, section, text, line, position FROM catalog_item ORDER BY id"


def test_partitioning_the_items_keeps_them_searchable_and_their_ids(tmp_path):
    """0006 (PostgreSQL) moves catalog_item into hash partitions: same rows and ids, each row's
    search vector computed, the next import numbered after them."""
    with scratch_database(tmp_path, "catalog", "0005_tool_filter_indexes") as (url, query):
        manage(url, "import_agents", str(SEEDS))
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


def test_definitions_imported_before_rendering_at_import_are_rendered_by_0008(tmp_path):
    """0008 renders every row an import stored without HTML, so no page shows an empty body;
    rows already rendered keep their HTML."""
    with scratch_database(tmp_path, "catalog", "0006_partition_items") as (url, query):
        manage(url, "import_agents", str(SEEDS))
        # What an import stored before 0008: no HTML, except where a page had been viewed.
        manage(url, "shell", "-c", (
            "from catalog.models import Definition as D; first = D.objects.order_by('pk').first();"
            "D.objects.exclude(pk=first.pk).update(rendered_html='', rendered_toc=[], rendered_sha256='');"
            "D.objects.filter(pk=first.pk).update(rendered_html='<p>viewed</p>')"
        ))  # fmt: skip
        manage(url, "migrate", "--noinput")
        rows = query("SELECT rendered_html, rendered_sha256 = sha256 FROM catalog_definition ORDER BY id")
        assert len(rows) > 3
        assert rows[0] == ("<p>viewed</p>", True)
        assert all(html.count("<h") >= 1 and same for html, same in rows[1:]), rows
