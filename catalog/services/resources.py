"""Writing a collection's resources (``catalog.core.resources``): skill files and plugin manifests.

Called by the importer inside its transaction. Like definitions, a resource that disappears
upstream is marked missing, never deleted, and an unchanged one is not written again.
"""

from django.utils import timezone

from ..models import Resource


def store(collection, found, *, complete):
    """Write the resources ``found`` (``ReadResource``s) in ``collection``: new ones created, changed
    ones replaced; when the whole collection was walked (``complete``), unseen ones are marked missing."""
    existing = {r.path: r for r in collection.resources.defer("raw")}
    now = timezone.now()
    new = []
    for item in found:
        current = existing.get(item.relpath)
        fields = {"kind": item.kind, "raw": item.raw, "sha256": item.sha256, "size": len(item.raw)}
        if current is None:
            new.append(Resource(collection=collection, path=item.relpath, imported_at=now, **fields))
        elif current.sha256 != item.sha256 or current.missing or current.kind != item.kind:
            Resource.objects.filter(pk=current.pk).update(missing=False, imported_at=now, **fields)
    Resource.objects.bulk_create(new, batch_size=200)
    if complete:
        seen = {item.relpath for item in found}
        gone = [r.pk for path, r in existing.items() if path not in seen and not r.missing]
        Resource.objects.filter(pk__in=gone).update(missing=True)
