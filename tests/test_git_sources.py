"""Collections from sources: categories in lists, git URLs imported and synced, provenance, and
credentials that never leave the command line. Both databases."""


import json
import logging
import os
import subprocess
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Collection, Definition, ImportRun
from tests.core.test_sources import TOKEN, Upstream, http_upstream, upstream  # noqa: F401 (fixtures)
from tests.helpers import REPO, SAMPLE, manage, on_postgres, scratch_database
from tests.test_importer import write_category_repository

pytestmark = pytest.mark.django_db


def test_lists_filter_by_category_on_the_page_and_in_json(client, tmp_path, import_tree):
    """``?category=`` narrows a list; the form offers the categories; the JSON row says it."""
    write_category_repository(
        tmp_path / "agency", ["design/ui-designer.md", "design/web/css-wizard.md", "engineering/backend.md"]
    )
    import_tree(tmp_path / "agency")
    page = client.get("/agents/", {"category": "design"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "ui-designer" in text and "css-wizard" in text and "backend" not in text.split('id="results"')[1]
    assert 'name="category"' in text and "engineering" in text
    data = client.get("/agents/", {"category": "design/web", "format": "json"}).json()
    assert [(row["name"], row["category"]) for row in data["results"]] == [("css-wizard", "design/web")]
    assert Definition.objects.in_category("engineering").count() == 1


# --- git URLs --------------------------------------------------------------------------


@pytest.fixture
def sources_dir(tmp_path, settings, monkeypatch):
    """Checkouts under the test's folder; no user or system git configuration."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    settings.AGENTDASH_SOURCES_DIR = tmp_path / "sources"
    return settings.AGENTDASH_SOURCES_DIR


def agent_text(name, description="Does its job."):
    return f"---\nname: {name}\ndescription: {description}\n---\n\n# {name}\n\nBody of {name}.\n"


@pytest.fixture
def repository(tmp_path):
    repo = Upstream(tmp_path / "upstream")
    repo.first = repo.commit(
        "2022-05-03T10:00:00+00:00",
        {
            "agents/reviewer.md": agent_text("reviewer"),
            "agents/planner.md": agent_text("planner"),
            "README.md": "# Agents\n",
        },
        "first",
    )
    return repo


def run_import(*args):
    out = StringIO()
    call_command("import_agents", *args, stdout=out)
    return out.getvalue()


def test_a_git_url_imports_then_a_second_run_reports_the_change(sources_dir, repository):
    """file:// URL: one collection at the commit; an edit, an add and a delete upstream then read
    exactly updated 1, created 1, missing 1, with the new commit."""
    first = run_import(repository.url)
    collection = Collection.objects.get()
    assert (collection.source_url, collection.commit, collection.name) == (repository.url, repository.first, "upstream")
    assert collection.source_key.startswith("git:") and collection.synced_at is not None
    assert Path(collection.source_root).parent == sources_dir
    assert f"commit {repository.first[:7]}" in first
    reviewer = Definition.objects.get(slug="reviewer")
    assert reviewer.upstream_commit == repository.first
    assert reviewer.upstream_changed_at == datetime(2022, 5, 3, 10, tzinfo=UTC)

    second_commit = repository.commit(
        "2022-06-01T08:00:00+00:00",
        {
            "agents/reviewer.md": agent_text("reviewer", "Reviews more carefully."),
            "agents/writer.md": agent_text("writer"),
            "agents/planner.md": None,
        },
    )
    out = StringIO()
    call_command("import_agents", repository.url, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["updated"], report["created"], report["missing"]) == (1, 1, 1)
    assert report["sources"] == [
        {"url": repository.url, "ref": "", "commit": second_commit, "previous": repository.first}
    ]
    collection.refresh_from_db()
    assert collection.commit == second_commit and Collection.objects.count() == 1
    assert Definition.objects.get(slug="reviewer").upstream_commit == second_commit
    assert Definition.objects.get(slug="planner").missing

    third = repository.commit("2022-07-01T08:00:00+00:00", {"agents/editor.md": agent_text("editor")})
    out = StringIO()
    call_command("import_agents", "--sync", stdout=out)
    assert f"commit {second_commit[:7]} -> {third[:7]}" in out.getvalue()
    assert Definition.objects.filter(slug="editor").exists()


def test_a_ref_names_its_own_collection(sources_dir, repository):
    """``URL@ref`` and ``--ref`` are one collection per ref, named with it."""
    repository.git("tag", "v1")
    run_import(f"{repository.url}@v1")
    run_import(repository.url, "--ref", "v1")
    assert list(Collection.objects.values_list("name", "ref")) == [("upstream@v1", "v1")]


def test_a_failed_fetch_is_one_line_and_leaves_the_catalog_as_it_was(sources_dir, tmp_path, repository):
    """An unknown repository: one line naming the URL; no collection, no import run."""
    missing = (tmp_path / "nowhere").as_uri()
    with pytest.raises(CommandError) as caught:
        run_import(str(tmp_path), missing)
    message = str(caught.value)
    assert "\n" not in message and "nowhere" in message
    assert not Collection.objects.exists() and not ImportRun.objects.exists()


def test_a_path_that_does_not_exist_is_an_error(tmp_path):
    """Not a rejected file with exit 0: a one-line error before anything is written."""
    with pytest.raises(CommandError, match="No such file or directory: .*typo"):
        run_import(str(tmp_path / "typo"))
    with pytest.raises(CommandError, match=r"give https://github.com/o/r"):
        run_import("github.com/o/r")
    assert not ImportRun.objects.exists()


# --- provenance and credentials ---------------------------------------------------------


def test_the_detail_page_links_to_the_file_at_its_commit_and_its_history(sources_dir, repository, client):
    """A forge origin gives file and history links at the imported commit, and the last change."""
    run_import(repository.url)
    Collection.objects.update(origin="https://github.com/acme/agents")
    definition = Definition.objects.get(slug="reviewer")
    page = client.get(definition.get_absolute_url()).content.decode()
    commit = repository.first
    assert f'href="https://github.com/acme/agents/blob/{commit}/agents/reviewer.md"' in page
    assert f'href="https://github.com/acme/agents/commits/{commit}/agents/reviewer.md"' in page
    assert "Last changed upstream" in page and "3 May 2022" in page
    data = client.get(definition.get_absolute_url(), {"format": "json"}).json()
    assert data["provenance"]["upstream_commit"] == commit
    assert data["provenance"]["upstream_changed_at"].startswith("2022-05-03T10:00:00")
    assert data["source"]["url"] == repository.url and data["source"]["commit"] == commit


def test_a_token_in_the_url_appears_nowhere(sources_dir, http_upstream, client, admin_client, caplog):  # noqa: F811
    """http://bot:TOKEN@… fetches, and the token is in no page, JSON, log, run, row or checkout file."""
    address, seen = http_upstream
    caplog.set_level(logging.DEBUG)
    out = run_import(f"http://bot:{TOKEN}@{address}@main")
    assert any(seen) and Definition.objects.exists()
    definition = Definition.objects.first()
    collection = definition.collection
    urls = [
        "/",
        "/agents/",
        "/collections/",
        collection.get_absolute_url(),
        definition.get_absolute_url(),
        "/search/?q=reviewer",
    ]
    texts = [out, caplog.text, json.dumps(list(ImportRun.objects.values_list("paths", "report")))]
    texts += [json.dumps(list(Collection.objects.values()), default=str)]
    for url in urls:
        for browser in (client, admin_client):
            texts.append(browser.get(url).content.decode())
            texts.append(browser.get(url, {"format": "json"}).content.decode())
    texts += [p.read_text(errors="replace") for p in sources_dir.rglob("*") if p.is_file()]
    assert not [text for text in texts if TOKEN in text]
    # The checkout's folder is the server's: staff see it, nobody else does.
    assert collection.source_root in admin_client.get(collection.get_absolute_url()).content.decode()
    assert collection.source_root not in client.get(collection.get_absolute_url()).content.decode()


# --- errors a newcomer meets first -------------------------------------------------------


def test_an_unmigrated_database_is_one_line_or_migrated_by_import(tmp_path):
    """Any command says to run migrate in one line; import_agents sets a SQLite database up
    itself and, on PostgreSQL (no implicit schema changes there), says the line too."""
    with scratch_database(tmp_path, "catalog", "zero") as (url, _):
        count = "from catalog.models import Collection; Collection.objects.count()"
        shell = manage(url, "shell", "-c", count, check=False)
        assert shell.returncode == 1
        assert shell.stderr.strip().splitlines()[-1].endswith("run `.venv/bin/python manage.py migrate`.")
        assert "Traceback" not in shell.stderr
        imported = manage(url, "import_agents", str(SAMPLE), check=False)
        if on_postgres():
            assert imported.returncode == 1
            assert imported.stderr.strip().splitlines() == [
                "CommandError: The database is not set up: run `.venv/bin/python manage.py migrate`."
            ]
        else:
            assert imported.returncode == 0, imported.stderr
            assert "created" in imported.stdout


def test_dev_test_without_the_shared_folder_stops_at_once(tmp_path):
    """./dev test names what is missing and the variable that points elsewhere, in one line."""
    env = {**os.environ, "AGENTDASH_SHARED": str(tmp_path / "nowhere")}
    result = subprocess.run(["./dev", "test", "sqlite"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "nowhere/corpus" in line and "AGENTDASH_SHARED" in line


def test_a_refused_token_is_not_in_the_error_either(sources_dir, http_upstream, caplog):  # noqa: F811
    """A wrong password: one line naming the redacted URL, and the token nowhere."""
    address, _ = http_upstream
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CommandError) as caught:
        run_import(f"http://bot:wrong-{TOKEN}@{address}")
    message = str(caught.value)
    assert "\n" not in message and address in message
    assert TOKEN not in message and TOKEN not in caplog.text
    assert not Collection.objects.exists() and not ImportRun.objects.exists()


def test_the_collection_page_offers_its_categories_with_counts(client, tmp_path, import_tree):
    """The collection's folders are a facet with counts; ``?category=`` narrows its table."""
    write_category_repository(tmp_path / "agency", ["design/a.md", "design/b.md", "testing/c.md"])
    import_tree(tmp_path / "agency")
    url = Collection.objects.get().get_absolute_url()
    page = client.get(url).content.decode()
    assert '<option value="design">design (2)</option>' in page
    assert '<option value="testing">testing (1)</option>' in page
    data = client.get(url, {"category": "testing", "format": "json"}).json()
    assert [row["name"] for row in data["results"]] == ["c"]


def test_a_clone_made_by_hand_is_dated_too(repository, sources_dir):
    """A folder with a .git, imported as a path: each definition gets its last upstream change."""
    second = repository.commit("2022-08-09T07:00:00+00:00", {"agents/planner.md": agent_text("planner", "Plans.")})
    run_import(str(repository.path))
    dates = dict(Definition.objects.values_list("slug", "upstream_commit"))
    assert dates == {"reviewer": repository.first, "planner": second}
    assert Collection.objects.get().source_url == ""
