"""A plain unified diff of two raw texts, as ``git diff`` prints it, bounded in cost."""

import difflib
import re

PATCH_MAX_LINES = 20_000
_PATCH_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def unified_patch(left, right, left_name="a", right_name="b", *, max_lines=PATCH_MAX_LINES):
    """A plain unified diff of the two raw texts, as ``git diff`` would print it.

    difflib's alignment can take seconds on large files full of repeated lines, so past
    ``max_lines`` (both sides together) the changed middle becomes one hunk: still a
    correct patch, only not a minimal one.
    """
    # Only "\n" ends a line for patch(1); str.splitlines would also split at \f or U+2028.
    a, b = _PATCH_LINE.findall(left.raw), _PATCH_LINE.findall(right.raw)
    if len(a) + len(b) > max_lines:
        lines = _single_hunk(a, b, left_name, right_name)
    else:
        lines = difflib.unified_diff(a, b, fromfile=left_name, tofile=right_name)
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _single_hunk(a, b, left_name, right_name, context=3):
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    if prefix == len(a) == len(b):
        return []
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - context)
    a_end = min(len(a), len(a) - suffix + context)
    b_end = min(len(b), len(b) - suffix + context)
    return [
        f"--- {left_name}\n",
        f"+++ {right_name}\n",
        f"@@ -{_hunk_range(start, a_end - start)} +{_hunk_range(start, b_end - start)} @@\n",
        *(" " + line for line in a[start:prefix]),
        *("-" + line for line in a[prefix : len(a) - suffix]),
        *("+" + line for line in b[prefix : len(b) - suffix]),
        *(" " + line for line in a[len(a) - suffix : a_end]),
    ]


def _hunk_range(start, length):
    # An empty range names the line before it, as GNU diff and difflib do.
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"
