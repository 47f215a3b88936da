"""The tools a definition lists, under their canonical names: legacy and OpenCode names mapped, MCP servers named."""

from dataclasses import dataclass


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
