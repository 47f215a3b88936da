"""What a diff is made of: the two sides, rows of segments, field, set and section diffs, the summary.

Every value here is plain data (``to_json`` gives the JSON twin's shape); a section's rows
can also be read folded (``collapsed``) or in one column (``unified``).
"""

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

CONTEXT_LINES = 3


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
        return collapse(self.rows, self.context)

    @cached_property
    def unified(self):
        """``rows`` in one column: removed lines of a changed run before the added ones."""
        return unify(self.rows)

    @cached_property
    def unified_collapsed(self):
        return collapse(self.unified, self.context)

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


def collapse(rows, context):
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


def unify(rows):
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
