"""Quick find: indexes that answer "definitions called …" in a few index probes at 100k rows.

Both databases get an index on the case-folded name and one on the case-folded slug, in
code point order, so a prefix is one index range read in order and stopped at its LIMIT
(SQLite: ``lower(x)``, BINARY collation; PostgreSQL: ``lower(x) COLLATE "C"``, where a
locale's order would not keep a prefix's matches together).

Words anywhere in the name, slug or description need a word index:

* SQLite: the external-content FTS5 table ``catalog_definition_qf`` over
  ``catalog_definition``, kept in sync by triggers, so no writer has to know about it.
* PostgreSQL: a stored generated ``tsvector`` column ``quick_vector`` (``simple`` configuration:
  no stemming, names are not English) with a GIN index. Stored, because the planner often reads
  a common prefix's matches by walking the table up to its LIMIT, and computing the vector per
  row there cost 20 µs a row. The model does not declare the column: only ``catalog.selectors.finding``
  reads it. (A later migration that changes the type of name, slug or description must drop and
  re-add it.)

The SQL is written out here rather than imported from ``catalog.selectors.finding``, so this migration
keeps doing what it did when that module changes.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE INDEX catalog_def_qf_name ON catalog_definition (lower(name))",
    "CREATE INDEX catalog_def_qf_slug ON catalog_definition (lower(slug))",
    """
    CREATE VIRTUAL TABLE catalog_definition_qf USING fts5(
        name, slug, description,
        content = 'catalog_definition', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    )
    """,
    """
    CREATE TRIGGER catalog_definition_qf_insert AFTER INSERT ON catalog_definition BEGIN
        INSERT INTO catalog_definition_qf (rowid, name, slug, description)
        VALUES (new.id, new.name, new.slug, new.description);
    END
    """,
    """
    CREATE TRIGGER catalog_definition_qf_delete AFTER DELETE ON catalog_definition BEGIN
        INSERT INTO catalog_definition_qf (catalog_definition_qf, rowid, name, slug, description)
        VALUES ('delete', old.id, old.name, old.slug, old.description);
    END
    """,
    """
    CREATE TRIGGER catalog_definition_qf_update AFTER UPDATE OF name, slug, description ON catalog_definition BEGIN
        INSERT INTO catalog_definition_qf (catalog_definition_qf, rowid, name, slug, description)
        VALUES ('delete', old.id, old.name, old.slug, old.description);
        INSERT INTO catalog_definition_qf (rowid, name, slug, description)
        VALUES (new.id, new.name, new.slug, new.description);
    END
    """,
    "INSERT INTO catalog_definition_qf (catalog_definition_qf) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_definition_qf_update",
    "DROP TRIGGER IF EXISTS catalog_definition_qf_delete",
    "DROP TRIGGER IF EXISTS catalog_definition_qf_insert",
    "DROP TABLE IF EXISTS catalog_definition_qf",
    "DROP INDEX IF EXISTS catalog_def_qf_slug",
    "DROP INDEX IF EXISTS catalog_def_qf_name",
]

POSTGRESQL_FORWARD = [
    'CREATE INDEX catalog_def_qf_name ON catalog_definition ((lower(name) COLLATE "C"))',
    'CREATE INDEX catalog_def_qf_slug ON catalog_definition ((lower(slug) COLLATE "C"))',
    """
    ALTER TABLE catalog_definition ADD COLUMN quick_vector tsvector GENERATED ALWAYS AS
        (to_tsvector('simple'::regconfig, name || ' ' || slug || ' ' || description)) STORED
    """,
    "CREATE INDEX catalog_def_qf_words ON catalog_definition USING GIN (quick_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_def_qf_words",
    "ALTER TABLE catalog_definition DROP COLUMN IF EXISTS quick_vector",
    "DROP INDEX IF EXISTS catalog_def_qf_slug",
    "DROP INDEX IF EXISTS catalog_def_qf_name",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_render_bodies"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
            elidable=False,
        ),
    ]
