"""The admin of collections and definitions: edit frontmatter and body, export files, search items."""

import io
from pathlib import PurePosixPath
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from ..core.sources import SourceError
from ..forms import DefinitionForm
from ..models import Collection, Conflict, Definition, DefinitionQuerySet, DefinitionTool, Edge, Item, Problem
from ..services import editing, exporting, syncing
from .common import (
    ReadOnlyInline,
    admin_link,
    definition_compare_url,
    definitions_matching_items,
    export_response,
    extra_url,
    search_terms,
    warn_refused,
)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "definition_count", "origin", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "origin", "description")
    readonly_fields = (
        "name",
        "slug",
        "kind",
        "source_root",
        "source_url",
        "ref",
        "commit",
        "synced_at",
        "created_at",
        "updated_at",
        "problems_link",
    )
    fields = (
        "name",
        "slug",
        "kind",
        "origin",
        "description",
        "source_root",
        "source_url",
        "ref",
        "commit",
        "synced_at",
        "problems_link",
    )
    actions = ("export_selected", "sync_selected")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(definition_count=Count("definitions"))

    def has_add_permission(self, request):
        return False  # collections come from imports

    def has_delete_permission(self, request, obj=None):
        return False  # a re-import would bring it back; missing files are marked, never deleted

    @admin.display(description="Definitions", ordering="definition_count")
    def definition_count(self, obj):
        return obj.definition_count

    @admin.display(description="Problems")
    def problems_link(self, obj):
        url = reverse("admin:catalog_problem_changelist") + f"?collection__id__exact={obj.pk}"
        return format_html('<a href="{}">{} problems</a>', url, obj.problems.count())

    @admin.action(description="Export the selected collections (zip)", permissions=["view"])
    def export_selected(self, request, queryset):
        definitions = Definition.objects.filter(collection__in=queryset)
        response, report = export_response(definitions, "agentdash-collections.zip")
        warn_refused(self, request, report)
        return response

    @admin.action(description="Sync the selected collections from their git sources", permissions=["change"])
    def sync_selected(self, request, queryset):
        """Queue one import per collection that came from a URL; the tasks worker runs them."""
        queued, skipped = [], []
        for collection in queryset.order_by("name"):
            if not collection.source_url:
                skipped.append(collection.name)
                continue
            try:
                queued.append(syncing.queue_import(collection.source_url, collection.ref or None))
            except SourceError as error:
                self.message_user(request, f"{collection.name}: {error}", messages.ERROR)
        if queued:
            runs = ", ".join(str(run) for run in queued)
            self.message_user(request, f"Queued for the tasks worker: {runs}.", messages.SUCCESS)
        if skipped:
            names = ", ".join(skipped)
            self.message_user(request, f"Not from a git URL, so not synced: {names}.", messages.WARNING)


class OpenConflictFilter(admin.SimpleListFilter):
    title = "conflict"
    parameter_name = "conflict"

    def lookups(self, request, model_admin):
        return (("open", "Open conflict"), ("none", "No open conflict"))

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(has_open_conflict=True)
        if self.value() == "none":
            return queryset.filter(has_open_conflict=False)
        return queryset


class DefinitionToolInline(ReadOnlyInline):
    model = DefinitionTool
    fields = ("tool", "raw", "pattern", "legacy", "enabled")
    verbose_name_plural = "Tools (from the frontmatter)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("tool")


class EdgeInline(ReadOnlyInline):
    model = Edge
    fk_name = "source"
    fields = ("kind", "target_name", "target", "manual", "line", "evidence")
    verbose_name_plural = "Collaborations (from the body, and manual ones)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target__collection")


class ItemInline(ReadOnlyInline):
    model = Item
    fields = ("field", "section", "text", "line")
    verbose_name_plural = "Responsibilities and success metrics"


class ProblemInline(ReadOnlyInline):
    model = Problem
    fields = ("severity", "code", "line", "message")
    verbose_name_plural = "Problems"


class DefinitionChangeList(ChangeList):
    """The list never shows the large text columns, so it never loads them."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer(*DefinitionQuerySet.HEAVY_FIELDS)


# Shown as imported: an edit keeps them, so a re-import can tell upstream changes apart.
PROVENANCE_FIELDS = (
    "source_path",
    "sha256",
    "size",
    "import_run_link",
    "imported_at",
    "locally_modified",
    "missing",
    "lenient",
    "problem_count",
    "collaborator_count",
    "derived_rows",
)


@admin.register(Definition)
class DefinitionAdmin(admin.ModelAdmin):
    form = DefinitionForm
    list_display = ("name", "kind", "collection", "model", "problems", "edited", "conflict_badge", "public_links")
    list_filter = ("kind", "format", OpenConflictFilter, "locally_modified", "missing", "lenient", "collection")
    list_select_related = ("collection",)
    # get_search_results decides; these are what it matches besides the items.
    search_fields = ("name", "slug", "description")
    search_help_text = (
        "Each word must match the name, slug or description, or a responsibility or success metric "
        "as the public search finds it. Quote a phrase to keep it together."
    )
    actions = ("export_selected",)
    inlines = (DefinitionToolInline, EdgeInline, ItemInline, ProblemInline)
    readonly_fields = (
        "conflict_status",
        "name",
        "kind",
        "format",
        "collection_link",
        "slug",
        "description",
        "links",
        *PROVENANCE_FIELDS,
    )
    fieldsets = (
        (None, {"fields": ("conflict_status", "name", "kind", "format", "collection_link", "slug", "links")}),
        ("Content", {"fields": ("frontmatter_yaml", "body")}),
        (
            "Provenance",
            {
                "fields": PROVENANCE_FIELDS,
                "description": "As imported. An edit keeps these, so a re-import can tell upstream changes apart.",
            },
        ),
    )

    def get_queryset(self, request):
        open_conflicts = Conflict.objects.open().filter(definition=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .select_related("collection")
            .annotate(has_open_conflict=Exists(open_conflicts))
        )

    def get_changelist(self, request, **kwargs):
        return DefinitionChangeList

    def get_search_results(self, request, queryset, search_term):
        """Every term must match: name, slug or description contain it, or its items match it."""
        for term in search_terms(search_term):
            matches = Q(name__icontains=term) | Q(slug__icontains=term) | Q(description__icontains=term)
            ids = definitions_matching_items(term)
            if ids:
                matches |= Q(pk__in=ids)
            queryset = queryset.filter(matches)
        return queryset, False

    def has_add_permission(self, request):
        return False  # definitions come from imports

    def has_delete_permission(self, request, obj=None):
        return False  # a vanished file is marked missing; deleting would only last until the next import

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that finds the catalog still locked by an import (SQLite gives up after its busy
        timeout) wrote nothing: say so on the change page instead of an error page."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            message = "An import is writing to the catalog, so nothing was saved. Save again when it has finished."
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        """Save through the editing service, which re-derives everything in this same transaction."""
        if form.content_changed:
            editing.save_edit(obj, form.edited_text)

    def construct_change_message(self, request, form, formsets, add=False):
        if not form.content_changed:
            return []
        return [{"changed": {"fields": ["frontmatter and body (re-derived)"]}}]

    def get_urls(self):
        return [
            extra_url(self, "<path:object_id>/export/", self.export_view, "catalog_definition_export"),
            *super().get_urls(),
        ]

    def export_view(self, request, object_id):
        """Download one definition's file, as ``export_agents`` would write it."""
        definition = get_object_or_404(Definition.objects.select_related("collection"), pk=object_id)
        if not self.has_view_permission(request, definition):
            raise PermissionDenied
        data = exporting.definition_bytes(definition)
        filename = PurePosixPath(definition.source_path).name or f"{definition.slug}.md"
        return FileResponse(
            io.BytesIO(data), as_attachment=True, filename=filename, content_type="text/markdown; charset=utf-8"
        )

    @admin.action(description="Export the selected definitions (zip)", permissions=["view"])
    def export_selected(self, request, queryset):
        response, report = export_response(queryset, "agentdash-definitions.zip")
        warn_refused(self, request, report)
        return response

    # -- Columns and read-only fields ----------------------------------------------------

    @admin.display(description="Problems", ordering="problem_count")
    def problems(self, obj):
        return obj.problem_count

    @admin.display(description="Edited", boolean=True, ordering="locally_modified")
    def edited(self, obj):
        return obj.locally_modified

    @admin.display(description="Conflict", boolean=True, ordering="has_open_conflict")
    def conflict_badge(self, obj):
        return obj.has_open_conflict

    @admin.display(description="Public")
    def public_links(self, obj):
        return format_html('<a href="{}">page</a>', obj.get_absolute_url())

    @admin.display(description="Conflict")
    def conflict_status(self, obj):
        conflict = obj.conflicts.open().first()
        if conflict is None:
            return "None open."
        url = reverse("admin:catalog_conflict_resolve", args=[conflict.pk])
        return format_html(
            "<strong>The upstream file changed on {} while this definition had local edits.</strong> "
            '<a href="{}">Compare and resolve</a>',
            timezone.localtime(conflict.detected_at).strftime("%Y-%m-%d %H:%M"),
            url,
        )

    @admin.display(description="Collection")
    def collection_link(self, obj):
        return admin_link(obj.collection)

    @admin.display(description="Import run")
    def import_run_link(self, obj):
        return admin_link(obj.import_run)

    @admin.display(description="Links")
    def links(self, obj):
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (obj.get_absolute_url(), "public page"),
                (definition_compare_url(obj), "compare"),
                (reverse("admin:catalog_definition_export", args=[obj.pk]), "download file"),
            ),
        )


    @admin.display(description="Derived rows")
    def derived_rows(self, obj):
        """How many rows each inline below comes from, each linking to all of them: the inlines
        show the first ``BoundedInlineFormSet.MAX_SHOWN``."""
        rows = (
            (DefinitionTool, "definition", "tools"),
            (Edge, "source", "collaborations"),
            (Item, "definition", "responsibilities and metrics"),
            (Problem, "definition", "problems"),
        )
        return format_html_join(
            " · ",
            '<a href="{}?{}">{} {}</a>',
            (
                (
                    reverse(f"admin:catalog_{model._meta.model_name}_changelist"),
                    urlencode({f"{fk}__id__exact": obj.pk}),
                    f"{model.objects.filter(**{fk: obj}).count():,}",
                    label,
                )
                for model, fk, label in rows
            ),
        )
