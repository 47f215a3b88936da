"""The admin of families: read-only, since every import and staff edit recomputes them
(``catalog.services.families``); each row links to its public family page."""

from django.contrib import admin
from django.utils.html import format_html

from ..models import Family, FamilyMember
from .common import ReadOnlyMixin


@admin.register(Family)
class FamilyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("key", "name", "kind", "size", "versions", "collections", "similarity", "page")
    list_filter = ("kind",)
    search_fields = ("key", "name")

    @admin.display(description="Page")
    def page(self, obj):
        return format_html('<a href="{}">family page</a>', obj.get_absolute_url())


@admin.register(FamilyMember)
class FamilyMemberAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("key", "family", "collection", "score", "copy_of", "position")
    list_filter = ("kind",)
    list_select_related = ("family", "copy_of")
    search_fields = ("key", "name", "collection", "family__key")
    exclude = ("signature",)
