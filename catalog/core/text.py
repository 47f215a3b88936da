"""Plain-text helpers shared by the pure-Python cores: mojibake repair, headings, sections, fences.

Nothing here imports Django; the parsing, diff, collaboration and extraction modules all
build on these functions so that a heading means the same thing everywhere.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# ---------------------------------------------------------------------------
# Mojibake: UTF-8 bytes that were decoded as cp1252 and saved again as UTF-8.
# ---------------------------------------------------------------------------

# The character a cp1252 decoder produced for each byte. The five bytes cp1252 leaves
# undefined come out as the matching C1 control when a lenient decoder kept them.
_CHAR_TO_BYTE = {}
for _byte in range(256):
    try:
        _char = bytes([_byte]).decode("cp1252")
    except UnicodeDecodeError:
        _char = chr(_byte)
    _CHAR_TO_BYTE[_char] = _byte

_CONTINUATION = "".join(sorted(c for c, b in _CHAR_TO_BYTE.items() if 0x80 <= b <= 0xBF))
_LEAD = "".join(chr(b) for b in range(0xC2, 0xF5))
# The trailing spaces are captured: a lost non-breaking space shows up as one extra space.
_MOJIBAKE_RUN = re.compile(f"((?:[{re.escape(_LEAD)}][{re.escape(_CONTINUATION)}]+)+)( {{0,2}})")
# Bytes a strict cp1252 decoder drops. When one of them was lost, the sequence is one byte
# short; these prefixes have one overwhelmingly common completion.
_DROPPED_BYTE_GUESSES = {
    b"\xe2\x80": 0x9D,  # ” right double quotation mark
    b"\xe2\x86": 0x90,  # ← leftwards arrow
    b"\xf0\x9f\xa4": 0x9D,  # 🤝 handshake
    b"\xef\xb8": 0x8F,  # U+FE0F emoji presentation selector
}


def _sequence_length(lead_byte):
    if lead_byte >= 0xF0:
        return 4
    if lead_byte >= 0xE0:
        return 3
    return 2


def _repair_run(run, space_follows):
    """Decode one run of mojibake characters.

    Returns ``(text, changed, consumed_space)``. A sequence one byte short lost that byte
    on the way: a known prefix gets its usual completion; a sequence followed by two spaces
    lost a non-breaking space that became a plain one (``"ðŸ§  Your"`` for "🧠 Your");
    an emoji whose last byte is unknowable becomes U+FFFD.

    Real text can look like a run too ("1×–2" reads as one two-byte sequence), so a lone
    two-byte sequence counts only with the classic ``Â``/``Ã`` lead, and an incomplete
    sequence only with a prefix that mojibake actually produces.
    """
    out = []
    changed = consumed_space = False
    two_byte_sequences = sum(1 for c in run if 0xC4 <= _CHAR_TO_BYTE.get(c, 0) <= 0xDF)
    index = 0
    while index < len(run):
        lead = _CHAR_TO_BYTE.get(run[index], 0)
        need = _sequence_length(lead) if lead >= 0xC2 else 0
        chunk = run[index : index + need] if need else ""
        raw = bytes(_CHAR_TO_BYTE[c] for c in chunk)
        plausible = need != 2 or lead in (0xC2, 0xC3) or two_byte_sequences >= 2
        if need and len(chunk) == need and plausible:
            try:
                out.append(raw.decode("utf-8"))
                changed = True
                index += need
                continue
            except UnicodeDecodeError:
                pass
        elif need and len(chunk) == need - 1 and index + len(chunk) == len(run):
            completed = None
            if raw in _DROPPED_BYTE_GUESSES:
                completed = raw + bytes([_DROPPED_BYTE_GUESSES[raw]])
            elif space_follows and raw[:2] in (b"\xf0\x9f", b"\xe2\x80", b"\xe2\x9c", b"\xe2\x9d"):
                completed = raw + b"\xa0"
                consumed_space = True
            elif raw[:2] == b"\xf0\x9f":
                out.append("\ufffd")
                changed = True
                index += len(chunk)
                continue
            if completed:
                try:
                    out.append(completed.decode("utf-8"))
                    changed = True
                    index += len(chunk)
                    continue
                except UnicodeDecodeError:
                    consumed_space = False
        out.append(run[index])
        index += 1
    return "".join(out), changed, consumed_space


def repair_mojibake(text):
    """Repair UTF-8 that was read as cp1252, even mixed with correct text on one line.

    Returns ``(repaired_text, count)`` where count is the number of repaired runs.
    """
    count = 0

    def fix(match):
        nonlocal count
        repaired, changed, consumed_space = _repair_run(match.group(1), len(match.group(2)) == 2)
        if not changed:
            return match.group(0)
        count += 1
        return repaired + (match.group(2)[1:] if consumed_space else match.group(2))

    return _MOJIBAKE_RUN.sub(fix, text), count


def looks_like_mojibake(text):
    """True when repair_mojibake would change the text."""
    return repair_mojibake(text)[1] > 0


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
