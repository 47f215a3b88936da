"""The bodies section by section: sections matched by heading, then by content, moves found,
each pair diffed line by line, and the result ordered like the right-hand file."""

import re
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import cached_property

from ..similarity import jaccard
from ..text import split_sections
from .lines import COARSE_ROW_LIMIT, coarse_rows, line_rows
from .model import Row, SectionDiff, Segment

# Sections with different headings are paired when their words overlap this much.
RENAME_THRESHOLD = 0.5
# Rename matching compares every unmatched left section with every unmatched right one;
# past these bounds (pairs, and words compared) unmatched sections stay added/removed.
RENAME_PAIR_LIMIT = 40_000
RENAME_WORK_LIMIT = 3_000_000

_WORD = re.compile(r"\w+")
_FRONTMATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*\r?$", re.DOTALL | re.MULTILINE)


@dataclass
class _Part:
    """A section with its lines and the file line number of its first text line."""

    index: int
    heading: str
    key: str
    level: int
    heading_line: int | None  # None for the text before the first heading
    lines: list[str]
    start: int

    @cached_property
    def words(self):
        return frozenset(w.casefold() for line in self.lines for w in _WORD.findall(line))

    @cached_property
    def heading_words(self):
        return frozenset(_WORD.findall(self.key))

    @property
    def size(self):
        """Lines a reader sees for this section, its heading included."""
        return len(self.lines) + (self.heading_line is not None)


def _read_body(side):
    first_line = _body_first_line(side.raw, side.body)
    body_lines = side.body.splitlines()
    parts = []
    for index, section in enumerate(split_sections(side.body, first_line)):
        # split_sections strips blank lines around the text; find where it really starts.
        offset = section.line - first_line + (1 if section.level else 0)
        while offset < len(body_lines) and body_lines[offset] == "":
            offset += 1
        parts.append(
            _Part(
                index=index,
                heading=section.heading,
                key=section.key,
                level=section.level,
                heading_line=section.line if section.level else None,
                lines=section.text.splitlines(),
                start=first_line + offset,
            )
        )
    return parts


def _body_first_line(raw, body):
    """The line of ``raw`` where ``body`` begins, so rows point into the whole file."""
    probe = next((line for line in body.splitlines() if line.strip()), None)
    if not raw or probe is None:
        return 1
    match = _FRONTMATTER.match(raw)
    after_frontmatter = match.end() if match else 0
    position = raw.find(probe, after_frontmatter)
    if position < 0:
        # The caller repaired or reformatted the body; the line after the frontmatter is
        # the best guess left.
        return raw.count("\n", 0, after_frontmatter) + 1 + bool(match)
    leading = body.splitlines().index(probe)
    return max(1, raw.count("\n", 0, position) + 1 - leading)


def diff_bodies(left, right, *, coarse, context):
    """Match sections, diff each pair, and order the result like the right-hand file.

    Returns ``(sections, equal_lines, line_totals)``; the last two count non-blank lines
    for the similarity score.
    """
    left_parts, right_parts = _read_body(left), _read_body(right)
    pairs = _match_sections(left_parts, right_parts)
    moved = _moved_pairs(pairs)
    budget = [COARSE_ROW_LIMIT]

    entries = []  # (sort key, SectionDiff)
    equal_lines = 0
    matched_left = {}
    for li, ri in pairs:
        a, b = left_parts[li], right_parts[ri]
        section, equal = _diff_pair(a, b, coarse, budget, context, (li, ri) in moved)
        equal_lines += equal
        matched_left[li] = ri
        entries.append(((ri, 0, 0), section))
    matched_right = set(matched_left.values())
    for part in right_parts:
        if part.index not in matched_right:
            entries.append(((part.index, 0, 0), _one_sided(part, "added", coarse, budget, context)))
    anchor = -1
    for part in left_parts:
        if part.index in matched_left:
            anchor = matched_left[part.index]
        else:
            # A removed section is shown after the section that preceded it on the left.
            entries.append(((anchor, 1, part.index), _one_sided(part, "removed", coarse, budget, context)))
    entries.sort(key=lambda entry: entry[0])

    totals = (_non_blank(left_parts), _non_blank(right_parts))
    return tuple(section for _, section in entries), equal_lines, totals


def _non_blank(parts):
    return sum(sum(1 for line in p.lines if line.strip()) + (p.heading_line is not None) for p in parts)


def _match_sections(left_parts, right_parts):
    """Pair sections by heading key, then pair what is left by content."""
    by_key = defaultdict(deque)
    for part in right_parts:
        by_key[part.key].append(part.index)
    pairs = []
    for part in left_parts:
        queue = by_key.get(part.key)
        if queue:
            pairs.append((part.index, queue.popleft()))

    matched_left = {li for li, _ in pairs}
    matched_right = {ri for _, ri in pairs}
    lonely_left = [p for p in left_parts if p.index not in matched_left]
    lonely_right = [p for p in right_parts if p.index not in matched_right]
    if _rename_affordable(lonely_left, lonely_right):
        candidates = []
        for a in lonely_left:
            for b in lonely_right:
                score = _rename_score(a, b)
                if score >= RENAME_THRESHOLD:
                    candidates.append((-score, a.index, b.index))
        candidates.sort()
        for _, li, ri in candidates:
            if li not in matched_left and ri not in matched_right:
                matched_left.add(li)
                matched_right.add(ri)
                pairs.append((li, ri))
    return sorted(pairs)


def _rename_affordable(lonely_left, lonely_right):
    """Whether comparing every unmatched pair stays within the time budget.

    A set intersection costs about the size of the smaller set, so the words on one side
    times the number of sections on the other bounds the work.
    """
    if not lonely_left or not lonely_right or len(lonely_left) * len(lonely_right) > RENAME_PAIR_LIMIT:
        return False
    work = min(
        sum(len(p.words) for p in lonely_left) * len(lonely_right),
        sum(len(p.words) for p in lonely_right) * len(lonely_left),
    )
    return work <= RENAME_WORK_LIMIT


def _rename_score(a, b):
    """Word overlap of the texts, with a little weight on the heading words."""
    heading = jaccard(a.heading_words, b.heading_words, empty=0.0)
    if not a.words and not b.words:
        return heading
    if not a.words or not b.words:
        return 0.0
    small, large = sorted((len(a.words), len(b.words)))
    # Jaccard cannot exceed small/large: skip the set work for hopeless pairs.
    if 0.8 * small / large + 0.2 < RENAME_THRESHOLD:
        return 0.0
    return 0.8 * jaccard(a.words, b.words, empty=0.0) + 0.2 * heading


def _moved_pairs(pairs):
    """Pairs outside the longest run kept in the same order on both sides.

    ``pairs`` is sorted by left index; the longest increasing subsequence of right
    indices is what stayed in place, everything else moved.
    """
    tails, tail_at, parent = [], [], [None] * len(pairs)
    for position, (_, ri) in enumerate(pairs):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if tails[middle] < ri:
                low = middle + 1
            else:
                high = middle
        parent[position] = tail_at[low - 1] if low else None
        if low == len(tails):
            tails.append(ri)
            tail_at.append(position)
        else:
            tails[low] = ri
            tail_at[low] = position
    stayed = set()
    position = tail_at[-1] if tail_at else None
    while position is not None:
        stayed.add(pairs[position])
        position = parent[position]
    return {pair for pair in pairs if pair not in stayed}


def _diff_pair(a, b, coarse, budget, context, moved):
    renamed = a.key != b.key
    if coarse:
        rows, added, removed, equal, omitted = coarse_rows(a, b, budget)
    else:
        rows, added, removed, equal = line_rows(a, b)
        omitted = 0
    left_headed, right_headed = a.heading_line is not None, b.heading_line is not None
    if left_headed and right_headed and not renamed:
        equal += 1
    else:
        added += right_headed
        removed += left_headed
    total = a.size + b.size
    # Lines present on both sides are counted once per side in total.
    similarity = round((total - added - removed) / total, 4) if total else 1.0
    if added or removed:
        status = "changed"
    else:
        status = "moved" if moved else "same"
    section = SectionDiff(
        left_heading=a.heading if left_headed else "",
        right_heading=b.heading if right_headed else "",
        status=status,
        level=b.level,
        left_line=a.heading_line,
        right_line=b.heading_line,
        similarity=similarity,
        lines_added=added,
        lines_removed=removed,
        rows=rows,
        moved=moved,
        renamed=renamed,
        rows_omitted=omitted,
        context=context,
    )
    return section, equal


def _one_sided(part, status, coarse, budget, context):
    lines = [(part.start + i, line) for i, line in enumerate(part.lines)]
    shown = lines[: budget[0]] if coarse else lines
    if coarse:
        budget[0] -= len(shown)
    omitted = len(lines) - len(shown)
    if status == "added":
        rows = tuple(Row("insert", None, (), n, (Segment(t, True),)) for n, t in shown)
    else:
        rows = tuple(Row("delete", n, (Segment(t, True),), None, ()) for n, t in shown)
    heading = part.heading if part.heading_line is not None else ""
    return SectionDiff(
        left_heading=heading if status == "removed" else None,
        right_heading=heading if status == "added" else None,
        status=status,
        level=part.level,
        left_line=part.heading_line if status == "removed" else None,
        right_line=part.heading_line if status == "added" else None,
        similarity=0.0,
        lines_added=part.size if status == "added" else 0,
        lines_removed=part.size if status == "removed" else 0,
        rows=rows,
        rows_omitted=omitted,
        context=context,
    )
