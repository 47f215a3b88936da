"""The admin of what imports derive: tools, edges (staff's manual ones editable), problems,
items, references, kept versions and kept resources (skill files, manifests).
Derived rows are read-only: the next import would undo a hand-made change; manual edges are
the one exception, which is what their ``manual`` flag is for.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from ..forms import ManualEdgeForm
from ..models import DefinitionTool, DefinitionVersion, Edge, Item, Problem, Reference, Resource, Tool
from ..selectors.links import compare_url
from ..services import editing
from .common import ReadOnlyMixin, version_key


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

    # Saved and deleted through the editing service, which recounts both ends' collaborators.

    def save_model(self, request, obj, form, change):
        editing.save_manual_edge(obj)

    def delete_model(self, request, obj):
        editing.delete_manual_edges(Edge.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        editing.delete_manual_edges(queryset)


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
        url = compare_url(version_key(obj.definition, obj), obj.definition.key)
        return format_html('<a href="{}">with the current content</a>', url)


@admin.register(Resource)
class ResourceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("path", "kind", "size", "missing", "collection", "imported_at")
    list_filter = ("kind", "missing", "collection")
    list_select_related = ("collection",)
    search_fields = ("path", "collection__name")
    exclude = ("raw",)
