"""The lint_agents command: output formats, exit status, and no database at all."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import CLEAN_AGENT, REPO, sarif_errors, write_tree

CLEAN = CLEAN_AGENT
# Two warnings: a legacy tool name and a color Claude Code does not have.
WARNED = CLEAN_AGENT.replace("tools: Read, Grep\nmodel: sonnet\n", "tools: Read, MultiEdit\ncolor: magenta\n")

# A YAML alias is refused: the file is rejected, an error.
BROKEN = """---
name: &n broken
description: *n
---

# Broken
"""


def lint(*args):
    """Run the command in-process; returns (exit status, stdout)."""
    out = StringIO()
    try:
        call_command("lint_agents", *[str(a) for a in args], stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def run_cli(*args, cwd, env=None):
    """Run ``manage.py lint_agents`` as a real process, as a CI job would."""
    command = [sys.executable, str(REPO / "manage.py"), "lint_agents", *[str(a) for a in args]]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_clean_collection_exits_zero(tmp_path):
    """A collection with no findings exits 0 and says how many files it checked."""
    write_tree(tmp_path, {"agents/code-reviewer.md": CLEAN.format(name="code-reviewer")})
    status, out = lint(tmp_path)
    assert status == 0
    assert out.strip() == "1 file checked: 0 errors, 0 warnings, 0 info"


def test_text_output_lists_path_line_severity_rule_message_and_hint(tmp_path):
    """Each finding is one line: path:line: severity rule message (hint)."""
    write_tree(tmp_path, {"agents/code-reviewer.md": WARNED.format(name="code-reviewer")})
    status, out = lint(tmp_path)
    lines = out.splitlines()
    legacy = next(line for line in lines if " legacy-tool " in line)
    assert legacy == (
        f"{tmp_path / 'agents' / 'code-reviewer.md'}:4: warning legacy-tool "
        "'MultiEdit' is a legacy tool name; use 'Edit'. (Use the tool's current name.)"
    )
    assert lines[-1] == "1 file checked: 0 errors, 2 warnings, 0 info"
    assert status == 0


def test_warnings_fail_only_with_fail_on_warning(tmp_path):
    """Warnings pass by default (--fail-on error) and fail with --fail-on warning."""
    write_tree(tmp_path, {"agents/code-reviewer.md": WARNED.format(name="code-reviewer")})
    assert lint(tmp_path)[0] == 0
    assert lint(tmp_path, "--fail-on", "error")[0] == 0
    assert lint(tmp_path, "--fail-on", "warning")[0] == 1


def test_errors_fail_by_default(tmp_path):
    """A rejected file is an error, which fails the run under the default --fail-on."""
    write_tree(tmp_path, {"agents/broken.md": BROKEN, "agents/code-reviewer.md": CLEAN.format(name="code-reviewer")})
    status, out = lint(tmp_path)
    assert status == 1
    assert ": error yaml-alias " in out


def test_json_output(tmp_path):
    """--format json prints one object with the file count, every finding and counts per rule."""
    write_tree(
        tmp_path,
        {
            "agents/code-reviewer.md": WARNED.format(name="code-reviewer"),
            "agents/test-writer.md": CLEAN.format(name="test-writer"),
            "agents/broken.md": BROKEN,
        },
    )
    status, out = lint(tmp_path, "--format", "json")
    report = json.loads(out)
    assert status == 1
    assert report["files"] == 3
    assert report["counts"] == {"invalid-color": 1, "legacy-tool": 1, "yaml-alias": 1}
    first = next(f for f in report["findings"] if f["rule"] == "invalid-color")
    assert first == {
        "path": str(tmp_path / "agents" / "code-reviewer.md"),
        "rule": "invalid-color",
        "severity": "warning",
        "message": "'magenta' is not a Claude Code agent color.",
        "hint": "Use red, blue, green, yellow, purple, orange, pink or cyan.",
        "line": 5,
    }
    assert sum(report["counts"].values()) == len(report["findings"])


def test_cross_file_rules_run(tmp_path):
    """Duplicate names across files are found, as on import."""
    write_tree(
        tmp_path,
        {"agents/a/reviewer.md": CLEAN.format(name="reviewer"), "agents/b/reviewer.md": CLEAN.format(name="reviewer")},
    )
    report = json.loads(lint(tmp_path, "--format", "json")[1])
    assert report["counts"] == {"duplicate-name": 2}


def test_mcp_servers_from_the_collection_count(tmp_path):
    """An MCP tool is fine once the collection's .mcp.json defines its server."""
    agent = CLEAN.format(name="code-reviewer").replace("Read, Grep", "Read, mcp__github__create_issue")
    write_tree(tmp_path, {"agents/code-reviewer.md": agent})
    assert json.loads(lint(tmp_path, "--format", "json")[1])["counts"] == {"unknown-mcp-server": 1}
    write_tree(tmp_path, {".mcp.json": '{"mcpServers": {"github": {"command": "github-mcp"}}}'})
    assert json.loads(lint(tmp_path, "--format", "json")[1])["counts"] == {}


def test_a_single_file_reports_only_itself(tmp_path):
    """Given one file, only that file's findings are printed."""
    write_tree(
        tmp_path,
        {"agents/code-reviewer.md": WARNED.format(name="code-reviewer"), "agents/broken.md": BROKEN},
    )
    report = json.loads(lint(tmp_path / "agents" / "code-reviewer.md", "--format", "json")[1])
    assert report["files"] == 1
    assert {f["path"] for f in report["findings"]} == {str(tmp_path / "agents" / "code-reviewer.md")}


def test_missing_path_is_a_usage_error(tmp_path):
    """A path that does not exist is a CommandError with exit status 2."""
    with pytest.raises(CommandError) as error:
        call_command("lint_agents", str(tmp_path / "nope"))
    assert error.value.returncode == 2


def test_cli_exit_statuses_and_no_database(tmp_path):
    """As a process: 0 clean, 1 failing, 2 for usage errors; the database is never opened."""
    write_tree(tmp_path, {"agents/code-reviewer.md": WARNED.format(name="code-reviewer")})
    database = tmp_path / "never" / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    relative = run_cli("agents", cwd=tmp_path, env=env)
    assert relative.returncode == 0, relative.stderr
    assert relative.stdout.startswith("agents/code-reviewer.md:")  # paths relative to the working directory
    assert run_cli(".", "--fail-on", "warning", cwd=tmp_path, env=env).returncode == 1
    assert run_cli("missing", cwd=tmp_path, env=env).returncode == 2
    assert run_cli(".", "--format", "xml", cwd=tmp_path, env=env).returncode == 2
    assert not database.parent.exists()


# ---------------------------------------------------------------------------
# Linting and importing agree
# ---------------------------------------------------------------------------

UNKNOWN_FIELD = CLEAN.replace("model: sonnet\n", "model: sonnet\ncategory: review\n")
PLUGIN_AGENT = CLEAN.replace("model: sonnet\n", "model: sonnet\npermissionMode: plan\n")
SKILL_USER = CLEAN.replace("model: sonnet\n", "model: sonnet\nskills: changelog\ntools: Read, mcp__jira__search\n")

AGREEMENT_TREES = {
    # The importer used to store only the parser's problems when an extractor tripped, while
    # lint_agents ran every rule: the unknown field was linted but never imported.
    "extractor-crash": {"agents/reviewer.md": UNKNOWN_FIELD.format(name="reviewer")},
    "plugin-agent": {
        ".claude-plugin/plugin.json": '{"name": "review"}',
        "agents/one.md": PLUGIN_AGENT.format(name="one"),
    },
    "cross-file": {
        "agents/one.md": SKILL_USER.format(name="one"),
        "legacy/agents/one.md": WARNED.format(name="one"),
    },
    "rejected": {"agents/broken.md": BROKEN, "agents/ok.md": CLEAN.format(name="ok")},
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(AGREEMENT_TREES))
def test_linting_and_importing_report_the_same_findings(tmp_path, monkeypatch, import_tree, case):
    """lint_agents and the importer run the same analysis: the same findings, file by file."""
    from catalog.core import extraction
    from catalog.core.linting import lint_paths
    from catalog.models import Problem

    if case == "extractor-crash":

        def explode(*args, **kwargs):
            raise ValueError("boom")

        monkeypatch.setattr(extraction, "extract_items", explode)
    root = write_tree(tmp_path / case, AGREEMENT_TREES[case])
    linted = {
        (item.relpath, f.rule, f.severity, f.line, f.message) for item in lint_paths([root]) for f in item.findings
    }
    import_tree(root)
    imported = set(Problem.objects.values_list("path", "code", "severity", "line", "message"))
    assert linted == imported
    assert linted  # each tree has something to report
    if case == "extractor-crash":
        assert {rule for _, rule, *_ in imported} >= {"extractor-crash", "unknown-field"}


# ---------------------------------------------------------------------------
# CI formats and rule selection
# ---------------------------------------------------------------------------


def test_github_format_prints_one_annotation_per_finding(tmp_path, monkeypatch):
    """--format github prints workflow commands with paths relative to the checkout; exit status as text."""
    write_tree(tmp_path, {"agents/code-reviewer.md": WARNED.format(name="code-reviewer"), "agents/broken.md": BROKEN})
    monkeypatch.chdir(tmp_path)
    status, out = lint(".", "--format", "github")
    lines = out.splitlines()
    assert status == 1
    assert len(lines) == 3
    assert "::error file=agents/broken.md,line=3,title=yaml-alias%3A The frontmatter uses YAML aliases::" in out
    assert (
        "::warning file=agents/code-reviewer.md,line=4,title=legacy-tool%3A A tool is listed under a legacy name::"
        "'MultiEdit' is a legacy tool name; use 'Edit'. (Use the tool's current name.)"
    ) in lines
    assert lint(".", "--format", "github", "--ignore", "yaml-alias")[0] == 0


def test_sarif_format_is_valid_and_holds_every_finding(tmp_path, monkeypatch):
    """--format sarif validates against the SARIF 2.1.0 schema and has the JSON report's findings."""
    write_tree(
        tmp_path,
        {
            "agents/code-reviewer.md": WARNED.format(name="code-reviewer"),
            "agents/broken.md": BROKEN,
            "agents/a/reviewer.md": CLEAN.format(name="reviewer"),
            "agents/b/reviewer.md": CLEAN.format(name="reviewer"),
        },
    )
    monkeypatch.chdir(tmp_path)
    status, out = lint(".", "--format", "sarif")
    log = json.loads(out)
    assert status == 1
    assert sarif_errors(log) == []
    findings = json.loads(lint(".", "--format", "json")[1])["findings"]
    results = log["runs"][0]["results"]
    located = {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"].get("region", {}).get("startLine"),
        )
        for r in results
    }
    assert located == {(f["rule"], f["path"], f["line"]) for f in findings}
    assert len(results) == len(findings) == 5


def test_select_and_ignore_choose_what_is_reported_and_what_fails(tmp_path):
    """Only selected, not ignored rules are printed, counted and decide the exit status."""
    write_tree(tmp_path, {"agents/code-reviewer.md": WARNED.format(name="code-reviewer"), "agents/broken.md": BROKEN})
    report = json.loads(lint(tmp_path, "--format", "json", "--select", "legacy-tool,invalid-color")[1])
    assert report["counts"] == {"invalid-color": 1, "legacy-tool": 1}
    status, out = lint(tmp_path, "--ignore", "yaml-alias", "--ignore", "invalid-color")
    assert status == 0
    assert out.splitlines()[-1] == "2 files checked: 0 errors, 1 warning, 0 info"
    assert lint(tmp_path, "--select", "legacy-tool", "--fail-on", "warning")[0] == 1
    assert lint(tmp_path, "--select", "invalid-model", "--fail-on", "warning")[0] == 0
    sarif = json.loads(lint(tmp_path, "--format", "sarif", "--select", "legacy-tool")[1])
    assert [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]] == ["legacy-tool"]


def test_unknown_rule_code_is_a_usage_error(tmp_path):
    """An unknown code in --select or --ignore stops the run with a message naming it, exit status 2."""
    write_tree(tmp_path, {"agents/code-reviewer.md": CLEAN.format(name="code-reviewer")})
    with pytest.raises(CommandError, match="Unknown rule code: legacy-tools") as error:
        call_command("lint_agents", str(tmp_path), "--select", "legacy-tools")
    assert error.value.returncode == 2
    process = run_cli(".", "--ignore", "no-such-rule", cwd=tmp_path)
    assert process.returncode == 2
    assert "Unknown rule code: no-such-rule." in process.stderr
