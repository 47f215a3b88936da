"""Benchmark for the browse pages: server time of the agent list and detail pages at 10k agents.

Builds a throwaway SQLite catalog of synthetic agents (plus commands and skills) with
bulk_create, then times requests through django.test.Client (the whole Django stack:
middleware, view, queries, template) and prints p50/p95 per kind of request with the
number of queries each one ran. Run from anywhere:

    .venv/bin/python bench/bench_pages.py             # 10,000 agents
    .venv/bin/python bench/bench_pages.py --agents 2000 --keep

The database is /tmp/agentdash-bench-pages.sqlite3 unless DATABASE_URL says otherwise; it is
rebuilt on every run (``--keep`` reuses it when it already holds the catalog).
"""

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/agentdash-bench-pages.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentdash.settings")
# whitenoise serves from the finders here; an absent STATIC_ROOT is expected, not news.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalog.core.analysis import render_body  # noqa: E402
from catalog.models import (  # noqa: E402
    Collection,
    Definition,
    DefinitionTool,
    Edge,
    ImportRun,
    Problem,
    Reference,
    Tool,
)

TOOLS = [
    ("Read", "builtin"), ("Write", "builtin"), ("Edit", "builtin"), ("Bash", "builtin"), ("Grep", "builtin"),
    ("Glob", "builtin"), ("WebFetch", "builtin"), ("WebSearch", "builtin"), ("Agent", "builtin"),
    ("TodoWrite", "builtin"), ("NotebookEdit", "builtin"), ("mcp__github__create_issue", "mcp"),
    ("mcp__github__list_prs", "mcp"), ("mcp__postgres__query", "mcp"), ("mcp__sentry__get_issue", "mcp"),
    ("codebase", "other"), ("terminal", "other"), ("fetch", "other"),
]  # fmt: skip
LEGACY = {"Edit": "MultiEdit", "Agent": "Task"}
MODELS = ["", "sonnet", "opus", "haiku", "inherit", "gpt-4.1"]
ROLES = ("architect developer engineer reviewer auditor designer analyst tester writer optimizer "
         "specialist strategist planner debugger migrator").split()  # fmt: skip
TOPICS = ("backend frontend api database security performance cloud kubernetes data ml mobile "
          "payments search cache queue graphql rust python go java typescript docs devops "
          "incident compliance accessibility ui observability network storage").split()  # fmt: skip
SKILLS = ["pdf", "xlsx", "docx", "brainstorming", "test-driven-development", "systematic-debugging"]


def words(rng, vocabulary, n):
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def make_body(rng, vocabulary, name, peers):
    """About 4 KB of Markdown shaped like a real agent: headings, bullets, a code block."""
    parts = [f"# {name.replace('-', ' ').title()}\n", words(rng, vocabulary, 60) + ".\n"]
    for heading in ("Core Responsibilities", "Approach", "Success Metrics"):
        parts.append(f"\n## {heading}\n")
        parts.extend(f"- {words(rng, vocabulary, 14)}\n" for _ in range(8))
    parts.append("\n## Collaboration\n")
    parts.extend(f"- Hands off to **{peer}** for {words(rng, vocabulary, 5)}\n" for peer in peers)
    parts.append("\n```bash\nnpm run build && npm test\n```\n")
    return "".join(parts)


def build(agents, seed=1):
    """Fill the empty database with ``agents`` agents in 40 collections, and some commands/skills."""
    rng = random.Random(seed)
    vocabulary = [f"{a}{b}" for a in ("lo", "ra", "ki", "mu", "te", "po", "sa", "ne") for b in TOPICS + ROLES]
    vocabulary += [w for w in (TOPICS + ROLES) for _ in range(3)]
    now = timezone.now()
    with transaction.atomic():
        run = ImportRun.objects.create(status="succeeded", finished_at=now, found=agents)
        collections = Collection.objects.bulk_create(
            Collection(
                name=f"Collection {i:02d}",
                slug=f"collection-{i:02d}",
                source_key=f"name:Collection {i:02d}",
                kind="repository",
            )
            for i in range(40)
        )
        tools = {t.name: t for t in Tool.objects.bulk_create(Tool(name=n, kind=k) for n, k in TOOLS)}
        names = [f"{topic}-{role}" for topic in TOPICS for role in ROLES]
        definitions, used = [], set()
        templates = {}
        for i in range(agents):
            collection = collections[i % len(collections)]
            name = rng.choice(names)
            while (collection.pk, name) in used:
                name = f"{rng.choice(names)}-{rng.randrange(1000)}"
            used.add((collection.pk, name))
            # Most agents are edited copies of a handful of originals, as in the real corpus.
            if name in templates and rng.random() < 0.7:
                body = templates[name] + "\n" + words(rng, vocabulary, 30)
            else:
                body = make_body(rng, vocabulary, name, rng.sample(names, 3))
                templates.setdefault(name, body)
            raw = f"---\nname: {name}\ndescription: {words(rng, vocabulary, 25)}\n---\n{body}".encode()
            definitions.append(
                Definition(
                    collection=collection,
                    kind="agent",
                    format="claude-code" if i % 5 else "copilot",
                    slug=name,
                    name=name,
                    description=words(rng, vocabulary, 25),
                    model=rng.choice(MODELS),
                    frontmatter={"name": name, "description": "…", "tools": "Read, Grep", "x-team": "core"},
                    body=body,
                    # As an import stores it: no request renders Markdown.
                    rendered_html=render_body(body).html,
                    source_path=f"agents/{name}.md",
                    source_text=raw.decode(),
                    raw=raw,
                    sha256=hashlib.sha256(raw).hexdigest(),
                    size=len(raw),
                    import_run=run,
                    imported_at=now,
                    problem_count=1 if i % 20 == 0 else 0,
                    collaborator_count=3,
                )
            )
        for kind, count in (("command", agents // 20), ("skill", agents // 20)):
            for i in range(count):
                slug = f"{kind}-{i}"
                raw = f"---\ndescription: {kind} {i}\n---\nDo the {kind} {i}.\n".encode()
                definitions.append(
                    Definition(
                        collection=collections[i % len(collections)],
                        kind=kind,
                        format="claude-code",
                        slug=slug,
                        name=slug,
                        description=f"{kind} {i}",
                        body=f"Do the {kind} {i}.\n",
                        source_path=f"{kind}s/{slug}.md",
                        source_text=raw.decode(),
                        raw=raw,
                        sha256=hashlib.sha256(raw).hexdigest(),
                        size=len(raw),
                        import_run=run,
                        imported_at=now,
                    )
                )
        definitions = Definition.objects.bulk_create(definitions, batch_size=500)
        agent_rows = [d for d in definitions if d.kind == "agent"]
        by_name = {}
        for d in agent_rows:
            by_name.setdefault(d.slug, d)
        links, references, edges, problems = [], [], [], []
        for d in agent_rows:
            for position, name in enumerate(rng.sample(list(tools), rng.randrange(2, 8))):
                links.append(
                    DefinitionTool(
                        definition=d, tool=tools[name], raw=LEGACY.get(name, name) if rng.random() < 0.1 else name,
                        legacy=LEGACY.get(name, "") if rng.random() < 0.1 else "", position=position,
                    )
                )  # fmt: skip
            if rng.random() < 0.3:
                references.append(Reference(definition=d, kind="skill", name=rng.choice(SKILLS)))
            for kind in ("hands_off_to", "peer", "receives_from"):
                target = by_name.get(rng.choice(names))
                edges.append(
                    Edge(source=d, target=target, target_name=target.slug if target else "ghost-agent", kind=kind,
                         evidence=f"- Hands off to **{target.slug if target else 'ghost-agent'}**", line=30)
                )  # fmt: skip
            if d.problem_count:
                problems.append(
                    Problem(definition=d, collection_id=d.collection_id, import_run=run, path=d.source_path,
                            line=2, severity="warning", code="yaml-lenient", message="Frontmatter read leniently.")
                )  # fmt: skip
        DefinitionTool.objects.bulk_create(links, batch_size=1000)
        Reference.objects.bulk_create(references, batch_size=1000, ignore_conflicts=True)
        Edge.objects.bulk_create(edges, batch_size=1000, ignore_conflicts=True)
        Problem.objects.bulk_create(problems, batch_size=1000)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def measure(client, urls, headers=None):
    """Server time (ms) and query count per URL, the whole Django stack included."""
    times, queries = [], []
    for url in urls:
        connection.queries_log.clear()  # a bounded deque: once full, counts taken from it are wrong
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, headers=headers or {})
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    return times, queries


def report(label, times, queries):
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{label:<44} n={len(times):<4} p50={statistics.median(times):6.1f} ms  p95={p95:6.1f} ms  "
        f"queries={min(queries)}–{max(queries)}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per measured group")
    parser.add_argument("--keep", action="store_true", help="reuse the database when it already holds the catalog")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not (args.keep and Definition.objects.filter(kind="agent").count() == args.agents):
        started = time.perf_counter()
        call_command("flush", interactive=False, verbosity=0)
        build(args.agents)
        print(f"built {args.agents:,} agents in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    # Measure a settled catalog, as after an import (which refreshes the statistics itself):
    # on PostgreSQL, without the vacuum the first requests would clean up the rows just rewritten.
    connection.cursor().execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    client = Client(HTTP_HOST="localhost")  # a host ALLOWED_HOSTS accepts by default
    rng = random.Random(2)
    n = args.requests
    agents = list(Definition.objects.filter(kind="agent").select_related("collection").only(
        "slug", "kind", "collection__slug").order_by("?")[:n])  # fmt: skip
    pages = Definition.objects.filter(kind="agent").count() // 50
    collections = list(Collection.objects.values_list("slug", flat=True))
    tools = list(Tool.objects.values_list("name", flat=True))
    sorts = ["name", "-size", "collaborators", "collection"]
    htmx = {"HX-Request": "true"}

    measure(client, ["/agents/", agents[0].get_absolute_url()])  # warm-up: imports, template loading
    report("agent list, first page", *measure(client, ["/agents/"] * n))
    report("agent list, random page", *measure(client, [f"/agents/?page={rng.randrange(1, pages)}" for _ in range(n)]))
    filtered = [
        f"/agents/?collection={rng.choice(collections)}&tool={rng.choice(tools)}&sort={rng.choice(sorts)}"
        for _ in range(n)
    ]
    report("agent list, collection+tool+sort", *measure(client, filtered))
    report("agent list, tool+problems (htmx fragment)", *measure(client, [
        f"/agents/?tool={rng.choice(tools)}&problems=yes&page=2" for _ in range(n)], htmx))  # fmt: skip
    report("agent list, ?format=json", *measure(client, [f"/agents/?format=json&page={rng.randrange(1, pages)}"
                                                         for _ in range(n)]))  # fmt: skip
    urls = [d.get_absolute_url() for d in agents]
    report("agent detail, first view", *measure(client, urls))
    report("agent detail, cached HTML", *measure(client, urls))
    report("agent detail, ?format=json", *measure(client, [f"{u}?format=json" for u in urls]))
    report("tool detail (Bash)", *measure(client, ["/tools/Bash/"] * (n // 4)))
    report("collection detail", *measure(client, [f"/collections/{rng.choice(collections)}/" for _ in range(n // 4)]))
    report("overview", *measure(client, ["/"] * (n // 4)))


if __name__ == "__main__":
    main()
