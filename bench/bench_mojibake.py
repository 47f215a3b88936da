"""Benchmark: how much mojibake the parser repairs on the seeds and the corpus, and what it costs.

For every UTF-8 file it compares the plainly decoded text with what ``catalog.core.parsing.decode``
returns and prints, per file that changed, the repaired runs (changed spans within a line),
the repaired lines and the parser's warning; then the totals and the time spent in ``decode``.

    .venv/bin/python bench/bench_mojibake.py [PATH ...] [--save FILE] [--against FILE]

``--damage ENCODING`` (cp1252, cp1252-strict, latin-1, macroman) first damages every non-ASCII
file as a wrong decoder would (its UTF-8 bytes read as ENCODING; cp1252-strict drops the five
bytes cp1252 leaves undefined, as a strict decoder told to ignore errors does) and then counts
how many damaged lines and files ``decode`` restores exactly.

``--save`` writes every file's repaired text as JSON; ``--against`` compares this run with
such a snapshot (taken, say, before a change to the repair): files repaired differently,
files repaired only now, and files that changed although nothing was repaired in the snapshot.
The time of ``decode`` is printed beside a plain UTF-8 decode of the same files in the same run.
Defaults to ../shared/seeds and ../shared/corpus.
"""

import argparse
import difflib
import json
import sys
import time
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from catalog.core.parsing import decode  # noqa: E402


def plain(raw):
    """The text before any repair: what decode does for clean UTF-8, without the repair."""
    text = raw.decode("utf-8").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def changed_runs(before, after):
    """(runs, lines): changed spans within changed lines, and the changed lines."""
    old, new = before.split("\n"), after.split("\n")
    if len(old) != len(new):
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        return sum(1 for op in matcher.get_opcodes() if op[0] != "equal"), abs(len(old) - len(new))
    runs = lines = 0
    for a, b in zip(old, new, strict=True):
        if a != b:
            lines += 1
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            runs += sum(1 for op in matcher.get_opcodes() if op[0] != "equal")
    return runs, lines


def files_under(roots):
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        yield from paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[SHARED / "seeds", SHARED / "corpus"])
    parser.add_argument("--damage", choices=sorted(DAMAGE), help="damage every non-ASCII file first")
    parser.add_argument("--save", type=Path, help="write every file's repaired text to this JSON file")
    parser.add_argument("--against", type=Path, help="compare with a snapshot written by --save")
    args = parser.parse_args()
    if args.damage:
        return restore_damaged(files_under(args.paths), DAMAGE[args.damage])

    results, totals, seconds = {}, {"files": 0, "not-utf8": 0, "repaired": 0, "runs": 0, "lines": 0}, 0.0
    baseline = 0.0  # the same files decoded plainly, in the same run: what a repair costs on top
    for path in files_under(args.paths):
        raw = path.read_bytes()
        try:
            started = time.perf_counter()
            before = plain(raw)
            baseline += time.perf_counter() - started
        except UnicodeDecodeError:
            totals["not-utf8"] += 1
            continue
        totals["files"] += 1
        started = time.perf_counter()
        after, problems = decode(raw)
        seconds += time.perf_counter() - started
        key = path.as_posix()
        results[key] = after
        if after == before:
            continue
        runs, lines = changed_runs(before, after)
        message = next((p.message for p in problems if p.code == "mojibake-repaired"), "(no warning)")
        totals["repaired"] += 1
        totals["runs"] += runs
        totals["lines"] += lines
        print(f"{runs:5d} runs {lines:4d} lines  {key}\n{'':23}{message}")
    print(
        f"\n{totals['files']} UTF-8 files ({totals['not-utf8']} others skipped): {totals['repaired']} repaired, "
        f"{totals['runs']} runs on {totals['lines']} lines; decode took {seconds:.3f} s in all, "
        f"{seconds / max(baseline, 1e-9):.1f}x a plain UTF-8 decode of the same files ({baseline:.3f} s)"
    )
    if args.save:
        args.save.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    if args.against:
        compare(json.loads(args.against.read_text(encoding="utf-8")), results)


DAMAGE = {
    "cp1252": lambda data: data.decode("sloppy-windows-1252"),  # undefined bytes kept as C1 controls
    "cp1252-strict": lambda data: data.decode("cp1252", errors="ignore"),
    "latin-1": lambda data: data.decode("latin-1"),
    "macroman": lambda data: data.decode("mac-roman"),
}


def restore_damaged(paths, damage):
    """Damage each non-ASCII UTF-8 file line by line, decode it, and count the lines restored."""
    files = restored_files = lines = restored_lines = 0
    seconds = 0.0
    for path in paths:
        try:
            original = plain(path.read_bytes())
        except UnicodeDecodeError:
            continue
        if original.isascii():
            continue
        damaged = "\n".join(damage(line.encode("utf-8")) for line in original.split("\n"))
        started = time.perf_counter()
        after, _ = decode(damaged.encode("utf-8"))
        seconds += time.perf_counter() - started
        files += 1
        restored_files += after == original
        for was, broken, now in zip(original.split("\n"), damaged.split("\n"), after.split("\n"), strict=False):
            if was != broken:
                lines += 1
                restored_lines += now == was
    print(
        f"{files} damaged files: {restored_files} restored exactly; "
        f"{lines} damaged lines: {restored_lines} restored exactly ({100 * restored_lines / max(lines, 1):.1f}%); "
        f"decode took {seconds:.3f} s in all"
    )


def compare(snapshot, results):
    """Print how this run's repairs differ from the snapshot's, line by line."""
    differ = untouched_changed = 0
    for key, after in results.items():
        earlier = snapshot.get(key)
        if earlier is None or earlier == after:
            continue
        differ += 1
        raw_text = plain(Path(key).read_bytes())
        if earlier == raw_text:
            untouched_changed += 1
        label = "repaired only now" if earlier == raw_text else "repaired differently"
        print(f"\n--- {label}: {key}")
        for old_line, new_line in zip(earlier.split("\n"), after.split("\n"), strict=False):
            if old_line != new_line:
                print(f"  before: {old_line[:160]!r}\n  now:    {new_line[:160]!r}")
    print(f"\n{differ} files differ from the snapshot ({untouched_changed} of them were left unchanged in it)")


if __name__ == "__main__":
    main()
