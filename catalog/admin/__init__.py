"""The admin: browse every catalog model, edit definitions, settle conflicts, export files.

One module per area: ``definitions`` (collections and definitions, edited as frontmatter and
body), ``conflicts`` (upstream changes to edited definitions, and the view that settles
them), ``imports`` (import runs with their reports, and a source added by URL, which the tasks
worker imports), ``derived`` (what imports derive, read-only but for manual edges) and
``families`` (read-only, recomputed by every import); ``common`` holds what they share.
Importing them registers their ``ModelAdmin`` classes.
"""

from django.contrib import admin

from . import conflicts, definitions, derived, families, imports  # noqa: F401 - importing them registers the model admins

admin.site.site_header = "AgentDash administration"
admin.site.site_title = "AgentDash admin"
admin.site.index_title = "Catalog"
