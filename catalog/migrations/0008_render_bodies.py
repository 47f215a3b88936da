"""Render every definition imported before bodies were rendered at import.

Until this migration the detail page rendered a body on its first view and stored the
result; now the importer stores it, and no request renders. Rows that no page had viewed yet
hold an empty ``rendered_sha256``: they are rendered here, so no definition shows an empty
body because it was imported before the change. Going back leaves the stored HTML in place
(the old code reads it as its cache).
"""

import hashlib

from django.db import migrations

CHUNK = 200


def render_bodies(apps, schema_editor):
    # The current renderer, not a frozen copy: the HTML must be what an import stores today.
    from catalog.core.analysis import render_body, toc_rows

    Definition = apps.get_model("catalog", "Definition")
    keys = list(Definition.objects.filter(rendered_sha256="").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(keys), CHUNK):
        rows = Definition.objects.filter(pk__in=keys[start : start + CHUNK]).only(
            "pk", "body", "sha256", "source_text", "locally_modified"
        )
        for row in rows:
            rendered = render_body(row.body)
            # An edit's body came from staff's text, not from the upstream file the hash names.
            sha = hashlib.sha256(row.source_text.encode()).hexdigest() if row.locally_modified else row.sha256
            Definition.objects.filter(pk=row.pk).update(
                rendered_html=rendered.html, rendered_toc=toc_rows(rendered.toc), rendered_sha256=sha
            )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_collection_sources")]

    operations = [migrations.RunPython(render_bodies, migrations.RunPython.noop, elidable=True)]
