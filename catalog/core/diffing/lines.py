"""Lines of two matched sections: aligned with word-level highlights, or counted when coarse."""

import difflib
import re
from collections import Counter

from .model import Row, Segment

# Word-level highlighting tokenizes both lines; past this length a changed line is
# highlighted whole, which is what a reader sees in such a line anyway.
WORD_DIFF_MAX_CHARS = 2_000
# A pair of lines sharing less than this share of their characters is shown as
# rewritten rather than sprinkled with highlights.
WORD_DIFF_MIN_RATIO = 0.3
COARSE_ROW_LIMIT = 2_000

_WORD_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def line_rows(a, b):
    """Aligned rows for two sections; returns ``(rows, added, removed, equal_non_blank)``."""
    # Trailing whitespace is invisible on the page, so it does not make a line differ.
    a_keys = [line.rstrip() for line in a.lines]
    b_keys = [line.rstrip() for line in b.lines]
    # The default autojunk treats very common lines (blank ones, fences) as junk in long
    # sections, which keeps the matcher near linear; they are still shown as equal when
    # they sit next to a match.
    matcher = difflib.SequenceMatcher(None, a_keys, b_keys)
    rows = []
    added = removed = equal = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                rows.append(_equal_row(a, i, b, j))
                equal += bool(a_keys[i])
            continue
        removed += i2 - i1
        added += j2 - j1
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2:
                left_segments, right_segments = _word_segments(a.lines[i], b.lines[j])
                rows.append(Row("replace", a.start + i, left_segments, b.start + j, right_segments))
            elif i < i2:
                rows.append(Row("delete", a.start + i, (Segment(a.lines[i], True),), None, ()))
            else:
                rows.append(Row("insert", None, (), b.start + j, (Segment(b.lines[j], True),)))
    return tuple(rows), added, removed, equal


def _equal_row(a, i, b, j):
    return Row("equal", a.start + i, (Segment(a.lines[i], False),), b.start + j, (Segment(b.lines[j], False),))


def _word_segments(left, right):
    """Split two changed lines into segments, marking the words that differ."""
    whole = (Segment(left, True),), (Segment(right, True),)
    if len(left) > WORD_DIFF_MAX_CHARS or len(right) > WORD_DIFF_MAX_CHARS:
        return whole
    a, b = _WORD_TOKEN.findall(left), _WORD_TOKEN.findall(right)
    threshold = WORD_DIFF_MIN_RATIO * (len(left) + len(right))
    # Shared tokens bound what the matcher can find; unrelated lines skip the matcher.
    common = Counter(t for t in a if not t.isspace()) & Counter(t for t in b if not t.isspace())
    if 2 * sum(len(t) * n for t, n in common.items()) < threshold:
        return whole
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left_out, right_out = [], []
    shared = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left_text, right_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            shared += sum(len(t) for t in a[i1:i2] if not t.isspace())
            left_out.append(Segment(left_text, False))
            right_out.append(Segment(right_text, False))
        else:
            if left_text:
                left_out.append(Segment(left_text, True))
            if right_text:
                right_out.append(Segment(right_text, True))
    if 2 * shared < threshold:
        return whole
    return _merge(left_out), _merge(right_out)


def _merge(segments):
    """Join neighbours with the same flag; a lone space between two changes is a change."""
    out = []
    for index, segment in enumerate(segments):
        changed = segment.changed
        if (
            not changed
            and not segment.text.strip()
            and 0 < index < len(segments) - 1
            and segments[index - 1].changed
            and segments[index + 1].changed
        ):
            changed = True
        if out and out[-1].changed == changed:
            out[-1] = Segment(out[-1].text + segment.text, changed)
        else:
            out.append(Segment(segment.text, changed))
    return tuple(out)


def coarse_rows(a, b, budget):
    """Lines compared as multisets: linear time, no alignment, rows capped by ``budget``.

    Returns ``(rows, added, removed, equal_non_blank, omitted)``.
    """
    a_keys = [line.rstrip() for line in a.lines]
    b_keys = [line.rstrip() for line in b.lines]
    left_count, right_count = Counter(a_keys), Counter(b_keys)
    only_left, only_right = left_count - right_count, right_count - left_count
    removed, added = sum(only_left.values()), sum(only_right.values())
    equal = sum(n for line, n in (left_count & right_count).items() if line)

    rows = []
    for lines, keys, extra, tag in ((a.lines, a_keys, only_left, "delete"), (b.lines, b_keys, only_right, "insert")):
        start = a.start if tag == "delete" else b.start
        for i, key in enumerate(keys):
            if extra[key] <= 0:
                continue
            extra[key] -= 1
            if budget[0] <= 0:
                continue
            budget[0] -= 1
            segments = (Segment(lines[i], True),)
            if tag == "delete":
                rows.append(Row("delete", start + i, segments, None, ()))
            else:
                rows.append(Row("insert", None, (), start + i, segments))
    return tuple(rows), added, removed, equal, added + removed - len(rows)
