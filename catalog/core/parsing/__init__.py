"""Read one agent, command or skill definition file into a frozen ``ParsedFile``.

The files come from many authors and tools, so every step is forgiving: bytes are decoded
whatever their encoding, damaged text (NUL bytes, mojibake) is repaired, and frontmatter that
is not valid YAML is recovered line by line. What cannot be read safely (files that are too
large, YAML bombs) raises ``Rejected``. Everything else that was odd is reported as a
``Problem`` on the result rather than raised, so an import can show it.

One module per step, in the order a file goes through them:

- ``decoding``: bytes to clean text (BOMs, UTF-16/32, invalid UTF-8, NUL bytes, mojibake);
- ``frontmatter``: the block between the fences, read strictly with ``guarded`` (the safe
  loader that refuses aliases and deep nesting), or line by line with ``lenient``;
- ``tools``: the tool fields, under canonical names;
- ``names``: slug, file stem, description, skills and the slash commands the body mentions;
- ``definition``: ``parse_definition``, which runs them all; ``problems``: what they report.

The names below are the package's interface; callers import them from here.
"""

from .decoding import decode
from .definition import MAX_FILE_BYTES, MODEL_SEPARATOR, ParsedFile, model_text, parse_definition
from .frontmatter import MAX_FRONTMATTER_BYTES, read_frontmatter, split_frontmatter
from .guarded import MAX_YAML_DEPTH
from .names import file_stem, find_commands, first_paragraph, normalize_description
from .problems import Problem, Rejected
from .tools import ToolRef, parse_tools

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_FRONTMATTER_BYTES",
    "MAX_YAML_DEPTH",
    "MODEL_SEPARATOR",
    "ParsedFile",
    "Problem",
    "Rejected",
    "ToolRef",
    "decode",
    "file_stem",
    "find_commands",
    "first_paragraph",
    "model_text",
    "normalize_description",
    "parse_definition",
    "parse_tools",
    "read_frontmatter",
    "split_frontmatter",
]
