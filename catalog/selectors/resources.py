"""Reads of the resources kept with definitions (skill files, plugin and marketplace manifests),
for exports: which ones go with a selection is decided by ``catalog.core.resources.belongs_with``."""

from ..core.resources import belongs_with
from ..models import Resource


def for_definitions(definitions):
    """The present resources that belong with ``definitions`` (a queryset): every manifest of their
    collections and the files of their skills' folders, with their collections. Two queries
    plus the definitions' small columns: which ones from the paths first, then only their bytes."""
    rows = list(definitions.order_by().values_list("collection_id", "kind", "source_path"))
    collections = {collection for collection, _, _ in rows}
    if not collections:
        return []
    candidates = Resource.objects.filter(collection_id__in=collections, missing=False).values_list(
        "pk", "collection_id", "path", "kind"
    )
    wanted = belongs_with(rows, candidates)
    if not wanted:
        return []
    return list(Resource.objects.filter(pk__in=wanted).select_related("collection").order_by("collection_id", "path"))
