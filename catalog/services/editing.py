"""Staff's writes: an edited definition, a settled conflict, a manual collaboration edge.

Each runs in one transaction that first waits for a running import (``importer.wait_for_imports``),
and re-derives from the file text exactly what an import would (``catalog.services.rows``):
the edited definition's tools, references, edges, items, problems and search rows.
"""

import hashlib
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .. import search
from ..core import discovery
from ..models import Conflict, Definition, Edge
from . import families, rows
from .importer import analyse_all, wait_for_imports


class InvalidEdit(ValueError):
    """The edited text cannot be read as a definition; ``problem`` says why."""

    def __init__(self, problem):
        super().__init__(problem.message)
        self.problem = problem


def save_edit(definition, text, *, replaced_by="edit"):
    """Replace a definition's content with staff's text and re-derive everything from it.

    The upstream provenance (raw bytes, hash, path) stays as imported, so a re-import of the
    same file leaves the edit alone and a changed one becomes a conflict.
    """
    planned = _planned_for(definition, text.encode("utf-8"))
    if planned.rejection:
        raise InvalidEdit(planned.rejection)
    with transaction.atomic():
        wait_for_imports()
        # An import may have committed while staff were editing: keep the provenance it wrote
        # (its content becomes the version this edit replaces).
        definition.refresh_from_db(fields=["raw", "sha256", "size", "import_run", "imported_at"])
        rows.keep_version(definition, replaced_by=replaced_by)
        raw, sha256 = bytes(definition.raw), definition.sha256
        rows.fill(definition, planned, definition.slug, definition.import_run, definition.imported_at)
        definition.raw, definition.sha256, definition.size = raw, sha256, len(raw)
        definition.source_text = text
        definition.locally_modified = True
        definition.save()
        _rederive(definition, planned)
    return definition


def resolve_conflict(conflict, how, merged_text=None):
    """Settle a conflict: keep the local version, take upstream, or save a merge."""
    definition = conflict.definition
    upstream = bytes(conflict.upstream_raw)
    with transaction.atomic():
        wait_for_imports()
        if how == Conflict.Resolution.TOOK_UPSTREAM:
            planned = _planned_for(definition, upstream)
            if planned.rejection:
                raise InvalidEdit(planned.rejection)
            rows.keep_version(definition, replaced_by="upstream")
            rows.fill(definition, planned, definition.slug, conflict.import_run, timezone.now())
            definition.locally_modified = False
            definition.save()
            _rederive(definition, planned)
        else:
            if how == Conflict.Resolution.MERGED:
                save_edit(definition, merged_text or "", replaced_by="merge")
            elif how != Conflict.Resolution.KEPT_LOCAL:
                raise ValueError(f"Unknown resolution {how!r}.")
            # The upstream file has now been seen: its next unchanged import is not a conflict.
            Definition.objects.filter(pk=definition.pk).update(
                raw=upstream, sha256=conflict.upstream_sha256, size=len(upstream)
            )
        conflict.resolution = how
        conflict.resolved_at = timezone.now()
        conflict.save()
    definition.refresh_from_db()
    return definition


def _rederive(definition, planned):
    """Everything derived from a definition's new text, as the import of that text would write it."""
    rows.replace_derived([(definition, planned)], [definition.pk], definition.collection, None, {})
    rows.resolve_catalog()
    families.refresh_families([definition.pk])
    search.index_definitions([definition.pk])


def _planned_for(definition, raw):
    """Analyse bytes as if they were the definition's file at its source path."""
    candidate = discovery.Candidate(
        path=Path(definition.source_path),
        relpath=definition.source_path,
        collection_root=Path(definition.collection.source_root or "."),
        kind=definition.kind,
        format=definition.format,
        namespace=definition.namespace,
        plugin=definition.plugin,
    )
    planned = rows.Planned(candidate=candidate, raw=raw, sha256=hashlib.sha256(raw).hexdigest())
    analyse_all([planned])
    return planned


# ---------------------------------------------------------------------------
# Manual collaboration edges
# ---------------------------------------------------------------------------

# A manual edge changes its ends' numbers of collaborators (the lists sort by them) at once.


def save_manual_edge(edge):
    """Save a staff edge (``ManualEdgeForm`` marks it manual) and recount the collaborators of
    its ends, those it had before included."""
    with transaction.atomic():
        before = Edge.objects.filter(pk=edge.pk).values_list("source_id", "target_id").first() or ()
        edge.save()
        rows.recount_collaborators({*before, edge.source_id, edge.target_id})


def delete_manual_edges(edges):
    """Delete staff edges (a queryset) and recount the collaborators of their ends."""
    with transaction.atomic():
        ends = {pk for pair in edges.values_list("source_id", "target_id") for pk in pair}
        edges.delete()
        rows.recount_collaborators(ends)
