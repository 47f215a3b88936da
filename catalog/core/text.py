"""Plain-text helpers shared by the pure-Python cores: headings, sections, fences.

Nothing here imports Django; the parsing, diff, collaboration and extraction modules all
build on these functions so that a heading means the same thing everywhere. Mojibake repair
lives in ``mojibake``; ``repair_mojibake`` is imported here for the heading, extraction and
collaboration code that repairs a heading or a body it was handed unrepaired.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .mojibake import repair_mojibake

# ---------------------------------------------------------------------------
# Headings and sections
# ---------------------------------------------------------------------------

_EMOJI_CATEGORIES = {"So", "Sk", "Cs", "Co", "Cn"}
_INVISIBLE = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3", "\ufffd"}
_NUMBERING = re.compile(
    r"^(?:(?:step|phase|part|stage)\s+)?(?:\d+(?:\.\d+)*|[ivx]+|[a-z])[.):]\s+", re.IGNORECASE
)
_LEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)*\s+")
_POSSESSIVE = re.compile(r"^(?:your|my|the agent'?s)\s+", re.IGNORECASE)


def strip_symbols(text):
    """Drop emoji, pictographs and invisible joiners; keep letters, digits and punctuation."""
    if text.isascii():
        return text
    return "".join(
        c for c in text if c not in _INVISIBLE and unicodedata.category(c) not in _EMOJI_CATEGORIES
    )


@lru_cache(maxsize=8192)
def normalize_heading(heading):
    """Reduce a heading to the words that identify it.

    ``"## ðŸŽ¯ Your Core Mission:"`` and ``"3. **Core Mission**"`` both become ``"core mission"``.
    """
    text, _ = repair_mojibake(heading)
    text = text.strip().lstrip("#").strip()
    text = re.sub(r"[*_`]+", "", text)
    text = strip_symbols(text).strip()
    text = _NUMBERING.sub("", text)
    text = _LEADING_NUMBER.sub("", text)
    text = _POSSESSIVE.sub("", text)
    text = text.rstrip(":").strip()
    return re.sub(r"\s+", " ", text).casefold()


@dataclass(frozen=True)
class Section:
    """A heading and the lines under it, up to the next heading of any level."""

    level: int  # 0 for the text before the first heading
    heading: str  # as written, without the leading hashes
    key: str  # normalize_heading(heading)
    line: int  # 1-based line of the heading (or of the first line, for the preamble)
    text: str  # the lines under the heading, without the heading itself


# The closing run of #s is removed by _heading_text, not by this pattern: a lazy group followed
# by optional blanks and #s backtracks quadratically over a long run of spaces.
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
# Fenced code: three or more backticks or tildes (the marker), then an info string. The one
# set of fence patterns every reader here uses. CommonMark allows three spaces of indentation
# before a fence: FENCE. Fences inside list items sit deeper, so the readers that walk list
# items (item extraction, a description's first paragraph) accept any indentation.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
INDENTED_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")


# Parsing, extraction and edge detection each ask for the same file's sections in turn;
# the result is an immutable tuple, so sharing it is safe.
@lru_cache(maxsize=16)
def split_sections(body, first_line=1):
    """Split Markdown into sections at ATX headings, ignoring headings inside code fences.

    ``first_line`` is the file line number of the body's first line, so that each
    section's ``line`` points into the original file.
    """
    sections = []
    level, heading, start, lines = 0, "", first_line, []
    fence = None
    for offset, line in enumerate(body.splitlines()):
        fence_match = FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
        match = None if fence is not None or fence_match else _ATX_HEADING.match(line)
        if match:
            if heading or any(x.strip() for x in lines):
                sections.append(_section(level, heading, start, lines))
            level, heading, start, lines = len(match.group(1)), _heading_text(match.group(2)), first_line + offset, []
        else:
            lines.append(line)
    if heading or any(x.strip() for x in lines):
        sections.append(_section(level, heading, start, lines))
    return tuple(sections)


def _heading_text(text):
    """An ATX heading's text without its optional closing run of #s (CommonMark: "## a ##" is "a",
    "## a#" is "a#", "## ##" is empty)."""
    text = (text or "").strip(" \t")
    bare = text.rstrip("#")
    if not bare or (bare != text and bare[-1] in " \t"):
        return bare.rstrip(" \t")
    return text


def _section(level, heading, line, lines):
    return Section(
        level=level,
        heading=heading,
        key=normalize_heading(heading) if heading else "",
        line=line,
        text="\n".join(lines).strip("\n"),
    )


_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def slugify(value):
    """ASCII, lowercase, hyphen-separated: ``"PostgreSQL DBA!"`` -> ``"postgresql-dba"``."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return _SLUG_JUNK.sub("-", value.lower()).strip("-")


def dedent(text):
    """Remove the indentation all non-blank lines share; blank lines become empty.

    Unlike ``textwrap.dedent``, spaces and tabs count alike and whitespace-only lines never
    limit the margin, which is how indented frontmatter blocks are written.
    """
    indents = [len(line) - len(line.lstrip(" \t")) for line in text.split("\n") if line.strip()]
    margin = min(indents, default=0)
    if not margin:
        return text
    return "\n".join(line[margin:] if line.strip() else "" for line in text.split("\n"))
