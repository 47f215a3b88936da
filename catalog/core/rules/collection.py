"""Rules across the files of one collection: duplicate names, and skills, commands,
collaborators and MCP servers that no file or manifest of the collection defines.

A change to one file can add or remove these findings on its unchanged neighbours, which is
why the importer recomputes them for a whole collection (``CROSS_FILE_RULES``).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..collaboration import NameIndex, compact_name, normalize_name
from ..parsing import ParsedFile, file_stem
from .definition import key_line, line_of, read_tools
from .table import Finding, make_finding, sort_findings


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



# The rules check_collection applies: they depend on the other files of the collection, so a
# change to one file can add or remove these findings on its unchanged neighbours.
CROSS_FILE_RULES = frozenset(
    {"duplicate-name", "unresolved-skill", "unresolved-command", "unresolved-agent", "unknown-mcp-server"}
)


def check_collection(
    entries: Iterable[CollectionEntry], *, mcp_servers: Iterable[str] = frozenset()
) -> dict[str, tuple[Finding, ...]]:
    """Findings that need the whole collection, by relpath (files without findings are left out).

    ``mcp_servers`` holds the MCP server names the collection defines (``discovery.mcp_servers_in``).
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
    return {relpath: sort_findings(findings) for relpath, findings in found.items()}


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
            yield entry.relpath, make_finding("duplicate-name", message, key_line(entry.parsed, "name"))


def _names_of(entries, kinds):
    """Compact names (slug, display name, file name, and their last ':' part) of the given kinds."""
    names = set()
    for entry in entries:
        if entry.parsed.kind in kinds:
            for name in (entry.parsed.slug, entry.parsed.name, file_stem(entry.relpath)):
                names.add(compact_name(name))
                names.add(compact_name(name.rsplit(":", 1)[-1]))
    names.discard("")
    return names


def _unresolved_skills(entries):
    skills = _names_of(entries, ("skill",))
    for entry in entries:
        for name in entry.parsed.skills:
            if compact_name(name) not in skills and compact_name(name.rsplit(":", 1)[-1]) not in skills:
                message = f"The skill '{name}' is not defined in this collection."
                yield entry.relpath, make_finding("unresolved-skill", message, key_line(entry.parsed, "skills"))


def _unresolved_commands(entries):
    # In Claude Code a skill is invoked like a command: "/skill-name".
    known = _names_of(entries, ("command", "skill"))
    for entry in entries:
        for mention in entry.parsed.commands:
            name = mention.lstrip("/")
            tail = name.rsplit(":", 1)[-1]
            if name in _BUILTIN_COMMANDS or compact_name(name) in known or compact_name(tail) in known:
                continue
            message = f"The command '{mention}' is not defined in this collection."
            yield entry.relpath, make_finding("unresolved-command", message, line_of(entry.parsed, mention))


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
            yield entry.relpath, make_finding("unresolved-agent", message, edge.line)


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
        for ref, line in read_tools(entry.parsed):
            if ref.kind != "mcp" or not ref.enabled or ref.server in defined or ref.server in reported:
                continue
            reported.add(ref.server)
            message = f"'{ref.raw}' uses the MCP server '{ref.server}', which the collection does not define."
            yield entry.relpath, make_finding("unknown-mcp-server", message, line)
