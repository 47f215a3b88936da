"""Install commands (catalog.core.install): the folder each tool reads, and shell lines that are safe to paste."""

import shlex
from pathlib import PurePosixPath
from types import SimpleNamespace

import pytest

from catalog.core.install import install_for, safe_component, target_path

URL = "https://dash.example/d/acme/agent/x/raw"


def definition(kind, fmt, slug, source_path, *, plugin="", collection=None):
    collection = collection or SimpleNamespace(kind="directory", marketplace="", origin="")
    return SimpleNamespace(
        kind=kind, format=fmt, slug=slug, source_path=source_path, plugin=plugin, collection=collection
    )


@pytest.mark.parametrize(
    ("kind", "fmt", "slug", "source_path", "expected"),
    [
        ("agent", "claude-code", "code-reviewer", "agents/code-reviewer.md", ".claude/agents/code-reviewer.md"),
        ("command", "claude-code", "ship", "commands/ship.md", ".claude/commands/ship.md"),
        ("command", "claude-code", "review:security", "commands/review/security.md",
         ".claude/commands/review/security.md"),
        # A plugin's own name is not a folder when the file is installed on its own.
        ("command", "claude-code", "acme:review:security", "plugins/acme/commands/review/security.md",
         ".claude/commands/review/security.md"),
        ("skill", "claude-code", "release-checklist", "skills/release-checklist/SKILL.md",
         ".claude/skills/release-checklist/SKILL.md"),
        ("agent", "copilot", "planner", ".github/agents/planner.agent.md", ".github/agents/planner.agent.md"),
        ("agent", "copilot", "tutor", ".github/chatmodes/tutor.chatmode.md", ".github/chatmodes/tutor.chatmode.md"),
        ("command", "copilot", "fix-tests", ".github/prompts/fix-tests.prompt.md",
         ".github/prompts/fix-tests.prompt.md"),
        ("skill", "copilot", "triage", ".github/skills/triage/SKILL.md", ".github/skills/triage/SKILL.md"),
        ("agent", "opencode", "builder", ".opencode/agent/builder.md", ".opencode/agent/builder.md"),
        ("command", "opencode", "deploy", ".opencode/command/deploy.md", ".opencode/command/deploy.md"),
        ("skill", "opencode", "notes", ".opencode/skill/notes/SKILL.md", ".opencode/skill/notes/SKILL.md"),
    ],
)  # fmt: skip
def test_each_format_and_kind_lands_where_its_tool_looks(kind, fmt, slug, source_path, expected):
    item = definition(kind, fmt, slug, source_path)
    assert str(target_path(item)) == expected
    install = install_for(item, URL)
    assert install.path == expected
    parent = str(PurePosixPath(expected).parent)
    assert shlex.split(install.command) == ["mkdir", "-p", parent, "&&", "curl", "-fsSL", URL, "-o", expected]
    assert install.plugin_command == ""
    assert install.text == install.command


HOSTILE = [
    "../../../etc/passwd",
    "..",
    ".",
    "$(rm -rf ~)",
    "`reboot`",
    "a;b|c&d",
    "name with spaces\nand a newline",
    "'quoted'\"double\"",
    "-rf",
    "~/.ssh/authorized_keys",
    "*",
    "",
]


@pytest.mark.parametrize("slug", HOSTILE)
@pytest.mark.parametrize(("kind", "fmt"), [("agent", "claude-code"), ("command", "claude-code"), ("skill", "copilot")])
def test_hostile_slugs_stay_one_harmless_path_inside_the_project(slug, kind, fmt):
    """No component climbs, none is empty, none holds shell syntax; the command splits back into its words."""
    item = definition(kind, fmt, slug, f"commands/{slug}/x.md")
    install = install_for(item, URL + "?x=$(id)")
    path = PurePosixPath(install.path)
    assert not path.is_absolute()
    for part in path.parts:
        assert part not in ("", ".", "..") and not part.startswith(("-", "~"))
        assert set(part) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"), part
    words = shlex.split(install.command)
    assert words[:3] == ["mkdir", "-p", str(path.parent)]
    assert words[3:] == ["&&", "curl", "-fsSL", URL + "?x=$(id)", "-o", str(path)]


def test_safe_component():
    assert safe_component("../x") == "x"
    assert safe_component("a b/c") == "a-b-c"
    assert safe_component("...") == "untitled"


def marketplace(**changes):
    values = {"kind": "marketplace", "marketplace": "acme-tools", "origin": "https://github.com/acme/tools"}
    return SimpleNamespace(**(values | changes))


def test_plugin_way_for_a_plugin_of_a_marketplace():
    item = definition("agent", "claude-code", "reviewer", "plugins/review/agents/reviewer.md", plugin="review",
                      collection=marketplace())  # fmt: skip
    install = install_for(item, URL)
    assert shlex.split(install.plugin_command) == [
        "claude", "plugin", "marketplace", "add", "https://github.com/acme/tools", "&&",
        "claude", "plugin", "install", "review@acme-tools",
    ]  # fmt: skip
    assert install.text == f"{install.command}\n{install.plugin_command}"


@pytest.mark.parametrize(
    ("plugin", "collection"),
    [
        ("", marketplace()),  # not in a plugin
        ("review", marketplace(kind="plugin")),  # a plugin on its own has no marketplace to name
        ("review", marketplace(marketplace="")),  # the manifest had no name
        ("review", marketplace(origin="")),  # nowhere to add the marketplace from
        ("$(id)", marketplace()),
        ("review", marketplace(marketplace="acme tools; rm")),
    ],
)
def test_no_plugin_way_without_a_plugin_a_marketplace_and_safe_names(plugin, collection):
    item = definition("agent", "claude-code", "reviewer", "agents/reviewer.md", plugin=plugin, collection=collection)
    assert install_for(item, URL).plugin_command == ""


def test_hostile_origin_is_quoted():
    item = definition(
        "agent", "claude-code", "r", "agents/r.md", plugin="p", collection=marketplace(origin="x; rm -rf /")
    )
    assert shlex.split(install_for(item, URL).plugin_command)[4] == "x; rm -rf /"
