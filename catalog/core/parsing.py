"""Read one agent, command or skill definition file into a frozen ``ParsedFile``.

The files come from many authors and tools, so every step is forgiving: bytes are decoded
whatever their encoding, damaged text (NUL bytes, mojibake) is repaired, and frontmatter that
is not valid YAML is recovered line by line. What cannot be read safely (files that are too
large, YAML bombs) raises ``Rejected``. Everything else that was odd is reported as a
``Problem`` on the result rather than raised, so an import can show it.

Nothing here imports Django; the importer turns a ``ParsedFile`` into rows.
"""

import base64
import codecs
import datetime
import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode
from yaml.resolver import Resolver

from .text import repair_mojibake, slugify, split_sections

try:  # libyaml's parser is ten times faster than the pure-Python one.
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    CParser = None

MAX_FILE_BYTES = 1024 * 1024
MAX_FRONTMATTER_BYTES = 64 * 1024
MAX_YAML_DEPTH = 20

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_FRONTMATTER_BYTES",
    "MAX_YAML_DEPTH",
    "ParsedFile",
    "Problem",
    "Rejected",
    "ToolRef",
    "decode",
    "parse_definition",
    "parse_tools",
    "read_frontmatter",
    "split_frontmatter",
]


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something odd about a file, worth showing next to it."""

    severity: str  # "error" | "warning" | "info"
    code: str  # short kebab-case id, e.g. "yaml-lenient"
    message: str  # one clear sentence
    line: int | None = None  # 1-based line in the file when known


class Rejected(Exception):
    """The file cannot be imported at all; ``.problem`` says why (severity "error")."""

    def __init__(self, problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class ToolRef:
    """One entry of a ``tools`` / ``allowed-tools`` field, with its canonical name."""

    raw: str  # as written: "Bash(git:*)", "mcp__github__create_issue", "MultiEdit", "write"
    name: str  # canonical: "Bash", "mcp__github__create_issue", "Edit", "Write"
    kind: str  # "builtin" | "mcp" | "other"
    pattern: str = ""  # argument pattern: "git:*" for Bash(git:*)
    legacy: str = ""  # the legacy name it was written as ("MultiEdit", "LS", "Task"...)
    server: str = ""  # MCP server for mcp__server__tool
    enabled: bool = True  # False for OpenCode's {write: false} and disallowed tools


@dataclass(frozen=True)
class ParsedFile:
    """Everything the catalog keeps about one definition file."""

    path: str
    kind: str  # "agent" | "command" | "skill"
    format: str  # "claude-code" | "copilot" | "opencode"
    slug: str  # stable: a slug-like frontmatter name, else the file name; commands get their namespace
    name: str
    description: str  # escapes resolved, <example> blocks removed
    examples: tuple[str, ...]  # the <example> blocks taken out of the description
    model: str
    color: str
    frontmatter: dict  # every field, JSON-safe, in file order
    body: str
    body_line: int  # 1-based file line where the body starts
    text: str
    sha256: str  # of the raw bytes as given
    sections: tuple  # catalog.text.Section, from split_sections(body, body_line)
    tools: tuple[ToolRef, ...]
    skills: tuple[str, ...]  # skill names from the frontmatter `skills:` field
    commands: tuple[str, ...]  # slash commands mentioned in the body: "/agency:work", "/review"
    lenient: bool  # True when the frontmatter needed the lenient reader
    problems: tuple[Problem, ...]


def _error(code, message, line=None):
    return Rejected(Problem("error", code, message, line))


# ---------------------------------------------------------------------------
# Bytes to text
# ---------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# repair_mojibake also rewrites some legitimate pairs ("1×–2" becomes "1ז2"), so only
# lines carrying an unmistakable signature of UTF-8 read as cp1252 are handed to it:
# "â" or "Ã"/"Â" followed by a cp1252 continuation character, "ðŸ" (emoji), "ï»¿"/"ï¸".
_CP1252_CONTINUATION = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE_SIGNATURE = re.compile(f"[âÃÂ][{_CP1252_CONTINUATION}]|ðŸ|ï»¿|ï¸")
_MOJIBAKE_LEAD = re.compile("[âÃÂðï]")  # a cheap first look: the signature search is slow


def _line_at(data, offset, newline):
    return data.count(newline, 0, offset) + 1


def _looks_like_bomless_utf16(raw):
    """UTF-16 without a BOM: mostly-ASCII text leaves a NUL in every other byte."""
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.9 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.9 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def decode(raw):
    """Turn raw bytes into clean text with ``\\n`` line ends.

    Handles a UTF-8 BOM, UTF-16/32 with a BOM (and BOM-less UTF-16), NUL bytes (removed),
    invalid UTF-8 (decoded with U+FFFD), and mojibake (UTF-8 that was once read as cp1252).
    Returns ``(text, problems)``.
    """
    problems = []
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, encoding = raw[len(bom) :], name
            break
    else:
        encoding = _looks_like_bomless_utf16(raw) or encoding
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        text = raw.decode(encoding, errors="replace")
        line = _line_at(raw, exc.start, b"\n") if encoding == "utf-8" else None
        problems.append(
            Problem(
                "warning",
                "invalid-utf8",
                f"The file is not valid {encoding.upper()}; undecodable bytes became U+FFFD.",
                line,
            )
        )
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = _line_at(text, text.index("\x00"), "\n")
        count = text.count("\x00")
        text = text.replace("\x00", "")
        problems.append(Problem("warning", "nul-bytes", f"Removed {count} NUL byte(s).", line))
    if not text.isascii() and _MOJIBAKE_LEAD.search(text) and _MOJIBAKE_SIGNATURE.search(text):
        text, problem = _repair_mojibake_lines(text)
        if problem:
            problems.append(problem)
    return text, problems


def _repair_mojibake_lines(text):
    lines = text.split("\n")
    total, first = 0, None
    for index, line in enumerate(lines):
        if _MOJIBAKE_SIGNATURE.search(line):
            lines[index], count = repair_mojibake(line)
            if count:
                total += count
                first = first or index + 1
    if not total:
        return text, None
    message = f"Repaired {total} run(s) of mojibake (UTF-8 that had been read as cp1252)."
    return "\n".join(lines), Problem("warning", "mojibake-repaired", message, first)


# ---------------------------------------------------------------------------
# Frontmatter
# ---------------------------------------------------------------------------

_FENCE = re.compile(r"-{3,}")


def split_frontmatter(text):
    """Split text into its YAML frontmatter and the Markdown body.

    Returns ``(yaml_text or None, body, body_line, problems)``; ``body_line`` is the 1-based
    line where the body starts. Accepts a BOM, CRLF, blank lines before the opening fence or
    after it, frontmatter indented as a block (the common indentation is removed) and a
    closing fence of more than three dashes. Without an opening fence, or without a closing
    one, the whole text is the body.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or lines[start].strip() != "---":
        return None, text, 1, []
    for end in range(start + 1, len(lines)):
        if _FENCE.fullmatch(lines[end].strip()):
            break
    else:
        problem = Problem(
            "warning",
            "frontmatter-unclosed",
            "The opening '---' fence is never closed; the file is read as having no frontmatter.",
            start + 1,
        )
        return None, text, 1, [problem]
    yaml_text = _dedent("\n".join(lines[start + 1 : end]))
    return yaml_text, "\n".join(lines[end + 1 :]), end + 2, []


def _dedent(text):
    indents = [len(line) - len(line.lstrip(" \t")) for line in text.split("\n") if line.strip()]
    margin = min(indents, default=0)
    if not margin:
        return text
    return "\n".join(line[margin:] if line.strip() else "" for line in text.split("\n"))


class _Refused(Exception):
    """Raised inside the loader for YAML that is valid but unsafe to expand."""

    def __init__(self, code, message, mark):
        super().__init__(message)
        self.code, self.message, self.mark = code, message, mark


class _GuardedComposer(Composer):
    """A composer that refuses aliases to defined anchors and bounds the nesting depth.

    Refusing every alias is what makes "billion laughs" harmless; frontmatter has no need
    for them. An alias to an undefined anchor (``**bold**``, ``tools: *``) is left to the
    usual composer error, which sends the file to the lenient reader instead.
    """

    def __init__(self):
        super().__init__()
        self.depth = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            if event.anchor in self.anchors:
                raise _Refused(
                    "yaml-alias", "The frontmatter uses YAML aliases (*name), which are refused.", event.start_mark
                )
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise _Refused("yaml-too-deep", f"The frontmatter nests deeper than {MAX_YAML_DEPTH} levels.", mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


if CParser is not None:

    class _SafeLoader(_GuardedComposer, CParser, SafeConstructor, Resolver):
        """libyaml's parser with the guarded Python composer and the safe constructor.

        ``CSafeLoader`` composes in C, where deep nesting overflows the C stack (a
        segfault, not an exception); composing in Python keeps the guards in charge.
        """

        def __init__(self, stream):
            CParser.__init__(self, stream)
            _GuardedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover - depends on how PyYAML was built

    class _SafeLoader(_GuardedComposer, yaml.SafeLoader):
        """The pure-Python safe loader with the guarded composer."""


# Errors that YAML input can provoke in the safe constructor besides YAMLError
# (an impossible date such as 2024-13-45 raises ValueError).
_LOAD_ERRORS = (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError)


def _load(text, first_line):
    """Safe-load one YAML document. Returns ``(data, duplicate_keys)``; raises Rejected."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        duplicates = _duplicate_keys(node, first_line)
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        line = first_line + exc.mark.line if exc.mark is not None else None
        raise _error(exc.code, exc.message, line) from None
    except yaml.MarkedYAMLError as exc:
        # The libyaml in recent PyYAML wheels (6.0.4 here) has a nesting limit of its own, which
        # its scanner can reach ahead of the composer: the same refusal, not a reason to read leniently.
        if exc.problem != "exceeded maximum nesting depth":
            raise
        line = first_line + exc.problem_mark.line if exc.problem_mark is not None else None
        raise _error("yaml-too-deep", f"The frontmatter nests deeper than {MAX_YAML_DEPTH} levels.", line) from None
    finally:
        loader.dispose()
    return data, duplicates


def _duplicate_keys(node, first_line):
    if not isinstance(node, MappingNode):
        return []
    seen, duplicates = set(), []
    for key_node, _ in node.value:
        if isinstance(key_node, ScalarNode):
            if key_node.value in seen:
                duplicates.append((key_node.value, first_line + key_node.start_mark.line))
            seen.add(key_node.value)
    return duplicates


def read_frontmatter(yaml_text, first_line=2):
    """Read frontmatter YAML into a JSON-safe dict, in file order.

    ``first_line`` is the file line of the YAML's first line. Returns
    ``(mapping, lenient, problems)``: ``lenient`` is True when the text was not valid YAML
    and was recovered line by line. Raises ``Rejected`` for frontmatter over
    ``MAX_FRONTMATTER_BYTES``, YAML aliases and nesting deeper than ``MAX_YAML_DEPTH``.
    A top-level value that is not a mapping gives ``{}`` and a "frontmatter-not-mapping"
    problem; ``parse_definition`` then treats the file as having no frontmatter.
    """
    if len(yaml_text.encode("utf-8", errors="replace")) > MAX_FRONTMATTER_BYTES:
        raise _error(
            "frontmatter-too-large",
            f"The frontmatter is larger than {MAX_FRONTMATTER_BYTES // 1024} KiB.",
            first_line - 1,
        )
    problems = []
    try:
        data, duplicates = _load(yaml_text, first_line)
    except _LOAD_ERRORS as exc:
        mapping, duplicates = _read_leniently(yaml_text, first_line)
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        problems.append(
            Problem(
                "warning",
                "yaml-lenient",
                f"The frontmatter is not valid YAML ({reason}); its keys were read line by line.",
                first_line + mark.line if mark is not None else None,
            )
        )
        problems.extend(_duplicate_problems(duplicates))
        return mapping, True, problems
    problems.extend(_duplicate_problems(duplicates))
    if data is None:
        return {}, False, problems
    if not isinstance(data, dict):
        shape = "list" if isinstance(data, list) else "scalar"
        problems.append(
            Problem(
                "warning",
                "frontmatter-not-mapping",
                f"The frontmatter is a YAML {shape}, not a set of keys; it is ignored.",
                first_line,
            )
        )
        return {}, False, problems
    return _json_safe(data), False, problems


def _duplicate_problems(duplicates):
    return [
        Problem("warning", "duplicate-key", f"The key '{key}' appears more than once; the last value wins.", line)
        for key, line in duplicates
    ]


def _json_safe(value):
    """Make YAML values storable as JSON while keeping their types where JSON has them."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        # YAML's "\0" escape makes a NUL, which PostgreSQL refuses in text and JSON alike.
        return value.replace("\x00", "")
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {_json_key(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_json_safe(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return str(value)


def _json_key(key):
    if isinstance(key, str):
        return key.replace("\x00", "")
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    safe = _json_safe(key)
    return safe if isinstance(safe, str) else str(safe)


# --- The lenient reader ---------------------------------------------------------------

# Keys seen in real frontmatter. A known key at column 0 always starts a new entry; an
# unknown one only when it looks like a frontmatter key and not like prose inside a value.
_KNOWN_KEYS = frozenset(
    """name description tools allowed-tools disallowed-tools disallowedTools allowedTools
    model color argument-hint mode license version author authors tags metadata category
    temperature permissionMode permission permissions skills hooks source dependencies risk
    date_added user-invocable compatibility id type mcp-servers disable-model-invocation
    hidden title repo tested_with displayName agent agents maxTurns handoffs target
    homepage keywords icon emoji priority""".split()
)
# Words that open lines of example dialogue inside descriptions ("user: ...").
_DIALOGUE_LABELS = frozenset(
    "user assistant human ai context commentary example examples note response question answer q a".split()
)
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*:(?:[ \t]+(.*))?[ \t]*$")
_EXAMPLE_OPEN = re.compile(r"<example\b", re.IGNORECASE)
_EXAMPLE_CLOSE = re.compile(r"</example>", re.IGNORECASE)
_BLOCK_INDICATOR = re.compile(r"[|>][-+0-9]*")


def _read_leniently(yaml_text, first_line):
    """Recover ``key: value`` entries from frontmatter that YAML could not read.

    A new entry starts only at an unindented line that looks like a frontmatter key;
    every other line (indented, blank, prose, example dialogue) continues the previous
    value, so no key is ever invented from a description. Each entry is then read as
    YAML on its own, and taken as written when even that fails.
    """
    entries = []  # (key, line number, [lines])
    in_example = False
    for offset, line in enumerate(yaml_text.split("\n")):
        match = _KEY_LINE.match(line)
        key = match.group(1) if match else None
        if key and (key in _KNOWN_KEYS or _looks_like_key(key, in_example)):
            entries.append((key, first_line + offset, [line]))
            in_example = False
        elif entries and not line.startswith("#"):  # an unindented "#" line is a comment
            entries[-1][2].append(line)
        else:
            continue
        if _EXAMPLE_OPEN.search(line):
            in_example = True
        if _EXAMPLE_CLOSE.search(line):
            in_example = False

    mapping, seen, duplicates = {}, set(), []
    for key, line_no, lines in entries:
        if key in seen:
            duplicates.append((key, line_no))
        seen.add(key)
        mapping[key] = _lenient_value(key, lines, line_no)
    return mapping, duplicates


def _looks_like_key(key, in_example):
    return not in_example and key[0].islower() and key.lower() not in _DIALOGUE_LABELS


def _lenient_value(key, lines, line_no):
    try:
        data, _ = _load("\n".join(lines), line_no)
    except _LOAD_ERRORS:
        data = None
    if isinstance(data, dict) and list(data) == [key]:
        return _json_safe(data[key])
    first = _KEY_LINE.match(lines[0]).group(2) or ""
    rest = lines[1:]
    if _BLOCK_INDICATOR.fullmatch(first.strip()):
        body = _dedent("\n".join(rest)).strip("\n")
        return body if first.startswith("|") else " ".join(body.split())
    return _unquote(_fold([first, *rest]))


def _fold(lines):
    """Join plain-scalar lines the way YAML does: a space, or a newline for a blank line."""
    out = []
    for line in lines:
        line = line.strip()
        if not line:
            out.append("\n")
        elif out and out[-1] != "\n":
            out.append(" " + line)
        else:
            out.append(line)
    return "".join(out).strip()


def _unquote(value):
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------

_BUILTINS = (
    "Read Write Edit Glob Grep Bash WebFetch WebSearch Agent TodoWrite NotebookEdit Skill "
    "SlashCommand BashOutput KillShell ExitPlanMode EnterPlanMode AskUserQuestion LSP "
    "ListMcpResourcesTool ReadMcpResourceTool"
).split()
_CANONICAL = {name.lower(): name for name in _BUILTINS}
# Names Claude Code used before; the tool lives on under its canonical name.
_LEGACY = {
    "task": "Agent",
    "multiedit": "Edit",
    "ls": "Glob",
    "notebookread": "Read",
    "todoread": "TodoWrite",
    "killbash": "KillShell",
}
# OpenCode's own names for the same built-ins.
_OPENCODE = {"list": "Glob", "patch": "Edit"}
_DISABLED_WORDS = frozenset({"false", "no", "off", "deny", "disabled", "disable", "none"})


def parse_tools(value, enabled=True):
    """Read a tools field: a comma string, a YAML list, or an OpenCode ``{name: bool}`` map.

    Commas and spaces inside parentheses belong to the argument pattern
    (``Bash(git add:*, git commit:*)``). Duplicates are dropped.
    """
    if isinstance(value, dict):
        refs = [
            _tool_ref(str(name), enabled=enabled and _is_enabled(flag))
            for name, flag in value.items()
            if str(name).strip()
        ]
    else:
        items = value if isinstance(value, list) else [value]
        refs = [
            _tool_ref(token, enabled=enabled)
            for item in items
            if item is not None and not isinstance(item, (dict, list))
            for token in _split_tools(str(item))
        ]
    unique = {}
    for ref in refs:
        unique.setdefault((ref.raw, ref.enabled), ref)
    return tuple(unique.values())


def _is_enabled(flag):
    if isinstance(flag, bool):
        return flag
    return not (flag is None or str(flag).strip().lower() in _DISABLED_WORDS)


def _split_tools(text):
    """Split at commas outside parentheses; at spaces too when there is no comma."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    tokens = _split_outside_parens(text, ",")
    if len(tokens) == 1:
        tokens = _split_outside_parens(text, " ")
    return [t for t in (tok.strip().strip("'\"`").strip() for tok in tokens) if t]


def _split_outside_parens(text, separator):
    tokens, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == separator and depth == 0:
            tokens.append("".join(current))
            current = []
        else:
            current.append(char)
    tokens.append("".join(current))
    return tokens


def _tool_ref(raw, enabled=True):
    raw = raw.strip()
    name, pattern = raw, ""
    if "(" in raw:
        name, _, rest = raw.partition("(")
        name = name.strip()
        pattern = rest[:-1] if rest.endswith(")") else rest
    if name == "*":
        return ToolRef(raw, "*", "other", pattern, enabled=enabled)
    if name.startswith("mcp__"):
        server = name[len("mcp__") :].split("__", 1)[0]
        return ToolRef(raw, name, "mcp", pattern, server=server, enabled=enabled)
    key = name.lower()
    if key in _CANONICAL:
        return ToolRef(raw, _CANONICAL[key], "builtin", pattern, enabled=enabled)
    if key in _LEGACY:
        return ToolRef(raw, _LEGACY[key], "builtin", pattern, legacy=name, enabled=enabled)
    if key in _OPENCODE and name == key:
        return ToolRef(raw, _OPENCODE[key], "builtin", pattern, enabled=enabled)
    return ToolRef(raw, name, "other", pattern, enabled=enabled)


# ---------------------------------------------------------------------------
# Descriptions, names and references
# ---------------------------------------------------------------------------

_EXAMPLE_BLOCK = re.compile(r"<example\b[^>]*>(.*?)(?:</example>|\Z)", re.IGNORECASE | re.DOTALL)
_ESCAPED_NEWLINE = re.compile(r"\\\\?n")
# The "Examples:" label left dangling once the blocks it introduced are gone.
_TRAILING_EXAMPLES_LABEL = re.compile(r"(?:\A|(?<=[.!?\n]))\s*(?:for\s+)?examples?\s*:\s*\Z", re.IGNORECASE)


def normalize_description(value):
    """Resolve literal ``\\n`` escapes and take ``<example>`` blocks out.

    Returns ``(description, examples)``.
    """
    text = _ESCAPED_NEWLINE.sub("\n", value).replace("\\t", "\t")
    examples = tuple(m.group(1).strip() for m in _EXAMPLE_BLOCK.finditer(text) if m.group(1).strip())
    if examples:
        text = _TRAILING_EXAMPLES_LABEL.sub("", _EXAMPLE_BLOCK.sub("", text))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip(), examples


_PARAGRAPH_SKIP = re.compile(r"^\s*(?:#|<|!\[|\||[-*_]{3,}\s*$|\[!)")
_FENCE_LINE = re.compile(r"^\s*(```|~~~)")
_MAX_DERIVED_DESCRIPTION = 500


def first_paragraph(body):
    """The first paragraph of prose in Markdown: no headings, code, tables or HTML."""
    paragraph, in_fence = [], False
    for line in body.split("\n"):
        if _FENCE_LINE.match(line):
            in_fence = not in_fence
            if paragraph:
                break
            continue
        if in_fence:
            continue
        if not line.strip() or _PARAGRAPH_SKIP.match(line):
            if paragraph:
                break
            continue
        paragraph.append(line.strip().lstrip(">").strip())
    text = " ".join(" ".join(paragraph).split())
    if len(text) > _MAX_DERIVED_DESCRIPTION:
        text = text[:_MAX_DERIVED_DESCRIPTION].rsplit(" ", 1)[0] + "…"
    return text


_COMPOUND_SUFFIXES = (".agent.md", ".chatmode.md", ".prompt.md", ".md", ".markdown", ".txt")


def file_stem(path):
    """The name a file gives its definition: ``x.agent.md`` -> ``x``, ``a/SKILL.md`` -> ``a``."""
    pure = PurePosixPath(path)
    if pure.name.lower() == "skill.md":
        return pure.parent.name or "skill"
    lowered = pure.name.lower()
    for suffix in _COMPOUND_SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return pure.name[: -len(suffix)]
    return pure.name


_SLUG_LIKE = re.compile(r"[a-z0-9]+(?:[-_.:][a-z0-9]+)*", re.IGNORECASE)


def _slug(name, stem, kind, namespace):
    source = name if _SLUG_LIKE.fullmatch(name) else stem
    slug = ":".join(part for part in (slugify(p) for p in source.split(":")) if part)
    slug = slug or slugify(stem) or "untitled"
    if kind == "command" and namespace and ":" not in slug:
        prefix = ":".join(part for part in (slugify(p) for p in namespace.split(":")) if part)
        slug = f"{prefix}:{slug}" if prefix else slug
    return slug


def _text_value(value):
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _names(value):
    """A list of names from a comma string or a YAML list."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, str):
            names.extend(part.strip().strip("'\"`") for part in item.split(","))
        elif item is not None and not isinstance(item, (dict, list)):
            names.append(str(item))
    return tuple(dict.fromkeys(n for n in names if n))


# Slash commands in inline code (`/review`, `/agency:work 12`), or namespaced
# (/agency:work) anywhere in prose. Paths and URLs are excluded by what may follow.
_COMMAND_NAME = r"[a-z][a-z0-9_-]*(?::[a-z][a-z0-9_-]*)*"
_COMMAND_IN_CODE = re.compile(rf"`/({_COMMAND_NAME})(?:[ \t][^`\n]*)?`")
_NAMESPACED_COMMAND = re.compile(r"/([a-z][a-z0-9_-]*(?::[a-z][a-z0-9_-]*)+)(?![\w/.:-])")
# What may stand before a namespaced command in prose. Checked outside the regex because a
# lookbehind there makes the search ten times slower.
_BEFORE_COMMAND = frozenset(" \t\n(\"'*")
# Filesystem roots and common URL paths that look like commands in inline code.
_NOT_COMMANDS = frozenset(
    "tmp etc usr var dev bin sbin opt home root proc sys mnt srv lib data api json txt "
    "health ready metrics v1 v2 users login".split()
)


def find_commands(text, own=()):
    """Slash commands referenced in Markdown ("/review"), in order of first mention.

    ``own`` holds the names (without the slash) of the command being read, left out.
    """
    found = [m.group(1) for m in _COMMAND_IN_CODE.finditer(text)]
    found += [
        m.group(1)
        for m in _NAMESPACED_COMMAND.finditer(text)
        if m.start() == 0 or text[m.start() - 1] in _BEFORE_COMMAND
    ]
    found.sort(key=lambda name: text.find("/" + name))
    return tuple(
        dict.fromkeys("/" + name for name in found if name.split(":")[0] not in _NOT_COMMANDS and name not in own)
    )


# ---------------------------------------------------------------------------
# The whole file
# ---------------------------------------------------------------------------


def parse_definition(raw, path, kind, format, namespace=""):
    """Parse the bytes of one definition file. Raises ``Rejected`` when it cannot be read."""
    if len(raw) > MAX_FILE_BYTES:
        raise _error("file-too-large", f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB.")
    text, problems = decode(raw)
    yaml_text, body, body_line, split_problems = split_frontmatter(text)
    problems += split_problems
    frontmatter, lenient = {}, False
    if yaml_text is not None:
        yaml_lines = yaml_text.count("\n") + 1 if yaml_text else 0
        frontmatter, lenient, yaml_problems = read_frontmatter(yaml_text, body_line - 1 - yaml_lines)
        problems += yaml_problems
        if any(p.code == "frontmatter-not-mapping" for p in yaml_problems):
            # The fences were Markdown rules around prose, or the YAML is useless: keep it all.
            body, body_line = text, 1

    stem = file_stem(path)
    name = " ".join(_text_value(frontmatter.get("name")).split())
    if not name:
        name = stem or _first_heading(body) or "untitled"
        # Commands, Copilot and OpenCode files are named by their file by design.
        required = format == "claude-code" and kind in ("agent", "skill")
        problems.append(
            Problem(
                "warning" if required else "info",
                "missing-name",
                f"No name in the frontmatter; using '{name}' from the file name.",
            )
        )
    slug = _slug(name, stem, kind, namespace)

    description, examples = normalize_description(_text_value(frontmatter.get("description")))
    if not description:
        description = first_paragraph(body)
        problems.append(
            Problem(
                "warning",
                "missing-description",
                "No description in the frontmatter; using the first paragraph of the text."
                if description
                else "No description in the frontmatter, and no paragraph to take one from.",
            )
        )

    tools = parse_tools(frontmatter.get("tools")) + parse_tools(frontmatter.get("allowed-tools"))
    for key in ("disallowed-tools", "disallowedTools"):
        tools += parse_tools(frontmatter.get(key), enabled=False)

    own_command = {slug, slug.split(":")[-1]} if kind == "command" else ()
    return ParsedFile(
        path=path,
        kind=kind,
        format=format,
        slug=slug,
        name=name,
        description=description,
        examples=examples,
        model=_text_value(frontmatter.get("model")),
        color=_text_value(frontmatter.get("color")),
        frontmatter=frontmatter,
        body=body,
        body_line=body_line,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        sections=split_sections(body, body_line),
        tools=tools,
        skills=_names(frontmatter.get("skills")),
        commands=find_commands(body, own_command),
        lenient=lenient,
        problems=tuple(problems),
    )


def _first_heading(body):
    for line in body.split("\n"):
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            if heading:
                return heading
    return ""
