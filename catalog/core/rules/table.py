"""The rule set: every rule's id, severity, title and hint, and the ``Finding`` a broken rule gives.

``RULES`` is the single list: it also holds the codes the parser and the importer report
(``yaml-lenient``, ``mojibake-repaired``, ``file-too-large``...), so a ``Finding`` and a
stored ``Problem`` always share one vocabulary. docs/rules.md documents each rule.
"""

from dataclasses import dataclass

from ..parsing import Problem

SEVERITIES = ("info", "warning", "error")  # in rising order


def at_or_above(severity, threshold):
    """True when ``severity`` is as serious as ``threshold`` or more."""
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)


# ---------------------------------------------------------------------------
# The rule set
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One kind of problem a definition file can have."""

    id: str  # stable kebab-case id, stored as Problem.code
    severity: str  # "error" | "warning" | "info": the usual severity of its findings
    title: str  # what is wrong, in a few words
    hint: str  # how to fix it, one sentence
    group: str  # "reading" | "identity" | "tools" | "fields" | "references" | "body"


def _rules(*rows):
    return {row[0]: Rule(*row) for row in rows}


RULES = _rules(
    # Reading the file: reported by the parser (and the importer for unreadable files).
    ("unreadable", "error", "The file cannot be read", "Check the file's permissions.", "reading"),
    ("file-too-large", "error", "The file is too large to import", "Keep definitions under 1 MiB.", "reading"),
    (
        "frontmatter-too-large",
        "error",
        "The frontmatter is too large",
        "Keep the frontmatter under 64 KiB; long text belongs in the body.",
        "reading",
    ),
    ("yaml-alias", "error", "The frontmatter uses YAML aliases", "Write values out instead of *aliases.", "reading"),
    ("yaml-too-deep", "error", "The frontmatter nests too deeply", "Flatten the nested values.", "reading"),
    ("parser-crash", "error", "The parser failed on this file", "Report the file to the AgentDash team.", "reading"),
    (
        "extractor-crash",
        "warning",
        "Items or collaborators could not be extracted",
        "Report the file to the AgentDash team.",
        "reading",
    ),
    ("invalid-utf8", "warning", "The file is not valid UTF-8", "Save the file as UTF-8.", "reading"),
    ("nul-bytes", "warning", "The file contains NUL bytes", "Remove the NUL bytes and save as UTF-8.", "reading"),
    (
        "mojibake-repaired",
        "warning",
        "Mojibake was repaired",
        "The text was UTF-8 once read as another encoding (e.g. 'ðŸ§ ' for 🧠); save the repaired text as UTF-8.",
        "reading",
    ),
    (
        "frontmatter-unclosed",
        "warning",
        "The frontmatter is never closed",
        "Close the frontmatter with a '---' line.",
        "reading",
    ),
    (
        "frontmatter-not-mapping",
        "warning",
        "The frontmatter is not a set of keys",
        "Write the frontmatter as 'key: value' lines.",
        "reading",
    ),
    (
        "yaml-lenient",
        "warning",
        "Only the lenient reader could read the frontmatter",
        "Quote values that contain ': ', start with '*', '[' or '|', or use a block scalar ('description: >').",
        "reading",
    ),
    ("duplicate-key", "warning", "A frontmatter key appears twice", "Keep one of the two values.", "reading"),
    # Identity: name and description.
    (
        "missing-name",
        "warning",
        "No name in the frontmatter",
        "Add a 'name:' that matches the file name.",
        "identity",
    ),
    (
        "missing-description",
        "warning",
        "No description in the frontmatter",
        "Add a 'description:' saying what the definition does and when to use it.",
        "identity",
    ),
    (
        "no-frontmatter",
        "warning",
        "A Markdown agent without frontmatter",
        "Add frontmatter with 'name:' and 'description:'; the heading and the Description section stand in.",
        "identity",
    ),
    (
        "invalid-name",
        "warning",
        "The name is not a valid identifier for its format",
        "Use lowercase letters, digits and single hyphens, e.g. 'code-reviewer'.",
        "identity",
    ),
    (
        "name-mismatch",
        "warning",
        "The name differs from the file name",
        "Rename the file or the 'name:' so that they match.",
        "identity",
    ),
    (
        "description-too-long",
        "warning",
        "The description is longer than the format allows",
        "Shorten the description; move details into the body.",
        "identity",
    ),
    # Tools.
    (
        "legacy-tool",
        "warning",
        "A tool is listed under a legacy name",
        "Use the tool's current name.",
        "tools",
    ),
    (
        "unknown-tool",
        "warning",
        "A tool name is not one the format knows",
        "Use a Claude Code tool (Read, Edit, Bash...) or mcp__server__tool; other assistants' tool names do nothing.",
        "tools",
    ),
    (
        "unknown-mcp-server",
        "warning",
        "An MCP tool names a server the collection does not define",
        "Define the server in the collection's .mcp.json or plugin.json 'mcpServers', or fix its name.",
        "tools",
    ),
    # Field values and fields.
    (
        "invalid-model",
        "warning",
        "The model is not one the format accepts",
        "Use sonnet, opus, haiku, inherit or a full 'claude-…' model id (OpenCode: 'provider/model-id').",
        "fields",
    ),
    (
        "invalid-color",
        "warning",
        "The color is not one the format accepts",
        "Use red, blue, green, yellow, purple, orange, pink or cyan.",
        "fields",
    ),
    (
        "invalid-permission-mode",
        "warning",
        "The permission mode is not one the format accepts",
        "Use default, acceptEdits, auto, dontAsk, bypassPermissions or plan.",
        "fields",
    ),
    (
        "invalid-mode",
        "warning",
        "The OpenCode agent mode is not one OpenCode accepts",
        "Use primary, subagent or all.",
        "fields",
    ),
    (
        "ignored-field",
        "warning",
        "A field the format ignores here",
        "Remove it, or use the field this kind of definition reads.",
        "fields",
    ),
    (
        "unknown-field",
        "info",
        "A field the format does not document",
        "Remove it, or move custom data under 'metadata:'.",
        "fields",
    ),
    # References across the collection.
    (
        "duplicate-name",
        "warning",
        "Another definition in the collection has the same name",
        "Rename one of them; only one can be invoked by that name.",
        "references",
    ),
    (
        "unresolved-skill",
        "warning",
        "A listed skill is not defined in the collection",
        "Add the skill to the collection or fix its name.",
        "references",
    ),
    (
        "unresolved-command",
        "info",
        "A mentioned slash command is not defined in the collection",
        "Add the command to the collection, or fix its name if it is a typo.",
        "references",
    ),
    (
        "unresolved-agent",
        "info",
        "A named collaborator is not an agent of the collection",
        "Add the agent to the collection, or fix its name if it is a typo.",
        "references",
    ),
    # The body.
    ("empty-body", "warning", "The body is empty", "Write the prompt or instructions below the frontmatter.", "body"),
    (
        "no-sections",
        "info",
        "The body has no headings",
        "Organise longer prompts under '## ' headings: role, workflow, output.",
        "body",
    ),
)


@dataclass(frozen=True)
class Finding:
    """One rule broken by one file."""

    rule: str  # a key of RULES
    severity: str
    message: str  # one sentence about this file
    hint: str
    line: int | None = None  # 1-based line in the file when known

    def as_problem(self):
        """The finding as a parser ``Problem`` (the shape the importer stores)."""
        return Problem(self.severity, self.rule, self.message, self.line)

    def to_json(self):
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "line": self.line,
        }


def make_finding(rule_id, message, line=None, severity=None):
    """A finding of rule ``rule_id``, with the rule's hint and (unless given) its severity."""
    rule = RULES[rule_id]
    return Finding(rule_id, severity or rule.severity, message, rule.hint, line)


def finding_from_problem(problem):
    """A parser or importer ``Problem`` as a finding; its own severity is kept.

    A code the rule set does not know yet still becomes a finding, with no hint, so that
    nothing the parser reports is ever lost.
    """
    rule = RULES.get(problem.code)
    return Finding(problem.code, problem.severity, problem.message, rule.hint if rule else "", problem.line)


def sort_findings(findings):
    """Findings in file order, so a reader can walk down the file."""
    return tuple(sorted(findings, key=lambda f: (f.line or 0, f.rule, f.message)))
