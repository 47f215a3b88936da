"""Benchmark for catalog.selectors.finding.quick_find: server time at 100k definitions, against a naive baseline.

Builds a synthetic catalog (100k definitions by default: agents, commands and skills with
realistic names, slugs, descriptions and bodies) with bulk inserts into a throwaway SQLite
file under /tmp and, when DATABASE_URL points at PostgreSQL, into a throwaway database next
to it; then prints p50/p95 of ``quick_find`` and of the whole htmx listbox response (view
and template) for a fixed set of queries typed as people type them. The baseline, timed in
the same process on the same rows, is what a list's ``q`` filter does (Django admin's
``icontains`` on every field), limited to the same number of rows:

    .venv/bin/python bench/bench_quick_find.py                 # 100k
    .venv/bin/python bench/bench_quick_find.py --definitions 10000

Each backend runs in its own process, because Django binds one database per process.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_search import percentile, postgres_admin  # noqa: E402  (this folder is on sys.path)

RUNS = 10  # timed runs per query, after one warm-up
QUERIES = [
    "k", "ku", "kub", "kubernetes", "kubernetes-expert",  # typing a name, letter by letter
    "Kubernetes Expert", "code-reviewer", "api des", "security audit", "react",
    "migrat", "zzzz-nothing", "100%_", "ré", "database schema reviewer",
]  # fmt: skip
TOPICS = (
    "kubernetes terraform react vue angular django rails spring graphql rest postgres mysql redis kafka "
    "security accessibility performance observability billing payments search mobile ios android data "
    "ml pipeline docs release incident api frontend backend devops cloud aws azure gcp docker rust go python"
).split()
ROLES = "expert reviewer architect engineer specialist auditor writer planner tester optimizer migrator".split()
WORDS = (
    "design build review optimize monitor document test secure migrate deploy audit refactor automate scale "
    "profile validate integrate analyze schema service component query cluster module contract release"
).split()


def build_catalog(count):
    """Bulk-insert ``count`` definitions over 20 collections; returns how many rows exist."""
    from django.db import connection
    from django.utils import timezone

    from catalog.models import Collection, Definition

    rng = random.Random(18)
    now = timezone.now()
    collections = Collection.objects.bulk_create(
        Collection(name=f"Collection {n}", slug=f"collection-{n}", source_key=f"name:Collection {n}") for n in range(20)
    )
    kinds = ["agent"] * 6 + ["command"] * 3 + ["skill"]
    body = " ".join(rng.choices(WORDS, k=100))
    batch = 5000
    for start in range(0, count, batch):
        rows = []
        for n in range(start, min(start + batch, count)):
            words = [rng.choice(TOPICS), rng.choice(TOPICS), rng.choice(ROLES)][rng.randint(0, 1) :]
            # One definition in 20 is the unnumbered original; the rest are numbered variants.
            slug = "-".join(words) + ("" if n % 20 == 0 else f"-{n}")
            rows.append(
                Definition(
                    collection=collections[n % len(collections)],
                    kind=kinds[n % len(kinds)],
                    format="claude-code",
                    slug=slug,
                    name=slug,
                    description=f"Use to {' '.join(rng.choices(WORDS, k=6))} {' '.join(words)} work.",
                    body=body,
                    source_path=f"agents/{slug}.md",
                    raw=body.encode(),
                    sha256=f"{n:064x}",
                    imported_at=now,
                )
            )
        Definition.objects.bulk_create(rows, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Definition.objects.count()


def timed(call):
    timings = []
    for run in range(RUNS + 1):
        begin = time.perf_counter()
        call()
        if run:
            timings.append((time.perf_counter() - begin) * 1000)
    return timings


def measure(count):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from catalog.models import Definition
    from catalog.selectors import finding

    call_command("migrate", verbosity=0, skip_checks=True)
    start = time.perf_counter()
    rows = build_catalog(count)
    print(f"  built {rows:,} definitions in {time.perf_counter() - start:.0f} s", flush=True)

    client, url = Client(SERVER_NAME="localhost"), reverse("catalog:quick_find")
    limit = finding.PER_KIND * len(finding.KINDS)
    fields = ("name", "slug", "description")
    engine, fragment, baseline, per_query = [], [], [], []
    for q in QUERIES:
        times = timed(lambda q=q: finding.quick_find(q))
        engine += times
        per_query.append((statistics.median(times), q, len(finding.quick_find(q).hits)))
        fragment += timed(lambda q=q: client.get(url, {"q": q}, headers={"HX-Request": "true"}))
        naive = finding.matching(Definition.objects.present(), q, fields).order_by("name")
        baseline += timed(lambda naive=naive: list(naive.values_list("pk", "name")[:limit]))
    p50, p95 = percentile(engine, 0.5), percentile(engine, 0.95)
    b50, b95 = percentile(baseline, 0.5), percentile(baseline, 0.95)
    print(
        f"  {connection.vendor:10} {rows:>7,} definitions  quick_find p50 {p50:6.2f} ms  p95 {p95:6.2f} ms"
        f"   listbox response p50 {percentile(fragment, 0.5):6.2f} ms  p95 {percentile(fragment, 0.95):6.2f} ms"
        f"   naive icontains p50 {b50:7.1f} ms  p95 {b95:7.1f} ms  (quick_find is {b50 / p50:.0f}x faster at p50)"
        f"   load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    for median, q, hits in sorted(per_query, reverse=True)[:5]:
        print(f"      slowest: {median:6.2f} ms  {q!r} -> {hits} hits", flush=True)


def run_child(backend, count, postgres_url=None):
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "agentdash.settings")
    if backend == "sqlite":
        path = Path(f"/tmp/agentdash-bench-quick-find-{os.getpid()}.sqlite3")
        env["DATABASE_URL"] = f"sqlite:///{path}"

        def cleanup():
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
    else:
        name = f"{urlsplit(postgres_url).path.lstrip('/')}_bench_quick_find"
        # Connected to the maintenance database: the one named in the URL need not exist.
        admin_url = urlunsplit(urlsplit(postgres_url)._replace(path="/postgres"))
        with postgres_admin(admin_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))

        def cleanup():
            with postgres_admin(admin_url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    try:
        subprocess.run([sys.executable, __file__, "--child", str(count)], env=env, check=True)
    finally:
        cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--definitions", type=int, default=100_000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child)
        return
    print(f"{len(QUERIES)} queries x {RUNS} timed runs each; times are server-side, in this process")
    run_child("sqlite", args.definitions)
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        run_child("postgres", args.definitions, database_url)
    else:
        print("  PostgreSQL skipped: DATABASE_URL does not point at PostgreSQL")


if __name__ == "__main__":
    main()
