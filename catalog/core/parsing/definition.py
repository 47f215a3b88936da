"""The whole file: bytes in, a frozen ``ParsedFile`` out (or ``Rejected``)."""

import hashlib
from dataclasses import dataclass

from ..text import split_sections
from .decoding import decode
from .frontmatter import read_frontmatter, split_frontmatter
from .names import file_stem, find_commands, first_paragraph, name_list, normalize_description, slug_for, text_value
from .problems import Problem, reject
from .tools import ToolRef, parse_tools

MAX_FILE_BYTES = 1024 * 1024


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
    sections: tuple  # catalog.core.text.Section, from split_sections(body, body_line)
    tools: tuple[ToolRef, ...]
    skills: tuple[str, ...]  # skill names from the frontmatter `skills:` field
    commands: tuple[str, ...]  # slash commands mentioned in the body: "/agency:work", "/review"
    lenient: bool  # True when the frontmatter needed the lenient reader
    problems: tuple[Problem, ...]


def parse_definition(raw, path, kind, format, namespace=""):
    """Parse the bytes of one definition file. Raises ``Rejected`` when it cannot be read."""
    if len(raw) > MAX_FILE_BYTES:
        raise reject("file-too-large", f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB.")
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
    name = " ".join(text_value(frontmatter.get("name")).split())
    headed = _heading_identity(body) if yaml_text is None else None
    if headed is not None:
        # "# Brand Guardian" and a "## Description": one warning of its own, not two.
        name = headed[0]
        problems.append(
            Problem(
                "warning",
                "no-frontmatter",
                f"The file has no frontmatter; its name comes from the heading '{name}' and its "
                "description from its Description section.",
            )
        )
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
    slug = slug_for(name, stem, kind, namespace)

    description, examples = normalize_description(text_value(frontmatter.get("description")))
    if headed is not None:
        description, examples = normalize_description(headed[1])
    elif not description:
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
        model=model_text(frontmatter.get("model")),
        color=text_value(frontmatter.get("color")),
        frontmatter=frontmatter,
        body=body,
        body_line=body_line,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        sections=split_sections(body, body_line),
        tools=tools,
        skills=name_list(frontmatter.get("skills")),
        commands=find_commands(body, own_command),
        lenient=lenient,
        problems=tuple(problems),
    )


# Copilot lets ``model:`` be a list of models to try in turn; they are kept in one column.
MODEL_SEPARATOR = ", "


def model_text(value):
    """The ``model`` field as the catalog stores it: a list becomes its models joined by
    ``MODEL_SEPARATOR`` (never the text of a Python list)."""
    if isinstance(value, list):
        return MODEL_SEPARATOR.join(name_list(value))
    return text_value(value)


def _heading_identity(body):
    """``(name, description)`` of a Markdown agent written without frontmatter, or None.

    Such a file opens with a level-1 heading (its name) and has a ``## Description`` section,
    whose first paragraph (else the body's) is its description.
    """
    lines = body.split("\n")
    first = next((line.strip() for line in lines if line.strip()), "")
    if not first.startswith("# ") or not first[2:].strip():
        return None
    heading = " ".join(first[2:].split())
    for index, line in enumerate(lines):
        if line.strip().lower().rstrip(":") == "## description":
            described = first_paragraph("\n".join(lines[index + 1 :]).split("\n## ", 1)[0])
            return heading, described or first_paragraph(body)
    return None


def is_heading_agent(head):
    """True when text that has no frontmatter reads as a Markdown agent (``_heading_identity``)."""
    return _heading_identity(head) is not None


def _first_heading(body):
    for line in body.split("\n"):
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            if heading:
                return heading
    return ""
