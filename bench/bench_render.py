"""Benchmark for catalog.core.rendering: render time of pathological Markdown, a seed and the corpus.

Prints, for each shape, the median of three runs of render_markdown (Python-Markdown plus
sanitizing) and the output size; then the seed 002 body and every definition file in the
shared corpus (total, median and slowest files). The shapes are the ones that were slow or
crashed before the input bounds in catalog/core/rendering.py existed, plus the ordinary ones
from the brief. Run from anywhere:

    .venv/bin/python bench/bench_render.py
"""

import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from catalog.core.rendering import render_markdown  # noqa: E402

MIB = 1 << 20


def _repeat_to(unit, size):
    return (unit * (size // len(unit) + 1))[:size]


SHAPES = {
    "'[' * 50000": "[" * 50_000,
    "'[a](' * 20000": "[a](" * 20_000,
    "'![' * 50000": "![" * 25_000,
    "'[a][' * 20000": "[a][" * 20_000,
    "nested list, 1000 levels (4 spaces)": "".join("    " * i + "- item\n" for i in range(1000)),
    "nested list, 1000 levels (2 spaces)": "".join("  " * i + "- item\n" for i in range(1000)),
    "nested quote, 1000 levels per line": "".join(">" * i + " x\n" for i in range(1000)),
    "'- ' * 1000 + 'x'": "- " * 1000 + "x",
    "'> - ' * 1000 + 'x'": "> - " * 1000 + "x",
    "table, 2000 rows": "| a | b | c |\n|---|:-:|--:|\n" + "| one | *two* | `3` |\n" * 2000,
    "1 MiB prose": _repeat_to("Some *text* with `code` and [a link](https://example.com).\n\n", MIB),
    "1 MiB one line": _repeat_to("word ", MIB),
    "'<' * 1 MiB": "<" * MIB,
    "'<a ' * 20000": "<a " * 20_000,
    "'</a ' * 20000": "</a " * 20_000,
    "'<http://' * 20000": "<http://" * 20_000,
    "'<div>\\n' * 50000": "<div>\n" * 50_000,
    "'<b>' * 50000": "<b>" * 50_000,
    "'<div><table></div></table>' * 10000": "<div><table></div></table>" * 10_000,
    "'# h\\n' * 20000": "# h\n" * 20_000,
    "'```\\n' * 20000": "```\n" * 20_000,
    "'```python\\nx = 1\\n```\\n' * 5000": "```python\nx = 1\n```\n" * 5_000,
    "'`a ' * 50000": "`a " * 50_000,
    "'*a **b ' * 30000": "*a **b " * 30_000,
    "'&#' * 100000": "&#" * 100_000,
    "'<!--' * 50000": "<!--" * 50_000,
    "20000 reference definitions": "".join(f"[r{i}]: https://x.test/{i}\n" for i in range(20_000)) + "[r1] " * 20_000,
}


def median_seconds(text, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        rendered = render_markdown(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times), rendered


def body_of(raw):
    """The Markdown after a leading frontmatter block, if there is one."""
    match = re.match(r"\ufeff?---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|$)", raw, re.DOTALL)
    return raw[match.end() :] if match else raw


def main():
    print(f"{'shape':44} {'input':>10} {'seconds':>8} {'output':>10}")
    for name, text in SHAPES.items():
        seconds, rendered = median_seconds(text)
        print(f"{name:44} {len(text):>10,} {seconds:>8.3f} {len(rendered.html):>10,}")

    (seed,) = (SHARED / "seeds").glob("002_*.txt")
    seconds, rendered = median_seconds(body_of(seed.read_text(encoding="utf-8")), runs=5)
    print(f"\nseed 002: {seconds * 1000:.1f} ms, {len(rendered.toc)} TOC entries")

    timings = []
    for path in sorted((SHARED / "corpus").rglob("*.md")):
        text = body_of(path.read_text(encoding="utf-8", errors="replace"))
        start = time.perf_counter()
        render_markdown(text)
        timings.append((time.perf_counter() - start, len(text), path.relative_to(SHARED / "corpus")))
    total = sum(t for t, _, _ in timings)
    size = sum(n for _, n, _ in timings)
    print(
        f"corpus: {len(timings)} files, {size / MIB:.1f} MiB, {total:.2f} s total, "
        f"median {statistics.median(t for t, _, _ in timings) * 1000:.1f} ms, "
        f"{size / MIB / total:.2f} MiB/s"
    )
    for seconds, length, path in sorted(timings, reverse=True)[:5]:
        print(f"  {seconds:6.3f} s {length:>9,} chars  {path}")


if __name__ == "__main__":
    main()
