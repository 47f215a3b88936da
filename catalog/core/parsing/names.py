"""Names and descriptions: a definition's slug and file stem, its description cleaned of
escapes and examples (or its first paragraph), the skills it lists and the commands it mentions."""

import re
from pathlib import PurePosixPath

from ..text import INDENTED_FENCE, slugify

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
_MAX_DERIVED_DESCRIPTION = 500


def first_paragraph(body):
    """The first paragraph of prose in Markdown: no headings, code, tables or HTML."""
    paragraph, in_fence = [], False
    for line in body.split("\n"):
        if INDENTED_FENCE.match(line):
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


def slug_for(name, stem, kind, namespace):
    source = name if _SLUG_LIKE.fullmatch(name) else stem
    slug = ":".join(part for part in (slugify(p) for p in source.split(":")) if part)
    slug = slug or slugify(stem) or "untitled"
    if kind == "command" and namespace and ":" not in slug:
        prefix = ":".join(part for part in (slugify(p) for p in namespace.split(":")) if part)
        slug = f"{prefix}:{slug}" if prefix else slug
    return slug


def text_value(value):
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def name_list(value):
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
