"""Benchmark for the family page: server time of /families/<key>/ for a family of 20 members.

Writes 20 versions of one agent (made-up text: a shared template with sections of their own,
some verbatim copies, different tools) into 20 collections, imports them into a throwaway SQLite
catalog with the real importer (which computes the families), then times requests through
django.test.Client (middleware, view, queries, template) and prints p50/p95 for:

- the family page built from the database (the page cache cleared before each request),
- the family page from the cache (what a second visitor gets until the catalog changes),
- its JSON twin, and the families list,
- the definition detail page of one member, in the same run, as the baseline.

    .venv/bin/python bench/bench_family_page.py [--members 20] [--requests 200]

The target is p95 <= 50 ms for the uncached page of a 20-member family.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/agentdash-bench-family-page.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentdash.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalog.models import Family  # noqa: E402
from catalog.services.importer import import_paths  # noqa: E402
from tests.helpers import made_up_prose, write_tree  # noqa: E402

TOOLS = ["Read", "Grep", "Glob", "Bash", "Write", "Edit", "WebFetch", "Bash(git:*)"]


def agent_text(n, rng, template):
    """Version ``n``: every fifth is a verbatim copy of version 0; the others rewrite sections."""
    if n and n % 5 == 0:
        n = 0
        rng = random.Random(0)
    tools = ", ".join(sorted(rng.sample(TOOLS, rng.randint(1, 5))))
    metrics = rng.randint(1, 6)
    sections = [
        f"## Mission\n\n{template}",
        f"## Workflow\n\n{made_up_prose(100 + n, 120)}",
        "## Success Metrics\n\n" + "\n".join(f"- {made_up_prose(200 + n * 10 + i, 8)}" for i in range(metrics)),
    ]
    if rng.random() < 0.5:
        sections.append(f"## Own Section {n}\n\n{made_up_prose(300 + n, 60)}")
    body = "\n\n".join(sections)
    return f"---\nname: release-planner\ndescription: Plans releases, version {n}.\ntools: {tools}\n---\n\n{body}\n"


def build(members):
    call_command("migrate", verbosity=0, interactive=False)
    root = Path(tempfile.mkdtemp(prefix="agentdash-family-"))
    template = made_up_prose(1, 300)
    for n in range(members):
        rng = random.Random(n)
        write_tree(root / f"coll-{n:02d}", {"agents/release-planner.md": agent_text(n, rng, template)})
    start = time.perf_counter()
    import_paths([str(root)])
    return time.perf_counter() - start


def timed(client, url, requests, *, cold=False):
    times = []
    for _ in range(requests):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        if cold:
            cache.clear()
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    database = Path(connection.settings_dict["NAME"])
    if database.exists():
        database.unlink()
    seconds = build(args.members)
    family = Family.objects.get(key="agent/release-planner")
    print(f"imported {args.members} versions in {seconds:.2f} s (families included): "
          f"{family.size} members, {family.versions} versions after folding copies")  # fmt: skip
    client = Client(HTTP_HOST="localhost")
    url = family.get_absolute_url()
    member = family.members.select_related("definition__collection").first().definition.get_absolute_url()
    rows = [
        ("family page, uncached", url, True),
        ("family page, cached", url, False),
        ("family JSON, uncached", url + "?format=json", True),
        ("families list", "/families/", False),
        ("definition detail (baseline)", member, False),
    ]
    results = {label: timed(client, path, args.requests, cold=cold) for label, path, cold in rows}
    base = results["definition detail (baseline)"][1]
    print(f"{'request':32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'p95/baseline':>13}")
    for label, (p50, p95, queries) in results.items():
        print(f"{label:32} {p50:8.1f} {p95:8.1f} {queries:8d} {p95 / base:13.2f}")
    verdict = "meets" if results["family page, uncached"][1] <= 50 else "MISSES"
    print(f"target p95 <= 50 ms for the uncached family page: {verdict}")


if __name__ == "__main__":
    main()
