"""Benchmark: cold import and unchanged re-import of ../shared/corpus, printed as files/s.

Usage: .venv/bin/python bench/bench_import.py [PATH]
Uses a throwaway SQLite file unless DATABASE_URL is set (then that database is emptied first).
Targets on the 2-core dev machine: cold import <= 10 s, unchanged re-import <= 2 s.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main():
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "corpus"
    scratch = tempfile.mkdtemp(prefix="agentdash-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentdash.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from catalog.models import Collection, ImportRun, Tool
    from catalog.services.importer import import_paths

    call_command("migrate", verbosity=0)
    Collection.objects.all().delete()
    Tool.objects.all().delete()
    ImportRun.objects.all().delete()
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    print(f"corpus:   {corpus}")

    for label in ("cold import", "unchanged re-import"):
        started = time.perf_counter()
        _, report = import_paths([corpus])
        seconds = time.perf_counter() - started
        print(
            f"{label:<20} {seconds:6.2f} s  {report.found / seconds:8.0f} files/s  "
            f"(found {report.found}: created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, skipped {report.skipped}, rejected {report.rejected})"
        )


if __name__ == "__main__":
    main()
