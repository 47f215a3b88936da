"""The lenient reader: ``key: value`` entries recovered from frontmatter that YAML cannot read.

Many hand-written files have unquoted colons or stray markup in their descriptions. Rather
than losing such a file's fields, its lines are grouped into entries and each entry is read
on its own (with the guarded loader), or taken as written when even that fails.
"""

import re

from ..text import dedent
from .guarded import LOAD_ERRORS, json_safe, load

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


def read_leniently(yaml_text, first_line):
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
        data, _ = load("\n".join(lines), line_no)
    except LOAD_ERRORS:
        data = None
    if isinstance(data, dict) and list(data) == [key]:
        return json_safe(data[key])
    first = _KEY_LINE.match(lines[0]).group(2) or ""
    rest = lines[1:]
    if _BLOCK_INDICATOR.fullmatch(first.strip()):
        body = dedent("\n".join(rest)).strip("\n")
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
