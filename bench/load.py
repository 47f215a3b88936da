"""Load benchmark: AgentDash beside a bare Django app, both under gunicorn, in one run.

Imports the real corpus (``../shared/corpus``; ``--catalog synthetic`` for 10,000 generated
agents instead, ``both`` for one run of each) into a fresh SQLite file with AgentDash's own
``manage.py``, then serves that file twice on free ports of 127.0.0.1, with the same gunicorn
and the same number of workers: AgentDash with production settings (debug off, a random
secret key from the environment, ALLOWED_HOSTS 127.0.0.1) and the bare app of ``bench/bare/``
(one raw query and one small template a page, no middleware). Client threads then request,
for a fixed time each, page by page:

* detail: a definition's page. AgentDash gets each definition at most once (a first visit;
  the phase ends early when all were seen); the bare app, which keeps nothing per URL,
  cycles through the same shuffled list;
* search: the HTMX fragment (``HX-Request: true``) for a fixed list of realistic queries;
  the bare app answers with a hand-written FTS5 bm25 top 20 over AgentDash's index;
* list: agent list pages 1..N (AgentDash only);
* graph: the whole-catalog graph JSON (AgentDash only).

Each page's time is cut into ``--rounds`` slices that alternate between the servers, so
machine noise hits both alike. Prints per page and server: requests, req/s, p50/p95/p99
latency, errors, the client's own CPU use, the ratio to the bare app (and to the base), and
issue 16's goals beside them; then a JSON line with the same figures, to compare commits.

``--base REV`` also runs an older commit (exported with ``git archive`` into the scratch
folder; no worktree is added) against its own fresh import, in the same rounds, for
before/after ratios; ``--base DIR`` takes an existing checkout. ``--checkout DIR`` measures
another checkout instead of this one. A checkout's own ``.venv`` is used when it has one.
Only 127.0.0.1 is ever contacted, and every phase is bounded in time and requests.

    .venv/bin/python bench/load.py                        # corpus, ~2 minutes
    .venv/bin/python bench/load.py --base HEAD~3          # and an older commit, side by side
    .venv/bin/python bench/load.py --seconds 4 --rounds 2 --pages detail,search
    .venv/bin/python bench/load.py --catalog synthetic --agents 10000 --json-out figures.jsonl

Exits 1 when any request failed (a status other than 200, a truncated response or a
connection error); missed goals are reported, not failed.
"""

import argparse
import gzip
import io
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPUS = REPO.parent / "shared" / "corpus"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30  # seconds; a request slower than this counts as an error
P99_GOAL_MS = 100

# What people type into the search box of the corpus: tasks, technologies, practices.
CORPUS_QUERIES = [
    "code review", "security vulnerabilities", "test coverage", "database migration", "performance",
    "documentation", "api design", "refactoring", "accessibility", "error handling", "typescript",
    "kubernetes deployment", "pull request", "unit tests", "react components", "sql queries",
    "incident response", "ci pipeline", "commit message", "dependency updates",
]  # fmt: skip

# ---------------------------------------------------------------------------
# The synthetic catalog
# ---------------------------------------------------------------------------

COLLECTIONS = 20
VERBS = "design build review test document migrate secure monitor profile deploy refactor audit".split()
OBJECTS = (
    "payment flows, search indexes, release notes, API contracts, database schemas, access policies, "
    "cache layers, incident runbooks, onboarding guides, feature flags, event streams, billing reports"
).split(", ")
ROLES = "engineer reviewer architect analyst specialist tester writer designer".split()
TOOLS = ["Read", "Write", "Edit", "Bash", "Grep", "Glob", "WebFetch", "mcp__github__create_issue"]
MODELS = ["sonnet", "opus", "haiku", "inherit"]
SYNTHETIC_QUERIES = [f"{verb} {obj}" for verb, obj in zip(VERBS, OBJECTS, strict=True)] + [
    "payment", "release notes", "review", "incident runbooks", "cache", "database schemas", "audit", "feature",
]  # fmt: skip


def agent_name(collection, index):
    # Ends on a role word, as agent names do, so the collaboration reader takes it for one.
    return f"c{collection:02d}x{index:04d}-{VERBS[index % len(VERBS)]}-{ROLES[index % len(ROLES)]}"


def agent_text(rng, collection, index, per_collection):
    """One agent: frontmatter, responsibilities, metrics and a workflow chain to two neighbours."""
    name = agent_name(collection, index)
    before = agent_name(collection, (index - 1) % per_collection)
    after = agent_name(collection, (index + 1) % per_collection)
    duties = "\n".join(f"- {rng.choice(VERBS).capitalize()} the {rng.choice(OBJECTS)} it owns" for _ in range(6))
    metrics = "\n".join(f"- {rng.randint(80, 99)}% of {rng.choice(OBJECTS)} pass review" for _ in range(3))
    return (
        f"---\nname: {name}\n"
        f"description: Agent {index} of collection {collection}; {rng.choice(VERBS)}s {rng.choice(OBJECTS)}.\n"
        f"tools: {', '.join(rng.sample(TOOLS, 3))}\nmodel: {rng.choice(MODELS)}\n---\n\n"
        f"# {name}\n\nYou {rng.choice(VERBS)} {rng.choice(OBJECTS)} for the team.\n\n"
        f"## Core Responsibilities\n\n{duties}\n\n"
        f"## Workflow Position\n\n{before} → [{name}: YOU ARE HERE] → {after}\n\n"
        f"## Success Metrics\n\n{metrics}\n"
    )


def write_synthetic(root, agents):
    rng = random.Random(8)  # the same catalog on every run
    per_collection = max(1, agents // COLLECTIONS)
    for collection in range(COLLECTIONS):
        folder = root / f"collection-{collection:02d}" / "agents"
        folder.mkdir(parents=True)
        for index in range(per_collection):
            path = folder / f"{agent_name(collection, index)}.md"
            path.write_text(agent_text(rng, collection, index, per_collection))
    return root


# ---------------------------------------------------------------------------
# Checkouts and their catalogs
# ---------------------------------------------------------------------------


def git(checkout, *args):
    done = subprocess.run(["git", "-C", str(checkout), *args], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def describe(checkout):
    """The commit a checkout is at, ``+dirty`` when it has uncommitted changes to tracked files."""
    commit = git(checkout, "rev-parse", "--short", "HEAD")
    if not commit:
        return "unknown"
    return commit + ("+dirty" if git(checkout, "status", "--porcelain", "--untracked-files=no") else "")


def export_revision(checkout, revision, scratch):
    """``revision`` as a plain folder (``git archive``, no worktree is added).

    Read from ``checkout``'s repository, or this script's when the checkout is not one.
    """
    repo = checkout if git(checkout, "rev-parse", "--git-dir") else REPO
    commit = git(repo, "rev-parse", "--verify", f"{revision}^{{commit}}")
    if not commit:
        raise SystemExit(f"--base {revision}: neither a folder nor a commit of {repo}")
    archive = subprocess.run(["git", "-C", str(repo), "archive", commit], capture_output=True, check=True)
    short = git(repo, "rev-parse", "--short", commit)
    target = scratch / f"base-{short}"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target, short


def venv_bin(checkout):
    """The checkout's own ``.venv`` when it has one, else this interpreter's."""
    own = checkout / ".venv" / "bin"
    return own if (own / "python").exists() else Path(sys.executable).parent


def clean_environ():
    prefixes = ("DJANGO_", "AGENTDASH_", "DATABASE_URL", "BARE_", "PYTHONPATH")
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


@dataclass
class Server:
    """One gunicorn under test: what it runs, on which database, where it logs."""

    label: str
    checkout: Path  # the folder gunicorn runs in
    app: str
    env: dict
    database: Path
    ready_path: str
    stateful: bool  # keeps something per URL (AgentDash renders and caches), so "first visit" means something
    bin: Path
    commit: str = ""
    port: int = 0
    process: subprocess.Popen | None = None
    log: Path | None = None


def agentdash(label, checkout, commit, scratch, secret):
    """AgentDash from ``checkout`` with production settings, on a fresh SQLite file of its own."""
    bin_dir = venv_bin(checkout)
    database = scratch / f"{label}.sqlite3"
    env = {
        **clean_environ(),
        "DJANGO_SETTINGS_MODULE": "agentdash.settings",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "AGENTDASH_VAR_DIR": str(scratch / f"{label}-var"),
        "DATABASE_URL": f"sqlite:///{database}",
        # Ahead of an editable install of another checkout in the same venv.
        "PYTHONPATH": str(checkout),
    }
    found = subprocess.run(
        [str(bin_dir / "python"), "-c", "import catalog; print(catalog.__file__)"],
        cwd=checkout, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not Path(found).resolve().is_relative_to(checkout.resolve()):
        raise SystemExit(f"{label}: {checkout} imports catalog from {found}, not from itself")
    return Server(
        label=label,
        checkout=checkout,
        app="agentdash.wsgi:application",
        env=env,
        database=database,
        ready_path="/",
        stateful=True,
        bin=bin_dir,
        commit=commit,
    )


def bare(agentdash_server, secret):
    """The bare app, run by AgentDash's gunicorn on AgentDash's SQLite file."""
    env = {
        **clean_environ(),
        "DJANGO_SETTINGS_MODULE": "bare.settings",
        "DJANGO_SECRET_KEY": secret,
        "BARE_SQLITE": str(agentdash_server.database),
        "PYTHONPATH": str(BENCH),
    }
    return Server(
        label="bare",
        checkout=BENCH,
        app="bare.wsgi:application",
        env=env,
        database=agentdash_server.database,
        ready_path="/search/?q=warm",
        stateful=False,
        bin=agentdash_server.bin,
    )


def import_catalog(server, source):
    """Migrate and import ``source`` with the server's own code; returns the import's seconds."""
    manage = [str(server.bin / "python"), "manage.py"]
    run = {"cwd": server.checkout, "env": server.env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*manage, "migrate", "--noinput"], **run)
    start = time.perf_counter()
    subprocess.run([*manage, "import_agents", str(source)], **run)
    return time.perf_counter() - start


def read_catalog(database):
    """Detail paths (shuffled, the same order on every run) and counts, read from the SQLite file."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT c.slug, d.kind, d.slug FROM catalog_definition d"
            " JOIN catalog_collection c ON c.id = d.collection_id WHERE NOT d.missing ORDER BY c.slug, d.kind, d.slug"
        ).fetchall()
        counts = {
            "edges": db.execute("SELECT count(*) FROM catalog_edge").fetchone()[0],
            "items": db.execute("SELECT count(*) FROM catalog_item").fetchone()[0],
        }
    kinds = {}
    for _, kind, _ in rows:
        kinds[kind] = kinds.get(kind, 0) + 1
    paths = ["/d/" + "/".join(quote(part, safe=":@") for part in row) + "/" for row in rows]
    random.Random(16).shuffle(paths)
    return paths, {"definitions": len(rows), "kinds": kinds, **counts}


# ---------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start(server, workers, scratch):
    server.port = free_port()
    server.log = scratch / f"{server.label}.log"
    command = [
        str(server.bin / "gunicorn"), server.app,
        "--chdir", str(server.checkout),
        "--bind", f"{HOST}:{server.port}",
        "--workers", str(workers),
        "--timeout", "60",
        "--log-level", "warning",
    ]  # fmt: skip
    with server.log.open("wb") as log:
        server.process = subprocess.Popen(command, env=server.env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            status = server.process.returncode
            raise SystemExit(f"{server.label}: gunicorn exited with status {status}:\n{log_tail(server)}")
        if len(worker_pids(server.process.pid)) == workers and fetch(server.port, server.ready_path)[0] == 200:
            # Every worker loads its code and templates outside the measured time.
            warm = [threading.Thread(target=fetch, args=(server.port, server.ready_path)) for _ in range(4 * workers)]
            for thread in warm:
                thread.start()
            for thread in warm:
                thread.join()
            return
        time.sleep(0.2)
    raise SystemExit(f"{server.label}: gunicorn did not answer within 60 s:\n{log_tail(server)}")


def log_tail(server, lines=10):
    return "\n".join("    " + line for line in server.log.read_text(errors="replace").splitlines()[-lines:])


def stop(server):
    if server.process is None or server.process.poll() is not None:
        return
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def worker_pids(master):
    """The gunicorn workers: the processes whose parent is the master."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces; the parent pid follows it.
            if int(stat.rpartition(")")[2].split()[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def peak_memory_mib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# ---------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------


def fetch(port, path, headers=""):
    """``(status, body, seconds)`` for one GET on its own connection (gunicorn's sync workers close it).

    Plain sockets rather than http.client: at a thousand requests a second the client shares
    two cores with the servers, so its own cost must stay small. A response shorter than its
    Content-Length has status -1; a connection error or timeout, 0.
    """
    # gzip as a browser accepts it, so a page sent compressed is measured compressed.
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n{headers}\r\n"
    ).encode()
    started = time.perf_counter()
    chunks = []
    try:
        with socket.create_connection((HOST, port), timeout=REQUEST_TIMEOUT) as connection:
            connection.sendall(request)
            while chunk := connection.recv(262144):
                chunks.append(chunk)
    except OSError:
        return 0, b"", time.perf_counter() - started
    seconds = time.perf_counter() - started
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return 0, b"", seconds
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and int(value) != len(body):
            return -1, body, seconds
    return status, body, seconds


class Cursor:
    """Hands the client threads the next path of a list, within a budget of requests.

    Distinct: each path at most once over the whole run (the list's length is the limit);
    otherwise the list repeats until the limit.
    """

    def __init__(self, paths, limit, *, distinct):
        self.paths = paths
        self.limit = min(limit, len(paths)) if distinct else limit
        self.taken = 0
        self.stop_at = 0
        self.lock = threading.Lock()

    def allow(self, count):
        self.stop_at = min(self.limit, self.taken + count)

    @property
    def exhausted(self):
        return self.taken >= self.limit

    def next(self):
        with self.lock:
            if self.taken >= self.stop_at:
                return None
            path = self.paths[self.taken % len(self.paths)]
            self.taken += 1
            return path


@dataclass
class Stats:
    """Every request one server answered for one page, over all rounds."""

    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (status, path)
    seconds: float = 0.0  # wall time under load
    client_cpu: float = 0.0  # CPU seconds the client process used meanwhile
    ended_early: bool = False

    def percentile(self, p):
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000 if ordered else float("nan")

    @property
    def rate(self):
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def figures(self):
        return {
            "requests": len(self.latencies),
            "req_s": round(self.rate, 1),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "errors": len(self.errors),
            "seconds": round(self.seconds, 2),
            "client_cpu": round(self.client_cpu / self.seconds, 2) if self.seconds else 0.0,
        }


def drive(port, cursor, headers, seconds, threads, stats):
    """Request the cursor's paths from ``threads`` threads until ``seconds`` pass or its budget ends."""
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline and (path := cursor.next()) is not None:
            status, _, elapsed = fetch(port, path, headers)
            with lock:
                stats.latencies.append(elapsed)
                if status != 200:
                    stats.errors.append((status, path))

    pool = [threading.Thread(target=client) for _ in range(threads)]
    cpu, wall = time.process_time(), time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    stats.seconds += time.perf_counter() - wall
    stats.client_cpu += time.process_time() - cpu


# ---------------------------------------------------------------------------
# Pages and goals
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    headers: str = ""
    distinct: bool = False  # on a stateful server, every request is a URL it has not seen
    bare: bool = False  # the bare app serves it too
    goal_ratio: float | None = None  # of the bare app's req/s
    goal_rate: float | None = None  # req/s

    @property
    def goal(self):
        wanted = f">={self.goal_ratio:g}x bare" if self.goal_ratio else f">={self.goal_rate:g} req/s"
        return f"{wanted}, p99<={P99_GOAL_MS}ms, 0 errors"

    def missed(self, figures, ratio):
        """What misses issue 16's goals, as short phrases; empty when all are met."""
        misses = []
        if self.goal_ratio and (ratio is None or ratio < self.goal_ratio):
            misses.append(f"ratio {ratio:.2f}" if ratio is not None else "no ratio")
        if self.goal_rate and figures["req_s"] < self.goal_rate:
            misses.append(f"{figures['req_s']:g} req/s")
        if not figures["p99_ms"] <= P99_GOAL_MS:
            misses.append(f"p99 {figures['p99_ms']:.0f}ms")
        if figures["errors"]:
            misses.append(f"{figures['errors']} errors")
        return misses


PAGES = {
    "detail": Page("detail", distinct=True, bare=True, goal_ratio=0.5),
    "search": Page("search", headers="HX-Request: true\r\n", bare=True, goal_ratio=0.5),
    "list": Page("list", goal_rate=300),
    "graph": Page("graph", goal_rate=20),
}


def page_paths(server, details, queries):
    """Each page's paths on one server; the list's page count comes from its JSON twin."""
    paths = {
        "detail": details,
        "search": ["/search/?" + urlencode({"q": query}) for query in queries],
    }
    if server.stateful:
        status, body, _ = fetch(server.port, "/agents/?format=json")
        if status != 200:
            raise SystemExit(f"{server.label}: /agents/?format=json answered {status}")
        if body[:2] == b"\x1f\x8b":  # sent gzip-compressed, as it was asked for
            body = gzip.decompress(body)
        paths["list"] = [f"/agents/?page={n}" for n in range(1, json.loads(body)["pages"] + 1)]
        random.Random(29).shuffle(paths["list"])
        paths["graph"] = ["/graph/?format=json"]
    return paths


# ---------------------------------------------------------------------------
# One run
# ---------------------------------------------------------------------------


def measure(pages, servers, paths, args):
    """Every page on every server that serves it, in rounds that rotate the servers' order."""
    results = {}
    slice_seconds = args.seconds / args.rounds
    for page in pages:
        group = [s for s in servers if page.name in paths[s.label]]
        cursors = {
            s.label: Cursor(paths[s.label][page.name], args.requests, distinct=page.distinct and s.stateful)
            for s in group
        }
        stats = {s.label: Stats() for s in group}
        for round_index in range(args.rounds):
            turn = round_index % len(group)
            for server in group[turn:] + group[:turn]:
                cursor = cursors[server.label]
                # Leave the later rounds their share of a limited list.
                cursor.allow(math.ceil((cursor.limit - cursor.taken) / (args.rounds - round_index)))
                drive(server.port, cursor, page.headers, slice_seconds, args.threads, stats[server.label])
        for server in group:
            stats[server.label].ended_early = cursors[server.label].exhausted
        results[page.name] = stats
        print(f"  measured {page.name}", file=sys.stderr, flush=True)
    return results


def report(pages, servers, results, header):
    """The table, the goals beside AgentDash's rows, and the record for the JSON line."""
    labels = [s.label for s in servers]
    has_base = "base" in labels
    columns = f"{'page':<8}{'server':<11}{'requests':>9}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    columns += f"{'errors':>7}{'client':>7}{'vs bare':>8}" + (f"{'vs base':>8}" if has_base else "") + "  goal"
    print(columns)
    record_pages, notes, failures = {}, [], 0
    for page in pages:
        stats = results[page.name]
        figures = {label: stats[label].figures() for label in labels if label in stats}
        entry = dict(figures)
        for label in figures:
            failures += figures[label]["errors"]
        for label in labels:
            if label not in figures:
                continue
            f = figures[label]
            ratios = {}
            if label != "bare" and "bare" in figures and figures["bare"]["req_s"]:
                ratios["bare"] = f["req_s"] / figures["bare"]["req_s"]
            if label == "agentdash" and "base" in figures and figures["base"]["req_s"]:
                ratios["base"] = f["req_s"] / figures["base"]["req_s"]
            line = (
                f"{page.name if label == labels[0] else '':<8}{label:<11}{f['requests']:>9}{f['req_s']:>9.1f}"
                f"{f['p50_ms']:>8.1f}{f['p95_ms']:>8.1f}{f['p99_ms']:>8.1f}{f['errors']:>7}{f['client_cpu']:>6.0%} "
                f"{_ratio(ratios.get('bare')):>8}" + (f"{_ratio(ratios.get('base')):>8}" if has_base else "")
            )
            if label == "agentdash":
                misses = page.missed(f, ratios.get("bare"))
                line += f"  {page.goal}: " + ("met" if not misses else "MISSED (" + ", ".join(misses) + ")")
                entry["goal"] = page.goal
                entry["goal_met"] = not misses
            if label in ("agentdash", "base") and "bare" in ratios:
                entry[f"{label}_vs_bare"] = round(ratios["bare"], 3)
            if "base" in ratios:
                entry["agentdash_vs_base"] = round(ratios["base"], 3)
            print(line)
            if stats[label].ended_early and page.distinct and label != "bare":
                notes.append(
                    f"{page.name}/{label}: every definition was visited once after {f['requests']} requests "
                    f"({f['seconds']:.1f} s of load)"
                )
            for status, path in stats[label].errors[:3]:
                reason = {0: "connection error or timeout", -1: "truncated"}.get(status, status)
                notes.append(f"{page.name}/{label}: {reason} {path}")
        record_pages[page.name] = entry
    for note in notes:
        print(f"  note: {note}")
    return {**header, "pages": record_pages}, failures


def _ratio(value):
    return "-" if value is None else f"{value:.2f}"


def run_catalog(catalog, args, checkouts, scratch):
    """Import, serve and measure one catalog; returns the number of failed requests."""
    source = CORPUS if catalog == "corpus" else write_synthetic(scratch / "synthetic", args.agents)
    secret = secrets.token_urlsafe(64)
    servers = [agentdash(label, path, commit, scratch, secret) for label, path, commit in checkouts]
    imports = {}
    for server in servers:
        imports[server.label] = round(import_catalog(server, source), 1)
    head = servers[0]
    servers.insert(1, bare(head, secret))
    details, counts = read_catalog(head.database)
    print(
        f"catalog {catalog}: {counts['definitions']:,} definitions ("
        + ", ".join(f"{n:,} {kind}s" for kind, n in sorted(counts["kinds"].items()))
        + f"), {counts['edges']:,} edges, {counts['items']:,} search items; import "
        + ", ".join(f"{label} {s:.1f} s" for label, s in imports.items())
    )
    queries = CORPUS_QUERIES if catalog == "corpus" else SYNTHETIC_QUERIES
    try:
        for server in servers:
            start(server, args.workers, scratch)
        paths = {}
        for server in servers:
            own = details if server.database == head.database else read_catalog(server.database)[0]
            paths[server.label] = page_paths(server, own, queries)
        pages = [PAGES[name] for name in args.pages]
        for server in servers:
            print(f"  {server.label:<10} {server.commit or 'bench/bare':<16} {HOST}:{server.port}  {server.checkout}")
        print(
            f"gunicorn {args.workers} workers each; {args.threads} client threads; {args.seconds:g} s per page and "
            f"server in {args.rounds} alternating rounds; load average {_load()}",
            flush=True,
        )
        results = measure(pages, servers, paths, args)
        header = {
            "bench": "load",
            "catalog": catalog,
            "commit": head.commit,
            "base": servers[2].commit if len(servers) > 2 else None,
            **counts,
            "import_s": imports,
            "workers": args.workers,
            "threads": args.threads,
            "seconds": args.seconds,
            "rounds": args.rounds,
            "loadavg": [round(x, 2) for x in os.getloadavg()],
        }
        record, failures = report(pages, servers, results, header)
        for server in servers:
            memory = ", ".join(f"{peak_memory_mib(pid):.0f}" for pid in worker_pids(server.process.pid))
            print(f"  {server.label}: workers' peak memory (VmHWM) {memory} MiB")
        print(f"load average after: {_load()}")
        line = json.dumps(record, separators=(",", ":"))
        print(line, flush=True)
        if args.json_out:
            with Path(args.json_out).open("a") as out:
                out.write(line + "\n")
        if failures:
            for server in servers:
                if tail := log_tail(server, 5):
                    print(f"  {server.label} log, last lines:\n{tail}")
        return failures
    finally:
        for server in servers:
            stop(server)


def _load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalog", choices=["corpus", "synthetic", "both"], default="corpus")
    parser.add_argument("--agents", type=int, default=10_000, help="agents in the synthetic catalog")
    parser.add_argument("--seconds", type=float, default=15.0, help="seconds of load per page and server")
    parser.add_argument("--rounds", type=int, default=3, help="alternating slices of each page's time")
    parser.add_argument("--requests", type=int, default=50_000, help="at most this many requests per page and server")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--pages", default=",".join(PAGES), help=f"comma-separated, of {', '.join(PAGES)}")
    parser.add_argument("--checkout", type=Path, default=REPO, help="the AgentDash checkout to measure")
    parser.add_argument("--base", help="an older commit (REV) or checkout (DIR) to measure beside it")
    parser.add_argument("--json-out", help="also append each JSON line to this file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (databases, logs)")
    args = parser.parse_args()
    args.pages = [name.strip() for name in args.pages.split(",") if name.strip()]
    if unknown := set(args.pages) - set(PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if args.rounds < 1 or args.seconds <= 0 or args.requests < 1 or args.threads < 1 or args.workers < 1:
        parser.error("--rounds, --seconds, --requests, --threads and --workers must be positive")
    if args.catalog != "synthetic" and not CORPUS.is_dir():
        parser.error(f"the corpus is not at {CORPUS}")

    scratch = Path(tempfile.mkdtemp(prefix="agentdash-load-"))
    failures = 0
    try:
        checkout = args.checkout.resolve()
        checkouts = [("agentdash", checkout, describe(checkout))]
        if args.base:
            if Path(args.base).is_dir():
                base = Path(args.base).resolve()
                checkouts.append(("base", base, describe(base)))
            else:
                checkouts.append(("base", *export_revision(checkout, args.base, scratch)))
        for catalog in ["corpus", "synthetic"] if args.catalog == "both" else [args.catalog]:
            failures += run_catalog(catalog, args, checkouts, scratch)
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
