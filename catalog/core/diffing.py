"""Structured diff of two agent definitions: frontmatter, tool sets and body sections.

A line diff of two Markdown files answers "how do these two agents differ?" badly:
sections move, frontmatter keys are reordered, and a tool list is a comma string in one
file and a YAML list in the other. Here frontmatter is compared field by field on
normalized values, tools/skills/commands/collaborators as sets, and the body section by
section, so that reordered and renamed sections line up before their lines are compared.
Inside a matched section a side-by-side line diff carries word-level highlights as plain
``(text, changed)`` segments: never HTML, the template escapes them.

The cost is bounded. Past ``max_bytes`` or ``max_lines`` on either side the diff turns
coarse: sections are still matched, but lines are compared as multisets (linear time)
instead of aligned, there are no word highlights, rows are capped, and the summary's
``coarse_reason`` says why.

Nothing here imports Django: a view builds the two ``DiffSide`` values from database rows.
"""

import difflib
import json
import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from .text import split_sections

DEFAULT_MAX_BYTES = 256 * 1024
# Line alignment slows down sharply on long runs of short, repeated lines.
DEFAULT_MAX_LINES = 10_000
CONTEXT_LINES = 3
# Word-level highlighting tokenizes both lines; past this length a changed line is
# highlighted whole, which is what a reader sees in such a line anyway.
WORD_DIFF_MAX_CHARS = 2_000
# A pair of lines sharing less than this share of their characters is shown as
# rewritten rather than sprinkled with highlights.
WORD_DIFF_MIN_RATIO = 0.3
# Sections with different headings are paired when their words overlap this much.
RENAME_THRESHOLD = 0.5
# Rename matching compares every unmatched left section with every unmatched right one;
# past these bounds (pairs, and words compared) unmatched sections stay added/removed.
RENAME_PAIR_LIMIT = 40_000
RENAME_WORK_LIMIT = 3_000_000
COARSE_ROW_LIMIT = 2_000
PATCH_MAX_LINES = 20_000

SET_NAMES = ("tools", "skills", "commands", "collaborators")
# Frontmatter fields whose value is a set of names, written either as "A, B" or [A, B].
SET_LIKE_FIELDS = frozenset({"tools", "allowed-tools", "disallowed-tools", "allowedtools", "disallowedtools", "skills"})
# How much each part weighs in the similarity score; parts absent on both sides drop out.
SIMILARITY_WEIGHTS = {"body": 0.7, "fields": 0.15, "sets": 0.15}

_WORD_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")
_PATCH_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_FRONTMATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*\r?$", re.DOTALL | re.MULTILINE)


# ---------------------------------------------------------------------------
# Public data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffSide:
    """One definition as the diff sees it; built by the caller from whatever it stores."""

    label: str
    frontmatter: dict
    body: str
    raw: str = ""
    tools: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    commands: frozenset[str] = frozenset()
    collaborators: frozenset[str] = frozenset()


class Segment(NamedTuple):
    """A run of text inside a line; ``changed`` marks the words the other side lacks."""

    text: str
    changed: bool


class Row(NamedTuple):
    """One side-by-side row. A missing side has ``None`` for its line and no segments.

    ``tag`` is ``"equal"``, ``"replace"``, ``"insert"`` or ``"delete"``.
    """

    tag: str
    left_lineno: int | None
    left_segments: tuple[Segment, ...]
    right_lineno: int | None
    right_segments: tuple[Segment, ...]


class UnifiedLine(NamedTuple):
    """One row of the single-column view: ``"equal"``, ``"delete"`` or ``"insert"``."""

    tag: str
    left_lineno: int | None
    right_lineno: int | None
    segments: tuple[Segment, ...]


class Skip(NamedTuple):
    """A collapsed run of unchanged rows, starting at the given lines."""

    hidden: int
    left_lineno: int | None
    right_lineno: int | None
    tag: str = "skip"


@dataclass(frozen=True)
class FieldDiff:
    """One frontmatter field; ``left``/``right`` are the values as written (``None`` if absent)."""

    name: str
    status: str  # "added", "removed", "changed" or "same"
    left: object
    right: object

    def to_json(self):
        return {"name": self.name, "status": self.status, "left": self.left, "right": self.right}


@dataclass(frozen=True)
class SetDiff:
    """Names only on the left, only on the right, and on both sides, each sorted."""

    name: str
    only_left: tuple[str, ...]
    only_right: tuple[str, ...]
    both: tuple[str, ...]

    @property
    def changed(self):
        return bool(self.only_left or self.only_right)

    def to_json(self):
        return {
            "only_left": list(self.only_left),
            "only_right": list(self.only_right),
            "both": list(self.both),
        }


@dataclass(frozen=True)
class SectionDiff:
    """A pair of matched sections, or a section present on one side only.

    ``status`` is ``"same"``, ``"changed"``, ``"added"``, ``"removed"`` or ``"moved"``
    (same content, different position; a changed section that also moved keeps
    ``"changed"`` and sets ``moved``). ``renamed`` means the headings differ after
    normalization and the pair was matched on content. ``rows_omitted`` counts rows a
    coarse diff did not list.
    """

    left_heading: str | None
    right_heading: str | None
    status: str
    level: int
    left_line: int | None
    right_line: int | None
    similarity: float
    lines_added: int
    lines_removed: int
    rows: tuple[Row, ...]
    moved: bool = False
    renamed: bool = False
    rows_omitted: int = 0
    context: int = CONTEXT_LINES

    @property
    def heading(self):
        """The heading to show: the right one, or the left one for a removed section."""
        return self.right_heading if self.right_heading is not None else self.left_heading

    @cached_property
    def collapsed(self):
        """``rows`` with long unchanged runs folded into ``Skip`` markers."""
        return _collapse(self.rows, self.context)

    @cached_property
    def unified(self):
        """``rows`` in one column: removed lines of a changed run before the added ones."""
        return _unify(self.rows)

    @cached_property
    def unified_collapsed(self):
        return _collapse(self.unified, self.context)

    def to_json(self):
        return {
            "left_heading": self.left_heading,
            "right_heading": self.right_heading,
            "status": self.status,
            "level": self.level,
            "left_line": self.left_line,
            "right_line": self.right_line,
            "similarity": self.similarity,
            "moved": self.moved,
            "renamed": self.renamed,
            "lines_added": self.lines_added,
            "lines_removed": self.lines_removed,
            "rows_omitted": self.rows_omitted,
            "rows": [
                [
                    row.tag,
                    row.left_lineno,
                    [list(s) for s in row.left_segments],
                    row.right_lineno,
                    [list(s) for s in row.right_segments],
                ]
                for row in self.rows
            ],
        }


@dataclass(frozen=True)
class DiffSummary:
    """Headline figures; ``similarity`` is 1.0 for identical definitions."""

    similarity: float
    fields_changed: int
    tools_added: int
    tools_removed: int
    sections_changed: int  # changed, added or removed; a pure move is counted in sections_moved
    sections_moved: int
    lines_added: int
    lines_removed: int
    coarse: bool
    coarse_reason: str = ""

    def to_json(self):
        return {
            "similarity": self.similarity,
            "fields_changed": self.fields_changed,
            "tools_added": self.tools_added,
            "tools_removed": self.tools_removed,
            "sections_changed": self.sections_changed,
            "sections_moved": self.sections_moved,
            "lines_added": self.lines_added,
            "lines_removed": self.lines_removed,
            "coarse": self.coarse,
            "coarse_reason": self.coarse_reason,
        }


@dataclass(frozen=True)
class DefinitionDiff:
    """Everything a diff page shows, in reading order of the right-hand definition."""

    left_label: str
    right_label: str
    summary: DiffSummary
    fields: tuple[FieldDiff, ...]
    sets: tuple[SetDiff, ...]
    sections: tuple[SectionDiff, ...]

    @property
    def identical(self):
        """No field, set or section differs (moves included)."""
        return not (self.changed_fields or self.changed_sections or any(s.changed for s in self.sets))

    @property
    def changed_fields(self):
        return tuple(f for f in self.fields if f.status != "same")

    @property
    def changed_sections(self):
        return tuple(s for s in self.sections if s.status != "same")

    def to_json(self):
        return {
            "left": self.left_label,
            "right": self.right_label,
            "summary": self.summary.to_json(),
            "fields": [f.to_json() for f in self.fields],
            "sets": {s.name: s.to_json() for s in self.sets},
            "sections": [s.to_json() for s in self.sections],
        }


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def diff_definitions(left, right, *, max_bytes=DEFAULT_MAX_BYTES, max_lines=DEFAULT_MAX_LINES, context=CONTEXT_LINES):
    """Compare two definitions; see the module docstring for what is compared and how.

    ``context`` is the number of unchanged lines kept around each change when a
    section's rows are collapsed.
    """
    reason = _coarse_reason(left.body, right.body, max_bytes, max_lines)
    coarse = bool(reason)
    fields = _diff_fields(left.frontmatter or {}, right.frontmatter or {})
    sets = tuple(_diff_set(name, getattr(left, name), getattr(right, name)) for name in SET_NAMES)
    sections, equal_lines, line_totals = _diff_bodies(left, right, coarse=coarse, context=context)

    tools = sets[0]
    summary = DiffSummary(
        similarity=_similarity(fields, sets, equal_lines, line_totals),
        fields_changed=sum(f.status != "same" for f in fields),
        tools_added=len(tools.only_right),
        tools_removed=len(tools.only_left),
        sections_changed=sum(s.status in ("changed", "added", "removed") for s in sections),
        sections_moved=sum(s.moved for s in sections),
        lines_added=sum(s.lines_added for s in sections),
        lines_removed=sum(s.lines_removed for s in sections),
        coarse=coarse,
        coarse_reason=reason,
    )
    return DefinitionDiff(left.label, right.label, summary, fields, sets, sections)


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


# ---------------------------------------------------------------------------
# Frontmatter and sets
# ---------------------------------------------------------------------------


def _diff_fields(left, right):
    fields = []
    for name in [*left, *(k for k in right if k not in left)]:
        if name not in right:
            status = "removed"
        elif name not in left:
            status = "added"
        elif _field_key(name, left[name]) == _field_key(name, right[name]):
            status = "same"
        else:
            status = "changed"
        fields.append(FieldDiff(name, status, left.get(name), right.get(name)))
    return tuple(fields)


def _field_key(name, value):
    """A string equal for two values that mean the same, however they were written."""
    set_like = name.casefold().replace("_", "-") in SET_LIKE_FIELDS
    normalized = _normalize_set(value) if set_like else _normalize(value)
    # JSON keeps True apart from 1 and compares mappings regardless of key order.
    return json.dumps(normalized, sort_keys=True, ensure_ascii=False, default=str)


def _normalize(value):
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {str(k): _normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalize(v) for v in value]
    return value


def _normalize_set(value):
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, (list, tuple, set, frozenset)):
        parts = [p for item in value for p in (item.split(",") if isinstance(item, str) else [item])]
    else:
        # An OpenCode tool map says which tools are switched off, so it stays a map.
        return _normalize(value)
    keys = {json.dumps(_normalize(p), sort_keys=True, default=str) for p in parts}
    keys.discard('""')
    return sorted(keys)


def _diff_set(name, left, right):
    def ordered(names):
        return tuple(sorted(names, key=lambda n: (n.casefold(), n)))

    return SetDiff(name, ordered(left - right), ordered(right - left), ordered(left & right))


# ---------------------------------------------------------------------------
# Body: sections
# ---------------------------------------------------------------------------


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


def _diff_bodies(left, right, *, coarse, context):
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
    heading = _jaccard(a.heading_words, b.heading_words)
    if not a.words and not b.words:
        return heading
    if not a.words or not b.words:
        return 0.0
    small, large = sorted((len(a.words), len(b.words)))
    # Jaccard cannot exceed small/large: skip the set work for hopeless pairs.
    if 0.8 * small / large + 0.2 < RENAME_THRESHOLD:
        return 0.0
    return 0.8 * _jaccard(a.words, b.words) + 0.2 * heading


def _jaccard(a, b):
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0


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
        rows, added, removed, equal, omitted = _coarse_rows(a, b, budget)
    else:
        rows, added, removed, equal = _line_rows(a, b)
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


# ---------------------------------------------------------------------------
# Body: lines and words
# ---------------------------------------------------------------------------


def _line_rows(a, b):
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


def _coarse_rows(a, b, budget):
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


# ---------------------------------------------------------------------------
# Views over rows
# ---------------------------------------------------------------------------


def _collapse(rows, context):
    """Fold runs of equal rows further than ``context`` rows from any change."""
    keep = [row.tag != "equal" for row in rows]
    for index, row in enumerate(rows):
        if row.tag != "equal":
            for near in range(max(0, index - context), min(len(rows), index + context + 1)):
                keep[near] = True
    out, run = [], []

    def flush():
        # A marker for a single line would take as much room as the line itself.
        if len(run) > 1:
            out.append(Skip(len(run), run[0].left_lineno, run[0].right_lineno))
        else:
            out.extend(run)
        run.clear()

    for row, kept in zip(rows, keep, strict=True):
        if kept:
            flush()
            out.append(row)
        else:
            run.append(row)
    flush()
    return tuple(out)


def _unify(rows):
    out, removed, added = [], [], []

    def flush():
        out.extend(removed)
        out.extend(added)
        removed.clear()
        added.clear()

    for row in rows:
        if row.tag == "equal":
            flush()
            out.append(UnifiedLine("equal", row.left_lineno, row.right_lineno, row.left_segments))
            continue
        if row.left_lineno is not None:
            removed.append(UnifiedLine("delete", row.left_lineno, None, row.left_segments))
        if row.right_lineno is not None:
            added.append(UnifiedLine("insert", None, row.right_lineno, row.right_segments))
    flush()
    return tuple(out)


# ---------------------------------------------------------------------------
# Score
# ---------------------------------------------------------------------------


def _similarity(fields, sets, equal_lines, line_totals):
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


def _coarse_reason(left_body, right_body, max_bytes, max_lines):
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
