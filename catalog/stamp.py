"""The catalog's stamp, and Django's cache keyed by it: what may be cached until the catalog changes.

Storage level, beside the models: the selectors cache whole pages' reads with it, the search
engine caches its filter lists with it, and the page cache (``catalog.views.page_cache``) keys
whole responses on it, so it may import neither.
"""

import contextvars
import hashlib

from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db.models import Subquery

from .models import DefinitionVersion, ImportRun

CACHE_SECONDS = 24 * 60 * 60  # the stamp, not the timeout, retires entries

# The stamp a request's page is cached under, set by the page cache while it builds the page,
# so the caches the page reads key on the same catalog state, and the stamp is read once.
request_stamp = contextvars.ContextVar("request_stamp", default=None)


def catalog_stamp():
    """A short value that changes whenever the catalog may have: an import started or finished,
    a definition was edited (edits keep a version), or staff changed anything else in the
    admin (a manual edge, a collection's slug: the admin logs every change).

    One small query; imports run in another process, so the database is the only place both
    can see. Each part carries its time as well as its id, because a shared cache outlives a
    database that is rebuilt and hands the same ids out again.
    """
    pinned = request_stamp.get()
    if pinned is not None:
        return pinned
    latest = (
        ImportRun.objects.order_by("-pk")
        .annotate(
            edit=Subquery(DefinitionVersion.objects.order_by("-pk").values("pk")[:1]),
            edited=Subquery(DefinitionVersion.objects.order_by("-pk").values("created_at")[:1]),
            admin=Subquery(LogEntry.objects.order_by("-pk").values("pk")[:1]),
            admin_at=Subquery(LogEntry.objects.order_by("-pk").values("action_time")[:1]),
        )
        .values_list("pk", "status", "started_at", "edit", "edited", "admin", "admin_at")
        .first()
    )
    if latest is None:  # nothing imported yet: only the admin can have changed anything
        latest = ("empty", *(LogEntry.objects.order_by("-pk").values_list("pk", "action_time").first() or ()))
    return hashlib.blake2b("|".join(map(str, latest)).encode(), digest_size=9).hexdigest()


def cached(name, compute):
    """``compute()``, cached until the catalog changes."""
    return cache.get_or_set(f"agentdash:{name}:{catalog_stamp()}", compute, CACHE_SECONDS)
