"""Validation rules for definition files: what each rule checks, and the checks themselves.

``table`` holds the rule set (``RULES``, one vocabulary shared with the parser's problems)
and the ``Finding`` each broken rule gives. Two layers of checks run on parsed files:

- ``definition.check_definition`` looks at one ``ParsedFile``: names, descriptions, tools,
  known field values, ignored fields, the body. It also turns the parser's own problems into
  findings.
- ``collection.check_collection`` looks across the files of one collection: duplicate names,
  skills, commands and collaborators that no file defines, MCP servers no manifest declares.

Nothing here imports Django: the importer stores findings as ``Problem`` rows, and
``catalog.core.linting`` prints them for ``lint_agents`` without touching the database.
To add a rule: a row in ``table.RULES``, a check in ``definition`` or ``collection``, a
section with a worked example in docs/rules.md, and a test named after it in
tests/core/test_rules.py (tests check that the last two exist; docs/architecture.md).
"""

from .collection import CROSS_FILE_RULES, CollectionEntry, check_collection
from .definition import check_definition
from .table import RULES, SEVERITIES, Finding, Rule, at_or_above, finding_from_problem

__all__ = [
    "CROSS_FILE_RULES",
    "RULES",
    "SEVERITIES",
    "CollectionEntry",
    "Finding",
    "Rule",
    "at_or_above",
    "check_collection",
    "check_definition",
    "finding_from_problem",
]
