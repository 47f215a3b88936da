"""Staff add a source by URL in the admin; the tasks worker imports it; the run shows its report.

The worker is django-tasks-db's own ``db_worker`` command, run in batch mode (every queued task,
then exit) against the test database, so the test goes through the real queue table. Tests are
transactional: the worker commits, and the queue is filled only after the request's commit.
"""

import re
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from catalog.models import Collection, Definition, ImportRun
from tests.helpers import Upstream, hermetic_git_env

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "ghp_AdminSyncToken0123456789"  # noqa: S105  # a made-up token that must never be kept

CAPTAIN = """---
name: release-captain
description: Plans a release and keeps its checklist honest.
---

# Release captain

## Responsibilities
- Draft the release checklist.
"""
SCRIBE = """---
name: scribe
description: Writes the changelog from merged work.
---

# Scribe
"""

ADD = reverse("admin:catalog_importrun_add_source")


@pytest.fixture
def upstream(tmp_path, monkeypatch, settings):
    hermetic_git_env(monkeypatch, tmp_path)
    settings.AGENTDASH_SOURCES_DIR = tmp_path / "sources"
    repo = Upstream(tmp_path / "crew")
    repo.commit(
        "2024-05-01T10:00:00+00:00",
        {"agents/release-captain.md": CAPTAIN, "agents/scribe.md": SCRIBE, "README.md": "Our crew.\n"},
    )
    return repo


def run_worker():
    """Run every queued task in this process, then restore the signal handlers it installs."""
    names = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]
    saved = {name: signal.getsignal(name) for name in names}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    finally:
        for name, handler in saved.items():
            signal.signal(name, handler)


def change_url(run):
    return reverse("admin:catalog_importrun_change", args=[run.pk])


def test_a_source_added_in_the_admin_is_imported_by_the_worker_and_reported(admin_client, upstream):
    listing = admin_client.get(reverse("admin:catalog_importrun_changelist")).content.decode()
    assert f'href="{ADD}"' in listing

    response = admin_client.post(ADD, {"url": upstream.url, "ref": ""})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(run)
    assert run.status == ImportRun.Status.QUEUED
    assert run.paths == [upstream.url]
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not Definition.objects.exists(), "the request itself imports nothing"

    waiting = admin_client.get(change_url(run)).content.decode()
    assert "waiting for the tasks worker" in waiting
    assert '<meta http-equiv="refresh"' in waiting

    run_worker()

    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.report
    assert (run.found, run.created, run.skipped, run.updated, run.missing) == (3, 2, 1, 0, 0)  # README skipped
    assert (run.progress_done, run.progress_total) == (2, 2)
    assert sorted(Definition.objects.values_list("slug", flat=True)) == ["release-captain", "scribe"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    collection = Collection.objects.get()
    assert collection.source_url == upstream.url
    assert run.report["sources"][0]["commit"] == upstream.git("rev-parse", "HEAD")

    done = admin_client.get(change_url(run)).content.decode()
    assert "2 of 2 files read" in done
    assert re.search(r"&quot;created&quot;: 2\b", done)
    assert '<meta http-equiv="refresh"' not in done


def test_adding_the_source_again_syncs_it(admin_client, upstream):
    admin_client.post(ADD, {"url": upstream.url})
    run_worker()
    edited = SCRIBE.replace("# Scribe", "# Scribe\n\nAlso tags the release.")
    upstream.commit("2024-06-01T10:00:00+00:00", {"agents/scribe.md": edited, "agents/release-captain.md": None})

    admin_client.post(ADD, {"url": upstream.url})
    run_worker()

    second = ImportRun.objects.order_by("-pk").first()
    assert second.status == ImportRun.Status.SUCCEEDED, second.report
    assert (second.updated, second.created, second.missing) == (1, 0, 1)


def test_the_collection_admin_syncs_selected_git_collections(admin_client, upstream):
    admin_client.post(ADD, {"url": upstream.url})
    run_worker()
    upstream.commit("2024-06-01T10:00:00+00:00", {"agents/herald.md": SCRIBE.replace("scribe", "herald")})
    collection = Collection.objects.get()

    changelist = reverse("admin:catalog_collection_changelist")
    chosen = {"action": "sync_selected", "_selected_action": [collection.pk]}
    response = admin_client.post(changelist, chosen, follow=True)
    assert "Queued for the tasks worker" in response.content.decode()
    assert ImportRun.objects.filter(status=ImportRun.Status.QUEUED).count() == 1
    run_worker()

    latest = ImportRun.objects.order_by("-pk").first()
    assert latest.status == ImportRun.Status.SUCCEEDED, latest.report
    assert (latest.created, latest.updated, latest.missing) == (1, 0, 0)
    assert Collection.objects.get().definitions.filter(slug="herald").exists()


def test_a_url_with_credentials_is_refused_and_nothing_is_queued(admin_client, upstream):
    url = upstream.url.replace("file://", f"https://bot:{TOKEN}@example.org") + ".git"
    page = admin_client.post(ADD, {"url": url}).content.decode()
    assert "holds credentials" in page
    assert TOKEN not in page
    assert not ImportRun.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_not_a_git_url_is_a_form_error(admin_client):
    page = admin_client.post(ADD, {"url": "ftp://example.org/crew"}).content.decode()
    assert "is not a git URL AgentDash fetches" in page
    assert not ImportRun.objects.exists()


def test_a_repository_that_cannot_be_fetched_fails_its_run_with_one_line(admin_client, tmp_path, settings, monkeypatch):
    hermetic_git_env(monkeypatch, tmp_path)
    settings.AGENTDASH_SOURCES_DIR = tmp_path / "sources"
    missing = (tmp_path / "no-such-repository").as_uri()
    admin_client.post(ADD, {"url": missing})
    run_worker()

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert missing in run.report["error"]
    assert "\n" not in run.report["error"]
    assert not Definition.objects.exists()
    assert "no-such-repository" in admin_client.get(change_url(run)).content.decode()


def test_staff_without_collection_rights_cannot_add_sources(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="not-used-here", is_staff=True)  # noqa: S106
    client.force_login(user)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"url": "https://github.com/o/r"}).status_code == 403
    assert not ImportRun.objects.exists()
