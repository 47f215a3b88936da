"""Full-text search over responsibilities and success metrics, in the database's own engine.

SQLite: an FTS5 table ``catalog_item_fts`` with one indexed column per field (so a scope is a
column filter inside the index) and the item's section and id as UNINDEXED columns. Its rowid
encodes the definition (``definition_id << 16 | n``), so a definition's rows are one rowid range:
``catalog.search.index_definitions`` deletes and reinserts that range, and ranking groups by
definition without reading stored columns.

PostgreSQL: a stored generated ``tsvector`` column on ``catalog_item`` with a GIN index; the
database keeps it in sync with ``text`` by itself. The model does not declare the column: only
``catalog.search`` reads it.

The SQL is repeated here rather than imported from ``catalog.search``, so this migration keeps
doing what it did when that module changes.
"""

from django.db import migrations

ITEM_SLOTS_BITS = 16

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE catalog_item_fts USING fts5(
        responsibility, metric, section UNINDEXED, item_id UNINDEXED,
        tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3'
    )
    """,
    f"""
    INSERT INTO catalog_item_fts (rowid, responsibility, metric, section, item_id)
    SELECT (definition_id << {ITEM_SLOTS_BITS}) + n,
           CASE WHEN field = 'responsibility' THEN text ELSE '' END,
           CASE WHEN field = 'metric' THEN text ELSE '' END,
           section, id
    FROM (
        SELECT id, definition_id, field, section, text,
               ROW_NUMBER() OVER (PARTITION BY definition_id ORDER BY position, id) - 1 AS n
        FROM catalog_item
    )
    WHERE n < {1 << ITEM_SLOTS_BITS}
    """,  # nosec B608
    # bandit B608 (the f-string above): its only interpolations are integer constants.
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS catalog_item_fts"]

POSTGRESQL_FORWARD = [
    """
    ALTER TABLE catalog_item ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED
    """,
    "CREATE INDEX catalog_item_search_vector ON catalog_item USING GIN (search_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_item_search_vector",
    "ALTER TABLE catalog_item DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
            elidable=False,
        ),
    ]
