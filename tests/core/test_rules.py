"""Validation rules: each rule fires on a fixture that breaks it and stays quiet on one that does not."""

import re
from pathlib import Path

from catalog.core import analysis, extraction, linting, parsing, rules
from catalog.core.rules import RULES, CollectionEntry, check_collection, check_definition, finding_from_problem
from tests.helpers import REPO, seed_paths

GOOD_AGENT = """---
name: code-reviewer
description: Reviews a change for bugs and style before it is merged.
tools: Read, Grep, Bash(git:*)
model: sonnet
color: blue
---

# Code reviewer

## Workflow
- Read the diff, then the files it touches.
"""

GOOD_SKILL = """---
name: release-notes
description: Drafts release notes from merged pull requests.
allowed-tools: Read, Bash(git log:*)
---

# Release notes

## Steps
1. List the merged pull requests.
"""


def agent(**fields):
    """GOOD_AGENT with frontmatter fields replaced (None removes one) or added."""
    return _with_fields(GOOD_AGENT, fields)


def skill(**fields):
    return _with_fields(GOOD_SKILL, fields)


def _with_fields(text, fields):
    head, _, body = text.partition("\n---\n")
    lines = head.split("\n")[1:]
    values = dict(line.split(": ", 1) for line in lines)
    for key, value in fields.items():
        key = key.replace("_", "-") if key == "allowed_tools" else key
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return "---\n" + "\n".join(f"{k}: {v}" for k, v in values.items()) + "\n---\n" + body


def analyse(text, path="agents/code-reviewer.md", kind="agent", fmt="claude-code", namespace=""):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return analysis.analyse(raw, path, kind, fmt, namespace)


def findings(text, path="agents/code-reviewer.md", kind="agent", fmt="claude-code", plugin=False):
    """All findings about one file, the rejection included."""
    result = analyse(text, path, kind, fmt)
    if result.parsed is None:
        return (finding_from_problem(result.rejection),)
    return check_definition(result.parsed, plugin=plugin)


def rule_ids(*args, **kwargs):
    return {finding.rule for finding in findings(*args, **kwargs)}


def collection(files, mcp_servers=()):
    """Cross-file findings for ``{relpath: (text, kind, fmt, plugin)}``, as rule ids by relpath."""
    entries = []
    for relpath, (text, kind, fmt, *plugin) in files.items():
        result = analyse(text, relpath, kind, fmt)
        entries.append(CollectionEntry(relpath, result.parsed, result.edges, plugin[0] if plugin else ""))
    found = check_collection(entries, mcp_servers=mcp_servers)
    return {relpath: {f.rule for f in items} for relpath, items in found.items()}, found


# ---------------------------------------------------------------------------
# The rule set itself
# ---------------------------------------------------------------------------


def test_good_fixtures_are_clean():
    """The reference agent and skill break no rule, alone or together."""
    assert findings(GOOD_AGENT) == ()
    assert findings(GOOD_SKILL, "skills/release-notes/SKILL.md", "skill") == ()
    found, _ = collection(
        {
            "agents/code-reviewer.md": (GOOD_AGENT, "agent", "claude-code"),
            "skills/release-notes/SKILL.md": (GOOD_SKILL, "skill", "claude-code"),
        }
    )
    assert found == {}


def test_every_rule_is_well_formed():
    """Ids are kebab-case, severities known, and titles and hints are single sentences."""
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule_id)
        assert rule.severity in rules.SEVERITIES
        assert rule.title and "\n" not in rule.title
        assert rule.hint and "\n" not in rule.hint


def test_every_rule_has_its_own_test():
    """Each rule id has a test function named after it in this module."""
    names = set(globals())
    missing = [rule_id for rule_id in RULES if f"test_{rule_id.replace('-', '_')}" not in names]
    assert missing == []


def test_every_rule_is_documented_with_an_example():
    """docs/rules.md has a heading for each rule, with its severity, followed by an example."""
    docs = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule_id, rule in RULES.items():
        heading = re.search(rf"^### `{rule_id}` \(({rule.severity})\b", docs, re.MULTILINE)
        assert heading, rule_id
    assert not set(re.findall(r"^### `([a-z0-9-]+)`", docs, re.MULTILINE)) - set(RULES)


def test_every_code_the_pipeline_reports_is_a_rule():
    """Problem codes written in the parser, the analysis step and the importer are all in RULES."""
    catalog = REPO / "catalog"
    parser = sorted((catalog / "core" / "parsing").glob("*.py"))
    sources = [*parser, catalog / "core" / "analysis.py", catalog / "services" / "importer.py"]
    pattern = re.compile(r"""(?:Problem\(\s*"(?:error|warning|info)",\s*|reject\(\s*)"([a-z0-9-]+)\"""")
    codes = {code for source in sources for code in pattern.findall(source.read_text(encoding="utf-8"))}
    assert "yaml-lenient" in codes and "unreadable" in codes  # the scan itself works
    assert codes - set(RULES) == set()


def test_finding_keeps_the_parser_severity_and_adds_the_hint():
    """A parser problem becomes a finding with its own severity and the rule's hint."""
    problem = parsing.Problem("info", "missing-name", "No name.", None)
    finding = finding_from_problem(problem)
    assert (finding.rule, finding.severity, finding.hint) == ("missing-name", "info", RULES["missing-name"].hint)
    assert finding.as_problem() == problem


def test_unknown_parser_codes_are_kept():
    """A code the rule set does not know is still reported, with an empty hint."""
    finding = finding_from_problem(parsing.Problem("warning", "brand-new-code", "Something new.", 3))
    assert (finding.rule, finding.hint, finding.line) == ("brand-new-code", "", 3)


def test_findings_are_sorted_by_line():
    """Findings come in file order, so a reader can walk down the file."""
    lines = [f.line or 0 for f in findings(agent(name="Bad Name", color="magenta", tools="MultiEdit"))]
    assert lines == sorted(lines)


def test_severity_order():
    """at_or_above orders info < warning < error."""
    assert rules.at_or_above("error", "warning")
    assert rules.at_or_above("warning", "warning")
    assert not rules.at_or_above("info", "warning")
    assert not rules.at_or_above("warning", "error")


# ---------------------------------------------------------------------------
# Reading the file (codes reported by the parser, the analysis step or the importer)
# ---------------------------------------------------------------------------


def test_unreadable(tmp_path, monkeypatch):
    """A file that cannot be read is an error; a readable one is not."""
    (tmp_path / "agents").mkdir()
    locked = tmp_path / "agents" / "locked.md"
    locked.write_text(GOOD_AGENT.replace("code-reviewer", "locked"))
    (tmp_path / "agents" / "open.md").write_text(GOOD_AGENT.replace("code-reviewer", "open"))
    real_read = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    by_name = {item.path.name: {f.rule for f in item.findings} for item in linting.lint_paths([tmp_path])}
    assert by_name["locked.md"] == {"unreadable"}
    assert "unreadable" not in by_name["open.md"]


def test_file_too_large():
    """A file over the size limit is rejected as an error."""
    big = GOOD_AGENT + "x" * parsing.MAX_FILE_BYTES
    assert [(f.rule, f.severity) for f in findings(big)] == [("file-too-large", "error")]
    assert "file-too-large" not in rule_ids(GOOD_AGENT + "x" * 1000)


def test_frontmatter_too_large():
    """Frontmatter over 64 KiB is rejected; a long body is fine."""
    huge = agent(notes="a" * (parsing.MAX_FRONTMATTER_BYTES + 10))
    assert rule_ids(huge) == {"frontmatter-too-large"}
    assert "frontmatter-too-large" not in rule_ids(GOOD_AGENT + "b" * (parsing.MAX_FRONTMATTER_BYTES + 10))


def test_yaml_alias():
    """YAML aliases to defined anchors are refused; an '&' in a quoted value is text."""
    assert rule_ids(agent(base="&b x", copy="*b")) == {"yaml-alias"}
    assert "yaml-alias" not in rule_ids(agent(note='"R&D *b"'))


def test_yaml_too_deep():
    """Frontmatter nested past the depth limit is refused; shallow nesting is fine."""
    deep = "[" * (parsing.MAX_YAML_DEPTH + 2) + "]" * (parsing.MAX_YAML_DEPTH + 2)
    assert rule_ids(agent(metadata=deep)) == {"yaml-too-deep"}
    assert "yaml-too-deep" not in rule_ids(agent(metadata="[[1]]"))


def test_parser_crash(monkeypatch):
    """A crash inside the parser becomes an error finding instead of an exception."""
    assert "parser-crash" not in rule_ids(GOOD_AGENT)

    def explode(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(parsing, "parse_definition", explode)
    assert [(f.rule, f.severity) for f in findings(GOOD_AGENT)] == [("parser-crash", "error")]


def test_extractor_crash(monkeypatch):
    """A crash in item extraction keeps the definition and reports a warning."""
    assert "extractor-crash" not in rule_ids(GOOD_AGENT)

    def explode(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(extraction, "extract_items", explode)
    assert "extractor-crash" in rule_ids(GOOD_AGENT)


def test_invalid_utf8():
    """Bytes that are not UTF-8 are reported at their line."""
    broken = GOOD_AGENT.encode("utf-8").replace(b"Reviews", b"Revi\xffews")
    found = findings(broken)
    assert [(f.rule, f.line) for f in found if f.rule == "invalid-utf8"] == [("invalid-utf8", 3)]
    assert "invalid-utf8" not in rule_ids("---\nname: café\ndescription: ünïcode\n---\n# x\n")


def test_nul_bytes():
    """NUL bytes are removed and reported."""
    assert "nul-bytes" in rule_ids(GOOD_AGENT.replace("Workflow", "Work\x00flow"))
    assert "nul-bytes" not in rule_ids(GOOD_AGENT)


def test_mojibake_repaired():
    """Repaired mojibake is reported; emoji written correctly are not."""
    assert "mojibake-repaired" in rule_ids(
        GOOD_AGENT.replace("# Code reviewer", "# \u00f0\u0178\u017d\u00af Code reviewer")
    )
    assert "mojibake-repaired" not in rule_ids(GOOD_AGENT.replace("# Code reviewer", "# 🎯 Code reviewer"))


def test_mojibake_repaired_on_the_mojibake_seed():
    """The mojibake seed (000) triggers the rule; the other seeds do not."""
    seeds = seed_paths()
    hits = {
        seed.name[:3]: "mojibake-repaired" in rule_ids(seed.read_bytes(), "agents/backend-architect.md")
        for seed in seeds
    }
    assert hits == {"000": True, "001": False, "002": False, "003": False, "004": False}


def test_frontmatter_unclosed():
    """An opening fence that is never closed is reported."""
    assert "frontmatter-unclosed" in rule_ids("---\nname: code-reviewer\ndescription: x\n\n# Body\n")
    assert "frontmatter-unclosed" not in rule_ids(GOOD_AGENT)


def test_frontmatter_not_mapping():
    """Frontmatter that is a YAML list is reported."""
    assert "frontmatter-not-mapping" in rule_ids("---\n- one\n- two\n---\n# Body\n")
    assert "frontmatter-not-mapping" not in rule_ids(GOOD_AGENT)


def test_yaml_lenient():
    """An unquoted ': ' in a description needs the lenient reader; a quoted one does not."""
    found = findings(agent(description="Use it for: reviews: and more"))
    assert [(f.rule, f.line) for f in found if f.rule == "yaml-lenient"] == [("yaml-lenient", 3)]
    assert "yaml-lenient" not in rule_ids(agent(description='"Use it for: reviews: and more"'))


def test_duplicate_key():
    """A key written twice is reported."""
    text = GOOD_AGENT.replace("model: sonnet", "model: sonnet\nmodel: opus")
    assert "duplicate-key" in rule_ids(text)
    assert "duplicate-key" not in rule_ids(GOOD_AGENT)


# ---------------------------------------------------------------------------
# Identity
# ---------------------------------------------------------------------------


def test_missing_name():
    """A missing or empty name is a warning for Claude Code agents and info for commands."""
    assert {(f.rule, f.severity) for f in findings(agent(name=None))} >= {("missing-name", "warning")}
    assert {(f.rule, f.severity) for f in findings(agent(name='""'))} >= {("missing-name", "warning")}
    command = "---\ndescription: Run the tests.\n---\n# Test\n\nRun $ARGUMENTS\n"
    assert ("missing-name", "info") in {(f.rule, f.severity) for f in findings(command, "commands/test.md", "command")}
    assert "missing-name" not in rule_ids(GOOD_AGENT)


def test_missing_description():
    """A missing or empty description is a warning."""
    assert "missing-description" in rule_ids(agent(description=None))
    assert "missing-description" in rule_ids(agent(description="''"))
    assert "missing-description" not in rule_ids(GOOD_AGENT)


HEADED_AGENT = """# Brand Guardian

## Description

Keeps every page on brand, from colours to tone of voice.

## Responsibilities
- Review new pages.
"""


def test_no_frontmatter():
    """A heading-only agent: one warning of its own instead of missing-name and
    missing-description; its name is the heading, its description the section's first paragraph."""
    result = analyse(HEADED_AGENT, "design/brand-guardian.md", "agent", "claude-code")
    assert (result.parsed.name, result.parsed.description) == (
        "Brand Guardian",
        "Keeps every page on brand, from colours to tone of voice.",
    )
    ids = rule_ids(HEADED_AGENT, "design/brand-guardian.md")
    assert "no-frontmatter" in ids
    assert not ids & {"missing-name", "missing-description", "invalid-name"}
    without_section = HEADED_AGENT.replace("## Description\n", "")
    assert "no-frontmatter" not in rule_ids(without_section, "design/brand-guardian.md")
    assert "no-frontmatter" not in rule_ids(GOOD_AGENT)


def test_invalid_name():
    """Agent names are lowercase slugs; skill names also forbid doubled hyphens and lengths over 64."""
    assert "invalid-name" in rule_ids(agent(name="Code Reviewer"), "agents/code-reviewer.md")
    assert "invalid-name" in rule_ids(agent(name="code_reviewer"), "agents/code_reviewer.md")
    assert "invalid-name" not in rule_ids(agent(name="code-reviewer-2"), "agents/code-reviewer-2.md")
    path = "skills/release--notes/SKILL.md"
    assert "invalid-name" in rule_ids(skill(name="release--notes"), path, "skill")
    long_name = "a" * 65
    assert "invalid-name" in rule_ids(skill(name=long_name), f"skills/{long_name}/SKILL.md", "skill")
    assert "invalid-name" not in rule_ids(skill(name="a" * 64), f"skills/{'a' * 64}/SKILL.md", "skill")


def test_invalid_name_is_not_checked_for_copilot():
    """Copilot agents may carry a display name."""
    assert "invalid-name" not in rule_ids(agent(name="Code Reviewer"), "x/code-reviewer.agent.md", fmt="copilot")


def test_name_mismatch():
    """A skill name must match its folder (warning); an agent's differing name is only info."""
    found = findings(skill(name="notes"), "skills/release-notes/SKILL.md", "skill")
    assert ("name-mismatch", "warning") in {(f.rule, f.severity) for f in found}
    assert ("name-mismatch", "info") in {(f.rule, f.severity) for f in findings(GOOD_AGENT, "agents/reviewer.md")}
    assert "name-mismatch" not in rule_ids(GOOD_SKILL, "skills/release-notes/SKILL.md", "skill")


def test_name_mismatch_compares_slugs_for_display_names():
    """An invalid name that slugifies to the file name is not also a mismatch."""
    assert "name-mismatch" not in rule_ids(agent(name="Code Reviewer"), "agents/code-reviewer.md")


def test_description_too_long():
    """Skill descriptions over 1024 characters are too long; exactly 1024 is fine; agents have no limit."""
    path = "skills/release-notes/SKILL.md"
    assert "description-too-long" in rule_ids(skill(description="x" * 1025), path, "skill")
    assert "description-too-long" not in rule_ids(skill(description="x" * 1024), path, "skill")
    assert "description-too-long" not in rule_ids(agent(description="x" * 5000))


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------


def test_legacy_tool():
    """Each legacy tool name is reported with its current name."""
    for legacy, current in (("MultiEdit", "Edit"), ("LS", "Glob"), ("Task", "Agent"), ("NotebookRead", "Read")):
        found = [f for f in findings(agent(tools=f"Read, {legacy}")) if f.rule == "legacy-tool"]
        assert len(found) == 1 and f"use '{current}'" in found[0].message
        assert found[0].line == 4
    assert "legacy-tool" not in rule_ids(agent(tools="Read, Edit, Glob, Agent"))


def test_legacy_tool_is_not_checked_for_opencode():
    """OpenCode's own 'task' tool is not Claude Code's legacy Task."""
    text = "---\ndescription: x\ntools:\n  task: true\n---\n# X\n"
    assert "legacy-tool" not in rule_ids(text, ".opencode/agent/x.md", fmt="opencode")


def test_unknown_tool():
    """Tool names from other assistants are unknown in Claude Code files; '*' and MCP tools are not."""
    assert "unknown-tool" in rule_ids(agent(tools="Read, codebase, editFiles"))
    assert "unknown-tool" not in rule_ids(agent(tools="Read, mcp__github__create_issue"))
    assert "unknown-tool" not in rule_ids(agent(tools="'*'"))


def test_unknown_tool_is_not_checked_for_copilot():
    """Copilot names its tools differently."""
    assert "unknown-tool" not in rule_ids(agent(tools="codebase, editFiles"), "x/r.agent.md", fmt="copilot")


def test_unknown_mcp_server(tmp_path):
    """MCP tools must name a server the collection defines, in .mcp.json or in the agent itself."""
    files = {"agents/code-reviewer.md": (agent(tools="Read, mcp__github__create_issue"), "agent", "claude-code")}
    found, detail = collection(files)
    assert found == {"agents/code-reviewer.md": {"unknown-mcp-server"}}
    assert detail["agents/code-reviewer.md"][0].line == 4
    assert collection(files, mcp_servers={"github"})[0] == {}
    own = agent(tools="mcp__github__create_issue", mcpServers="[github]")
    assert collection({"agents/code-reviewer.md": (own, "agent", "claude-code")})[0] == {}


def test_unknown_mcp_server_in_skill_allowed_tools():
    """A skill's allowed-tools are checked too; a disallowed MCP tool is not."""
    path = "skills/release-notes/SKILL.md"
    found, _ = collection({path: (skill(allowed_tools="Read, mcp__jira__search"), "skill", "claude-code")})
    assert found == {path: {"unknown-mcp-server"}}
    denied = agent(disallowedTools="mcp__jira__search")
    assert collection({"agents/code-reviewer.md": (denied, "agent", "claude-code")})[0] == {}


def test_tools_in_an_ignored_field_are_not_checked_one_by_one():
    """A skill's 'tools' list is reported once as ignored, not tool by tool."""
    found = rule_ids(skill(tools="[claude, cursor]"), "skills/release-notes/SKILL.md", "skill")
    assert "ignored-field" in found
    assert "unknown-tool" not in found


# ---------------------------------------------------------------------------
# Field values and fields
# ---------------------------------------------------------------------------


def test_invalid_model():
    """Claude Code takes aliases or claude- ids; OpenCode takes provider/model."""
    assert "invalid-model" in rule_ids(agent(model="Claude Sonnet 4.5"))
    assert "invalid-model" in rule_ids(agent(model="gpt-4.1"))
    for model in ("sonnet", "opus", "haiku", "inherit", "claude-sonnet-4-5-20250929"):
        assert "invalid-model" not in rule_ids(agent(model=model))
    opencode = "---\ndescription: x\nmodel: {}\n---\n# X\n"
    assert "invalid-model" in rule_ids(opencode.format("grok"), ".opencode/agent/x.md", fmt="opencode")
    assert "invalid-model" not in rule_ids(
        opencode.format("anthropic/claude-sonnet-4"), ".opencode/agent/x.md", fmt="opencode"
    )


def test_invalid_model_is_not_checked_for_copilot():
    """Copilot accepts display names such as 'GPT-4.1'."""
    assert "invalid-model" not in rule_ids(agent(model="GPT-4.1"), "x/code-reviewer.agent.md", fmt="copilot")


def test_invalid_color():
    """Agent colors come from a fixed list of eight."""
    assert "invalid-color" in rule_ids(agent(color="magenta"))
    assert "invalid-color" in rule_ids(agent(color="'#10B981'"))
    assert "invalid-color" not in rule_ids(agent(color="cyan"))


def test_invalid_permission_mode():
    """permissionMode must be one of Claude Code's modes."""
    assert "invalid-permission-mode" in rule_ids(agent(permissionMode="yolo"))
    assert "invalid-permission-mode" not in rule_ids(agent(permissionMode="acceptEdits"))


def test_invalid_mode():
    """OpenCode agent modes are primary, subagent or all."""
    text = "---\ndescription: x\nmode: {}\n---\n# X\n"
    assert "invalid-mode" in rule_ids(text.format("helper"), ".opencode/agent/x.md", fmt="opencode")
    assert "invalid-mode" not in rule_ids(text.format("subagent"), ".opencode/agent/x.md", fmt="opencode")


def test_ignored_field():
    """Plugin agents ignore hooks, mcpServers and permissionMode; skills ignore 'tools'."""
    plugin_agent = agent(permissionMode="plan", hooks="{}")
    found = [f for f in findings(plugin_agent, plugin=True) if f.rule == "ignored-field"]
    assert sorted(f.line for f in found) == [7, 8]
    assert "ignored-field" not in rule_ids(plugin_agent, plugin=False)
    path = "skills/release-notes/SKILL.md"
    assert "ignored-field" in rule_ids(skill(tools="Read"), path, "skill")
    assert "ignored-field" not in rule_ids(GOOD_SKILL, path, "skill")


def test_unknown_field():
    """Undocumented fields are info; documented ones (and Copilot files) are not reported."""
    found = [f for f in findings(agent(category="review")) if f.rule == "unknown-field"]
    assert [(f.severity, f.line) for f in found] == [("info", 7)]
    assert "unknown-field" not in rule_ids(agent(maxTurns="5", skills="x"))
    assert "unknown-field" not in rule_ids(
        skill(license="MIT", metadata="{a: 1}"), "skills/release-notes/SKILL.md", "skill"
    )
    assert "unknown-field" not in rule_ids(agent(category="x"), "x/code-reviewer.agent.md", fmt="copilot")


# ---------------------------------------------------------------------------
# References across the collection
# ---------------------------------------------------------------------------


def test_duplicate_name():
    """Two agents with one name clash; the same name in two plugins or two kinds does not."""
    files = {
        "agents/code-reviewer.md": (GOOD_AGENT, "agent", "claude-code"),
        "more/agents/code-reviewer.md": (GOOD_AGENT, "agent", "claude-code"),
    }
    found, detail = collection(files)
    assert found == {path: {"duplicate-name"} for path in files}
    assert "more/agents/code-reviewer.md" in detail["agents/code-reviewer.md"][0].message
    in_plugins = {
        "a/agents/code-reviewer.md": (GOOD_AGENT, "agent", "claude-code", "a"),
        "b/agents/code-reviewer.md": (GOOD_AGENT, "agent", "claude-code", "b"),
        "skills/code-reviewer/SKILL.md": (GOOD_SKILL.replace("release-notes", "code-reviewer"), "skill", "claude-code"),
    }
    assert collection(in_plugins)[0] == {}


def test_duplicate_name_ignores_opencode_name_fields():
    """OpenCode names agents by their path, so two files sharing a 'name:' do not clash."""
    text = "---\nname: OpenCoder\ndescription: x\n---\n# X\n"
    files = {
        ".opencode/agent/opencoder.md": (text, "agent", "opencode"),
        ".opencode/agent/eval-runner.md": (text, "agent", "opencode"),
    }
    assert collection(files)[0] == {}


def test_unresolved_skill():
    """A listed skill must exist in the collection."""
    files = {
        "agents/code-reviewer.md": (agent(skills="release-notes, changelog"), "agent", "claude-code"),
        "skills/release-notes/SKILL.md": (GOOD_SKILL, "skill", "claude-code"),
    }
    found, detail = collection(files)
    assert found == {"agents/code-reviewer.md": {"unresolved-skill"}}
    assert "'changelog'" in detail["agents/code-reviewer.md"][0].message


def test_unresolved_command():
    """Mentioned slash commands must be commands or skills of the collection, or built in."""
    body = "\nRun `/release-notes` and `/run-tests`, then `/clear` and `/deploy-all`.\n"
    files = {
        "agents/code-reviewer.md": (GOOD_AGENT + body, "agent", "claude-code"),
        "skills/release-notes/SKILL.md": (GOOD_SKILL, "skill", "claude-code"),
        "commands/run-tests.md": (
            "---\ndescription: Run tests.\n---\n# Tests\n\nRun $ARGUMENTS\n",
            "command",
            "claude-code",
        ),
    }
    _, detail = collection(files)
    unresolved = [f for f in detail["agents/code-reviewer.md"] if f.rule == "unresolved-command"]
    assert [f.message for f in unresolved] == ["The command '/deploy-all' is not defined in this collection."]
    assert unresolved[0].line == 14


def test_unresolved_agent():
    """Declared collaborators must be agents of the collection; built-in agents always exist."""
    body = "\n## Hands off to\n- **test-writer**: writes the tests\n- **doc-writer**: updates the docs\n"
    body += '\nTask(subagent_type="general-purpose")\n'
    writer = GOOD_AGENT.replace("code-reviewer", "test-writer")
    files = {
        "agents/code-reviewer.md": (GOOD_AGENT + body, "agent", "claude-code"),
        "agents/test-writer.md": (writer, "agent", "claude-code"),
    }
    _, detail = collection(files)
    assert [f.message for f in detail["agents/code-reviewer.md"]] == [
        "'doc-writer' (hands off to) is not an agent of this collection."
    ]


def test_unresolved_agent_resolves_file_names():
    """An agent is also known by its file name, as OpenCode names agents."""
    delegating = "---\ndescription: x\ndependencies:\n  - subagent:data-analyst\n---\n# X\n"
    analyst = "---\nname: OpenDataAnalyst\ndescription: y\n---\n# Y\n"
    files = {".opencode/agent/lead.md": (delegating, "agent", "opencode")}
    assert collection(files)[0] == {".opencode/agent/lead.md": {"unresolved-agent"}}
    files[".opencode/agent/data/data-analyst.md"] = (analyst, "agent", "opencode")
    assert collection(files)[0] == {}


def test_unresolved_agent_ignores_bare_mentions():
    """A name merely mentioned in prose is not reported."""
    body = "\nThe release-manager may read this later.\n"
    found, _ = collection({"agents/code-reviewer.md": (GOOD_AGENT + body, "agent", "claude-code")})
    assert found == {}


# ---------------------------------------------------------------------------
# The body
# ---------------------------------------------------------------------------


def test_empty_body():
    """A definition with nothing below its frontmatter is a warning."""
    head = GOOD_AGENT.split("# Code reviewer")[0]
    assert "empty-body" in rule_ids(head)
    assert "empty-body" not in rule_ids(GOOD_AGENT)


def test_no_sections():
    """A body without headings is info; a heading inside a code fence does not count."""
    head = GOOD_AGENT.split("# Code reviewer")[0]
    assert "no-sections" in rule_ids(head + "Review the diff.\n")
    assert "no-sections" in rule_ids(head + "```\n# not a heading\n```\n")
    assert "no-sections" not in rule_ids(GOOD_AGENT)
