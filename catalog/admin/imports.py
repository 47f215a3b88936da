"""The admin of imports: every run with its report, and a source added by URL.

"Add a source by URL" queues an import (``catalog.services.syncing.queue_import``) that the
tasks worker (``manage.py db_worker``) runs; the run's page shows its progress while files are
read, reloading itself until the run has ended, and then the report.
"""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from ..core.sources import SourceError, redact_url
from ..forms import SourceForm
from ..models import ImportRun
from ..services import syncing
from .common import ReadOnlyMixin

# Seconds between reloads of a queued or running import's page.
RELOAD_EVERY = 3


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "started_at",
        "status",
        "progress",
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
        "progress",
        "started_at",
        "finished_at",
        "paths",
        ("found", "created", "updated", "unchanged", "skipped", "rejected", "missing"),
        "problems_link",
        "report_json",
    )
    readonly_fields = (
        "status",
        "progress",
        "started_at",
        "finished_at",
        "paths",
        *fields[5],
        "problems_link",
        "report_json",
    )
    change_list_template = "admin/catalog/importrun/change_list.html"
    change_form_template = "admin/catalog/importrun/change_form.html"

    def get_urls(self):
        add_source = self.admin_site.admin_view(self.add_source_view)
        return [path("add-source/", add_source, name="catalog_importrun_add_source"), *super().get_urls()]

    def add_source_view(self, request):
        if not self.may_add_sources(request):
            raise PermissionDenied
        form = SourceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run = syncing.queue_import(form.cleaned_data["url"], form.cleaned_data["ref"])
            except SourceError as error:
                # Shown again without any credentials the URL held.
                form = SourceForm({**request.POST.dict(), "url": redact_url(form.cleaned_data["url"])})
                form.is_valid()
                form.add_error("url", str(error))
            else:
                message = f"{run} is queued: the tasks worker imports {run.paths[0]}."
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:catalog_importrun_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Add a source by URL",
            "form": form,
        }
        return TemplateResponse(request, "admin/catalog/importrun/add_source.html", context)

    def may_add_sources(self, request):
        # Adding a source makes a collection, which the collection permissions govern.
        return request.user.has_perm("catalog.change_collection")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_add_sources": self.may_add_sources(request)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.get_object(request, object_id)
        running = run is not None and run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)
        extra_context = {**(extra_context or {}), "reload_every": RELOAD_EVERY if running else None}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Progress")
    def progress(self, obj):
        if obj.status == ImportRun.Status.QUEUED:
            return "waiting for the tasks worker"
        if not obj.progress_total:
            return "—"
        return f"{obj.progress_done:,} of {obj.progress_total:,} files read"

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
