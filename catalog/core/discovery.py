"""Find the definition files under an import root and say what each one is.

``find_collections`` splits an import root into collections, one per repository (the rule is
in its docstring and the README); ``discover`` walks one collection and yields a ``Candidate``
for every regular file, in a stable order, with its kind (agent, command, skill), format
(Claude Code, Copilot, OpenCode) and category (``category_of``: the folder path a user sorted
it into), or the reason it is skipped. ``classify`` holds the path rules and can be used alone.

``mcp_servers_in`` walks a collection for the MCP servers its manifests define. Reading the
manifests themselves (plugin, marketplace, ``.mcp.json``) is ``catalog.core.manifests``.

Nothing here imports Django or parses YAML; plugin and marketplace manifests are JSON.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from . import manifests
from .parsing.definition import is_heading_agent
from .sources import SourceError, parse_source, redact_url

__all__ = [
    "Candidate",
    "CollectionInfo",
    "category_of",
    "classify",
    "discover",
    "find_collections",
    "mcp_servers_in",
]


@dataclass(frozen=True)
class Candidate:
    """One file under a collection, and what it is."""

    path: Path  # absolute path of the file
    relpath: str  # POSIX path relative to the collection root
    collection_root: Path
    kind: str | None  # "agent" | "command" | "skill" | None when skipped
    format: str | None  # "claude-code" | "copilot" | "opencode"
    namespace: str = ""  # command namespace: plugin name and/or subfolders
    plugin: str = ""  # the plugin the file belongs to, if any
    skip_reason: str = ""  # set when kind is None
    category: str = ""  # the folder path it sits in, without kind and tool folders (category_of)


@dataclass(frozen=True)
class CollectionInfo:
    """A folder imported as one collection: a repository, a plugin, a marketplace..."""

    root: Path
    name: str
    kind: str  # "directory" | "repository" | "plugin" | "marketplace"
    origin: str  # repository URL / homepage from a manifest when known
    commit: str  # when known (a .git HEAD)
    description: str
    marketplace: str = ""  # a marketplace's own name (its manifest's "name"), which installs name it by
    # The collection's identity: ``dir:<real path of the root>`` (a URL import: ``git:<key>``).
    # Two roots never share a collection, whatever their folders are called.
    source_key: str = ""


# Folders that are never walked: version control and dependency caches.
_PRUNED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"})
# Folders whose presence at a root makes the root itself one collection.
_DEFINITION_DIRS = frozenset(
    {
        "agents",
        "commands",
        "skills",
        "prompts",
        "chatmodes",
        "categories",
        "plugins",
        "external_plugins",
        ".claude",
        ".claude-plugin",
        ".opencode",
        ".github",
    }
)
_HEAD_BYTES = 64 * 1024


# ---------------------------------------------------------------------------
# Classification by path (and, for loose files, by content)
# ---------------------------------------------------------------------------

# Project documents, recognised the way projects name them: in capitals (a command may
# well be called todo.md or changelog.md), except a few names nobody gives a definition.
_PROJECT_DOCUMENTS = frozenset(
    """README CONTRIBUTING CHANGELOG CHANGES HISTORY CODE_OF_CONDUCT SECURITY SUPPORT
    CLAUDE AGENTS GEMINI AUTHORS MAINTAINERS TODO""".split()
)
_ALWAYS_DOCUMENTS = frozenset({"readme", "contributing", "code_of_conduct", "code-of-conduct", "copilot-instructions"})
# LICENSE, LICENSE.txt, licence.md, COPYING, NOTICE, LICENSE-MIT; not license-checker.md.
_LICENSES = re.compile(r"(?i:licen[cs]e|copying|notice|unlicense)(?:\.(?i:md|txt|rst))?|LICEN[CS]E[-_][A-Z0-9.-]+")
_MARKDOWN = (".md", ".markdown")
_ARGUMENT_MARKERS = ("$ARGUMENTS", "argument-hint")


def _starts_with_frontmatter(head):
    return head.lstrip("\ufeff \t\r\n").startswith("---")


def _format_for(parts):
    if ".opencode" in parts:
        return "opencode"
    if ".github" in parts:
        return "copilot"
    return "claude-code"


def _path_rule(relpath):
    """What the path alone says: ``(kind, format, namespace, skip_reason)`` or None.

    None means the content decides (a loose file, or an agent folder file that is not
    Markdown).
    """
    *folders, name = relpath.split("/")
    parts = tuple(folders)
    lowered = name.lower()

    if lowered == "plugin.json" and (parts[-1:] == (".claude-plugin",) or parts[-2:-1] == ("plugins",)):
        return None, None, "", "plugin manifest"
    if lowered == "marketplace.json":
        return None, None, "", "marketplace manifest"
    if _LICENSES.fullmatch(name):
        return None, None, "", "license file"
    if lowered == "skill.md":
        return "skill", _format_for(parts), "", ""
    if lowered.endswith((".agent.md", ".chatmode.md")):
        return "agent", "copilot", "", ""
    if lowered.endswith(".prompt.md"):
        return "command", "copilot", "", ""
    if lowered.endswith(".instructions.md"):
        return None, None, "", "not a definition: Copilot instructions file"
    stem = name.split(".")[0]
    if (stem.isupper() and stem in _PROJECT_DOCUMENTS) or stem.lower() in _ALWAYS_DOCUMENTS:
        return None, None, "", f"not a definition: {name}"

    markdown = lowered.endswith(_MARKDOWN)
    for index in range(len(parts) - 1, -1, -1):
        folder = parts[index]
        if folder in ("agent", "agents") and (folder == "agents" or _under_opencode(parts, index)):
            return ("agent", _format_for(parts), "", "") if markdown else None
        if folder in ("command", "commands") and (folder == "commands" or _under_opencode(parts, index)):
            if not markdown:
                return None, None, "", "not a definition: not Markdown"
            return "command", _format_for(parts), ":".join(parts[index + 1 :]), ""
    if _in_skill_folder(parts):
        return None, None, "", "skill resource"
    return None


def _under_opencode(parts, index):
    return index > 0 and parts[index - 1] == ".opencode"


def _in_skill_folder(parts):
    """True for files inside ``skills/<name>/`` (SKILL.md itself was matched before)."""
    return any(folder in ("skills", "skill") and len(parts) - index >= 2 for index, folder in enumerate(parts))


def classify(relpath, head=""):
    """Say what the file at ``relpath`` is: ``(kind, format, namespace, skip_reason)``.

    ``head`` is the start of the file's text, needed only for files the path does not
    decide: a loose Markdown file with frontmatter is a command when it takes arguments
    (``$ARGUMENTS``, ``argument-hint``) and an agent otherwise; a file with another
    extension is an agent only when it opens with a frontmatter fence.
    """
    decided = _path_rule(relpath)
    if decided is not None:
        return decided
    parts = tuple(relpath.split("/"))
    if not _starts_with_frontmatter(head):
        if relpath.lower().endswith(_MARKDOWN):
            return None, None, "", "not a definition: no frontmatter"
        return None, None, "", "not a definition: not Markdown"
    in_agent_folder = any(folder in ("agent", "agents") for folder in parts[:-1])
    if not in_agent_folder and relpath.lower().endswith(_MARKDOWN) and any(m in head for m in _ARGUMENT_MARKERS):
        return "command", _format_for(parts), "", ""
    return "agent", _format_for(parts), "", ""


# ---------------------------------------------------------------------------
# Walking a collection
# ---------------------------------------------------------------------------


def _walk(collection_root):
    """Every entry to report, as ``(relpath, absolute path, skip reason or None)``.

    Symlinks are never followed: a symlink that leaves the collection is reported as
    skipped; one that stays inside is reported as a duplicate of what it points to, which
    the walk reaches on its own.
    """
    root = collection_root.resolve()
    entries = []
    # Plain strings and os.scandir: pathlib costs more than the walk itself here.
    for dirpath, dirnames, _ in os.walk(root):
        prefix = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        dirnames[:] = [d for d in dirnames if d not in _PRUNED_DIRS]
        with os.scandir(dirpath) as scan:
            for entry in scan:
                path = Path(entry.path)
                if not _utf8(entry.name):
                    # Its name arrives with surrogate escapes, which no database column
                    # can store: one such file used to abort the whole import.
                    if entry.name in dirnames:
                        dirnames.remove(entry.name)
                    entries.append((prefix + entry.name, path, "name is not valid UTF-8"))
                elif entry.is_symlink():
                    if entry.name in dirnames:
                        dirnames.remove(entry.name)
                    entries.append(_symlink_entry(root, prefix + entry.name, path))
                elif entry.is_file():
                    entries.append((prefix + entry.name, path, None))
                elif not entry.is_dir():
                    entries.append((prefix + entry.name, path, "not a regular file"))
    return sorted(entries, key=lambda entry: entry[0])


def _utf8(name):
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _symlink_entry(root, relpath, path):
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return relpath, path, "broken symlink"
    if not target.is_relative_to(root):
        return relpath, path, "symlink leaves the import root"
    return relpath, path, f"symlink to {target.relative_to(root).as_posix()} (walked at its real path)"


def _read_head(path):
    try:
        with open(path, "rb") as handle:
            return handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def discover(collection_root) -> Iterator[Candidate]:
    """Yield a ``Candidate`` for every file under the collection, sorted by path.

    Version-control and dependency folders (``.git``, ``node_modules``...) are not walked.
    """
    collection_root = Path(collection_root).resolve()
    entries = _walk(collection_root)
    manifest_paths = [
        relpath
        for relpath, _, skip in entries
        if skip is None and _path_rule(relpath) == (None, None, "", "plugin manifest")
    ]
    plugins = manifests.read_plugins(collection_root, manifest_paths)
    # Folders holding a SKILL.md: their other files are the skill's resources, wherever they are.
    skill_dirs = {
        r.rpartition("/")[0] for r, _, skip in entries if skip is None and r.rpartition("/")[2].lower() == "skill.md"
    }
    skill_dirs.discard("")

    found, headed = [], []
    for relpath, path, skip in entries:
        if skip is not None:
            found.append(Candidate(path, relpath, collection_root, None, None, skip_reason=skip))
            continue
        plugin = manifests.plugin_for(relpath, plugins)
        decided = _path_rule(relpath)
        if decided is None:
            head = _read_head(path)
            decided = classify(relpath, head)
            kind, fmt, namespace, skip_reason = decided
            listed = manifests.listed_kind(relpath, plugin)
            if listed and (kind or "not a definition" in skip_reason):
                kind, fmt, skip_reason = listed, fmt or _format_for(relpath.split("/")), ""
            elif _inside(relpath, skill_dirs):
                kind, fmt, skip_reason = None, None, "skill resource"
            elif skip_reason == "not a definition: no frontmatter" and is_heading_agent(head):
                headed.append(len(found))
            decided = kind, fmt, namespace, skip_reason
        kind, fmt, namespace, skip_reason = decided
        plugin_name = plugin.name if plugin else ""
        if kind == "command" and plugin_name:
            namespace = ":".join(part for part in (plugin_name, namespace) if part)
        found.append(
            Candidate(
                path=path,
                relpath=relpath,
                collection_root=collection_root,
                kind=kind,
                format=fmt if kind else None,
                namespace=namespace if kind == "command" else "",
                plugin=plugin_name,
                skip_reason=skip_reason,
                category=category_of(relpath, kind) if kind else "",
            )
        )
    _admit_heading_agents(found, headed)
    yield from found


def _admit_heading_agents(found, headed):
    """A Markdown file without frontmatter that reads as an agent (``# Name``, ``## Description``)
    is one when its folder holds an agent with frontmatter: beside them it is one of theirs, while
    alone (a ``docs/`` folder) it is only a document."""
    if not headed:
        return
    agent_folders = {c.relpath.rpartition("/")[0] for c in found if c.kind == "agent"}
    for index in headed:
        candidate = found[index]
        if candidate.relpath.rpartition("/")[0] in agent_folders:
            found[index] = replace(
                candidate,
                kind="agent",
                format=_format_for(candidate.relpath.split("/")),
                skip_reason="",
                category=category_of(candidate.relpath, "agent"),
            )


_KIND_FOLDERS = frozenset({"agents", "agent", "commands", "command", "skills", "skill", "prompts", "chatmodes"})
_TOOL_FOLDERS = frozenset({".claude", ".opencode", ".github", ".claude-plugin"})


def category_of(relpath, kind):
    """The folder path a definition was sorted into, as its repository spells it.

    The folders below the last kind folder (``components/agents/development-team/x.md`` →
    ``development-team``), else those above it (``plugins/review/agents/x.md`` →
    ``plugins/review``), else all of them (``design/ui-designer.md`` → ``design``); a skill's
    own folder, kind folders and tool folders (``.claude``...) are never part of it.
    """
    folders = relpath.split("/")[:-1]
    if kind == "skill" and relpath.rpartition("/")[2].lower() == "skill.md":
        folders = folders[:-1]
    last = max((i for i, folder in enumerate(folders) if folder in _KIND_FOLDERS), default=None)
    if last is not None:
        folders = folders[last + 1 :] or folders[:last]
    return "/".join(f for f in folders if f not in _KIND_FOLDERS and f not in _TOOL_FOLDERS)


def _inside(relpath, folders):
    """True when one of the folders (POSIX relpaths) is an ancestor of relpath."""
    folder = relpath.rpartition("/")[0]
    while folder:
        if folder in folders:
            return True
        folder = folder.rpartition("/")[0]
    return False


# ---------------------------------------------------------------------------
# Collections
# ---------------------------------------------------------------------------


def find_collections(root):
    """Split an import root into collections, one per repository.

    Signals of a folder, looked at only at its top: *strong* (a ``.git``, a plugin or
    marketplace manifest, a definition folder such as ``agents/`` or ``.claude/``) and *weak*
    (a README or a licence). The root R given is:

    1. one collection when it has a strong signal, or directly holds a definition file;
    2. one collection when it has a weak signal and none of its subfolders a strong one (a
       repository downloaded without ``.git``: its category folders are only folders);
    3. a *container* when some subfolder is a repository (a strong signal, or a weak one with
       a definition below it): each such subfolder is one collection, and so is each other
       subfolder holding definitions; a subfolder without any signal is searched the same way,
       up to three levels (``~/src/github.com/owner/repo``);
    4. else one collection if anything below it is a definition: its subfolders are categories.

    A file gives its folder.
    """
    root = Path(root).resolve()
    if root.is_file():
        return [_collection_info(root.parent, root.parent)]
    signal = _signal(root)
    if signal == "strong" or _holds_definition_file(root):
        return [_collection_info(root, root)]
    children = _subfolders(root)
    if signal == "weak" and not any(_signal(child) == "strong" for child in children):
        return [_collection_info(root, root)]
    found = _container(root, children, root, depth=1)
    if found is not None:
        return found
    return [_collection_info(root, root)] if _holds_definitions(root) else []


_CONTAINER_DEPTH = 3
_MANIFESTS = (
    ".claude-plugin/plugin.json",
    ".claude-plugin/marketplace.json",
    ".github/plugin/marketplace.json",
    "plugin.json",
    "marketplace.json",
)
_WEAK = re.compile(r"(?i:readme|licen[cs]e|copying|notice)(?:[.-].*)?")


def _signal(folder):
    """``"strong"``, ``"weak"`` or ``""``: what the folder's top says about it being a repository."""
    if (folder / ".git").exists() or any((folder / name).is_file() for name in _MANIFESTS):
        return "strong"
    weak = False
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ""
    for entry in entries:
        if entry.name in _DEFINITION_DIRS and entry.is_dir(follow_symlinks=False):
            return "strong"
        weak = weak or (_WEAK.fullmatch(entry.name) is not None and entry.is_file(follow_symlinks=False))
    return "weak" if weak else ""


def _subfolders(folder):
    return [
        child
        for child in sorted(folder.iterdir(), key=lambda p: p.name)
        if _utf8(child.name)  # a name no database column can store would abort the import
        if child.is_dir() and not child.is_symlink() and child.name not in _PRUNED_DIRS
    ]


def _container(folder, children, top, depth):
    """The collections of a folder holding repositories (rule 3), or None when it holds none."""
    found, repositories = [], False
    for child in children:
        signal = _signal(child)
        if signal == "strong" or (signal == "weak" and _holds_definitions(child)):
            found.append(_collection_info(child, top))
            repositories = True
            continue
        inner = None
        if not signal and depth < _CONTAINER_DEPTH:
            inner = _container(child, _subfolders(child), top, depth + 1)
        if inner is not None:
            found.extend(inner)
            repositories = True
        elif _holds_definitions(child):
            found.append(_collection_info(child, top))
    if not repositories:
        return None
    return found


def _holds_definition_file(folder):
    for child in folder.iterdir():
        if child.is_file() and not child.is_symlink() and classify(child.name, _read_head(child))[0] is not None:
            return True
    return False


def _holds_definitions(folder):
    """True as soon as one file under the folder classifies as a definition."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in _PRUNED_DIRS]
        current = Path(dirpath)
        for name in filenames:
            path = current / name
            if path.is_symlink() or not path.is_file():
                continue
            relpath = path.relative_to(folder).as_posix()
            decided = _path_rule(relpath) or classify(relpath, _read_head(path))
            if decided[0]:
                return True
    return False


def _collection_info(root, top):
    """What a collection root says of itself; ``top`` is the folder the user imported."""
    marketplace = manifests.first_json(
        root, (".claude-plugin/marketplace.json", ".github/plugin/marketplace.json", "marketplace.json")
    )
    plugin = manifests.first_json(root, (".claude-plugin/plugin.json", "plugin.json"))
    if marketplace:
        kind = "marketplace"
    elif plugin:
        kind = "plugin"
    elif (root / ".git").exists():
        kind = "repository"
    else:
        kind = "directory"
    manifest = marketplace or plugin
    metadata = manifest.get("metadata") if isinstance(manifest.get("metadata"), dict) else {}
    description = manifest.get("description") or metadata.get("description") or ""
    origin = _origin(root, plugin, marketplace)
    return CollectionInfo(
        root=root,
        name=_collection_name(root, top, origin),
        kind=kind,
        origin=origin,
        commit=_git_head(root),
        description=str(description),
        marketplace=str(marketplace.get("name") or "") if marketplace else "",
        source_key=f"dir:{root}",
    )


def _collection_name(root, top, origin):
    """``owner/repo`` of the origin (a forge's, or any with an owner when it is git's own);
    else the folder rule ``owner__repo[__variant]`` (how the corpus and many mirrors name
    clones); else the root's path relative to the imported folder, or its name."""
    from_git = (root / ".git").exists()
    for url in (_git_remote(root) if from_git else "", origin):
        name = _repository_name(url, any_host=bool(from_git and url))
        if name:
            return name
    owner, sep, rest = root.name.partition("__")
    if sep and owner and rest:
        repo, sep, variant = rest.partition("__")
        return f"{owner}/{repo}" + (f" ({variant})" if sep and variant else "")
    if root != top and root.is_relative_to(top):
        return root.relative_to(top).as_posix()
    return root.name


def _repository_name(url, any_host):
    if not url:
        return ""
    try:
        source = parse_source(url)
    except SourceError:
        return ""
    if not source.owner or not source.repo or not (any_host or source.forge):
        return ""
    # A manifest's homepage may be a page inside the repository: the name is still owner/repo.
    return source.name


def _origin(root, plugin, marketplace):
    for manifest in (plugin, marketplace):
        for key in ("repository", "homepage"):
            value = manifest.get(key)
            if isinstance(value, dict):
                value = value.get("url")
            if isinstance(value, str) and value.strip():
                return redact_url(value.strip())
    return _git_remote(root)


def _git_remote(root):
    try:
        config = (root / ".git" / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    match = re.search(r'\[remote "origin"\][^\[]*?url\s*=\s*(\S+)', config)
    # A clone made by hand may carry a token in its URL: it is never stored or shown.
    return redact_url(match.group(1)) if match else ""


def _git_head(root):
    git = root / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    if not head.startswith("ref:"):
        return head if re.fullmatch(r"[0-9a-f]{40,64}", head) else ""
    ref = head[4:].strip()
    try:
        return (git / ref).read_text(encoding="utf-8").strip()
    except OSError:
        pass
    try:
        packed = (git / "packed-refs").read_text(encoding="utf-8")
    except OSError:
        return ""
    for line in packed.splitlines():
        sha, _, name = line.partition(" ")
        if name.strip() == ref:
            return sha
    return ""


# ---------------------------------------------------------------------------
# MCP servers a collection defines
# ---------------------------------------------------------------------------


def mcp_servers_in(root) -> frozenset[str]:
    """Names of the MCP servers defined under a collection root: every ``.mcp.json`` and every
    plugin manifest's ``mcpServers``, in folders the walk enters (``manifests.mcp_servers_of_folder``)."""
    names = set()
    for dirpath, dirnames, filenames in os.walk(Path(root)):
        dirnames[:] = [d for d in dirnames if d not in _PRUNED_DIRS]
        names |= manifests.mcp_servers_of_folder(Path(dirpath), filenames)
    return frozenset(names)
