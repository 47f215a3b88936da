"""The home page: what the catalog holds, where it came from, and names worth comparing."""

from django.db.models import Count
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .. import selectors
from ..models import Definition, ImportRun
from .common import respond

RECENT_IMPORTS = 5


@require_GET
@vary_on_headers("HX-Request")
def overview(request):
    """Counts by kind, format and collection (each a link to the filtered list), recent imports."""
    # Every number here scans the catalog, and all of them only change with it.
    context = selectors.cached("overview", _overview)

    def as_json():
        return {
            "counts": context["by_kind"],
            "formats": context["by_format"],
            "definitions_with_problems": context["problem_count"],
            "collections": [
                {
                    "slug": c.slug,
                    "url": c.get_absolute_url(),
                    "name": c.name,
                    "agents": c.agents,
                    "commands": c.commands,
                    "skills": c.skills,
                }
                for c in context["collections"]
            ],
            "imports": [
                {
                    "id": run.pk,
                    "status": run.status,
                    "started_at": run.started_at.isoformat(),
                    "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                    "found": run.found,
                    "created": run.created,
                    "updated": run.updated,
                    "unchanged": run.unchanged,
                    "rejected": run.rejected,
                    "missing": run.missing,
                }
                for run in context["imports"]
            ],
            "shared_names": [
                {
                    "kind": shared.kind,
                    "slug": shared.slug,
                    "definitions": [{"key": d.key, "url": d.get_absolute_url()} for d in shared.definitions],
                }
                for shared in context["shared_names"]
            ],
        }

    return respond(request, "catalog/overview.html", context, fragment="content", json_data=as_json)


def _overview():
    present = Definition.objects.present()
    by_kind = dict(present.order_by("kind").values_list("kind").annotate(n=Count("pk")))
    by_format = {}
    for kind, fmt, n in present.order_by("kind", "format").values_list("kind", "format").annotate(n=Count("pk")):
        by_format.setdefault(fmt, {})[kind] = n
    kinds = Definition.Kind.choices
    return {
        "by_kind": {value: by_kind.get(value, 0) for value, _ in kinds},
        "by_format": by_format,
        "kinds": [(value, f"{label}s", by_kind.get(value, 0), f"catalog:{value}_list") for value, label in kinds],
        # Each cell links to that kind's list filtered by the format.
        "formats": [
            (
                label,
                [
                    (by_format[value].get(kind, 0), f"{reverse(f'catalog:{kind}_list')}?file_format={value}")
                    for kind, _ in kinds
                ],
            )
            for value, label in Definition.Format.choices
            if value in by_format
        ],
        "kind_choices": kinds,
        "collections": list(selectors.collection_list()),
        "imports": list(ImportRun.objects.all()[:RECENT_IMPORTS]),
        "shared_names": selectors.shared_names(),
        "problem_count": present.with_problems().count(),
    }
