"""Load test: gunicorn (2 workers) on 127.0.0.1 serving a 10,000-agent catalog, under bounded load.

Generates 10,000 synthetic agent files (20 collections of 500, each agent naming two
neighbours in a workflow chain, so the graph has edges and search has items), imports them
with ``manage.py import_agents`` into a throwaway SQLite file, serves the app with gunicorn
on a free port of 127.0.0.1 with production settings (debug off, a random secret key), and
drives each page in turn from a pool of client threads for a fixed time. Prints, per page:
requests, requests/s, p50 and p99 latency and errors (which must be 0), then the peak
resident memory (VmHWM) of each gunicorn worker. Only 127.0.0.1 is ever contacted.

    .venv/bin/python bench/load.py                      # 10,000 agents, 15 s per page, 8 threads
    .venv/bin/python bench/load.py --agents 2000 --duration 5 --threads 4 --keep

Exits 1 when any request failed (a status other than 200, or a connection error).
"""

import argparse
import http.client
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
COLLECTIONS = 20
WORKERS = 2

VERBS = "design build review test document migrate secure monitor profile deploy refactor audit".split()
OBJECTS = (
    "payment flows, search indexes, release notes, API contracts, database schemas, access policies, "
    "cache layers, incident runbooks, onboarding guides, feature flags, event streams, billing reports"
).split(", ")
ROLES = "engineer reviewer architect analyst specialist tester writer designer".split()
TOOLS = ["Read", "Write", "Edit", "Bash", "Grep", "Glob", "WebFetch", "mcp__github__create_issue"]
MODELS = ["sonnet", "opus", "haiku", "inherit"]


# ---------------------------------------------------------------------------
# The catalog
# ---------------------------------------------------------------------------


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


def write_catalog(root, agents):
    rng = random.Random(8)  # the same catalog on every run
    per_collection = agents // COLLECTIONS
    for collection in range(COLLECTIONS):
        folder = root / f"collection-{collection:02d}" / "agents"
        folder.mkdir(parents=True)
        for index in range(per_collection):
            path = folder / f"{agent_name(collection, index)}.md"
            path.write_text(agent_text(rng, collection, index, per_collection))
    return per_collection * COLLECTIONS


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(env, port):
    command = [
        str(VENV_BIN / "gunicorn"),
        "agentdash.wsgi:application",
        "--bind", f"{HOST}:{port}",
        "--workers", str(WORKERS),
        "--timeout", "60",
        "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=REPO, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        if len(worker_pids(server.pid)) == WORKERS and get(port, "/")[0] == 200:
            return server
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


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


def peak_memory_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# ---------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------


def get(port, path):
    """``(status, seconds)`` for one GET on a fresh connection (gunicorn's sync workers close it)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - start


def drive(port, paths, duration, threads):
    """Request random paths from ``threads`` threads for ``duration`` seconds; return (latencies, errors)."""
    latencies, errors, lock = [], [], threading.Lock()
    stop = time.monotonic() + duration

    def client(seed):
        rng = random.Random(seed)
        while time.monotonic() < stop:
            path = rng.choice(paths)
            status, seconds = get(port, path)
            with lock:
                latencies.append(seconds)
                if status != 200:
                    errors.append((status, path))

    pool = [threading.Thread(target=client, args=(seed,)) for seed in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies, errors


def page_paths(env):
    """A few hundred URLs of each kind, read from the imported catalog."""
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from catalog.models import Collection, Definition, Edge, Item

    rng = random.Random(3)
    definitions = list(Definition.objects.select_related("collection").order_by("?")[:400])
    print(f"catalog: {Edge.objects.count():,} collaboration edges, {Item.objects.count():,} search items")
    keys = [d.key for d in definitions]
    pages = (Definition.objects.count() + 49) // 50
    slugs = list(Collection.objects.values_list("slug", flat=True))
    words = VERBS + [o.split()[0] for o in OBJECTS]
    return {
        "list": [f"/agents/?page={rng.randint(1, pages)}" for _ in range(200)],
        "detail": [d.get_absolute_url() for d in definitions],
        "diff": ["/compare/?" + urlencode({"left": a, "right": b}) for a, b in zip(keys, keys[1:], strict=False)],
        "graph": ["/graph/"],
        "graph-collection": [f"/graph/?collection={slug}" for slug in slugs],
        "search": ["/search/?" + urlencode({"q": f"{rng.choice(words)} {rng.choice(words)}"}) for _ in range(200)],
    }


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load per page")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (files and database)")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="agentdash-load-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AGENTDASH_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "agentdash.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "AGENTDASH_VAR_DIR": str(scratch / "var"),
        "DATABASE_URL": f"sqlite:///{scratch / 'load.sqlite3'}",
    }
    server = None
    try:
        start = time.perf_counter()
        count = write_catalog(scratch / "catalog", args.agents)
        manage(env, "migrate", "--noinput")
        manage(env, "import_agents", str(scratch / "catalog"))
        print(f"catalog: {count:,} agents in {COLLECTIONS} collections, built in {time.perf_counter() - start:.1f} s")

        paths = page_paths(env)
        port = free_port()
        server = start_gunicorn(env, port)
        print(f"gunicorn: {WORKERS} workers on {HOST}:{port}; {args.threads} client threads, {args.duration:g} s/page")
        print(f"{'page':<18}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
        failures = 0
        for name, urls in paths.items():
            latencies, errors = drive(port, urls, args.duration, args.threads)
            latencies.sort()
            p50 = statistics.median(latencies) * 1000
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
            print(
                f"{name:<18}{len(latencies):>9}{len(latencies) / args.duration:>9.1f}{p50:>9.0f}{p99:>9.0f}"
                f"{len(errors):>8}"
            )
            for status, path in errors[:3]:
                print(f"    {status or 'connection error'} {path}")
            failures += len(errors)
        # Listed again: a worker that died and was replaced would show as a new pid.
        for pid in worker_pids(server.pid):
            print(f"worker {pid}: peak memory (VmHWM) {peak_memory_kib(pid) / 1024:.0f} MiB")
        return 1 if failures else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
