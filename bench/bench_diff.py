"""Benchmark for catalog.core.diffing: how long a structured diff takes on real and large inputs.

Prints the median of several runs for the seeds 000 vs 002, for synthetic 1 MiB bodies
(coarse mode), for synthetic bodies just under the coarse bounds (the slowest full
diffs), for unified_patch on some of them, and, for contrast, difflib.HtmlDiff on the
two seeds. Run from anywhere:

    .venv/bin/python bench/bench_diff.py
"""

import difflib
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from catalog.core.diffing import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES, DiffSide, diff_definitions, unified_patch  # noqa: E402
from tests.helpers import seed_side  # noqa: E402

WORDS = (
    "api service schema index cache queue retry token tenant ledger audit deploy metric "
    "latency shard replica rollback contract migration gateway handler endpoint payload"
).split()


def median_ms(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def synthetic_body(size, rng, sections=True):
    """Markdown-like text of about ``size`` bytes: headings every ~40 lines, wordy lines."""
    lines, total, number = [], 0, 0
    while total < size:
        if sections and number % 40 == 0:
            line = f"## Section {number // 40}: {' '.join(rng.choices(WORDS, k=3))}"
        else:
            line = "- " + " ".join(rng.choices(WORDS, k=rng.randint(4, 16)))
        lines.append(line)
        total += len(line) + 1
        number += 1
    return "\n".join(lines)


def mutate(body, rng, rate):
    """Edit, drop or insert roughly ``rate`` of the lines."""
    out = []
    for line in body.splitlines():
        roll = rng.random()
        if roll < rate / 3 and not line.startswith("#"):
            continue
        if roll < 2 * rate / 3 and line.strip():
            words = line.split()
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            line = " ".join(words)
        elif roll < rate:
            out.append("- " + " ".join(rng.choices(WORDS, k=8)))
        out.append(line)
    return "\n".join(out)


def report(name, left, right, runs, patch=False):
    diff = diff_definitions(left, right)
    ms = median_ms(lambda: diff_definitions(left, right), runs)
    rows = sum(len(s.rows) for s in diff.sections)
    print(
        f"{name:42} {ms:9.1f} ms   sections={len(diff.sections):5} rows={rows:6} "
        f"similarity={diff.summary.similarity:.3f} coarse={diff.summary.coarse}"
    )
    if patch:
        ms = median_ms(lambda: unified_patch(left, right), max(1, runs // 2))
        print(f"{'  unified_patch on the same raw texts':42} {ms:9.1f} ms")


def main():
    rng = random.Random(20240601)
    a, b = seed_side("000"), seed_side("002")
    print(f"seed 000: {len(a.body.encode()):,} bytes, seed 002: {len(b.body.encode()):,} bytes\n")
    report("diff_definitions seeds 000 vs 002", a, b, runs=21)
    report("diff_definitions seed 002 vs itself", b, b, runs=21)
    edited = DiffSide("edited", b.frontmatter, mutate(b.body, rng, 0.1), tools=b.tools)
    report("diff_definitions 002 vs 002 with 10% edits", b, edited, runs=21)

    mib = 1024 * 1024
    big = synthetic_body(mib, rng)
    big_edited = mutate(big, rng, 0.05)
    unrelated = synthetic_body(mib, rng)
    report(
        "1 MiB vs 1 MiB, 5% edits (coarse)",
        DiffSide("a", {}, big, big),
        DiffSide("b", {}, big_edited, big_edited),
        5,
        patch=True,
    )
    report("1 MiB vs unrelated 1 MiB (coarse)", DiffSide("a", {}, big), DiffSide("b", {}, unrelated), 5)
    flat, flat_other = synthetic_body(mib, rng, sections=False), synthetic_body(mib, rng, sections=False)
    report("1 MiB vs 1 MiB, no headings (coarse)", DiffSide("a", {}, flat), DiffSide("b", {}, flat_other), 5)

    # Just under the bounds the full diff still runs: these are its slowest cases.
    near = DEFAULT_MAX_BYTES - 1024
    for label, sections in (("sections", True), ("one section", False)):
        left_body = synthetic_body(near, rng, sections)
        report(
            f"{near // 1024} KiB, 10% edits, {label} (fine)",
            DiffSide("a", {}, left_body),
            DiffSide("b", {}, mutate(left_body, rng, 0.1)),
            5,
        )
        report(
            f"{near // 1024} KiB vs unrelated, {label} (fine)",
            DiffSide("a", {}, left_body),
            DiffSide("b", {}, synthetic_body(near, rng, sections)),
            3,
        )
    # Few distinct short lines in random order is the line matcher's worst case.
    lines = DEFAULT_MAX_LINES - 10
    pool = [f"- item {n}" for n in range(100)]
    left_body, right_body = ("\n".join(rng.choices(pool, k=lines)) for _ in range(2))
    report(
        f"{lines:,} short repeated lines (fine)",
        DiffSide("a", {}, left_body, left_body),
        DiffSide("b", {}, right_body, right_body),
        3,
        patch=True,
    )
    left_body, right_body = ("\n".join(rng.choices(pool, k=mib // 9)) for _ in range(2))
    report(
        "1 MiB of short repeated lines (coarse)",
        DiffSide("a", {}, left_body, left_body),
        DiffSide("b", {}, right_body, right_body),
        3,
        patch=True,
    )

    left_lines, right_lines = a.raw.splitlines(), b.raw.splitlines()
    ms = median_ms(lambda: difflib.HtmlDiff().make_table(left_lines, right_lines), 3)
    print(f"\n{'difflib.HtmlDiff seeds 000 vs 002':42} {ms:9.1f} ms   (for contrast)")


if __name__ == "__main__":
    main()
