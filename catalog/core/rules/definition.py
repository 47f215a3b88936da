"""Rules on one file: names, descriptions, tools, known field values, ignored fields, the body.

What is checked depends on the format. Claude Code documents its fields, so its files get
every rule; GitHub Copilot and OpenCode files only get the rules whose facts their own
documentation states (see docs/rules.md for the sources).
"""

import json
import re
from pathlib import PurePosixPath

from ..parsing import ParsedFile, file_stem, parse_tools
from ..text import slugify
from .table import Finding, finding_from_problem, make_finding, sort_findings

# Claude Code subagents: https://code.claude.com/docs/en/sub-agents (supported frontmatter fields).
_AGENT_FIELDS = frozenset(
    """name description tools disallowedTools model permissionMode maxTurns skills mcpServers
    hooks memory background effort isolation color initialPrompt""".split()
)
# Claude Code skills and slash commands (one system since skills absorbed commands):
# https://code.claude.com/docs/en/skills, plus the Agent Skills specification
# (https://agentskills.io/specification) for license, compatibility and metadata.
_SKILL_FIELDS = frozenset(
    """name description license compatibility metadata allowed-tools argument-hint
    disable-model-invocation user-invocable model effort context agent hooks paths shell""".split()
)
# Plugin subagents silently drop these (the note on plugin subagents in the sub-agents page).
_PLUGIN_AGENT_IGNORED = ("hooks", "mcpServers", "permissionMode")

_MODEL_ALIASES = frozenset({"sonnet", "opus", "haiku", "inherit"})
_MODEL_ID = re.compile(r"claude-[a-z0-9][a-z0-9.-]*(?:@[0-9]+)?(?:\[1m\])?")
_OPENCODE_MODEL = re.compile(r"[\w.-]+/\S+")
_COLORS = frozenset({"red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"})
_PERMISSION_MODES = frozenset({"default", "acceptEdits", "auto", "dontAsk", "bypassPermissions", "plan"})
_OPENCODE_MODES = frozenset({"primary", "subagent", "all"})

# Claude Code subagent names: lowercase letters, digits and hyphens.
_AGENT_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
# Agent Skills names: 1-64 characters, no leading, trailing or doubled hyphen.
_SKILL_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SKILL_NAME_MAX = 64
_SKILL_DESCRIPTION_MAX = 1024


def key_line(parsed, key):
    """The file line of a top-level frontmatter key, or None."""
    pattern = re.compile(rf"\s*['\"]?{re.escape(key)}['\"]?\s*:")
    for number, line in enumerate(parsed.text.split("\n")[: max(parsed.body_line - 1, 0)], start=1):
        if pattern.match(line):
            return number
    return None


def line_of(parsed, needle):
    """The file line where ``needle`` first occurs in the body, or None."""
    index = parsed.body.find(needle)
    if index < 0:
        return None
    return parsed.body_line + parsed.body.count("\n", 0, index)


def _is_claude(parsed):
    return parsed.format == "claude-code"


# ---------------------------------------------------------------------------
# Rules on one file
# ---------------------------------------------------------------------------


def check_definition(parsed: ParsedFile, *, plugin: bool = False) -> tuple[Finding, ...]:
    """Every finding about one parsed file: the parser's problems and the per-file rules.

    ``plugin`` says the file belongs to a Claude Code plugin, whose agents ignore some
    fields. Findings come sorted by line.
    """
    findings = [finding_from_problem(problem) for problem in parsed.problems]
    for check in (_name_rules, _description_rules, _tool_rules, _value_rules, _field_rules, _body_rules):
        findings += check(parsed, plugin)
    return sort_findings(findings)


def _name_rules(parsed, plugin):
    raw = parsed.frontmatter.get("name")
    if not _is_claude(parsed) or parsed.kind not in ("agent", "skill") or not isinstance(raw, str) or not raw.strip():
        return []
    name, line = raw.strip(), key_line(parsed, "name")
    findings = []
    if parsed.kind == "skill":
        if len(name) > _SKILL_NAME_MAX:
            findings.append(
                make_finding("invalid-name", f"The skill name is {len(name)} characters; at most 64 are allowed.", line)
            )
        elif not _SKILL_NAME.fullmatch(name):
            findings.append(
                make_finding(
                    "invalid-name",
                    f"The skill name '{name}' is not lowercase letters, digits and single hyphens.",
                    line,
                )
            )
    elif not _AGENT_NAME.fullmatch(name):
        findings.append(
            make_finding("invalid-name", f"The agent name '{name}' is not lowercase letters, digits and hyphens.", line)
        )

    stem = file_stem(parsed.path)
    if parsed.kind == "skill" and len(PurePosixPath(parsed.path).parts) < 2:
        return findings  # a SKILL.md at the collection root: its folder name is unknown here
    valid = not findings
    differs = name != stem if valid else slugify(name) != slugify(stem)
    if differs:
        what = "folder" if parsed.kind == "skill" else "file"
        # The skills specification requires the match; for agents it is only a convention.
        severity = "warning" if parsed.kind == "skill" else "info"
        findings.append(
            make_finding("name-mismatch", f"The name '{name}' differs from the {what} name '{stem}'.", line, severity)
        )
    return findings


def _description_rules(parsed, plugin):
    raw = parsed.frontmatter.get("description")
    if not (_is_claude(parsed) and parsed.kind == "skill" and isinstance(raw, str)):
        return []
    if len(raw) <= _SKILL_DESCRIPTION_MAX:
        return []
    return [
        make_finding(
            "description-too-long",
            f"The skill description is {len(raw):,} characters; skills allow at most {_SKILL_DESCRIPTION_MAX:,}.",
            key_line(parsed, "description"),
        )
    ]


# The tool fields each kind reads; a tool field it does not read is an ignored field instead.
_TOOL_FIELDS = {
    "agent": ("tools", "disallowedTools"),
    "skill": ("allowed-tools",),
    "command": ("allowed-tools",),
}


def read_tools(parsed):
    """``(ToolRef, line)`` for each tool in the fields this kind of Claude Code file reads.

    Copilot and OpenCode name their tools differently ("codebase", ``{write: false}``), so
    their fields are taken as they are.
    """
    if not _is_claude(parsed):
        return [(ref, key_line(parsed, "tools")) for ref in parsed.tools]
    pairs = []
    for field in _TOOL_FIELDS[parsed.kind]:
        if field in parsed.frontmatter:
            line = key_line(parsed, field)
            pairs += [
                (ref, line)
                for ref in parse_tools(parsed.frontmatter[field], enabled=not field.startswith("disallowed"))
            ]
    return pairs


def _tool_rules(parsed, plugin):
    if not _is_claude(parsed):
        return []
    findings = []
    for ref, line in read_tools(parsed):
        if ref.legacy:
            message = f"'{ref.legacy}' is a legacy tool name; use '{ref.name}'."
            findings.append(make_finding("legacy-tool", message, line))
        elif ref.kind == "other" and ref.name != "*":
            findings.append(make_finding("unknown-tool", f"'{ref.raw}' is not a Claude Code tool.", line))
    return findings


def _value(parsed, key):
    """A frontmatter value as text ("" when absent); lists and maps keep their JSON shape."""
    value = parsed.frontmatter.get(key)
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _value_rules(parsed, plugin):
    checks = []  # (field, accepted?, message)
    model = _value(parsed, "model")
    if model and _is_claude(parsed):
        valid = model in _MODEL_ALIASES or _MODEL_ID.fullmatch(model)
        checks.append(("model", valid, f"'{model}' is not a Claude Code model alias or id."))
    elif model and parsed.format == "opencode":
        checks.append(("model", _OPENCODE_MODEL.fullmatch(model), f"'{model}' is not an OpenCode 'provider/model-id'."))
    if _is_claude(parsed) and parsed.kind == "agent":
        color, mode = _value(parsed, "color"), _value(parsed, "permissionMode")
        if color:
            checks.append(("color", color in _COLORS, f"'{color}' is not a Claude Code agent color."))
        if mode:
            checks.append(
                ("permissionMode", mode in _PERMISSION_MODES, f"'{mode}' is not a Claude Code permission mode.")
            )
    if parsed.format == "opencode" and parsed.kind == "agent":
        mode = _value(parsed, "mode")
        if mode:
            checks.append(("mode", mode in _OPENCODE_MODES, f"'{mode}' is not an OpenCode agent mode."))
    rule_for = {"model": "invalid-model", "color": "invalid-color", "permissionMode": "invalid-permission-mode"}
    return [
        make_finding(rule_for.get(field, "invalid-mode"), message, key_line(parsed, field))
        for field, valid, message in checks
        if not valid
    ]


def _field_rules(parsed, plugin):
    if not _is_claude(parsed):
        return []
    ignored = {}  # field -> why
    if parsed.kind == "agent":
        known = _AGENT_FIELDS
        if plugin:
            ignored.update({field: "plugin agents ignore it" for field in _PLUGIN_AGENT_IGNORED})
        ignored["allowed-tools"] = "agents read 'tools'"
    else:
        known = _SKILL_FIELDS
        ignored["tools"] = f"{parsed.kind}s read 'allowed-tools'"
    findings = []
    for field in parsed.frontmatter:
        if field in ignored:
            message = f"'{field}' has no effect here: {ignored[field]}."
            findings.append(make_finding("ignored-field", message, key_line(parsed, field)))
        elif field not in known:
            message = f"'{field}' is not a documented {parsed.kind} field; Claude Code ignores it."
            findings.append(make_finding("unknown-field", message, key_line(parsed, field)))
    return findings


def _body_rules(parsed, plugin):
    if not parsed.body.strip():
        return [make_finding("empty-body", f"The {parsed.kind} has no text below its frontmatter.", parsed.body_line)]
    if not any(section.level for section in parsed.sections):
        return [make_finding("no-sections", "The body has no Markdown headings.", parsed.body_line)]
    return []
