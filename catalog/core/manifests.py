"""Plugin, marketplace and MCP manifests: the JSON files a collection describes itself with.

Discovery asks them which plugin a file belongs to and what kind of definition a plugin
lists it as; the rules ask which MCP servers a collection defines. Every manifest is
untrusted input: one that cannot be read, or is not a JSON object, reads as ``{}``.
"""

import json
import os
from dataclasses import dataclass
from pathlib import PurePosixPath


def read_json(path):
    """The JSON object in ``path``, or ``{}`` when it is missing, unreadable or not an object."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def first_json(root, relpaths):
    """The first non-empty JSON object among ``relpaths`` under ``root``, or ``{}``."""
    for relpath in relpaths:
        if (root / relpath).is_file():
            data = read_json(root / relpath)
            if data:
                return data
    return {}


# ---------------------------------------------------------------------------
# Plugins
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plugin:
    """A Claude Code plugin inside a collection, and the files its manifest lists."""

    root: str  # POSIX path of the plugin folder relative to the collection root ("" = root)
    name: str
    listed: dict  # relpath -> kind, for files the manifest lists explicitly


def read_plugins(collection_root, manifests):
    """Plugins declared by ``.claude-plugin/plugin.json`` or ``plugins/*/plugin.json`` (relpaths)."""
    plugins = []
    for relpath in manifests:
        pure = PurePosixPath(relpath)
        plugin_dir = pure.parent.parent if pure.parent.name == ".claude-plugin" else pure.parent
        data = read_json(collection_root / relpath)
        root = "" if str(plugin_dir) == "." else str(plugin_dir)
        name = str(data.get("name") or plugin_dir.name or collection_root.name)
        listed = {}
        for kind, key in (("agent", "agents"), ("command", "commands"), ("skill", "skills")):
            entries = data.get(key)
            for entry in entries if isinstance(entries, list) else [entries]:
                if isinstance(entry, str):
                    target = os.path.normpath(os.path.join(root or ".", entry)).replace(os.sep, "/")
                    listed[target] = kind
        plugins.append(Plugin(root, name, listed))
    # Deepest first, so the nearest plugin wins.
    return sorted(plugins, key=lambda plugin: plugin.root.count("/") + bool(plugin.root), reverse=True)


def plugin_for(relpath, plugins):
    """The nearest plugin (of ``read_plugins``) that holds ``relpath``, or None."""
    for plugin in plugins:
        if not plugin.root or relpath.startswith(plugin.root + "/"):
            return plugin
    return None


def listed_kind(relpath, plugin):
    """The kind a plugin manifest gives the file, listed itself or through its folder."""
    if plugin is None:
        return None
    for target, kind in plugin.listed.items():
        if relpath == target or relpath.startswith(target + "/"):
            return kind
    return None


# ---------------------------------------------------------------------------
# MCP servers
# ---------------------------------------------------------------------------


def _server_names(data):
    """Server names from an ``.mcp.json`` document: ``{"mcpServers": {...}}`` or the bare map."""
    servers = data.get("mcpServers", data)
    if not isinstance(servers, dict):
        return set()
    return {str(name) for name, config in servers.items() if isinstance(config, dict)}


def mcp_servers_of_folder(folder, filenames):
    """MCP server names the manifests in one folder define (``filenames`` are the folder's files).

    Reads ``.mcp.json`` and a plugin manifest's ``mcpServers`` (a map, or the path of a JSON
    file holding one). A plugin's servers are also known as ``plugin_<plugin>_<server>``, the
    name Claude Code gives their tools.
    """
    names = set()
    if ".mcp.json" in filenames:
        plugin = _plugin_name(folder)
        for server in _server_names(read_json(folder / ".mcp.json")):
            names.add(server)
            if plugin:
                names.add(f"plugin_{plugin}_{server}")
    if "plugin.json" in filenames:
        manifest = read_json(folder / "plugin.json")
        plugin_root = folder.parent if folder.name == ".claude-plugin" else folder
        declared = manifest.get("mcpServers")
        if isinstance(declared, str):
            declared = read_json(plugin_root / declared)
        if isinstance(declared, dict):
            plugin = str(manifest.get("name") or plugin_root.name)
            for server in _server_names(declared):
                names.update({server, f"plugin_{plugin}_{server}"})
    return names


def _plugin_name(folder):
    """The plugin whose root is ``folder``, when it has a manifest."""
    for manifest in (folder / ".claude-plugin" / "plugin.json", folder / "plugin.json"):
        if manifest.is_file():
            return str(read_json(manifest).get("name") or folder.name)
    return ""
