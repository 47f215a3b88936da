"""The admin: browse every catalog model, edit definitions, settle conflicts, export files.

The admin only translates between HTTP and the catalog's own functions. An edit is saved by
``importer.save_edit``, a conflict settled by ``importer.resolve_conflict`` and an export
written by ``catalog.exporting``; searching definitions reuses ``catalog.search`` so the
admin and the public search page find the same things. Rows the importer derives (tools,
items, references, problems, import runs, versions) are read-only here: changing them by
hand would be undone by the next import. Manual collaboration edges are the one exception,
which is what their ``manual`` flag is for.
"""

import io
import json
from pathlib import PurePosixPath
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.db.models import Count, Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal

from . import exporting, importer, search
from .core import parsing
from .core.diffing import DiffSide, diff_definitions, unified_patch
from .forms import DefinitionForm, ManualEdgeForm, MergeForm
from .models import (
    Collection,
    Conflict,
    Definition,
    DefinitionQuerySet,
    DefinitionTool,
    DefinitionVersion,
    Edge,
    ImportRun,
    Item,
    Problem,
    Reference,
    Tool,
)

admin.site.site_header = "AgentDash administration"
admin.site.site_title = "AgentDash admin"
admin.site.index_title = "Catalog"

EDIT_REPLACEMENTS = ("edit", "merge")


# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------


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


def compare_url(left, right):
    return f"{reverse('catalog:compare')}?{urlencode({'left': left, 'right': right})}"


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
        return f"{reverse('catalog:compare')}?{urlencode({'left': definition.key})}"
    return compare_url(f"{definition.key}@{version.pk}", definition.key)


def export_response(definitions, filename):
    """A zip download of the definitions' files, in their export layout."""
    stream, report = exporting.export_zip(definitions.select_related("collection"))
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


# ---------------------------------------------------------------------------
# Collections, tools
# ---------------------------------------------------------------------------


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "definition_count", "origin", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "origin", "description")
    readonly_fields = ("name", "slug", "kind", "source_root", "commit", "created_at", "updated_at", "problems_link")
    fields = ("name", "slug", "kind", "origin", "description", "source_root", "commit", "problems_link")
    actions = ("export_selected",)

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
        _warn_refused(self, request, report)
        return response


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "server", "usage")
    list_filter = ("kind",)
    search_fields = ("name", "server")
    readonly_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(usage=Count("definition_links__definition", distinct=True))

    def has_add_permission(self, request):
        return False  # tools are created by the importer under their canonical names

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Used by", ordering="usage")
    def usage(self, obj):
        return obj.usage


# ---------------------------------------------------------------------------
# Definitions
# ---------------------------------------------------------------------------


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
    fieldsets = (
        (None, {"fields": ("conflict_status", "name", "kind", "format", "collection_link", "slug", "links")}),
        ("Content", {"fields": ("frontmatter_yaml", "body")}),
        (
            "Provenance",
            {
                "fields": (
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
                ),
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
        """Save through the importer, which re-derives everything in this same transaction."""
        if form.content_changed:
            importer.save_edit(obj, form.edited_text)

    def construct_change_message(self, request, form, formsets, add=False):
        if not form.content_changed:
            return []
        return [{"changed": {"fields": ["frontmatter and body (re-derived)"]}}]

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="catalog_definition_export",
            ),
        ]
        return urls + super().get_urls()

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
        _warn_refused(self, request, report)
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


def _warn_refused(model_admin, request, report):
    for key, reason in report.refused:
        model_admin.message_user(request, f"{key}: {reason}", messages.WARNING)


# ---------------------------------------------------------------------------
# Collaboration edges
# ---------------------------------------------------------------------------


class DanglingFilter(admin.SimpleListFilter):
    title = "target"
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return (("yes", "In the catalog"), ("no", "Not in the catalog"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(target=None)
        if self.value() == "no":
            return queryset.filter(target=None)
        return queryset


@admin.register(Edge)
class EdgeAdmin(admin.ModelAdmin):
    """Extracted edges are read-only (the next edit or import rebuilds them); manual ones are staff's."""

    form = ManualEdgeForm
    list_display = ("source", "kind", "target_name", "target", "manual", "line")
    list_filter = ("kind", "manual", DanglingFilter)
    list_select_related = ("source__collection", "target__collection")
    search_fields = ("source__name", "source__slug", "target_name", "evidence")
    autocomplete_fields = ("source", "target")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.manual)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and obj is not None and obj.manual

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.manual:
            return ("source", "kind", "target_name", "target", "manual", "line", "evidence")
        return super().get_fields(request, obj)

    # A manual edge changes its ends' numbers of collaborators (the lists sort by them) at once.

    def save_model(self, request, obj, form, change):
        before = Edge.objects.filter(pk=obj.pk).values_list("source_id", "target_id").first() or ()
        super().save_model(request, obj, form, change)
        importer.recount_collaborators({*before, obj.source_id, obj.target_id})

    def delete_model(self, request, obj):
        ends = {obj.source_id, obj.target_id}
        super().delete_model(request, obj)
        importer.recount_collaborators(ends)

    def delete_queryset(self, request, queryset):
        ends = {pk for pair in queryset.values_list("source_id", "target_id") for pk in pair}
        super().delete_queryset(request, queryset)
        importer.recount_collaborators(ends)


# ---------------------------------------------------------------------------
# Import runs, problems and what the importer derives
# ---------------------------------------------------------------------------


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "started_at",
        "status",
        "found",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "rejected",
        "missing",
        "conflicts",
    )
    list_filter = ("status",)
    search_fields = ("paths",)
    date_hierarchy = "started_at"
    fields = (
        "status",
        "started_at",
        "finished_at",
        "paths",
        ("found", "created", "updated", "unchanged", "skipped", "rejected", "missing"),
        "problems_link",
        "report_json",
    )
    readonly_fields = ("status", "started_at", "finished_at", "paths", *fields[4], "problems_link", "report_json")

    @admin.display(description="Conflicts")
    def conflicts(self, obj):
        return obj.report.get("conflicts", 0) if isinstance(obj.report, dict) else 0

    @admin.display(description="Problems")
    def problems_link(self, obj):
        url = reverse("admin:catalog_problem_changelist") + f"?import_run__id__exact={obj.pk}"
        return format_html('<a href="{}">{} problems</a>', url, obj.problems.count())

    @admin.display(description="Report")
    def report_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.report, indent=2, ensure_ascii=False))


@admin.register(Problem)
class ProblemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("path", "line", "severity", "code", "message", "definition", "collection")
    list_filter = ("severity", "code", "collection")
    list_select_related = ("definition__collection", "collection")
    search_fields = ("path", "code", "message", "definition__name")


@admin.register(Item)
class ItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("text", "field", "section", "definition")
    list_filter = ("field",)
    list_select_related = ("definition__collection",)
    search_fields = ("text", "section", "definition__name")


@admin.register(DefinitionTool)
class DefinitionToolAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("raw", "tool", "pattern", "legacy", "enabled", "definition")
    list_filter = ("enabled", "tool__kind")
    list_select_related = ("tool", "definition__collection")
    search_fields = ("raw", "tool__name", "definition__name")


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "definition", "target")
    list_filter = ("kind",)
    list_select_related = ("definition__collection", "target__collection")
    search_fields = ("name", "definition__name")


@admin.register(DefinitionVersion)
class DefinitionVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("definition", "created_at", "replaced_by", "short_sha", "compare_link")
    list_filter = ("replaced_by",)
    list_select_related = ("definition__collection",)
    search_fields = ("definition__name", "definition__slug", "sha256")
    exclude = ("raw",)

    @admin.display(description="SHA-256")
    def short_sha(self, obj):
        return obj.sha256[:12]

    @admin.display(description="Compare")
    def compare_link(self, obj):
        key = obj.definition.key
        return format_html('<a href="{}">with the current content</a>', compare_url(f"{key}@{obj.pk}", key))


# ---------------------------------------------------------------------------
# Conflicts
# ---------------------------------------------------------------------------


class ConflictStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("open", "Open"), ("resolved", "Resolved"))

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() == "resolved":
            return queryset.exclude(resolved_at=None)
        return queryset


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    """Upstream changes to edited definitions; settled in the resolve view, never edited as rows."""

    list_display = ("definition", "detected_at", "state", "resolution", "import_run", "resolve_link")
    list_filter = (ConflictStateFilter, "resolution")
    list_select_related = ("definition__collection", "import_run")
    search_fields = ("definition__name", "definition__slug", "definition__collection__name")
    fields = (
        "definition_link",
        "detected_at",
        "import_run",
        "upstream_sha256",
        "resolved_at",
        "resolution",
        "resolve_link",
    )
    readonly_fields = fields
    actions = ("keep_local", "take_upstream")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field is read-only: resolving happens in the resolve view, so no save buttons.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="State")
    def state(self, obj):
        return "open" if obj.resolved_at is None else "resolved"

    @admin.display(description="Definition")
    def definition_link(self, obj):
        return admin_link(obj.definition)

    @admin.display(description="Resolve")
    def resolve_link(self, obj):
        if obj.resolved_at is not None:
            return "—"
        return format_html(
            '<a href="{}">Compare and resolve</a>', reverse("admin:catalog_conflict_resolve", args=[obj.pk])
        )

    # -- Actions: the two resolutions that need no text ------------------------------------

    @admin.action(description="Keep the local versions", permissions=["change"])
    def keep_local(self, request, queryset):
        self._resolve_all(request, queryset, Conflict.Resolution.KEPT_LOCAL)

    @admin.action(description="Take the upstream versions", permissions=["change"])
    def take_upstream(self, request, queryset):
        self._resolve_all(request, queryset, Conflict.Resolution.TOOK_UPSTREAM)

    def _resolve_all(self, request, queryset, how):
        done = 0
        for conflict in queryset.open().select_related("definition__collection"):
            try:
                importer.resolve_conflict(conflict, how)
            except importer.InvalidEdit as error:
                self.message_user(request, f"{conflict.definition}: {error}", messages.ERROR)
                continue
            self.log_change(request, conflict, Conflict.Resolution(how).label)
            done += 1
        self.message_user(
            request, f"Resolved {done} conflict{'s' if done != 1 else ''}: {Conflict.Resolution(how).label.lower()}."
        )

    # -- The resolve view ------------------------------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/resolve/",
                self.admin_site.admin_view(self.resolve_view),
                name="catalog_conflict_resolve",
            ),
        ]
        return urls + super().get_urls()

    def resolve_view(self, request, object_id):
        """The local and upstream versions side by side, and three ways to settle them (POSTs)."""
        conflict = get_object_or_404(Conflict.objects.select_related("definition__collection"), pk=object_id)
        if not self.has_change_permission(request, conflict):
            raise PermissionDenied
        definition = conflict.definition
        change_url = reverse("admin:catalog_definition_change", args=[definition.pk])
        if conflict.resolved_at is not None:
            self.message_user(request, "This conflict is already resolved.", messages.INFO)
            return HttpResponseRedirect(change_url)

        merge_form = MergeForm(definition=definition, initial={"text": _local_text(definition)})
        if request.method == "POST":
            how = request.POST.get("how", "")
            if how == Conflict.Resolution.MERGED:
                merge_form = MergeForm(request.POST, definition=definition)
            if how in (Conflict.Resolution.KEPT_LOCAL, Conflict.Resolution.TOOK_UPSTREAM) or (
                how == Conflict.Resolution.MERGED and merge_form.is_valid()
            ):
                text = merge_form.cleaned_data["text"] if how == Conflict.Resolution.MERGED else None
                try:
                    importer.resolve_conflict(conflict, how, text)
                except importer.InvalidEdit as error:
                    self.message_user(request, f"Not resolved: {error}", messages.ERROR)
                else:
                    label = Conflict.Resolution(how).label
                    self.log_change(request, conflict, label)
                    self.message_user(request, f"Conflict resolved: {label.lower()}.", messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
            elif how != Conflict.Resolution.MERGED:
                self.message_user(request, "Choose one of the three resolutions.", messages.ERROR)

        local, upstream = _conflict_sides(conflict)
        diff = diff_definitions(local, upstream)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Resolve the conflict on {definition.name}",
            "conflict": conflict,
            "definition": definition,
            "change_url": change_url,
            "diff": diff,
            "fields": [(f.name, f.status, _value_text(f.left), _value_text(f.right)) for f in diff.changed_fields],
            "changed_sets": [s for s in diff.sets if s.changed],
            "sections": [s for s in diff.sections if s.status != "same"],
            "patch": unified_patch(
                local, upstream, f"local/{definition.source_path}", f"upstream/{definition.source_path}"
            ),
            "merge_form": merge_form,
            "compare_url": definition_compare_url(definition),
            "public_url": definition.get_absolute_url(),
            "Resolution": Conflict.Resolution,
        }
        return TemplateResponse(request, "admin/catalog/conflict/resolve.html", context)


def _value_text(value):
    """A frontmatter value as one would read it: text as is, anything else as JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _local_text(definition):
    """The local version as an edit saves it: strict frontmatter, then the body."""
    return exporting.file_text(exporting.frontmatter_of(definition), definition.body)


def _conflict_sides(conflict):
    """``DiffSide`` values for the local (edited) content and the upstream file."""
    definition = conflict.definition
    local = DiffSide(
        label="local",
        frontmatter=exporting.frontmatter_of(definition),
        body=definition.body,
        raw=definition.source_text,
        tools=frozenset(definition.tool_links.values_list("tool__name", flat=True)),
    )
    raw = bytes(conflict.upstream_raw)
    try:
        parsed = parsing.parse_definition(
            raw, definition.source_path, definition.kind, definition.format, definition.namespace
        )
    except parsing.Rejected:
        text, _ = parsing.decode(raw)
        return local, DiffSide(label="upstream", frontmatter={}, body=text, raw=text)
    upstream = DiffSide(
        label="upstream",
        frontmatter=parsed.frontmatter,
        body=parsed.body,
        raw=parsed.text,
        tools=frozenset(ref.name for ref in parsed.tools),
    )
    return local, upstream
