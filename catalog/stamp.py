"""The catalog's stamp, and Django's cache keyed by it: what may be cached until the catalog changes.

Storage level, beside the models: the selectors cache whole pages' reads with it, and the
search engine caches its filter lists with it, so it may import neither.
"""

from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db.models import Subquery

from .models import DefinitionVersion, ImportRun

CACHE_SECONDS = 300


def catalog_stamp():
    """A value that changes whenever the catalog may have: an import started or finished,
    a definition was edited (edits keep a version), or staff changed anything else in the
    admin (a manual edge, a collection's slug: the admin logs every change). One small
    query; imports run in another process, so the database is the only place both can see.
    """
    latest = (
        ImportRun.objects.order_by("-pk")
        .annotate(
            edit=Subquery(DefinitionVersion.objects.order_by("-pk").values("pk")[:1]),
            admin=Subquery(LogEntry.objects.order_by("-pk").values("pk")[:1]),
        )
        .values_list("pk", "status", "edit", "admin")
        .first()
    )
    if latest is None:  # nothing imported yet: only the admin can have changed anything
        latest = ("empty", LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first())
    return "-".join(map(str, latest))


def cached(name, compute):
    """``compute()``, cached until the catalog changes (or ``CACHE_SECONDS`` pass)."""
    return cache.get_or_set(f"agentdash:{name}:{catalog_stamp()}", compute, CACHE_SECONDS)
