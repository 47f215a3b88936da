"""Plugin manifests and layout (catalog.core.plugins): the rules ``claude plugin validate`` enforces."""

import json
import zipfile
from types import SimpleNamespace

import pytest

from catalog.core import plugins


@pytest.mark.parametrize("name", ["review", "code-review", "team2-agents", "2fast", "a" * 64])
def test_kebab_case_names_pass(name):
    assert plugins.manifest_problems(plugins.manifest(name, version="1.0.0")) == []


@pytest.mark.parametrize(
    "name",
    ["", "Review", "code_review", "code review", "-review", "review-", "code--review", "a" * 65, "../x", "ré"],
)
def test_other_names_are_refused(name):
    assert len(plugins.manifest_problems(plugins.manifest(name))) == 1


@pytest.mark.parametrize("version", ["1.0.0", "0.1.0", "2.10.3-beta.1", "1.0.0+build.5"])
def test_semantic_versions_pass(version):
    assert plugins.manifest_problems({"name": "x", "version": version}) == []


@pytest.mark.parametrize("version", ["1", "1.0", "v1.0.0", "01.0.0", "1.0.0.0", 1])
def test_other_versions_are_refused(version):
    assert plugins.manifest_problems({"name": "x", "version": version}) != []


def test_manifest_shape():
    """Empty fields are left out; the author is an object with a name."""
    assert plugins.manifest("x") == {"name": "x"}
    data = plugins.manifest("x", version="1.2.3", description="Tools.", author="Ann")
    assert data == {"name": "x", "version": "1.2.3", "description": "Tools.", "author": {"name": "Ann"}}
    assert plugins.manifest_problems(data) == []
    assert plugins.manifest_problems([]) == ["plugin.json must be a JSON object."]
    assert plugins.manifest_problems({"name": "x", "author": "Ann"}) == ["The author must be an object with a name."]
    assert plugins.manifest_problems({"name": "x", "description": 3}) == ["The description must be text."]


def item(kind, slug, source_path, fmt="claude-code", collection="c"):
    return SimpleNamespace(kind=kind, slug=slug, source_path=source_path, format=fmt,
                           collection=SimpleNamespace(slug=collection))  # fmt: skip


def test_components_land_in_the_plugin_layout():
    paths, problems = plugins.components([
        item("agent", "reviewer", "agents/reviewer.md"),
        item("command", "acme:git:commit", "plugins/acme/commands/git/commit.md"),
        item("skill", "release-notes", "skills/release-notes/SKILL.md"),
    ])  # fmt: skip
    assert problems == []
    assert {key: str(path) for key, path in paths.items()} == {
        "c/agent/reviewer": "agents/reviewer.md",
        "c/command/acme:git:commit": "commands/git/commit.md",
        "c/skill/release-notes": "skills/release-notes/SKILL.md",
    }


def test_components_that_cannot_be_in_a_plugin():
    _, problems = plugins.components([
        item("agent", "reviewer", "agents/reviewer.md"),
        item("agent", "reviewer", "agents/reviewer.md", collection="other"),
        item("agent", "planner", ".github/agents/planner.agent.md", fmt="copilot"),
        item("skill", "Release_Notes", "skills/Release_Notes/SKILL.md"),
    ])  # fmt: skip
    assert problems == [
        "other/agent/reviewer and c/agent/reviewer would both be agents/reviewer.md; choose one.",
        "c/agent/planner is not a Claude Code definition; a plugin holds only Claude Code files.",
        "c/skill/Release_Notes: the skill folder “Release_Notes” must be lowercase letters, digits and hyphens.",
    ]


def test_zip_holds_the_manifest_and_files_under_the_plugin_name():
    stream = plugins.plugin_zip(plugins.manifest("team", version="1.0.0"), {"agents/a.md": b"---\nname: a\n---\n"})
    with zipfile.ZipFile(stream) as archive:
        assert sorted(archive.namelist()) == ["team/.claude-plugin/plugin.json", "team/agents/a.md"]
        assert json.loads(archive.read("team/.claude-plugin/plugin.json")) == {"name": "team", "version": "1.0.0"}


def test_a_skill_keeps_its_files_and_licence_beside_it_but_not_its_source_s_manifest():
    skill = item("skill", "notes", "tools/skills/notes/SKILL.md")
    paths, _ = plugins.components([skill])

    def resource(path, kind):
        return SimpleNamespace(collection=SimpleNamespace(slug="c"), path=path, kind=kind)

    kept = [
        resource("tools/skills/notes/scripts/run.sh", "skill-resource"),
        resource("tools/skills/notes/LICENSE.txt", "license"),
        resource(".claude-plugin/plugin.json", "plugin-manifest"),
        resource("tools/skills/other/x.py", "skill-resource"),
    ]
    placed = plugins.skill_files([skill], paths, kept)
    assert {str(path): r.path for path, r in placed.items()} == {
        "skills/notes/scripts/run.sh": "tools/skills/notes/scripts/run.sh",
        "skills/notes/LICENSE.txt": "tools/skills/notes/LICENSE.txt",
    }
