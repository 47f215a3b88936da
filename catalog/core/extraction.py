"""Responsibilities and success metrics: the parts of a definition that answer a user's need.

People arrive with a question ("who owns database migrations?", "which agent promises p95
under 200 ms?"). The answer is rarely in an agent's name or description; it is in the
bullets under "Core Responsibilities" or "Success Metrics". ``extract_items`` walks a
definition's Markdown body and returns those bullets, numbered items, checklist items,
table rows and the sentences of short paragraphs as one-line plain-text ``Item`` values,
each tagged with its field, the heading it sits under and its file line, ready to be
stored for full-text search.

Which heading means what is decided on ``normalize_heading`` keys by keyword, so emoji,
"Your", numbering and cp1252 mojibake in headings do not matter. Sub-headings inherit their
parent's field, bold pseudo-headings ("**Success Criteria:**") and labelled bullets
("- **Success Criteria**: 99.9% uptime") switch it locally, and checklists count as success
metrics wherever they are, unless they sit under a responsibilities heading.

The body is expected to be repaired already (``repair_mojibake``): item text is returned as
written, because repairing text that was never broken can damage it.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from .text import INDENTED_FENCE, normalize_heading, repair_mojibake, split_sections, strip_symbols

RESPONSIBILITY = "responsibility"
METRIC = "metric"
FIELDS = (RESPONSIBILITY, METRIC)

MAX_ITEM_LENGTH = 500
# Longer paragraphs are prose (background, philosophy), not a list of duties in disguise.
MAX_PARAGRAPH_LENGTH = 600

# A heading or label that says "this is what the agent does NOT do" must not inherit the
# field of the section around it. Only ever used internally.
_EXCLUDED = "excluded"


@dataclass(frozen=True)
class Item:
    """One responsibility or success metric, as a user would want to find it."""

    field: str  # RESPONSIBILITY or METRIC
    section: str  # the heading (or pseudo-heading) it sits under, cleaned for display
    text: str  # plain text, one line, at most MAX_ITEM_LENGTH characters
    line: int  # 1-based line in the file


# ---------------------------------------------------------------------------
# Which headings mean what
# ---------------------------------------------------------------------------

# Keys are normalize_heading() output: lowercase, no emoji, no numbering, no "Your".
# Every keyword is a whole word and must not start a hyphenated compound, so that
# "mission-critical paths" or "role-based access" stay neutral.
_NEGATIVE = re.compile(
    r"\b(?:not|don'?t|doesn'?t|never|avoid|anti-?patterns?|non-goals?|out of scope"
    r"|limitations?|pitfalls?|mistakes?|red flags?)\b"
)
_METRIC = re.compile(
    r"\b(?:success (?:metrics?|criteri(?:a|on)|indicators?|measures?|factors?)"
    r"|quality gates?|(?:acceptance|verification|completion|exit) criteri(?:a|on)"
    r"|(?:quantitative|performance) targets?|key performance indicators?|kpis?"
    r"|definition of done|measures? of success)\b(?!-)"
)
_METRIC_KEYS = {"acceptance", "metrics", "targets"}
_RESPONSIBILITY = re.compile(
    # "Single Responsibility" is usually the design principle, not a list of duties.
    r"(?<!single )\b(?:responsibilit(?:y|ies)|mission|focus areas?|areas? of focus|capabilit(?:y|ies)"
    r"|expertise|competenc(?:y|ies)|duties|role)\b(?!-)"
    # Setup and installation instructions tell the user what to do, not the agent.
    r"|(?<!installation )(?<!install )(?<!setup )(?<!usage )(?<!custom )\binstructions\b"
    r"|^what\b.*\b(?:does|do|handles?|owns?)$"
)


def _classify(key):
    """RESPONSIBILITY, METRIC, _EXCLUDED or None (neutral) for a normalized heading key."""
    if not key:
        return None
    if _NEGATIVE.search(key):
        return _EXCLUDED
    if key in _METRIC_KEYS or _METRIC.search(key):
        return METRIC
    if _RESPONSIBILITY.search(key):
        return RESPONSIBILITY
    return None


@functools.lru_cache(maxsize=4096)
def _classify_label(label):
    """_classify for a bold or plain label; the same few labels recur in every file."""
    return _classify(normalize_heading(label))


def classify_heading(heading):
    """Return the field a heading introduces ("responsibility" or "metric"), or None.

    ``"## 🎯 Your Success Metrics"`` is ``"metric"``; ``"### What it does NOT do"`` is None.
    """
    field = _classify(normalize_heading(heading))
    return field if field in FIELDS else None


# ---------------------------------------------------------------------------
# Markdown to plain one-line text
# ---------------------------------------------------------------------------

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")  # whole runs only: linear, not cubic
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^)]*\)")  # [^\[\]]: an unclosed "[" fails at the next one
_LINK = re.compile(r"\[([^\[\]]+)\](?:\([^)]*\)|\[[^\[\]]*\])")  # linear on "[" * n, as _IMAGE
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_STRIKE = re.compile(r"~~(.+?)~~")
_SPACE = re.compile(r"\s+")
_INVISIBLE = "\u200d\ufe0f\ufe0e\u20e3\ufffd"
_NUMBER_PREFIX = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+")


# The patterns below are quadratic on some shapes ("[a](" * n, "**a " * n); an item keeps at
# most MAX_ITEM_LENGTH characters anyway, so no more than this much of its source is read.
_MAX_INLINE_SOURCE = 4 * MAX_ITEM_LENGTH


def _strip_inline(text):
    """Remove emphasis, links and HTML from Markdown prose, leaving code spans' text intact."""
    text = text[:_MAX_INLINE_SOURCE]
    parts = _CODE_SPAN.split(text)
    # split() yields [prose, ticks, code, prose, ticks, code, ..., prose].
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 1:
            continue
        if kind == 2:
            out.append(part.strip())
            continue
        part = _IMAGE.sub(r"\1", part)
        part = _LINK.sub(r"\1", part)
        part = _AUTOLINK.sub(r"\1", part)
        part = _HTML_TAG.sub(" ", part)
        part = _STRONG.sub(lambda m: m.group(1) or m.group(2), part)
        part = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), part)
        part = _STRIKE.sub(r"\1", part)
        out.append(part)
    return "".join(out)


def _strip_leading_symbols(text):
    """Drop leading check marks, arrows-as-bullets and other pictographs (✅, 🔒, ▸)."""
    index = 0
    while index < len(text) and (
        text[index].isspace() or text[index] in _INVISIBLE or unicodedata.category(text[index]) in {"So", "Sk"}
    ):
        index += 1
    return text[index:]


def _plain(text):
    """One line of plain text, capped at MAX_ITEM_LENGTH on a word boundary."""
    text = _SPACE.sub(" ", _strip_leading_symbols(_strip_inline(text))).strip()
    if len(text) > MAX_ITEM_LENGTH:
        cut = text.rfind(" ", 0, MAX_ITEM_LENGTH)
        text = text[: cut if cut > MAX_ITEM_LENGTH // 2 else MAX_ITEM_LENGTH - 1].rstrip() + "…"
    return text


@functools.lru_cache(maxsize=4096)
def _display_heading(heading):
    """A heading as a reader should see it: repaired, without emoji or Markdown."""
    text, _ = repair_mojibake(heading)
    text = _SPACE.sub(" ", strip_symbols(_strip_inline(text))).strip()
    return _NUMBER_PREFIX.sub("", text).rstrip(":").strip()


# ---------------------------------------------------------------------------
# Lines of one section
# ---------------------------------------------------------------------------

_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
_CHECKBOX = re.compile(r"^\[([ xX])\]\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_THEMATIC_BREAK = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_BLOCKQUOTE = re.compile(r"^\s*(?:>\s?)+")
# A list item or paragraph that opens with a label: "**Success Criteria**: text",
# "**Success Criteria:** text", "**Design** - text", or a short plain "Acceptance: text".
_BOLD_LABEL = re.compile(
    r"""^(?:\*\*|__)(?P<label>[^*_]{1,80}?)
        (?: :(?:\*\*|__) | (?:\*\*|__)\s*(?: : | [-–—](?=\s) ) )
        \s*(?P<rest>.*)$""",
    re.VERBOSE,
)
_PLAIN_LABEL = re.compile(r"^(?P<label>[A-Z][\w/&' -]{0,40}?):(?:\s+(?P<rest>.*))?$")
# A line that is nothing but a bold phrase, or a short "Label:" line, heads what follows.
_PSEUDO_HEADING = re.compile(
    r"""^(?:\*\*|__)(?P<bold>[^*_]{1,80}?)(?:\*\*|__)\s*:?$
      | ^(?:\*\*|__)(?P<bold_colon>[^*_]{1,80}?):(?:\*\*|__)$
      | ^(?P<plain>[A-Z][^.!?:,]{0,50}):$""",
    re.VERBOSE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[*_`])")
# "Remember: ..." and "Note: ..." paragraphs comment on the list above them.
_ASIDES = {"remember", "note", "notes", "tip", "important", "warning", "caution", "example", "rationale"}
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "no.", "cf.", "mr.", "dr."})


def _label(text):
    """Split ``**Label**: rest`` into ``(label, rest)``; ``(None, text)`` when there is none."""
    match = _BOLD_LABEL.match(text)
    if match:
        return match.group("label").strip(), match.group("rest")
    match = _PLAIN_LABEL.match(text)
    if match:
        return match.group("label").strip(), match.group("rest") or ""
    return None, text


def _pseudo_heading(stripped):
    """The label of a line that heads what follows (``**Success Criteria:**``), else None."""
    match = _PSEUDO_HEADING.match(stripped)
    if not match:
        return None
    label = match.group("bold") or match.group("bold_colon") or match.group("plain")
    # A plain "Label:" line longer than a few words is a lead-in sentence, not a heading.
    limit = 4 if match.group("plain") else 8
    return label.strip() if len(label.split()) <= limit else None


def _sentences(text):
    """Split a paragraph into ``(offset, sentence)`` pairs, keeping "e.g. Foo" together."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        if before and before[-1].casefold().lstrip("([\"'") in _ABBREVIATIONS:
            continue
        pieces.append((start, text[start : match.start()]))
        start = match.end()
    pieces.append((start, text[start:]))
    return pieces


class _SectionReader:
    """Reads the lines of one section into items.

    ``field`` is the section's own or inherited field (or None, or _EXCLUDED). Pseudo-
    headings replace it until the next one; a labelled list item replaces it for its
    children. Checklist items are metrics unless the context says responsibility.
    """

    def __init__(self, heading, field, items):
        self.heading = heading  # as written; cleaned for display only when an item needs it
        self.section_field = field
        self.items = items
        self.context = (field, heading)  # (field, heading) in force outside lists
        self.parents = []  # [(indent, field, heading)] of open list items
        self.paragraph = []  # [(line, text)]
        self.entry = None  # the open list item: (line, [text lines], field, heading)
        self.table = []  # [(line, text)]

    # -- feeding -----------------------------------------------------------

    def read(self, lines, first_line):
        fence = None
        for number, line in enumerate(lines, start=first_line):
            fence_match = INDENTED_FENCE.match(line)  # fences in list items are indented
            if fence is not None:
                marker = fence_match.group(1) if fence_match else ""
                closes = marker[:1] == fence[0] and len(marker) >= len(fence)
                if closes and not line.strip()[len(marker) :].strip():
                    fence = None
                continue
            if fence_match:
                self.flush()
                fence = fence_match.group(1)
                continue
            self.feed(number, line)
        self.flush()

    def feed(self, number, line):
        stripped = line.strip()
        if not stripped or _THEMATIC_BREAK.match(line) or stripped.startswith("<!--"):
            self.flush()
            return
        if _TABLE_ROW.match(line):
            self.flush_text()
            self.table.append((number, stripped))
            return
        self.flush_table()
        match = _LIST_ITEM.match(line)
        if match:
            self.flush_text()
            self.open_entry(number, len(match.group(1).expandtabs(4)), match.group(2))
            return
        indent = len(line) - len(line.lstrip())
        if self.entry is not None:
            self.entry[1].append(stripped)
            return
        if stripped.startswith(">"):
            stripped = _BLOCKQUOTE.sub("", stripped)
        if not self.paragraph:
            self.close_parents(indent)
            label = _pseudo_heading(stripped)
            if label is not None:
                self.set_context(label)
                return
        self.paragraph.append((number, stripped))

    # -- context -----------------------------------------------------------

    def close_parents(self, indent):
        while self.parents and self.parents[-1][0] >= indent:
            self.parents.pop()

    def current(self):
        """The (field, heading) in force for the next item."""
        if self.parents:
            return self.parents[-1][1], self.parents[-1][2]
        return self.context

    def set_context(self, label):
        field = _classify_label(label)
        if field is None:
            self.context = (self.section_field, self.heading)
        elif field == _EXCLUDED:
            self.context = (_EXCLUDED, self.heading)
        else:
            self.context = (field, label)

    # -- list items --------------------------------------------------------

    def open_entry(self, number, indent, text):
        self.close_parents(indent)
        field, section = self.current()
        checklist = bool(_CHECKBOX.match(text))
        text = _CHECKBOX.sub("", text)
        label, rest = _label(text)
        own = _classify_label(label) if label else None
        children_field = own or field
        self.parents.append((indent, children_field, section))
        if _EXCLUDED in (own, field):
            self.entry = (number, [], None, section)
            return
        if own is not None:
            field = own
        elif checklist and field != RESPONSIBILITY:
            field = METRIC
        # A bare "- **Success Criteria**:" or "- **Code Quality**:" only announces its children.
        if label and not rest.strip():
            field = None
        self.entry = (number, [text], field, section)

    # -- flushing ----------------------------------------------------------

    def flush(self):
        self.flush_text()
        self.flush_table()

    def flush_text(self):
        if self.entry is not None:
            number, texts, field, section = self.entry
            self.entry = None
            if field in FIELDS:
                self.add(field, section, " ".join(texts), number)
        if self.paragraph:
            paragraph, self.paragraph = self.paragraph, []
            self.add_paragraph(paragraph)

    def add_paragraph(self, paragraph):
        field, section = self.current()
        text = " ".join(part for _, part in paragraph)
        label, rest = _label(text)
        own = _classify_label(label) if label else None
        if own == _EXCLUDED or (own is None and field not in FIELDS):
            return
        if own is None and label and label.casefold() in _ASIDES:
            return
        if own is not None:
            self.add(own, section, text, paragraph[0][0])
            return
        if len(text) > MAX_PARAGRAPH_LENGTH:
            return
        # Map each sentence back to the line it starts on.
        starts, offset = [], 0
        for number, part in paragraph:
            starts.append((offset, number))
            offset += len(part) + 1
        for start, sentence in _sentences(text):
            sentence = sentence.strip()
            if not sentence or sentence.endswith(":"):
                continue  # "When reviewing code, you will:" introduces, it does not state
            number = max(n for o, n in starts if o <= start)
            self.add(field, section, sentence, number)

    def flush_table(self):
        rows, self.table = self.table, []
        field, section = self.current()
        if field not in FIELDS or not rows:
            return
        if len(rows) > 1 and _TABLE_RULE.match(rows[1][1]):
            rows = rows[2:]  # the header names columns, it is not an item
        for number, row in rows:
            cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
            cells = [cell for cell in cells if cell]
            if not cells or _TABLE_RULE.match(row):
                continue
            text = cells[0] + (": " + "; ".join(cells[1:]) if len(cells) > 1 else "")
            self.add(field, section, text, number)

    def add(self, field, section, text, line):
        text = _plain(text)
        if len(text) > 1 and any(c.isalnum() for c in text):
            self.items.append(Item(field=field, section=_display_heading(section), text=text, line=line))


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


def _title(sections):
    """The heading that names the whole document, if there is one.

    That is a first-level heading that comes first and is the only one: every other
    section sits under it, so its words describe the document, not a part of it.
    """
    headed = [section for section in sections if section.level]
    if len(headed) < 2 or headed[0].level != 1 or any(section.level == 1 for section in headed[1:]):
        return None
    return headed[0]


def extract_items(body, *, first_line=1):
    """Return the responsibilities and success metrics stated in a Markdown body.

    ``first_line`` is the file line of the body's first line (after the frontmatter), so
    that every ``Item.line`` points into the original file. Items come in document order.
    """
    lines = body.splitlines()
    sections = split_sections(body, first_line)
    title = _title(sections)
    items = []
    inherited = []  # [(level, field)] of the enclosing headings
    for index, section in enumerate(sections):
        while inherited and inherited[-1][0] >= section.level:
            inherited.pop()
        field = _classify(section.key) or (inherited[-1][1] if inherited else None)
        if section.level:
            # "# Task Researcher Instructions" names the whole document; what it says
            # about "instructions" must not turn every section below into one.
            inherited.append((section.level, None if section is title else field))
        # split_sections trims blank lines from Section.text, so slice the body instead
        # to keep line numbers exact.
        start = section.line - first_line + (1 if section.level else 0)
        end = sections[index + 1].line - first_line if index + 1 < len(sections) else len(lines)
        _SectionReader(section.heading, field, items).read(lines[start:end], first_line + start)
    return tuple(items)
