"""The frontmatter: found between its fences, then read strictly, or leniently when it must be."""

import re

from ..text import dedent
from .guarded import LOAD_ERRORS, json_safe, load
from .lenient import read_leniently
from .problems import Problem, reject

MAX_FRONTMATTER_BYTES = 64 * 1024

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
    yaml_text = dedent("\n".join(lines[start + 1 : end]))
    return yaml_text, "\n".join(lines[end + 1 :]), end + 2, []


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
        raise reject(
            "frontmatter-too-large",
            f"The frontmatter is larger than {MAX_FRONTMATTER_BYTES // 1024} KiB.",
            first_line - 1,
        )
    problems = []
    try:
        data, duplicates = load(yaml_text, first_line)
    except LOAD_ERRORS as exc:
        mapping, duplicates = read_leniently(yaml_text, first_line)
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
    return json_safe(data), False, problems


def _duplicate_problems(duplicates):
    return [
        Problem("warning", "duplicate-key", f"The key '{key}' appears more than once; the last value wins.", line)
        for key, line in duplicates
    ]
