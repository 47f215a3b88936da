"""Tests for catalog.core.discovery: path classification, plugins, symlinks and collections."""

import csv
import json
import os
from collections import Counter

import pytest

from catalog.core.discovery import category_of, classify, discover, find_collections, mcp_servers_in
from tests.helpers import CORPUS

FRONTMATTER = "---\nname: x\ndescription: d\n---\nBody.\n"


def write(root, relpath, text=FRONTMATTER):
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- classify --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("agents/reviewer.md", ("agent", "claude-code", "")),
        (".claude/agents/reviewer.md", ("agent", "claude-code", "")),
        ("plugins/p/agents/deep/reviewer.md", ("agent", "claude-code", "")),
        ("skills/pdf/agents/grader.md", ("agent", "claude-code", "")),
        ("agents/license-checker.md", ("agent", "claude-code", "")),
        ("commands/ship.md", ("command", "claude-code", "")),
        ("commands/agency/work.md", ("command", "claude-code", "agency")),
        ("commands/a/b/c.md", ("command", "claude-code", "a:b")),
        ("commands/project/todo.md", ("command", "claude-code", "project")),
        (".claude/commands/lint.md", ("command", "claude-code", "")),
        ("skills/pdf/SKILL.md", ("skill", "claude-code", "")),
        ("template/SKILL.md", ("skill", "claude-code", "")),
        (".opencode/skill/router/SKILL.md", ("skill", "opencode", "")),
        ("agents/reviewer.agent.md", ("agent", "copilot", "")),
        (".github/agents/reviewer.agent.md", ("agent", "copilot", "")),
        ("chatmodes/4.1-Beast.chatmode.md", ("agent", "copilot", "")),
        ("prompts/write-docs.prompt.md", ("command", "copilot", "")),
        (".opencode/agent/reviewer.md", ("agent", "opencode", "")),
        (".opencode/agents/sub/reviewer.md", ("agent", "opencode", "")),
        (".opencode/command/commit.md", ("command", "opencode", "")),
        (".opencode/commands/git/commit.md", ("command", "opencode", "git")),
    ],
)
def test_classify_definition_paths(relpath, expected):
    """Definition paths are recognised from the path alone, whatever the content."""
    kind, fmt, namespace, skip = classify(relpath)
    assert (kind, fmt, namespace) == expected
    assert skip == ""


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        ("README.md", "not a definition: README.md"),
        ("agents/README.md", "not a definition: README.md"),
        ("CONTRIBUTING.md", "not a definition: CONTRIBUTING.md"),
        ("CHANGELOG.md", "not a definition: CHANGELOG.md"),
        ("CLAUDE.md", "not a definition: CLAUDE.md"),
        ("AGENTS.md", "not a definition: AGENTS.md"),
        ("LICENSE", "license file"),
        ("skills/pdf/LICENSE.txt", "license file"),
        ("LICENSE-MIT", "license file"),
        ("skills/pdf/reference.md", "skill resource"),
        ("skills/pdf/scripts/tool.md", "skill resource"),
        (".claude-plugin/plugin.json", "plugin manifest"),
        ("plugins/foo/plugin.json", "plugin manifest"),
        ("plugins/foo/.claude-plugin/plugin.json", "plugin manifest"),
        (".claude-plugin/marketplace.json", "marketplace manifest"),
        (".github/copilot-instructions.md", "not a definition: copilot-instructions.md"),
        ("instructions/python.instructions.md", "not a definition: Copilot instructions file"),
    ],
)
def test_classify_skipped_paths(relpath, reason):
    """Documents, licences, manifests and skill resources are skipped with a reason."""
    kind, fmt, _, skip = classify(relpath, FRONTMATTER)
    assert (kind, fmt) == (None, None)
    assert skip == reason


def test_classify_lowercase_document_names_in_definition_folders_are_definitions():
    """commands/changelog.md is a command; only capitalised project documents are skipped."""
    assert classify("commands/changelog.md")[0] == "command"
    assert classify("agents/security.md")[0] == "agent"


def test_classify_loose_markdown_by_content():
    """A loose Markdown file with frontmatter: a command if it takes arguments, else an agent."""
    takes_arguments = "---\ndescription: Search\n---\nQuery: $ARGUMENTS\n"
    hinted = "---\ndescription: d\nargument-hint: [name]\n---\n"
    assert classify("tools/catalog/search.md", takes_arguments)[:2] == ("command", "claude-code")
    assert classify("tools/catalog/fetch.md", hinted)[:2] == ("command", "claude-code")
    assert classify("categories/01/backend.md", FRONTMATTER)[:2] == ("agent", "claude-code")
    assert classify("docs/guide.md", "# Guide\n\ntext") == (None, None, "", "not a definition: no frontmatter")


def test_classify_other_extensions_need_a_frontmatter_fence():
    """A .txt file (or a file without extension) is an agent only when it opens with '---'."""
    assert classify("seeds/000_x.txt", FRONTMATTER)[:2] == ("agent", "claude-code")
    assert classify("agents/flutter-dev", FRONTMATTER)[:2] == ("agent", "claude-code")
    assert classify("agents/config.json", '{"a": 1}')[0] is None
    assert classify("notes.txt", "plain text")[3] == "not a definition: not Markdown"


# --- discover --------------------------------------------------------------------------


def candidates(root):
    return {c.relpath: c for c in discover(root)}


def test_plugin_namespaces_commands(tmp_path):
    """Commands in a plugin take the plugin name, then their subfolders, as namespace."""
    write(tmp_path, "plugins/foo/.claude-plugin/plugin.json", json.dumps({"name": "foo"}))
    write(tmp_path, "plugins/foo/commands/bar.md")
    write(tmp_path, "plugins/foo/commands/agency/work.md")
    write(tmp_path, "plugins/foo/agents/helper.md")
    write(tmp_path, "commands/loose.md")
    found = {relpath: (c.kind, c.namespace, c.plugin, c.skip_reason) for relpath, c in candidates(tmp_path).items()}
    assert found == {
        "commands/loose.md": ("command", "", "", ""),
        "plugins/foo/.claude-plugin/plugin.json": (None, "", "foo", "plugin manifest"),
        "plugins/foo/agents/helper.md": ("agent", "", "foo", ""),
        "plugins/foo/commands/agency/work.md": ("command", "foo:agency", "foo", ""),
        "plugins/foo/commands/bar.md": ("command", "foo", "foo", ""),
    }


def test_plugin_manifest_lists_agents(tmp_path):
    """Files a plugin.json lists under "agents" are agents even if they mention $ARGUMENTS."""
    manifest = {"name": "lang", "agents": ["./python-pro.md"]}
    write(tmp_path, "categories/02-lang/.claude-plugin/plugin.json", json.dumps(manifest))
    write(tmp_path, "categories/02-lang/python-pro.md", FRONTMATTER + "Pass $ARGUMENTS along.\n")
    [agent] = [c for c in discover(tmp_path) if c.kind]
    assert (agent.relpath, agent.kind, agent.plugin) == ("categories/02-lang/python-pro.md", "agent", "lang")


def test_files_beside_a_skill_are_resources(tmp_path):
    """Any file in a folder holding SKILL.md is a skill resource, even outside skills/."""
    write(tmp_path, "template/SKILL.md")
    write(tmp_path, "template/notes.md")
    found = candidates(tmp_path)
    assert found["template/SKILL.md"].kind == "skill"
    assert found["template/notes.md"].skip_reason == "skill resource"


def test_symlinks_leaving_the_root_are_not_followed(tmp_path):
    """Symlinked files and folders pointing outside the collection are skipped, not read."""
    outside = tmp_path / "outside"
    write(outside, "secret.md")
    write(outside, "agents/leak.md")
    root = tmp_path / "root"
    write(root, "agents/real.md")
    os.symlink(outside / "secret.md", root / "agents" / "linked.md")
    os.symlink(outside / "agents", root / "more-agents")
    os.symlink(root / "agents" / "real.md", root / "agents" / "alias.md")
    os.symlink(root / "missing.md", root / "agents" / "broken.md")
    found = candidates(root)
    assert found["agents/real.md"].kind == "agent"
    assert found["agents/linked.md"].skip_reason == "symlink leaves the import root"
    assert found["more-agents"].skip_reason == "symlink leaves the import root"
    assert found["agents/alias.md"].skip_reason == "symlink to agents/real.md (walked at its real path)"
    assert found["agents/broken.md"].skip_reason == "broken symlink"
    assert not any("leak" in relpath for relpath in found)


def test_discover_yields_each_file_once_in_sorted_order(tmp_path):
    """Every regular file comes out exactly once, sorted by relative path, every time."""
    for relpath in ("b/agents/z.md", "a/commands/y.md", "agents/x.md", "README.md", "zz.txt"):
        write(tmp_path, relpath)
    write(tmp_path, ".git/HEAD", "ref: refs/heads/main\n")
    first = [c.relpath for c in discover(tmp_path)]
    assert first == sorted(first)
    assert first == [c.relpath for c in discover(tmp_path)]
    assert Counter(first) == Counter(["README.md", "a/commands/y.md", "agents/x.md", "b/agents/z.md", "zz.txt"])


# --- find_collections ------------------------------------------------------------------


def test_root_with_definition_folders_is_one_collection(tmp_path):
    """A root holding agents/ (or .claude/, skills/...) is itself the collection."""
    write(tmp_path, "agents/a.md")
    write(tmp_path, "docs/agents/b.md")
    [collection] = find_collections(tmp_path)
    assert collection.root == tmp_path.resolve()
    assert collection.kind == "directory"


def test_root_of_repositories_gives_one_collection_each(tmp_path):
    """Without definitions of its own, each subfolder holding definitions is a collection."""
    write(tmp_path, "README.md", "# Index\n")
    write(tmp_path, "acme__tools/.claude/agents/a.md")
    write(tmp_path, "acme__tools/.git/HEAD", "ref: refs/heads/main\n")
    write(tmp_path, "acme__tools/.git/refs/heads/main", "0123456789abcdef0123456789abcdef01234567\n")
    write(tmp_path, "acme__tools/.git/config", '[remote "origin"]\n\turl = https://example.com/acme/tools.git\n')
    manifest = {"name": "market", "metadata": {"description": "Plugins."}, "plugins": []}
    write(tmp_path, "bob__market/.claude-plugin/marketplace.json", json.dumps(manifest))
    write(tmp_path, "bob__market/plugins/p/commands/c.md")
    write(tmp_path, "empty/notes.txt", "nothing here")
    tools, market = find_collections(tmp_path)
    assert (tools.name, tools.kind) == ("acme/tools", "repository")
    assert tools.commit == "0123456789abcdef0123456789abcdef01234567"
    assert tools.origin == "https://example.com/acme/tools.git"
    assert (market.name, market.kind, market.description) == ("bob/market", "marketplace", "Plugins.")


def test_single_file_gives_its_folder(tmp_path):
    """Importing one file imports the folder it is in."""
    path = write(tmp_path, "x.txt")
    [collection] = find_collections(path)
    assert collection.root == tmp_path.resolve()


# --- repository detection (the README's examples, one fixture each) ----------------------


def names(root):
    return [(c.name, c.root.relative_to(root.resolve()).as_posix()) for c in find_collections(root)]


def test_category_folders_under_a_readme_are_one_collection(tmp_path):
    """Rule 2: agency/ README.md design/ engineering/ is one repository, its folders categories."""
    agency = tmp_path / "agency"
    write(agency, "README.md", "# The agency\n")
    write(agency, "design/ui-designer.md")
    write(agency, "engineering/frontend-developer.md")
    write(agency, "engineering/README.md", "# Engineering\n")
    assert names(agency) == [("agency", ".")]
    [collection] = find_collections(agency)
    assert collection.source_key == f"dir:{agency.resolve()}"
    categories = {c.relpath: c.category for c in discover(agency) if c.kind}
    assert categories == {"design/ui-designer.md": "design", "engineering/frontend-developer.md": "engineering"}


def test_category_folders_without_any_signal_are_one_collection(tmp_path):
    """Rule 4: no README and no .git, only category folders: still one collection."""
    write(tmp_path, "design/ui-designer.md")
    write(tmp_path, "testing/api-tester.md")
    assert names(tmp_path) == [(tmp_path.name, ".")]


def test_a_clone_is_named_after_its_origin(tmp_path):
    """Rule 1: a .git makes a repository, named owner/repo from its origin (a token never kept)."""
    clone = tmp_path / "work"
    write(clone, "agents/reviewer.md")
    write(clone, ".git/config", '[remote "origin"]\n\turl = https://bot:s3cret@github.com/acme/review-kit.git\n')
    [collection] = find_collections(clone)
    assert (collection.name, collection.kind) == ("acme/review-kit", "repository")
    assert "s3cret" not in collection.origin


def test_a_plugin_is_one_collection(tmp_path):
    """Rule 1: a plugin manifest; its agents and commands get the plugin facet."""
    plugin = tmp_path / "plugin"
    write(plugin, ".claude-plugin/plugin.json", json.dumps({"name": "reviews"}))
    write(plugin, "agents/reviewer.md")
    write(plugin, "commands/review.md", "---\ndescription: Review $ARGUMENTS\n---\nGo.\n")
    [collection] = find_collections(plugin)
    assert (collection.name, collection.kind) == ("plugin", "plugin")
    assert {c.plugin for c in discover(plugin) if c.kind} == {"reviews"}


def test_a_directory_of_repositories_gives_one_collection_each(tmp_path):
    """Rule 3: corpus/ README a__r1/(LICENSE, .claude-plugin/) b__r2/(.opencode/): two collections."""
    write(tmp_path, "README.md", "# Mirrors\n")
    write(tmp_path, "a__r1/LICENSE", "MIT\n")
    write(tmp_path, "a__r1/.claude-plugin/plugin.json", json.dumps({"name": "r1"}))
    write(tmp_path, "a__r1/design/x.md")
    write(tmp_path, "b__r2/.opencode/agent/y.md")
    assert names(tmp_path) == [("a/r1", "a__r1"), ("b/r2", "b__r2")]


def test_a_shelf_of_downloads_gives_one_collection_each(tmp_path):
    """Rule 3 with weak signals: each folder with a README or licence and definitions is one."""
    write(tmp_path, "agency/README.md", "# Agency\n")
    write(tmp_path, "agency/design/a.md")
    write(tmp_path, "studio/LICENSE", "MIT\n")
    write(tmp_path, "studio/design/b.md")
    write(tmp_path, "studio/testing/c.md")
    write(tmp_path, "notes/todo.txt", "nothing")
    assert names(tmp_path) == [("agency", "agency"), ("studio", "studio")]


def test_nested_checkouts_are_found_three_levels_down(tmp_path):
    """~/src/host/owner/repo: folders without any signal are searched; names are relative paths."""
    write(tmp_path, "example.org/team/kit/.git/HEAD", "ref: refs/heads/main\n")
    write(tmp_path, "example.org/team/kit/agents/a.md")
    write(tmp_path, "example.org/other/tools/.claude/agents/b.md")
    assert names(tmp_path) == [
        ("example.org/other/tools", "example.org/other/tools"),
        ("example.org/team/kit", "example.org/team/kit"),
    ]


HEADED = "# Brand Guardian\n\n## Description\n\nKeeps pages on brand.\n"


def test_heading_agents_count_beside_frontmatter_agents_only(tmp_path):
    """``# Name`` + ``## Description`` without frontmatter is an agent among agents of its
    folder; the README beside them and the same shape in docs/ stay skipped with their reason."""
    write(tmp_path, "README.md", "# Agency\n\n## Description\n\nAll our agents.\n")
    write(tmp_path, "design/ui-designer.md")
    write(tmp_path, "design/ux-researcher.md")
    write(tmp_path, "design/brand-guardian.md", HEADED)
    write(tmp_path, "design/notes.md", "Some notes, no heading.\n")
    write(tmp_path, "docs/guide.md", HEADED)
    found = {c.relpath: (c.kind, c.skip_reason) for c in discover(tmp_path)}
    assert found["design/brand-guardian.md"] == ("agent", "")
    assert found["design/notes.md"] == (None, "not a definition: no frontmatter")
    assert found["docs/guide.md"] == (None, "not a definition: no frontmatter")
    assert found["README.md"] == (None, "not a definition: README.md")


@pytest.mark.parametrize(
    ("relpath", "kind", "category"),
    [
        ("design/ui-designer.md", "agent", "design"),
        ("categories/02-language/python-pro.md", "agent", "categories/02-language"),
        ("cli-tool/components/agents/development-team/x.md", "agent", "development-team"),
        ("plugins/pr-review/agents/x.md", "agent", "plugins/pr-review"),
        (".opencode/agent/subagents/code/x.md", "agent", "subagents/code"),
        (".claude/agents/x.md", "agent", ""),
        ("skills/pdf/SKILL.md", "skill", ""),
        ("cli-tool/components/skills/scientific/rdkit/SKILL.md", "skill", "scientific"),
        ("skills/skill-creator/agents/grader.md", "agent", "skill-creator"),
        ("commands/git/ship.md", "command", "git"),
        ("reviewer.md", "agent", ""),
    ],
)
def test_category_of(relpath, kind, category):
    assert category_of(relpath, kind) == category


# --- the corpus ------------------------------------------------------------------------


def manifest_counts():
    """MANIFEST.tsv rows by corpus folder: ``owner/repo`` is ``owner__repo``; a repository
    listed twice has its first row for the current copy and the next for ``__legacy``."""
    counts = {}
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            folder = row["repo"].replace("/", "__")
            if folder in counts:
                folder += "__legacy"
            counts[folder] = Counter(
                agent=int(row["n_agent_files"]), command=int(row["n_command_files"]), skill=int(row["n_skill_files"])
            )
    return counts


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not present")
def test_corpus_counts_match_manifest():
    """Agents, commands and skills per collection match MANIFEST.tsv."""
    expected = manifest_counts()
    collections = find_collections(CORPUS)
    assert sorted(c.root.name for c in collections) == sorted(expected)
    for collection in collections:
        found = Counter(c.kind for c in discover(collection.root) if c.kind)
        print(f"{collection.root.name}: {dict(found)}")
        assert found == expected[collection.root.name], collection.root.name


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not present")
def test_corpus_skips_only_manifests_and_licences():
    """Every skipped corpus file is a manifest or a licence (the corpus holds nothing else)."""
    reasons = Counter(
        c.skip_reason for collection in find_collections(CORPUS) for c in discover(collection.root) if not c.kind
    )
    print(dict(reasons))
    assert set(reasons) <= {"plugin manifest", "marketplace manifest", "license file"}


def test_mcp_servers_in(tmp_path):
    """Servers come from .mcp.json files and plugin manifests, with their plugin_ names too."""
    (tmp_path / ".mcp.json").write_text('{"mcpServers": {"github": {"command": "gh-mcp"}}}')
    plugin = tmp_path / "plugins" / "asana"
    (plugin / ".claude-plugin").mkdir(parents=True)
    (plugin / ".claude-plugin" / "plugin.json").write_text('{"name": "asana"}')
    (plugin / ".mcp.json").write_text('{"asana": {"url": "https://example.invalid/mcp"}}')
    inline = tmp_path / "plugins" / "linear"
    (inline / ".claude-plugin").mkdir(parents=True)
    (inline / ".claude-plugin" / "plugin.json").write_text('{"name": "linear", "mcpServers": {"linear": {"url": "x"}}}')
    servers = mcp_servers_in(tmp_path)
    assert servers == {"github", "asana", "plugin_asana_asana", "linear", "plugin_linear_linear"}
