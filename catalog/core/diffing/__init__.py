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

``model`` holds the data, ``fields`` compares frontmatter and name sets, ``sections`` matches
and diffs the bodies using ``lines``, ``score`` gives the similarity and the coarse bound,
``patch`` writes a plain unified diff. ``diff_definitions`` below puts them together.
"""

from .fields import SET_NAMES, diff_fields, diff_set, field_text
from .lines import COARSE_ROW_LIMIT
from .model import (
    CONTEXT_LINES,
    DefinitionDiff,
    DiffSide,
    DiffSummary,
    FieldDiff,
    Row,
    SectionDiff,
    Segment,
    SetDiff,
    Skip,
    UnifiedLine,
)
from .patch import unified_patch
from .score import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES, coarse_reason, similarity
from .sections import diff_bodies

__all__ = [
    "COARSE_ROW_LIMIT",
    "CONTEXT_LINES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_LINES",
    "DefinitionDiff",
    "DiffSide",
    "DiffSummary",
    "FieldDiff",
    "Row",
    "SectionDiff",
    "Segment",
    "SetDiff",
    "Skip",
    "UnifiedLine",
    "diff_definitions",
    "field_text",
    "unified_patch",
]


def diff_definitions(left, right, *, max_bytes=DEFAULT_MAX_BYTES, max_lines=DEFAULT_MAX_LINES, context=CONTEXT_LINES):
    """Compare two definitions; see the module docstring for what is compared and how.

    ``context`` is the number of unchanged lines kept around each change when a
    section's rows are collapsed.
    """
    reason = coarse_reason(left.body, right.body, max_bytes, max_lines)
    coarse = bool(reason)
    fields = diff_fields(left.frontmatter or {}, right.frontmatter or {})
    sets = tuple(diff_set(name, getattr(left, name), getattr(right, name)) for name in SET_NAMES)
    sections, equal_lines, line_totals = diff_bodies(left, right, coarse=coarse, context=context)

    tools = sets[0]
    summary = DiffSummary(
        similarity=similarity(fields, sets, equal_lines, line_totals),
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
