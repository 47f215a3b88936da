"""Collections are identified by their source, not by their name; definitions get a category.

``Collection.source_key`` (unique) is what an import looks a collection up by: each existing
collection gets ``dir:<its source root>`` (the real path, as the importer now computes it), or
``name:<name>`` when it has no root, or ``legacy:<pk>`` when an earlier collection already took
that key (one folder once imported with ``--collection`` and once without). No row is deleted or
moved: definitions, versions, staff edits, conflicts and problems stay as they are.

``Definition.category`` is back-filled from ``source_path`` with a frozen copy of
``catalog.core.discovery.category_of``: a migration must keep doing what it did when that
function changes.
"""

import os

from django.db import migrations, models

_KIND_FOLDERS = frozenset({"agents", "agent", "commands", "command", "skills", "skill", "prompts", "chatmodes"})
_TOOL_FOLDERS = frozenset({".claude", ".opencode", ".github", ".claude-plugin"})


def _category(relpath, kind):
    folders = relpath.split("/")[:-1]
    if kind == "skill" and relpath.rpartition("/")[2].lower() == "skill.md":
        folders = folders[:-1]
    last = max((i for i, folder in enumerate(folders) if folder in _KIND_FOLDERS), default=None)
    if last is not None:
        folders = folders[last + 1 :] or folders[:last]
    return "/".join(f for f in folders if f not in _KIND_FOLDERS and f not in _TOOL_FOLDERS)[:300]


def fill_keys(apps, schema_editor):
    Collection = apps.get_model("catalog", "Collection")
    Definition = apps.get_model("catalog", "Definition")
    taken = set()
    for collection in Collection.objects.order_by("pk"):
        if collection.source_root:
            key = f"dir:{os.path.realpath(collection.source_root)}"
        else:
            key = f"name:{collection.name}"
        if key in taken or len(key) > 1100:
            key = f"legacy:{collection.pk}"
        taken.add(key)
        Collection.objects.filter(pk=collection.pk).update(source_key=key)
    changed = []
    for definition in Definition.objects.only("pk", "kind", "source_path").iterator(chunk_size=2000):
        category = _category(definition.source_path, definition.kind)
        if category:
            definition.category = category
            changed.append(definition)
    Definition.objects.bulk_update(changed, ["category"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_partition_items")]

    operations = [
        migrations.AddField(
            model_name="collection",
            name="source_key",
            field=models.CharField(max_length=1100, null=True),
        ),
        migrations.AddField(
            model_name="collection",
            name="source_url",
            field=models.CharField(
                blank=True, help_text="The git URL it is fetched from (never with credentials).", max_length=500
            ),
        ),
        migrations.AddField(
            model_name="collection",
            name="ref",
            field=models.CharField(
                blank=True, help_text="The ref asked for; blank for the default branch.", max_length=255
            ),
        ),
        migrations.AddField(
            model_name="collection",
            name="synced_at",
            field=models.DateTimeField(blank=True, help_text="Last successful fetch of its git URL.", null=True),
        ),
        migrations.AddField(
            model_name="definition",
            name="category",
            field=models.CharField(blank=True, help_text="The folder path it sits in, in its source.", max_length=300),
        ),
        migrations.AddField(
            model_name="definition",
            name="upstream_changed_at",
            field=models.DateTimeField(blank=True, help_text="When its file last changed upstream.", null=True),
        ),
        migrations.AddField(
            model_name="definition",
            name="upstream_commit",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="definition",
            name="upstream_exact",
            field=models.BooleanField(default=True, help_text="False: a shallow clone, so this old or older."),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="collection",
            name="source_key",
            field=models.CharField(max_length=1100, unique=True),
        ),
        migrations.AddIndex(
            model_name="definition",
            index=models.Index(fields=["kind", "missing", "category"], name="catalog_def_list_category"),
        ),
        migrations.AddIndex(
            model_name="definition",
            index=models.Index(fields=["collection", "category"], name="catalog_def_category"),
        ),
    ]
