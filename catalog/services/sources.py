"""Importing from git URLs and keeping those collections in sync.

``import_sources`` takes what ``import_agents`` takes (git URLs and paths): it checks every
argument and fetches every URL into its checkout under ``AGENTDASH_SOURCES_DIR`` *before*
anything is written, so a bad path, a bad URL or a failed fetch raises ``SourceError`` (one line,
the URL redacted) and leaves the catalog as it was. Then the checkouts and paths are imported in
one import transaction (``services.importer``), each checkout as one collection keyed by its
repository, dated file by file from one ``git log``.

``sync_collections`` does that again for every collection that came from a URL, each in its own
import, so one unreachable repository does not hold the others back.

Credentials typed into a URL are used for the fetch only: nothing here stores, prints or logs
anything but ``GitSource.url``.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ..core import sources as git
from ..models import Collection, ImportRun
from . import importer

__all__ = ["SourceError", "SyncResult", "import_sources", "sync_collections"]

SourceError = git.SourceError


@dataclass
class SyncResult:
    """One collection's sync: its run and report, or the one-line error that stopped it."""

    collection: str
    url: str
    run: object = None
    report: importer.ImportReport | None = None
    error: str = ""


def import_sources(sources, *, ref=None, collection_name=None, shallow=False, progress=None, run=None):
    """Import git URLs and paths; return ``(ImportRun, ImportReport)``.

    ``ref`` applies to the one URL given; ``collection_name`` (paths only) puts everything into
    one collection. ``run`` is an ``ImportRun`` recorded beforehand (one queued from the admin).
    Raises ``SourceError`` before any write when an argument is wrong or a fetch fails.
    """
    urls, paths = _split(sources, ref, collection_name)
    checkouts = [(source, _fetch(source, shallow)) for source in urls]
    origins = {checkout.path: _origin(source, checkout) for source, checkout in checkouts}
    run, report = importer.import_paths(
        [*paths, *origins], collection_name=collection_name, progress=progress, origins=origins, run=run
    )
    report.sources = [
        {"url": source.url, "ref": source.ref, "commit": checkout.commit, "previous": checkout.previous}
        for source, checkout in checkouts
    ]
    if report.sources:
        # The run keeps the commits too, for the admin's report.
        run.report = report.to_json()
        ImportRun.objects.filter(pk=run.pk).update(report=run.report)
    return run, report


def sync_collections(progress=None):
    """Fetch and re-import every collection with a source URL; a ``SyncResult`` each."""
    results = []
    for collection in Collection.objects.exclude(source_url="").order_by("name"):
        url = collection.source_url
        try:
            source = git.parse_source(url, collection.ref or None)
            run, report = import_sources([source.url], ref=source.ref or None, progress=progress)
        except (SourceError, importer.ImportBusy) as error:
            results.append(SyncResult(collection.name, url, error=str(error)))
            continue
        results.append(SyncResult(collection.name, url, run, report))
    return results


def _split(sources, ref, collection_name):
    """Parse every URL and check every path, before anything is fetched."""
    urls, paths = [], []
    for given in sources:
        text = str(given)
        if git.looks_like_git_url(text):
            urls.append(text)
            continue
        path = Path(text)
        if not path.exists():
            raise SourceError(f"No such file or directory: {text}{_url_hint(text)}")
        paths.append(path)
    if ref and len(urls) != 1:
        raise SourceError("--ref needs exactly one git URL.")
    if collection_name and urls:
        raise SourceError("--collection takes paths only: a git collection is named after its repository.")
    return [git.parse_source(url, ref) for url in urls], paths


def _url_hint(text):
    host = text.split("/", 1)[0].lower()
    if host in git.FORGES and text.count("/") >= 2:
        return f" (for a repository give https://{text})"
    return ""


def _fetch(source, shallow):
    return git.fetch_source(
        source, Path(settings.AGENTDASH_SOURCES_DIR), shallow=shallow, timeout=settings.AGENTDASH_GIT_TIMEOUT
    )


def _origin(source, checkout):
    """The importer's view of a checkout: identity, name, and when each file last changed."""
    suffix = f"@{source.ref}" if source.ref else ""
    return importer.GitOrigin(
        key=f"git:{source.key}{suffix}",
        name=f"{source.name}{suffix}",
        host=source.host,
        url=source.url,
        ref=source.ref,
        commit=checkout.commit,
        changes=git.last_changes(checkout.path, timeout=settings.AGENTDASH_GIT_TIMEOUT),
    )
