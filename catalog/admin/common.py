"""What the admin's areas share: read-only rows, bounded inlines, links, exports and search.

The admin only translates between HTTP and the catalog's own functions: saves go through
``catalog.services`` (edits, conflicts, manual edges, exports), searches through
``catalog.search``, so the admin and the public pages find and write the same things.
"""

from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.http import FileResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal

from .. import search
from ..core.keys import DefinitionKey
from ..selectors import resources
from ..selectors.links import compare_url
from ..services import exporting

EDIT_REPLACEMENTS = ("edit", "merge")


class ReadOnlyMixin:
    """For rows the importer derives: staff look at them, never write them by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BoundedInlineFormSet(BaseInlineFormSet):
    """At most ``MAX_SHOWN`` rows: one file can yield thousands of derived rows, and a change
    page that lists them all grows to megabytes. The parent links to the full lists."""

    MAX_SHOWN = 100

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            self._queryset = super().get_queryset()[: self.MAX_SHOWN]
        return self._queryset


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    formset = BoundedInlineFormSet


def admin_link(obj, text=None):
    """A link to the object's admin change page, or an empty string for ``None``."""
    if obj is None:
        return ""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text or str(obj))


def version_before_edits(definition):
    """The kept version that the first of the latest run of local edits replaced, if any.

    That is the content as last imported, so comparing it with the definition shows what
    staff changed.
    """
    before = None
    for version in definition.versions.only("pk", "replaced_by"):
        if version.replaced_by not in EDIT_REPLACEMENTS:
            break
        before = version
    return before


def definition_compare_url(definition):
    """The public compare page for the most telling pair: imported vs edited, else previous vs now."""
    if definition.locally_modified:
        version = version_before_edits(definition)
    else:
        version = definition.versions.only("pk").first()
    if version is None:
        return compare_url(definition.key)
    return compare_url(version_key(definition, version), definition.key)


def version_key(definition, version):
    """The compare key of one kept version of ``definition``."""
    return str(DefinitionKey.parse(definition.key).at(version.pk))


def export_response(definitions, filename):
    """A zip download of the definitions' files, in their export layout, with the resources
    (skill files, plugin manifests) that belong with them."""
    kept = resources.for_definitions(definitions)
    stream, report = exporting.export_zip(definitions.select_related("collection"), resources=kept)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=filename, content_type="application/zip"), report


def search_terms(search_term):
    """The words and quoted phrases of an admin search, as Django's own search splits them."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            terms.append(bit)
    return terms[: search.MAX_TOKENS]


def definitions_matching_items(term):
    """Ids of definitions whose responsibilities or metrics match ``term`` in the public search."""
    try:
        # The engine ranks at most MAX_CANDIDATES items, so one page this size holds every hit.
        results = search.search(search.Criteria(query=term), per_page=search.MAX_CANDIDATES)
    except search.SearchTooExpensive:
        return []
    return [hit.definition.pk for hit in results.hits]


def extra_url(model_admin, route, view, name):
    """One more page of a model's admin (``route`` under its change list), behind its login and permissions."""
    return path(route, model_admin.admin_site.admin_view(view), name=name)


def warn_refused(model_admin, request, report):
    """One warning message per definition an export refused to write."""
    for key, reason in report.refused:
        model_admin.message_user(request, f"{key}: {reason}", messages.WARNING)
