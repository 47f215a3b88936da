"""catalog.core.linting: definition files checked on disk, each rule once, as the importer checks them."""

import pytest

from catalog.core import extraction, rules
from catalog.core.linting import lint_paths
from tests.helpers import CLEAN_AGENT, CORPUS, write_tree

# An agent with one per-file finding: a field Claude Code does not document.
AGENT = CLEAN_AGENT.replace("model: sonnet\n", "model: sonnet\ncategory: review\n")


def test_every_rule_runs_once_per_file(tmp_path, monkeypatch):
    """Linting two files checks each of them once: the rules run inside the analysis, not again after it."""
    write_tree(tmp_path, {f"agents/{name}.md": AGENT.format(name=name) for name in ("one", "two")})
    checked = []
    real = rules.check_definition

    def counting(parsed, **kwargs):
        checked.append(parsed.path)
        return real(parsed, **kwargs)

    monkeypatch.setattr(rules, "check_definition", counting)
    linted = lint_paths([tmp_path])
    assert sorted(checked) == ["agents/one.md", "agents/two.md"]
    assert all("unknown-field" in {f.rule for f in item.findings} for item in linted)


def test_an_extractor_crash_keeps_the_per_file_findings(tmp_path, monkeypatch):
    """When extraction trips, the file still gets every per-file finding, plus the crash itself."""
    write_tree(tmp_path, {"agents/one.md": AGENT.format(name="one")})

    def explode(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(extraction, "extract_items", explode)
    (linted,) = lint_paths([tmp_path])
    assert {"extractor-crash", "unknown-field"} <= {f.rule for f in linted.findings}


def test_plugin_agents_are_checked_as_plugin_agents(tmp_path):
    """A plugin's agent is told that plugins ignore its permissionMode; the same agent elsewhere is not."""
    agent = AGENT.format(name="one").replace("category: review\n", "permissionMode: plan\n")
    write_tree(
        tmp_path / "plugin",
        {".claude-plugin/plugin.json": '{"name": "review"}', "agents/one.md": agent},
    )
    write_tree(tmp_path / "plain", {"agents/one.md": agent})
    (in_plugin,) = lint_paths([tmp_path / "plugin"])
    (plain,) = lint_paths([tmp_path / "plain"])
    assert "ignored-field" in {f.rule for f in in_plugin.findings}
    assert "ignored-field" not in {f.rule for f in plain.findings}


@pytest.mark.corpus
def test_corpus_plugin_collection_runs_clean_of_errors():
    """The official plugin collection lints without a single error, and with findings to show."""
    linted = lint_paths([CORPUS / "anthropics__claude-plugins-official"])
    assert len(linted) > 50
    severities = {f.severity for item in linted for f in item.findings}
    assert "error" not in severities
    assert "warning" in severities
