"""Benchmark for catalog.search: server time of 20 fixed queries on synthetic catalogs.

Builds synthetic catalogs of 10k and 100k agents (5-10 responsibilities and success metrics
each, plus tools) with bulk inserts into throwaway databases, a SQLite file under /tmp and a
PostgreSQL database created next to the one in DATABASE_URL_POSTGRES (default: the local
agentdash database), then prints p50/p95 of the search engine call and of the whole htmx
fragment response (view, engine and template) for a fixed set of 20 queries. Run from anywhere:

    .venv/bin/python bench/bench_search.py                  # 10k and 100k, SQLite and PostgreSQL
    .venv/bin/python bench/bench_search.py --agents 10000 --backends sqlite

Each (backend, size) runs in its own process, because Django binds one database per process.
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

POSTGRES_URL = os.environ.get("DATABASE_URL_POSTGRES", "postgres://agentdash:agentdash@127.0.0.1:5432/agentdash")
RUNS = 10  # timed runs per query, after one warm-up

QUERIES = [
    {"q": "sub-20ms"},
    {"q": "99.9% uptime"},
    {"q": "test coverage"},
    {"q": "p95 latency"},
    {"q": "database migrations"},
    {"q": "security audit"},
    {"q": "kubernetes"},
    {"q": "accessibility"},
    {"q": "react components"},
    {"q": "incident runbooks"},
    {"q": "error rate"},
    {"q": "zero downtime"},
    {"q": "graphql resolvers"},
    {"q": "cost per request"},
    {"q": "feature flags"},
    {"q": "observability dashboards"},
    {"q": "deploy"},  # a very common word
    {"q": "optim"},  # a prefix, while typing
    {"q": "test cov", "scope": "metric"},
    {"q": "security", "kind": "command", "tool": "Bash"},
]

# ---------------------------------------------------------------------------
# Synthetic catalog
# ---------------------------------------------------------------------------

VERBS = (
    "design build implement review optimize monitor maintain document test secure migrate deploy audit "
    "refactor automate scale profile validate integrate analyze triage coordinate benchmark harden "
    "instrument own plan mentor estimate prototype"
).split()
OBJECTS = [
    "REST APIs", "database schemas", "database migrations", "CI pipelines", "Kubernetes clusters",
    "React components", "GraphQL resolvers", "data pipelines", "ML models", "access controls",
    "caching layers", "message queues", "payment flows", "onboarding flows", "microservices",
    "Terraform modules", "observability dashboards", "incident runbooks", "mobile releases",
    "search indexes", "feature flags", "authentication flows", "billing systems", "event streams",
    "load balancers", "unit tests", "integration tests", "design systems", "accessibility audits",
    "SQL queries", "container images", "security reviews", "release notes", "API contracts",
]  # fmt: skip
QUALIFIERS = [
    "with zero downtime", "for high availability", "using OpenTelemetry", "under strict SLAs",
    "across regions", "with clear documentation", "following OWASP guidance", "with automated rollbacks",
    "with sub-20ms query times", "at scale", "with cost awareness", "for regulated workloads", "", "", "",
]  # fmt: skip
METRICS = [
    "p95 latency under {n}ms", "{n}% test coverage on critical paths", "99.{d}% uptime for production services",
    "error rate below {d}.{d}%", "build time under {n} minutes", "zero critical vulnerabilities in audits",
    "Lighthouse score above {n}", "MTTR under {n} minutes", "deployment frequency of {d} per day",
    "cost per request reduced by {n}%", "customer satisfaction above {d}.{d}", "{n}% of incidents resolved within SLA",
    "accessibility score of {n} or more", "review turnaround under {d} hours",
]  # fmt: skip
SYLLABLES = "ka lo mi ra ze tu pan dor vex qui lum bra sol nix tor el gri fon mar ost".split()
TOOLS = "Read Write Edit Bash Grep Glob WebFetch WebSearch Task TodoWrite NotebookEdit".split()
MODELS = ["sonnet", "opus", "haiku", "inherit", ""]


class Generator:
    """Deterministic text in the shape of real items, with a long tail of rare words."""

    def __init__(self, seed=7):
        self.rng = random.Random(seed)
        self.rare = ["".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))) for _ in range(40_000)]

    def responsibility(self):
        rng = self.rng
        text = f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}".strip()
        if rng.random() < 0.6:
            text += " and " + " ".join(rng.choices(self.rare, k=rng.randint(1, 4)))
        return text

    def metric(self):
        rng = self.rng
        text = rng.choice(METRICS).format(n=rng.randint(10, 99), d=rng.randint(1, 9))
        if rng.random() < 0.4:
            text += " for " + rng.choice(self.rare)
        return text


def build_catalog(agents):
    """Bulk-insert ``agents`` definitions with their items and tools, then index them."""
    from django.db import connection
    from django.utils import timezone

    from catalog import search
    from catalog.models import Collection, Definition, DefinitionTool, Item, Tool

    gen = Generator()
    now = timezone.now()
    if connection.vendor == "postgresql":
        # A bulk load builds the GIN index once at the end, as a restore would (see migration 0002).
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX catalog_item_search_vector")
    collections = Collection.objects.bulk_create(
        Collection(name=f"Collection {n}", slug=f"collection-{n}", source_key=f"name:Collection {n}") for n in range(20)
    )
    tools = Tool.objects.bulk_create(Tool(name=name, kind=Tool.Kind.BUILTIN) for name in TOOLS)
    batch = 5000
    for start in range(0, agents, batch):
        definitions = Definition.objects.bulk_create(
            Definition(
                collection=collections[n % len(collections)],
                kind="command" if n % 5 == 0 else "agent",
                format="claude-code",
                slug=f"agent-{n}",
                name=f"{gen.rng.choice(OBJECTS).title()} Agent {n}",
                model=gen.rng.choice(MODELS),
                source_path=f"agents/agent-{n}.md",
                raw=b"",
                sha256=f"{n:064x}",
                imported_at=now,
            )
            for n in range(start, min(start + batch, agents))
        )
        items, links = [], []
        for definition in definitions:
            texts = [(Item.Field.RESPONSIBILITY, gen.responsibility()) for _ in range(gen.rng.randint(3, 7))]
            texts += [(Item.Field.METRIC, gen.metric()) for _ in range(gen.rng.randint(1, 3))]
            items += [
                Item(definition=definition, field=field, section="Core Responsibilities", text=text, position=p)
                for p, (field, text) in enumerate(texts)
            ]
            links += [
                DefinitionTool(definition=definition, tool=tool, raw=tool.name, position=p)
                for p, tool in enumerate(gen.rng.sample(tools, gen.rng.randint(1, 4)))
            ]
        Item.objects.bulk_create(items, batch_size=5000)
        DefinitionTool.objects.bulk_create(links, batch_size=5000)
    search.rebuild_index()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE INDEX catalog_item_search_vector ON catalog_item USING GIN (search_vector)")
        cursor.execute("ANALYZE")
    return Item.objects.count()


# ---------------------------------------------------------------------------
# One backend, one size (child process)
# ---------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(agents):
    import django
    from django.test import Client
    from django.urls import reverse

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from catalog import search
    from catalog.views.search import criteria_from_query

    call_command("migrate", verbosity=0, skip_checks=True)
    start = time.perf_counter()
    items = build_catalog(agents)
    built = time.perf_counter() - start
    print(f"  built {agents:,} agents, {items:,} items in {built:.0f} s", flush=True)

    client, url = Client(SERVER_NAME="localhost"), reverse("catalog:search")
    engine_ms, fragment_ms, slowest, stopped = [], [], [], 0
    for params in QUERIES:
        criteria = criteria_from_query(params)
        timings = []
        for run in range(RUNS + 1):
            begin = time.perf_counter()
            try:
                results = search.search(criteria)
            except search.SearchTooExpensive:
                stopped += 1
                results = None
            elapsed = (time.perf_counter() - begin) * 1000
            if run:
                timings.append(elapsed)
        engine_ms += timings
        slowest.append((statistics.median(timings), params, results))
        for run in range(RUNS + 1):
            begin = time.perf_counter()
            response = client.get(url, params, headers={"HX-Request": "true"})
            elapsed = (time.perf_counter() - begin) * 1000
            assert response.status_code == 200, response.status_code
            if run:
                fragment_ms.append(elapsed)
    print(
        f"  {connection.vendor:10} {agents:>7,} agents  engine p50 {percentile(engine_ms, 0.5):6.1f} ms"
        f"  p95 {percentile(engine_ms, 0.95):6.1f} ms   fragment p50 {percentile(fragment_ms, 0.5):6.1f} ms"
        f"  p95 {percentile(fragment_ms, 0.95):6.1f} ms   stopped by budget: {stopped}"
        f"   (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)",
        flush=True,
    )
    for median, params, results in sorted(slowest, key=lambda entry: -entry[0])[:5]:
        count = "stopped" if results is None else f"{results.count}{'' if results.exact else '+'} definitions"
        print(f"      slowest: {median:6.1f} ms  {params}  -> {count}", flush=True)


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def postgres_admin(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
        dbname=parts.path.lstrip("/"), autocommit=True,
    )  # fmt: skip


def run_child(backend, agents):
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "agentdash.settings")
    cleanup = None
    if backend == "sqlite":
        path = Path(f"/tmp/agentdash-bench-{agents}.sqlite3")
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
        env["DATABASE_URL"] = f"sqlite:///{path}"

        def cleanup():
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
    else:
        name = f"agentdash_bench_{agents}"
        with postgres_admin(POSTGRES_URL) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(POSTGRES_URL)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

        def cleanup():
            with postgres_admin(POSTGRES_URL) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    try:
        subprocess.run([sys.executable, __file__, "--child", str(agents)], env=env, check=True)
    finally:
        cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, action="append", help="catalog size (repeatable); default 10k and 100k")
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child)
        return
    print(f"{len(QUERIES)} queries x {RUNS} timed runs each; times are server-side, in this process")
    for agents in args.agents or [10_000, 100_000]:
        for backend in args.backends.split(","):
            run_child(backend.strip(), agents)


if __name__ == "__main__":
    main()
