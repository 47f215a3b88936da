"""Validation rules for definition files: what each rule checks, and the checks themselves.

Every rule has a stable kebab-case id, a severity, a title and a hint saying how to fix it.
``RULES`` is the single list: it also holds the codes the parser and the importer report
(``yaml-lenient``, ``mojibake-repaired``, ``file-too-large``...), so a ``Finding`` and a
stored ``Problem`` always share one vocabulary.

Two layers run on parsed files:

- ``check_definition`` looks at one ``ParsedFile``: names, descriptions, tools, known field
  values, ignored fields, the body. It also turns the parser's own problems into findings.
- ``check_collection`` looks across the files of one collection: duplicate names, skills,
  commands and collaborators that no file defines, MCP servers no manifest declares.

What is checked depends on the format. Claude Code documents its fields, so its files get
every rule; GitHub Copilot and OpenCode files only get the rules whose facts their own
documentation states (see docs/rules.md for the sources).

Nothing here imports Django: the importer stores findings as ``Problem`` rows, and the
``lint_agents`` command prints them without touching the database.
"""

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import analysis, discovery
from .collaboration import NameIndex, normalize_name
from .parsing import ParsedFile, Problem, file_stem, parse_tools
from .text import slugify

__all__ = [
    "RULES",
    "SEVERITIES",
    "CollectionEntry",
    "Finding",
    "LintedFile",
    "Rule",
    "at_or_above",
    "check_collection",
    "check_definition",
    "finding_from_problem",
    "lint_paths",
    "mcp_servers_in",
]

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
        "The text was UTF-8 once read as cp1252 (e.g. 'ðŸ§ '); save the repaired text as UTF-8.",
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


def _finding(rule_id, message, line=None, severity=None):
    rule = RULES[rule_id]
    return Finding(rule_id, severity or rule.severity, message, rule.hint, line)


def finding_from_problem(problem):
    """A parser or importer ``Problem`` as a finding; its own severity is kept.

    A code the rule set does not know yet still becomes a finding, with no hint, so that
    nothing the parser reports is ever lost.
    """
    rule = RULES.get(problem.code)
    return Finding(problem.code, problem.severity, problem.message, rule.hint if rule else "", problem.line)


def _sorted(findings):
    return tuple(sorted(findings, key=lambda f: (f.line or 0, f.rule, f.message)))


# ---------------------------------------------------------------------------
# What each format accepts
# ---------------------------------------------------------------------------

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


def _key_line(parsed, key):
    """The file line of a top-level frontmatter key, or None."""
    pattern = re.compile(rf"\s*['\"]?{re.escape(key)}['\"]?\s*:")
    for number, line in enumerate(parsed.text.split("\n")[: max(parsed.body_line - 1, 0)], start=1):
        if pattern.match(line):
            return number
    return None


def _line_of(parsed, needle):
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
    return _sorted(findings)


def _name_rules(parsed, plugin):
    raw = parsed.frontmatter.get("name")
    if not _is_claude(parsed) or parsed.kind not in ("agent", "skill") or not isinstance(raw, str) or not raw.strip():
        return []
    name, line = raw.strip(), _key_line(parsed, "name")
    findings = []
    if parsed.kind == "skill":
        if len(name) > _SKILL_NAME_MAX:
            findings.append(
                _finding("invalid-name", f"The skill name is {len(name)} characters; at most 64 are allowed.", line)
            )
        elif not _SKILL_NAME.fullmatch(name):
            findings.append(
                _finding(
                    "invalid-name",
                    f"The skill name '{name}' is not lowercase letters, digits and single hyphens.",
                    line,
                )
            )
    elif not _AGENT_NAME.fullmatch(name):
        findings.append(
            _finding("invalid-name", f"The agent name '{name}' is not lowercase letters, digits and hyphens.", line)
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
            _finding("name-mismatch", f"The name '{name}' differs from the {what} name '{stem}'.", line, severity)
        )
    return findings


def _description_rules(parsed, plugin):
    raw = parsed.frontmatter.get("description")
    if not (_is_claude(parsed) and parsed.kind == "skill" and isinstance(raw, str)):
        return []
    if len(raw) <= _SKILL_DESCRIPTION_MAX:
        return []
    return [
        _finding(
            "description-too-long",
            f"The skill description is {len(raw):,} characters; skills allow at most {_SKILL_DESCRIPTION_MAX:,}.",
            _key_line(parsed, "description"),
        )
    ]


# The tool fields each kind reads; a tool field it does not read is an ignored field instead.
_TOOL_FIELDS = {
    "agent": ("tools", "disallowedTools"),
    "skill": ("allowed-tools",),
    "command": ("allowed-tools",),
}


def _read_tools(parsed):
    """``(ToolRef, line)`` for each tool in the fields this kind of Claude Code file reads.

    Copilot and OpenCode name their tools differently ("codebase", ``{write: false}``), so
    their fields are taken as they are.
    """
    if not _is_claude(parsed):
        return [(ref, _key_line(parsed, "tools")) for ref in parsed.tools]
    pairs = []
    for field in _TOOL_FIELDS[parsed.kind]:
        if field in parsed.frontmatter:
            line = _key_line(parsed, field)
            pairs += [
                (ref, line)
                for ref in parse_tools(parsed.frontmatter[field], enabled=not field.startswith("disallowed"))
            ]
    return pairs


def _tool_rules(parsed, plugin):
    if not _is_claude(parsed):
        return []
    findings = []
    for ref, line in _read_tools(parsed):
        if ref.legacy:
            findings.append(_finding("legacy-tool", f"'{ref.legacy}' is a legacy tool name; use '{ref.name}'.", line))
        elif ref.kind == "other" and ref.name != "*":
            findings.append(_finding("unknown-tool", f"'{ref.raw}' is not a Claude Code tool.", line))
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
        _finding(rule_for.get(field, "invalid-mode"), message, _key_line(parsed, field))
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
            findings.append(_finding("ignored-field", message, _key_line(parsed, field)))
        elif field not in known:
            message = f"'{field}' is not a documented {parsed.kind} field; Claude Code ignores it."
            findings.append(_finding("unknown-field", message, _key_line(parsed, field)))
    return findings


def _body_rules(parsed, plugin):
    if not parsed.body.strip():
        return [_finding("empty-body", f"The {parsed.kind} has no text below its frontmatter.", parsed.body_line)]
    if not any(section.level for section in parsed.sections):
        return [_finding("no-sections", "The body has no Markdown headings.", parsed.body_line)]
    return []


# ---------------------------------------------------------------------------
# Rules across a collection
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectionEntry:
    """One parsed definition of a collection, with what the cross-file rules need."""

    relpath: str
    parsed: ParsedFile
    edges: tuple = ()  # collaboration.EdgeMention, from analysis.analyse
    plugin: str = ""  # the Claude Code plugin the file belongs to, if any


# Slash commands built into Claude Code (https://code.claude.com/docs/en/slash-commands):
# a mention of one is never unresolved.
_BUILTIN_COMMANDS = frozenset(
    """add-dir agents bashes bug clear compact config context copy cost doctor exit export
    feedback help hooks ide init install-github-app keybindings login logout mcp memory
    migrate-installer model output-style permissions plan plugin pr-comments pr_comments
    privacy-settings release-notes reload-plugins resume review rewind sandbox
    security-review skills stats status statusline tasks terminal-setup theme todos upgrade
    usage vim""".split()
)
# Agents every Claude Code, OpenCode and Copilot session has (Copilot's are its chat modes).
_BUILTIN_AGENTS = frozenset(
    """general-purpose general explore plan build scout statusline-setup output-style-setup
    claude-code-guide agent ask edit""".split()
)


def _compact(name):
    return re.sub(r"[\s_-]+", "", name.casefold())


# The rules check_collection applies: they depend on the other files of the collection, so a
# change to one file can add or remove these findings on its unchanged neighbours.
CROSS_FILE_RULES = frozenset(
    {"duplicate-name", "unresolved-skill", "unresolved-command", "unresolved-agent", "unknown-mcp-server"}
)


def check_collection(
    entries: Iterable[CollectionEntry], *, mcp_servers: Iterable[str] = frozenset()
) -> dict[str, tuple[Finding, ...]]:
    """Findings that need the whole collection, by relpath (files without findings are left out).

    ``mcp_servers`` holds the MCP server names the collection defines (``mcp_servers_in``).
    """
    entries = list(entries)
    found = defaultdict(list)
    for relpath, finding in (
        *_duplicates(entries),
        *_unresolved_skills(entries),
        *_unresolved_commands(entries),
        *_unresolved_agents(entries),
        *_unknown_mcp_servers(entries, frozenset(mcp_servers)),
    ):
        found[relpath].append(finding)
    return {relpath: _sorted(findings) for relpath, findings in found.items()}


def _duplicates(entries):
    groups = defaultdict(list)
    for entry in entries:
        parsed = entry.parsed
        if parsed.format == "opencode":
            continue  # OpenCode names a definition by its path, never by a 'name:' field
        # Plugin agents and skills are namespaced by their plugin; commands carry it in the slug.
        groups[(entry.plugin, parsed.format, parsed.kind, parsed.slug)].append(entry)
    for (_, _, kind, slug), group in groups.items():
        if len(group) < 2:
            continue
        for entry in group:
            others = ", ".join(other.relpath for other in group if other is not entry)
            message = f"The {kind} name '{slug}' is also used by {others}."
            yield entry.relpath, _finding("duplicate-name", message, _key_line(entry.parsed, "name"))


def _names_of(entries, kinds):
    """Compact names (slug, display name, file name, and their last ':' part) of the given kinds."""
    names = set()
    for entry in entries:
        if entry.parsed.kind in kinds:
            for name in (entry.parsed.slug, entry.parsed.name, file_stem(entry.relpath)):
                names.add(_compact(name))
                names.add(_compact(name.rsplit(":", 1)[-1]))
    names.discard("")
    return names


def _unresolved_skills(entries):
    skills = _names_of(entries, ("skill",))
    for entry in entries:
        for name in entry.parsed.skills:
            if _compact(name) not in skills and _compact(name.rsplit(":", 1)[-1]) not in skills:
                message = f"The skill '{name}' is not defined in this collection."
                yield entry.relpath, _finding("unresolved-skill", message, _key_line(entry.parsed, "skills"))


def _unresolved_commands(entries):
    # In Claude Code a skill is invoked like a command: "/skill-name".
    known = _names_of(entries, ("command", "skill"))
    for entry in entries:
        for mention in entry.parsed.commands:
            name = mention.lstrip("/")
            tail = name.rsplit(":", 1)[-1]
            if name in _BUILTIN_COMMANDS or _compact(name) in known or _compact(tail) in known:
                continue
            message = f"The command '{mention}' is not defined in this collection."
            yield entry.relpath, _finding("unresolved-command", message, _line_of(entry.parsed, mention))


def _unresolved_agents(entries):
    agents = [e for e in entries if e.parsed.kind == "agent"]
    # OpenCode (and many readers) know an agent by its file name, whatever its 'name:' says.
    index = NameIndex(
        [(e.relpath, "", e.parsed.slug, e.parsed.name) for e in agents]
        + [(e.relpath, "", file_stem(e.relpath), "") for e in agents]
    )
    for entry in entries:
        reported = set()
        for edge in entry.edges:
            # Bare mentions are too loose to call a name missing; declared relations are not.
            if edge.kind == "mentions" or edge.target in reported:
                continue
            tail = normalize_name(edge.target).rsplit(":", 1)[-1]
            if tail in _BUILTIN_AGENTS or index.resolve(edge.target, ""):
                continue
            reported.add(edge.target)
            message = f"'{edge.target}' ({edge.kind.replace('_', ' ')}) is not an agent of this collection."
            yield entry.relpath, _finding("unresolved-agent", message, edge.line)


def _own_mcp_servers(parsed):
    """Servers an agent declares for itself in its ``mcpServers`` field."""
    value = parsed.frontmatter.get("mcpServers")
    items = value if isinstance(value, list) else [value]
    names = set()
    for item in items:
        if isinstance(item, str):
            names.add(item)
        elif isinstance(item, dict):
            names.update(str(key) for key in item)
    return names


def _unknown_mcp_servers(entries, servers):
    for entry in entries:
        defined = servers | _own_mcp_servers(entry.parsed)
        reported = set()
        for ref, line in _read_tools(entry.parsed):
            if ref.kind != "mcp" or not ref.enabled or ref.server in defined or ref.server in reported:
                continue
            reported.add(ref.server)
            message = f"'{ref.raw}' uses the MCP server '{ref.server}', which the collection does not define."
            yield entry.relpath, _finding("unknown-mcp-server", message, line)


# ---------------------------------------------------------------------------
# MCP servers a collection defines
# ---------------------------------------------------------------------------

_PRUNED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"})


def _read_json(path):
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _server_names(data):
    """Server names from an ``.mcp.json`` document: ``{"mcpServers": {...}}`` or the bare map."""
    servers = data.get("mcpServers", data)
    if not isinstance(servers, dict):
        return set()
    return {str(name) for name, config in servers.items() if isinstance(config, dict)}


def mcp_servers_in(root) -> frozenset[str]:
    """Names of the MCP servers defined under a collection root.

    Reads every ``.mcp.json`` and every plugin manifest's ``mcpServers`` (a map, or the path
    of a JSON file holding one). A plugin's servers are also known as
    ``plugin_<plugin>_<server>``, the name Claude Code gives their tools.
    """
    root = Path(root)
    names = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _PRUNED_DIRS]
        folder = Path(dirpath)
        if ".mcp.json" in filenames:
            plugin = _plugin_name(folder)
            for server in _server_names(_read_json(folder / ".mcp.json")):
                names.add(server)
                if plugin:
                    names.add(f"plugin_{plugin}_{server}")
        if "plugin.json" in filenames:
            manifest = _read_json(folder / "plugin.json")
            plugin_root = folder.parent if folder.name == ".claude-plugin" else folder
            declared = manifest.get("mcpServers")
            if isinstance(declared, str):
                declared = _read_json(plugin_root / declared)
            if isinstance(declared, dict):
                plugin = str(manifest.get("name") or plugin_root.name)
                for server in _server_names(declared):
                    names.update({server, f"plugin_{plugin}_{server}"})
    return frozenset(names)


def _plugin_name(folder):
    """The plugin whose root is ``folder``, when it has a manifest."""
    for manifest in (folder / ".claude-plugin" / "plugin.json", folder / "plugin.json"):
        if manifest.is_file():
            return str(_read_json(manifest).get("name") or folder.name)
    return ""


# ---------------------------------------------------------------------------
# Linting files on disk, without importing them
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LintedFile:
    """One definition file found under the linted paths, and its findings."""

    path: Path  # absolute
    relpath: str  # relative to its collection root
    findings: tuple[Finding, ...]


def lint_paths(paths) -> list[LintedFile]:
    """Run every rule on the definition files under ``paths`` (folders or single files).

    Each folder is split into collections the way the importer splits it, so the
    cross-file rules see what an import would see. A single file is checked in the
    company of its folder but only its own findings are returned. Raises
    ``FileNotFoundError`` for a path that does not exist.
    """
    linted, seen = [], set()
    for given in paths:
        given = Path(given).resolve()
        if not given.exists():
            raise FileNotFoundError(given)
        only = given if given.is_file() else None
        for collection in discovery.find_collections(given):
            for result in _lint_collection(collection.root, only):
                if result.path not in seen:
                    seen.add(result.path)
                    linted.append(result)
    return linted


def _lint_collection(root, only):
    findings, entries = {}, []
    candidates = [c for c in discovery.discover(root) if c.kind]
    for candidate in candidates:
        try:
            raw = candidate.path.read_bytes()
        except OSError as error:
            problem = Problem("error", "unreadable", f"Cannot read the file: {error.strerror}.")
            findings[candidate.relpath] = (finding_from_problem(problem),)
            continue
        result = analysis.analyse(raw, candidate.relpath, candidate.kind, candidate.format, candidate.namespace)
        if result.parsed is None:
            findings[candidate.relpath] = (finding_from_problem(result.rejection),)
            continue
        findings[candidate.relpath] = check_definition(result.parsed, plugin=bool(candidate.plugin))
        entries.append(CollectionEntry(candidate.relpath, result.parsed, result.edges, candidate.plugin))
    for relpath, extra in check_collection(entries, mcp_servers=mcp_servers_in(root)).items():
        findings[relpath] = _sorted(findings[relpath] + extra)
    return [
        LintedFile(candidate.path.resolve(), candidate.relpath, findings[candidate.relpath])
        for candidate in candidates
        if only is None or candidate.path.resolve() == only
    ]
