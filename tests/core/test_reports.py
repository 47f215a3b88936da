"""Lint findings for CI (catalog.core.reports): rule selection, GitHub annotations, SARIF 2.1.0 logs."""

import pytest

from catalog.core.reports import UnknownRule, github_annotations, sarif_log, selected_rules
from catalog.core.rules import RULES, Finding
from catalog.core.rules.table import make_finding
from tests.helpers import sarif_errors

LEGACY = make_finding("legacy-tool", "'MultiEdit' is a legacy tool name; use 'Edit'.", 4)
ALIAS = make_finding("yaml-alias", "The frontmatter uses YAML aliases (*name), which are refused.", 3)
NO_NAME = make_finding("missing-name", "No name in the frontmatter; using 'reviewer' from the file name.")
SECTIONS = make_finding("no-sections", "The body has no Markdown headings.", 8)


# --- selected_rules -------------------------------------------------------------------


def test_every_rule_is_selected_by_default():
    """With neither --select nor --ignore, every rule in the table is reported."""
    assert selected_rules() == frozenset(RULES)


def test_select_takes_comma_separated_and_repeated_codes():
    """--select legacy-tool,unknown-tool --select invalid-model reports those three only."""
    assert selected_rules(["legacy-tool, unknown-tool", "invalid-model"]) == {
        "legacy-tool",
        "unknown-tool",
        "invalid-model",
    }


def test_ignore_removes_codes_from_the_selection():
    """--ignore drops codes from every rule, or from what --select chose."""
    assert selected_rules(ignore=["no-sections"]) == frozenset(RULES) - {"no-sections"}
    assert selected_rules(["legacy-tool,no-sections"], ["no-sections"]) == {"legacy-tool"}


def test_unknown_codes_are_refused_by_name():
    """A typo is an error naming every unknown code, never a silently empty selection."""
    with pytest.raises(UnknownRule, match=r"^Unknown rule codes: legacy-tools, nope\. "):
        selected_rules(["legacy-tools"], ["nope,no-sections"])


# --- github_annotations ---------------------------------------------------------------


def test_annotations_name_file_line_title_and_message():
    """Severities map to error, warning and notice; the hint follows the message; no line, no line property."""
    lines = github_annotations([("agents/a.md", ALIAS), ("agents/a.md", NO_NAME), ("agents/b.md", SECTIONS)])
    assert lines == [
        "::error file=agents/a.md,line=3,title=yaml-alias%3A The frontmatter uses YAML aliases::"
        "The frontmatter uses YAML aliases (*name), which are refused. (Write values out instead of *aliases.)",
        "::warning file=agents/a.md,title=missing-name%3A No name in the frontmatter::"
        f"No name in the frontmatter; using 'reviewer' from the file name. ({RULES['missing-name'].hint})",
        "::notice file=agents/b.md,line=8,title=no-sections%3A The body has no headings::"
        f"The body has no Markdown headings. ({RULES['no-sections'].hint})",
    ]


def test_annotation_data_and_properties_are_escaped():
    """'%', CR and LF are encoded in the message; in properties ':' and ',' are too, so no text forges a command."""
    finding = Finding("legacy-tool", "warning", "100% sure\r\n::error::forged, really", "", 2)
    [line] = github_annotations([("agents/odd,name:1%.md", finding)])
    assert line == (
        "::warning file=agents/odd%2Cname%3A1%25.md,line=2,title=legacy-tool%3A A tool is listed under a legacy name"
        "::100%25 sure%0D%0A::error::forged, really"
    )
    assert "\n" not in line and "\r" not in line


# --- sarif_log ------------------------------------------------------------------------


ROWS = [
    ("agents/a.md", ALIAS),
    ("agents/a.md", LEGACY),
    ("agents/with space #1.md", NO_NAME),
    ("/abs/path/b.md", SECTIONS),
    ("agents/c.md", Finding("future-code", "warning", "A code the table does not know yet.", "", None)),
]


def test_sarif_log_is_valid_sarif_2_1_0():
    """The log, with every kind of location and an unknown code, validates against the OASIS schema."""
    assert sarif_errors(sarif_log(ROWS)) == []


def test_the_schema_check_catches_a_broken_log():
    """The validation can fail: 'info' is not a SARIF level, a result needs a message."""
    log = sarif_log(ROWS)
    log["runs"][0]["results"][0]["level"] = "info"
    del log["runs"][0]["results"][1]["message"]
    errors = sarif_errors(log)
    assert any("results/0/level" in error for error in errors)
    assert any("results/1" in error and "message" in error for error in errors)


def test_sarif_rules_come_from_the_rule_table():
    """Each rule has its id, a PascalCase name, the table's title as short description, its hint as help."""
    driver = sarif_log(ROWS)["runs"][0]["tool"]["driver"]
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == set(RULES) | {"future-code"}
    assert rules["legacy-tool"] == {
        "id": "legacy-tool",
        "name": "LegacyTool",
        "shortDescription": {"text": RULES["legacy-tool"].title},
        "help": {"text": RULES["legacy-tool"].hint},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": [RULES["legacy-tool"].group]},
    }
    assert rules["no-sections"]["defaultConfiguration"] == {"level": "note"}


def test_sarif_results_point_at_rule_file_and_line():
    """Results carry level, message, a rule index that matches the id, and a relative or file: URI."""
    run = sarif_log(ROWS)["runs"][0]
    results = run["results"]
    assert [r["level"] for r in results] == ["error", "warning", "warning", "note", "warning"]
    for result in results:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first == {"artifactLocation": {"uri": "agents/a.md", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 3}}
    spaced = results[2]["locations"][0]["physicalLocation"]
    assert spaced == {"artifactLocation": {"uri": "agents/with%20space%20%231.md", "uriBaseId": "%SRCROOT%"}}
    absolute = results[3]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert absolute == {"uri": "file:///abs/path/b.md"}


def test_sarif_lists_only_the_selected_rules():
    """With a selection the driver lists those rules, and the results still index into them."""
    log = sarif_log([("agents/a.md", LEGACY)], selected_rules(["legacy-tool,unknown-tool"]))
    driver = log["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == ["legacy-tool", "unknown-tool"]
    assert log["runs"][0]["results"][0]["ruleIndex"] == 0
    assert sarif_errors(log) == []
