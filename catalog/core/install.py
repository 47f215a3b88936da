"""Install commands: where each tool looks for a definition, and a shell line that puts it there.

A definition installs into the folder its tool reads in a project:

========================  ==========================================  ==============================================
format                    agent                                       command / skill
========================  ==========================================  ==============================================
Claude Code               ``.claude/agents/<slug>.md``                ``.claude/commands/<ns>/<name>.md``,
                                                                      ``.claude/skills/<name>/SKILL.md``
GitHub Copilot            ``.github/agents/<name>.agent.md``          ``.github/prompts/<name>.prompt.md``,
                          (chat modes: ``.github/chatmodes/<name>``   ``.github/skills/<name>/SKILL.md``
                          ``.chatmode.md``)
OpenCode                  ``.opencode/agent/<name>.md``               ``.opencode/command/<name>.md``,
                                                                      ``.opencode/skill/<name>/SKILL.md``
========================  ==========================================  ==============================================

The command downloads the file from the dashboard's own raw URL: ``mkdir -p DIR && curl -fsSL
URL -o PATH``. Slugs, namespaces and file names are imported data, so every path component is
reduced to letters, digits, ``.``, ``_`` and ``-`` (never ``.`` or ``..`` alone) and every word
of the command is quoted with ``shlex.quote``. A Claude Code definition that belongs to a plugin
of a marketplace can also be installed the plugin way (``claude plugin marketplace add`` then
``claude plugin install <plugin>@<marketplace>``).

Pure Python (no Django): callers pass the definition, any object with the model's attribute names.
"""

import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Plugin and marketplace names as Claude Code accepts them; anything else gets no plugin command.
_PLUGIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class Install:
    """How to install one definition: its ``path`` in a project and the commands that put it there."""

    path: str
    command: str
    plugin_command: str = ""  # the ``claude plugin`` way, when the definition has one

    @property
    def text(self):
        """Every way, one per line: what the JSON twin's ``install`` holds."""
        return "\n".join(filter(None, (self.command, self.plugin_command)))


def safe_component(text, fallback="untitled"):
    """``text`` as one harmless path component: no separators, no shell or glob characters, no ``..``."""
    component = _UNSAFE.sub("-", str(text)).strip("-.")
    component = re.sub(r"-{2,}", "-", component)[:100]
    return component or fallback


def _name(definition):
    """The file or folder name the tool derives the definition's name from: the slug's last part."""
    return safe_component(str(definition.slug).split(":")[-1])


def _command_folders(definition):
    """A Claude Code command's subfolders, from where its file sat under ``commands/``.

    A plugin's name is not a folder: installed on its own, ``plugin:review`` becomes ``/review``.
    """
    parts = PurePosixPath(str(definition.source_path)).parts[:-1]
    if "commands" in parts:
        index = len(parts) - 1 - parts[::-1].index("commands")
        return [safe_component(part) for part in parts[index + 1 :]]
    return []


def target_path(definition):
    """Where the definition's tool looks for it, relative to the project root."""
    name, kind, fmt = _name(definition), definition.kind, definition.format
    source = str(definition.source_path).lower()
    if fmt == "copilot":
        if kind == "skill":
            return PurePosixPath(".github/skills", name, "SKILL.md")
        if kind == "command":
            return PurePosixPath(".github/prompts", f"{name}.prompt.md")
        if source.endswith(".chatmode.md"):
            return PurePosixPath(".github/chatmodes", f"{name}.chatmode.md")
        return PurePosixPath(".github/agents", f"{name}.agent.md")
    if fmt == "opencode":
        if kind == "skill":
            return PurePosixPath(".opencode/skill", name, "SKILL.md")
        return PurePosixPath(".opencode", kind, f"{name}.md")
    if kind == "skill":
        return PurePosixPath(".claude/skills", name, "SKILL.md")
    if kind == "command":
        return PurePosixPath(".claude/commands", *_command_folders(definition), f"{name}.md")
    return PurePosixPath(".claude/agents", f"{safe_component(definition.slug)}.md")


def download_command(raw_url, path):
    """``mkdir -p DIR && curl -fsSL URL -o PATH``, every word quoted."""
    path = PurePosixPath(path)
    folder, url, target = (shlex.quote(str(word)) for word in (path.parent, raw_url, path))
    return f"mkdir -p {folder} && curl -fsSL {url} -o {target}"


def plugin_command(definition):
    """The ``claude plugin`` way, for a Claude Code definition of a plugin in a marketplace; else ""."""
    collection = definition.collection
    marketplace, plugin, origin = collection.marketplace, definition.plugin, collection.origin
    if definition.format != "claude-code" or collection.kind != "marketplace" or not origin:
        return ""
    if not (_PLUGIN_NAME.fullmatch(plugin or "") and _PLUGIN_NAME.fullmatch(marketplace or "")):
        return ""
    return (
        f"claude plugin marketplace add {shlex.quote(origin)} && "
        f"claude plugin install {shlex.quote(f'{plugin}@{marketplace}')}"
    )


def install_for(definition, raw_url):
    """How to install ``definition``; ``raw_url`` is the absolute URL of its raw file."""
    path = target_path(definition)
    return Install(path=str(path), command=download_command(raw_url, path), plugin_command=plugin_command(definition))
