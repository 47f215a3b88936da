"""Benchmark for the collaboration graph: JSON server time and browser time to a drawn graph.

Prints
- the server time of the graph's JSON twin (``graph_data`` alone and the whole response) for
  the dev corpus (/work/shared/corpus imported into a throwaway SQLite file) and for 10k
  synthetic agents with about four edges each;
- the browser time to a ready graph at 2,000 nodes: Chromium (Playwright) loads the page from
  ``manage.py runserver`` and the figure is ``window.graphReadyAt``, which static/js/graph.js
  sets (ms since navigation start) once Cytoscape has laid the graph out.

    .venv/bin/python bench/bench_graph.py

Each database runs in its own process, because Django binds one database per process.
"""

import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
PYTHON = sys.executable
RUNS = 5
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def setup_django(db_path):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentdash.settings")
    sys.path.insert(0, str(REPO))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def synthetic(agents, seed=1):
    """``agents`` agents in 20 collections, each naming about four others, one in 20 dangling."""
    from django.utils import timezone

    from catalog.models import Collection, Definition, Edge

    rng = random.Random(seed)
    now = timezone.now()
    collections = Collection.objects.bulk_create(
        [
            Collection(name=f"Collection {i}", slug=f"collection-{i}", source_key=f"name:Collection {i}")
            for i in range(20)
        ]
    )
    definitions = Definition.objects.bulk_create(
        [
            Definition(
                collection=collections[i % 20], kind="agent", format="claude-code", slug=f"agent-{i}",
                name=f"agent-{i}", source_path=f"agents/agent-{i}.md", raw=b"", sha256="0" * 64, imported_at=now,
            )
            for i in range(agents)
        ],
        batch_size=2000,
    )
    kinds = ["receives_from", "hands_off_to", "peer", "delegates_to", "excludes", "mentions"]
    edges = []
    for d in definitions:
        for target in rng.sample(definitions, 4):
            dangling = rng.random() < 0.05
            edges.append(
                Edge(
                    source=d, target=None if dangling else target, kind=rng.choice(kinds),
                    target_name=f"ghost-{rng.randrange(50)}" if dangling else target.slug,
                    evidence=f"- **{target.slug}** for the next step", line=rng.randrange(1, 200),
                )
            )
    Edge.objects.bulk_create(edges, batch_size=5000, ignore_conflicts=True)


def time_server(label):
    from django.test import Client

    from catalog.models import Edge
    from catalog.selectors.graph import GraphFilters, graph_data

    client = Client(HTTP_HOST="localhost")
    data = graph_data(GraphFilters())
    core, whole = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        graph_data(GraphFilters())
        core.append(time.perf_counter() - start)
        start = time.perf_counter()
        response = client.get("/graph/?format=json")
        whole.append(time.perf_counter() - start)
        assert response.status_code == 200
    print(
        f"{label:<28} {len(data['nodes']):>6} nodes {len(data['edges']):>6} edges (db {Edge.objects.count()}) | "
        f"graph_data median {statistics.median(core) * 1000:7.1f} ms | JSON response median "
        f"{statistics.median(whole) * 1000:7.1f} ms ({len(response.content) / 1e6:.1f} MB)"
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_browser(db_path, label):
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            times = []
            for _ in range(3):
                tab = browser.new_page()
                tab.goto(f"http://127.0.0.1:{port}/graph/", timeout=120_000)
                tab.wait_for_selector("#graph[data-graph-ready]", state="attached", timeout=120_000)
                times.append(tab.evaluate("window.graphReadyAt"))
                response_end = tab.evaluate("Math.round(performance.getEntriesByType('navigation')[0].responseEnd)")
                print(f"  server response done at {response_end} ms, graph ready at {times[-1]:.0f} ms")
                nodes = tab.locator("#graph").get_attribute("data-graph-nodes")
                tab.close()
            browser.close()
        runs = ", ".join(f"{t:.0f}" for t in times)
        median = statistics.median(times)
        print(f"{label:<28} {nodes:>6} nodes | navigation → window.graphReady median {median:7.0f} ms (runs: {runs})")
    finally:
        server.terminate()
        server.wait()


def child(mode, arg):
    db_path = Path(f"/tmp/bench_graph_{mode}_{arg}.sqlite3")
    db_path.unlink(missing_ok=True)
    setup_django(db_path)
    if mode == "corpus":
        from catalog.services.importer import import_paths

        import_paths([str(CORPUS)])
        time_server("dev corpus")
    elif mode == "synthetic":
        synthetic(int(arg))
        time_server(f"synthetic {int(arg):,} agents")
    elif mode == "browser":
        synthetic(int(arg))
        time_browser(db_path, f"browser, {int(arg):,} agents")
    db_path.unlink(missing_ok=True)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3])
    for mode, arg in [("corpus", "-"), ("synthetic", "10000"), ("browser", "2000")]:
        subprocess.run([PYTHON, __file__, "--child", mode, arg], check=False)


if __name__ == "__main__":
    main()
