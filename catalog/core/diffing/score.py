"""The similarity score, and when a diff must turn coarse (and why)."""

from .lines import COARSE_ROW_LIMIT

DEFAULT_MAX_BYTES = 256 * 1024
# Line alignment slows down sharply on long runs of short, repeated lines.
DEFAULT_MAX_LINES = 10_000
# How much each part weighs in the similarity score; parts absent on both sides drop out.
SIMILARITY_WEIGHTS = {"body": 0.7, "fields": 0.15, "sets": 0.15}


def similarity(fields, sets, equal_lines, line_totals):
    parts = {}
    if sum(line_totals):
        parts["body"] = min(1.0, 2 * equal_lines / sum(line_totals))
    if fields:
        parts["fields"] = sum(f.status == "same" for f in fields) / len(fields)
    union = sum(len(s.only_left) + len(s.only_right) + len(s.both) for s in sets)
    if union:
        parts["sets"] = sum(len(s.both) for s in sets) / union
    if not parts:
        return 1.0
    weight = sum(SIMILARITY_WEIGHTS[name] for name in parts)
    return round(sum(SIMILARITY_WEIGHTS[name] * value for name, value in parts.items()) / weight, 4)


def coarse_reason(left_body, right_body, max_bytes, max_lines):
    """Why the full diff would be too slow for these bodies, or "" when it is not."""
    sizes = [len(left_body.encode("utf-8")), len(right_body.encode("utf-8"))]
    lines = [left_body.count("\n") + 1, right_body.count("\n") + 1]
    if max(sizes) > max_bytes:
        measure = f"{_kib(sizes[0])} and {_kib(sizes[1])}; the limit is {_kib(max_bytes)}"
    elif max(lines) > max_lines:
        measure = f"{lines[0]:,} and {lines[1]:,} lines; the limit is {max_lines:,}"
    else:
        return ""
    return (
        f"These definitions are too large for a line-by-line comparison ({measure}): "
        f"lines are counted rather than aligned, without word highlights, and at most "
        f"{COARSE_ROW_LIMIT:,} changed lines are listed."
    )


def _kib(size):
    return f"{size / 1024:,.0f} KiB"
