"""The admin of conflicts: upstream changes to edited definitions, compared and settled here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from ..core import parsing
from ..core.diffing import DiffSide, diff_definitions, field_text, unified_patch
from ..forms import MergeForm
from ..models import Conflict
from ..services import editing, exporting
from .common import admin_link, definition_compare_url, extra_url


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
                editing.resolve_conflict(conflict, how)
            except editing.InvalidEdit as error:
                self.message_user(request, f"{conflict.definition}: {error}", messages.ERROR)
                continue
            self.log_change(request, conflict, Conflict.Resolution(how).label)
            done += 1
        self.message_user(
            request, f"Resolved {done} conflict{'s' if done != 1 else ''}: {Conflict.Resolution(how).label.lower()}."
        )

    # -- The resolve view ------------------------------------------------------------------

    def get_urls(self):
        return [
            extra_url(self, "<path:object_id>/resolve/", self.resolve_view, "catalog_conflict_resolve"),
            *super().get_urls(),
        ]

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
                    editing.resolve_conflict(conflict, how, text)
                except editing.InvalidEdit as error:
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
            "fields": [(f.name, f.status, field_text(f.left), field_text(f.right)) for f in diff.changed_fields],
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
