"""Faults: a killed import, readers during an import, two imports at once, an edit during an import.

Each test runs real ``manage.py import_agents`` processes against a database of its own (a
SQLite file, or a scratch PostgreSQL database when the suite runs on PostgreSQL), because the
point is what survives a process that dies or competes, not what a test transaction sees.
"""

import json
import signal
import subprocess
import sys
import time

from tests.helpers import CORPUS, REPO, SEEDS, env_for, manage, on_postgres, scratch_database


def start_import(url, *paths, log):
    """Start an import whose output goes to files: a full pipe would stall it, not the database."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_agents", *map(str, paths), "--json"],
        cwd=REPO,
        env=env_for(url),
        stdout=open(f"{log}.out", "w"),  # the child process owns it
        stderr=open(f"{log}.err", "w"),
    )


def stderr_of(log):
    with open(f"{log}.err") as handle:
        return handle.read()


def catalog_state(query):
    return sorted(query("SELECT source_path, sha256, slug FROM catalog_definition"))


def wait_for(predicate, timeout=120, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def test_sigkill_mid_import_keeps_previous_catalog(tmp_path):
    """An import killed with SIGKILL while writing leaves the previous catalog exactly; a re-run completes."""
    with scratch_database(tmp_path) as (url, query):
        manage(url, "import_agents", str(SEEDS))
        before = catalog_state(query)
        assert len(before) == 5

        process = start_import(url, CORPUS, log=tmp_path / "killed")
        # The run row is written just before the import transaction opens; then give it time to write.
        started = wait_for(lambda: query("SELECT count(*) FROM catalog_importrun WHERE status = 'running'")[0][0] > 0)
        assert started, stderr_of(tmp_path / "killed")
        time.sleep(1.0)
        assert process.poll() is None, "the import finished before it could be killed; the test proves nothing"
        process.send_signal(signal.SIGKILL)
        process.wait()

        if not on_postgres():
            assert query("PRAGMA integrity_check") == [("ok",)]
        assert catalog_state(query) == before
        assert query("SELECT count(*) FROM catalog_collection")[0][0] == 1

        rerun = manage(url, "import_agents", str(CORPUS), "--json")
        assert '"created": 2830' in rerun.stdout
        assert len(catalog_state(query)) == 5 + 2830


def test_readers_during_an_import_see_a_whole_catalog(tmp_path):
    """Every read taken while an import runs sees the old catalog or the new one, never part of it."""
    with scratch_database(tmp_path) as (url, query):
        manage(url, "import_agents", str(SEEDS))
        process = start_import(url, CORPUS, log=tmp_path / "import")
        seen = set()
        while process.poll() is None:
            seen.add(query("SELECT count(*) FROM catalog_definition")[0][0])
            time.sleep(0.01)
        assert process.returncode == 0, stderr_of(tmp_path / "import")
        seen.add(query("SELECT count(*) FROM catalog_definition")[0][0])
        assert seen <= {5, 5 + 2830}, seen
        assert 5 + 2830 in seen


def test_two_imports_at_once_are_serialized_or_refused(tmp_path):
    """Two concurrent imports never interleave: each completes in turn or is refused with a message."""
    with scratch_database(tmp_path) as (url, query):
        logs = [tmp_path / "first", tmp_path / "second"]
        processes = [start_import(url, CORPUS, log=log) for log in logs]
        codes = [p.wait() for p in processes]
        for code, log in zip(codes, logs, strict=True):
            assert code == 0 or "Another import is writing to the catalog" in stderr_of(log), stderr_of(log)
        assert 0 in codes
        # No duplicates, no half catalog: exactly one copy of every definition.
        assert query("SELECT count(*) FROM catalog_definition")[0][0] == 2830
        assert query("SELECT count(*) FROM catalog_importrun WHERE status = 'running'")[0][0] == 0


EDIT_DURING_IMPORT = """
import json, time
from django.utils import timezone
from catalog.services import editing
from catalog.models import Definition, ImportRun
definition = Definition.objects.get(pk={pk})
text = definition.source_text.replace({old!r}, "edited-agent", 1)
while not ImportRun.objects.filter(status="running").exists():
    time.sleep(0.005)
started = timezone.now()
editing.save_edit(definition, text)
run = ImportRun.objects.order_by("-pk").first()
kept = definition.versions.order_by("-pk").first()
print(json.dumps({{"started": started.timestamp(), "import_finished": run.finished_at.timestamp(),
                  "kept": kept.created_at.timestamp(), "replaced_by": kept.replaced_by}}))
"""


def test_an_edit_during_an_import_waits_and_both_are_kept(tmp_path):
    """Staff saving an agent while an import writes: the save waits for the import to commit,
    then both the import and the edit are whole, and the replaced content is a kept version."""
    with scratch_database(tmp_path) as (url, query):
        manage(url, "import_agents", str(SEEDS))
        pk, name = query("SELECT id, name FROM catalog_definition ORDER BY id")[0]
        # The editor starts first and saves the moment the import's run row appears, which is
        # just before the import's write transaction opens.
        editor = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", EDIT_DURING_IMPORT.format(pk=pk, old=name)],
            cwd=REPO, env=env_for(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(2)  # let the editor load Django before the import begins
        process = start_import(url, CORPUS, log=tmp_path / "import")
        out, err = editor.communicate(timeout=300)
        assert process.wait() == 0, stderr_of(tmp_path / "import")
        assert editor.returncode == 0, err[-3000:]
        edit = json.loads(out.strip().splitlines()[-1])
        assert edit["started"] < edit["import_finished"] <= edit["kept"]  # began during it, saved after it

        if not on_postgres():
            assert query("PRAGMA integrity_check") == [("ok",)]
        assert query("SELECT count(*) FROM catalog_definition")[0][0] == 5 + 2830
        assert query("SELECT count(*) FROM catalog_importrun WHERE status = 'running'")[0][0] == 0
        modified, text = query(f"SELECT locally_modified, source_text FROM catalog_definition WHERE id = {pk}")[0]
        assert modified in (True, 1) and "edited-agent" in text
        assert edit["replaced_by"] == "edit"
