"""Imports that staff start in the admin and the tasks framework runs in the background.

``queue_import`` records an ``ImportRun`` in the queued state and enqueues ``run_import`` on
Django's tasks framework; with the database backend (django-tasks-db) the queue is a table of
the catalog's own database and ``manage.py db_worker`` runs it. The worker reads the run's
source, imports it exactly as ``import_agents`` does, writes its progress to the run while
files are read, and leaves the report on it, where the admin shows it.

Only URLs without credentials are queued: the task's arguments and the run are rows that
anyone with database access can read, so a token must reach git another way (an ssh key or a
credential helper on the worker's machine).
"""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ..core.sources import SourceError, parse_source
from ..models import ImportRun
from .sources import import_sources

logger = logging.getLogger(__name__)

# Progress is written at most this often (files read between two writes), so a large import
# does not spend its time updating one row.
PROGRESS_EVERY = 25


def queue_import(url, ref=None):
    """Queue an import of the git repository at ``url``; return its queued ``ImportRun``.

    Raises ``SourceError`` (one line, never the URL's credentials) for a URL that cannot be
    fetched as given.
    """
    source = parse_source(url, ref or None)
    if source.credentials:
        raise SourceError(
            f"{source.url}: the URL holds credentials, which AgentDash does not keep; give the URL "
            "without them and let git on the worker's machine authenticate (an ssh URL with a "
            "deploy key, or a credential helper).",
            source.url,
        )
    with transaction.atomic():
        run = ImportRun.objects.create(status=ImportRun.Status.QUEUED, paths=[str(source)])
        # After the commit, so a worker polling the queue never sees a task whose run it
        # cannot read yet.
        transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run


@task()
def run_import(run_id):
    """The background half of ``queue_import``: fetch and import the run's source."""
    run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).first()
    if run is None:
        logger.warning("Import run %s is not queued any more; nothing to do.", run_id)
        return None
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    try:
        _, report = _import(run)
    except Exception as error:  # noqa: BLE001 - whatever stops a background run is its report
        # The importer marks a run it created itself; a failure before that (a fetch, a
        # refused ref) is recorded here, as one line, like the command prints it.
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        ImportRun.objects.filter(pk=run.pk).exclude(status=ImportRun.Status.SUCCEEDED).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(), report={"error": message}
        )
        logger.warning("Import run %s failed: %s", run.pk, message)
        return {"error": message}
    return {"found": report.found, "created": report.created, "updated": report.updated, "missing": report.missing}


def _import(run):
    def progress(done, total):
        # On the object too: the importer saves it whole when it finishes.
        run.progress_done, run.progress_total = done, total
        if done == total or done % PROGRESS_EVERY == 0:
            ImportRun.objects.filter(pk=run.pk).update(progress_done=done, progress_total=total)

    return import_sources(run.paths, progress=progress, run=run)
