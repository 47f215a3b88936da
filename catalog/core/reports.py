"""Lint findings in the shapes CI systems read: GitHub workflow commands and SARIF 2.1.0 logs.

``lint_agents`` hands over ``(path, Finding)`` rows, paths as they should appear to the CI
(relative to the checkout when the command runs in it). Also here: choosing rules by code
for ``--select`` and ``--ignore``. Nothing here imports Django or touches a file.
"""

from urllib.parse import quote

from .rules import RULES

__all__ = ["SARIF_SCHEMA", "UnknownRule", "github_annotations", "sarif_log", "selected_rules"]

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_NAME = "agentdash-lint"

# GitHub has no "info" annotation: "notice" is its lowest; SARIF calls it "note".
_GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


class UnknownRule(ValueError):
    """A rule code given to ``--select`` or ``--ignore`` that the rule set does not have."""


def selected_rules(select=(), ignore=()):
    """The rule codes to report: ``select`` (all when empty) minus ``ignore``.

    Each argument is a list of codes, each item possibly comma-separated
    (``["legacy-tool,unknown-tool", "invalid-model"]``). Raises ``UnknownRule`` naming every
    code that is not a rule, so a typo never silently turns a check off.
    """
    chosen, dropped = _codes(select), _codes(ignore)
    unknown = sorted((chosen | dropped) - RULES.keys())
    if unknown:
        raise UnknownRule(
            f"Unknown rule code{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            "The rules are listed in docs/rules.md."
        )
    return frozenset((chosen or RULES.keys()) - dropped)


def _codes(values):
    return {code.strip() for value in values for code in value.split(",") if code.strip()}


# ---------------------------------------------------------------------------
# GitHub workflow commands
# ---------------------------------------------------------------------------


def github_annotations(rows):
    """One ``::error file=…,line=…,title=…::message`` line per finding, escaped as GitHub requires.

    GitHub shows these inline on the pull request's files when a workflow step prints them.
    """
    lines = []
    for path, finding in rows:
        properties = {"file": path}
        if finding.line:
            properties["line"] = str(finding.line)
        properties["title"] = f"{finding.rule}: {_title(finding.rule)}"
        message = f"{finding.message} ({finding.hint})" if finding.hint else finding.message
        joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        lines.append(f"::{_GITHUB_LEVELS[finding.severity]} {joined}::{_escape_data(message)}")
    return lines


def _escape_data(text):
    """A command's message: '%', CR and LF would end or corrupt the command, so they are encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text):
    """A property value: as a message, and ':' and ',' too, which separate the properties."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _title(rule_id):
    rule = RULES.get(rule_id)
    return rule.title if rule else rule_id


# ---------------------------------------------------------------------------
# SARIF 2.1.0
# ---------------------------------------------------------------------------


def sarif_log(rows, rule_ids=None, *, version="0.1.0"):
    """A SARIF 2.1.0 log (a dict, ready for ``json.dumps``) of one run over ``rows``.

    The driver lists ``rule_ids`` (default: every rule) with the rule table's title and hint;
    each result points at its rule by id and index, at its file (a relative URI under
    ``%SRCROOT%``, or an absolute ``file:`` URI) and, when known, its line.
    """
    rule_ids = sorted(RULES if rule_ids is None else rule_ids)
    # A finding of a code the table does not know (finding_from_problem keeps those) still
    # gets a rule entry, so that every result's ruleIndex is valid.
    rule_ids += sorted({finding.rule for _, finding in rows} - set(rule_ids))
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": version,
                        "rules": [_sarif_rule(rule_id) for rule_id in rule_ids],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The working directory of the run."}}},
                "results": [_sarif_result(path, finding, index[finding.rule]) for path, finding in rows],
            }
        ],
    }


def _sarif_rule(rule_id):
    rule = RULES.get(rule_id)
    if rule is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "help": {"text": rule.hint},
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"tags": [rule.group]},
    }


def _sarif_result(path, finding, rule_index):
    physical = {"artifactLocation": _artifact_location(path)}
    if finding.line:
        physical["region"] = {"startLine": finding.line}
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
    }


def _artifact_location(path):
    if path.startswith("/"):
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}
