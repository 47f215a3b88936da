"""Benchmark: git sources on a generated repository, printed as seconds and sizes.

Usage: .venv/bin/python bench/bench_sources.py [FILES] [COMMITS]

Builds a repository of FILES Markdown files (default 600) and COMMITS commits (default 400),
each editing a few files, then measures, in one run:
- a clone by file:// URL: --depth 1, blobless (--filter=blob:none, the default) and full,
  with the size of each .git folder and how many files get an exact last-change date;
- last-change dates of every file: one batched ``git log`` (history.last_changes) against one
  ``git log -1`` per file, the approach it replaces.
Nothing is timed in tests; this prints figures. Everything lives in a temporary folder.
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from catalog.core.sources import clone, last_changes, parse_source  # noqa: E402


def git(cwd, *args, env=None):
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def build(upstream, files, commits):
    upstream.mkdir()
    git(upstream, "init", "--quiet", "--initial-branch=main")
    git(upstream, "config", "user.name", "Bench")
    git(upstream, "config", "user.email", "bench@example.org")
    git(upstream, "config", "uploadpack.allowFilter", "true")
    names = [f"agents/{group:02}/agent-{n:04}.md" for n in range(files) for group in [n % 12]]
    rng = random.Random(14)
    for n, name in enumerate(names):
        path = upstream / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\nname: agent-{n}\n---\n# Agent {n}\n\n" + "Body text. " * 200 + "\n")
    git(upstream, "add", ".")
    stamp = 1_600_000_000
    env = dict(os.environ, GIT_AUTHOR_DATE=f"@{stamp} +0000", GIT_COMMITTER_DATE=f"@{stamp} +0000")
    git(upstream, "commit", "--quiet", "-m", "initial", env=env)
    for n in range(commits):
        for name in rng.sample(names[: files // 2], 3):  # half the files never change again
            with open(upstream / name, "a", encoding="utf-8") as handle:
                handle.write(f"\nRevision {n}: " + "more words " * 50 + "\n")
        stamp += 3600
        env = dict(os.environ, GIT_AUTHOR_DATE=f"@{stamp} +0000", GIT_COMMITTER_DATE=f"@{stamp} +0000")
        git(upstream, "commit", "--quiet", "-am", f"revision {n}", env=env)
    return names


def size(folder):
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def timed(call):
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def main():
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    scratch = Path(tempfile.mkdtemp(prefix="agentdash-bench-sources-"))
    os.environ.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    try:
        seconds, names = timed(lambda: build(scratch / "upstream", files, commits))
        print(f"repository: {files} files, {commits + 1} commits (built in {seconds:.1f} s)")
        source = parse_source((scratch / "upstream").as_uri())
        modes = {"depth 1": {"shallow": True}, "blobless": {}, "full": None}
        for label, options in modes.items():
            dest = scratch / label.replace(" ", "-")
            if options is None:
                seconds, _ = timed(lambda d=dest: git(scratch, "clone", "--quiet", "--no-local", source.url, str(d)))
            else:
                seconds, _ = timed(lambda d=dest, o=options: clone(source, d, **o))
            log_seconds, changes = timed(lambda d=dest: last_changes(d))
            exact = sum(change.exact for change in changes.values())
            print(
                f"clone {label:<9} {seconds:6.2f} s  .git {size(dest / '.git') / 1e6:7.2f} MB  "
                f"dates: {exact}/{len(changes)} exact, batched git log {log_seconds:6.3f} s"
            )
        dest = scratch / "blobless"
        batched, _ = timed(lambda: last_changes(dest))
        per_file, _ = timed(lambda: [git(dest, "log", "-1", "--format=%H %cI", "--", name) for name in names])
        print(f"last-change dates of {len(names)} files: one git log {batched:.3f} s, one git log per file "
              f"{per_file:.2f} s ({per_file / batched:.0f}x)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
