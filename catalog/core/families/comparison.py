"""The family page's side-by-side view: sections aligned by heading, tools as a matrix, the core.

``align_sections`` lines up N members' sections by normalized heading (``catalog.core.text``: "## 🎯 Your
Core Mission:" and "3. **Core Mission**" are one row) and says, per cell, whether the member has
the section, has a changed version of it, or lacks it. ``core_view`` says what most members share
and what only one has, for headings and for tools. Both take the members to show as columns
(the family's originals: copies are folded into them).
"""

import re
from collections import Counter
from dataclasses import dataclass

from ..text import split_sections
from .model import tool_label

PRESENT, CHANGED, ABSENT = "present", "changed", "absent"
PREAMBLE = "(before the first heading)"

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SectionCell:
    status: str  # PRESENT: the usual text of this section; CHANGED: a different text; ABSENT
    heading: str = ""  # as this member writes it
    words: int = 0
    line: int | None = None  # of the heading in the member's file (body lines as given)


@dataclass(frozen=True)
class SectionRow:
    key: str  # normalize_heading() output; "" for the text before the first heading
    heading: str  # the spelling most members use
    cells: tuple  # SectionCell per column


@dataclass(frozen=True)
class CoreView:
    """What most columns share (more than half of them) and what only one has."""

    shared_headings: tuple  # headings, in row order
    unique_headings: dict  # column key -> headings only it has
    shared_tools: tuple
    unique_tools: dict  # column key -> tools only it allows


def _sections(member):
    """``{key: (heading, text, line)}``; a heading used twice keeps both texts under its first line."""
    found = {}
    for section in split_sections(member.text):
        if not section.key and not section.text.strip():
            continue
        heading, text, line = found.get(section.key, (section.heading, "", section.line))
        found[section.key] = (heading, f"{text}\n{section.text}" if text else section.text, line)
    return found


def align_sections(columns):
    """``SectionRow``s, ordered by where the sections sit on average (relative to each body)."""
    per_column = [_sections(m) for m in columns]
    positions, spellings = {}, {}
    for sections in per_column:
        for index, (key, (heading, _, _)) in enumerate(sections.items()):
            positions.setdefault(key, []).append(index / max(1, len(sections) - 1))
            spellings.setdefault(key, Counter())[heading or PREAMBLE] += 1
    order = sorted(positions, key=lambda k: (k != "", sum(positions[k]) / len(positions[k]), k))
    rows = []
    for key in order:
        texts = [_SPACE.sub(" ", s[key][1]).strip() if key in s else None for s in per_column]
        usual = _usual(texts)
        cells = []
        for sections, text in zip(per_column, texts, strict=True):
            if text is None:
                cells.append(SectionCell(ABSENT))
                continue
            heading, raw, line = sections[key]
            status = PRESENT if usual is None or text == usual else CHANGED
            cells.append(SectionCell(status, heading, len(raw.split()), line))
        heading = min(spellings[key], key=lambda h: (-spellings[key][h], len(h), h))
        rows.append(SectionRow(key, heading, tuple(cells)))
    return tuple(rows)


def _usual(texts):
    """The text most columns have, when at least two agree; ``None`` when one column has the
    section alone (nothing to differ from). With no agreement every version counts as changed."""
    present = [t for t in texts if t is not None]
    if len(present) < 2:
        return None
    text, count = Counter(present).most_common(1)[0]
    return text if count >= 2 else ""


def tool_matrix(columns):
    """``(tool labels, {column key: labels it allows})`` for the ✓ matrix, most allowed first."""
    allowed = {m.key: {tool_label(t) for t in m.allowed_tools} for m in columns}
    counts = Counter(label for labels in allowed.values() for label in labels)
    return tuple(sorted(counts, key=lambda label: (-counts[label], label))), allowed


def core_view(columns, rows=None):
    """``CoreView`` of these columns; ``rows`` is ``align_sections(columns)`` when already made."""
    rows = align_sections(columns) if rows is None else rows
    keys = [m.key for m in columns]
    majority = len(columns) / 2

    def split(items_by_column):
        counts = Counter(item for items in items_by_column for item in items)
        shared = tuple(item for item in counts if counts[item] > majority)
        unique = {}
        if len(columns) > 1:
            for key, items in zip(keys, items_by_column, strict=True):
                only = tuple(item for item in items if counts[item] == 1)
                if only:
                    unique[key] = only
        return shared, unique

    headings = [[row.heading for row in rows if row.cells[i].status != ABSENT and row.key] for i in range(len(keys))]
    tools, allowed = tool_matrix(columns)
    shared_headings, unique_headings = split(headings)
    shared_tools, unique_tools = split([[t for t in tools if t in allowed[key]] for key in keys])
    return CoreView(shared_headings, unique_headings, shared_tools, unique_tools)
