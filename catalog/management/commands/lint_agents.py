"""``manage.py lint_agents [PATH ...]``: check definition files against the rules, without importing them.

Meant for a collection's own CI: nothing touches the database; ``--format github`` prints
workflow annotations and ``--format sarif`` a SARIF 2.1.0 log (``catalog.core.reports``);
``--select``/``--ignore`` choose rules by code. The exit status says whether a reported
finding at or above ``--fail-on`` was found (1), none was (0), or the command was used
wrongly (2: a missing path, an unknown rule code).
"""

import json
import os
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.core.linting import lint_paths
from catalog.core.reports import UnknownRule, github_annotations, sarif_log, selected_rules
from catalog.core.rules import SEVERITIES, at_or_above


class Command(BaseCommand):
    help = "Check agent, command and skill definitions against AgentDash's validation rules."
    # No system checks and no migrations: the command must run in a bare CI checkout.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", default=["."], help="Folders or files to check (default: .).")
        parser.add_argument(
            "--format",
            choices=["text", "json", "github", "sarif"],
            default="text",
            help="Output format: text, json, github (workflow annotations) or sarif (SARIF 2.1.0).",
        )
        parser.add_argument(
            "--select",
            action="append",
            default=[],
            metavar="CODES",
            help="Report only these rule codes (comma-separated, repeatable; default: every rule).",
        )
        parser.add_argument(
            "--ignore",
            action="append",
            default=[],
            metavar="CODES",
            help="Do not report these rule codes (comma-separated, repeatable).",
        )
        parser.add_argument(
            "--fail-on",
            choices=["warning", "error"],
            default="error",
            help="Exit with status 1 when a finding of this severity or worse exists (default: error).",
        )

    def handle(self, *args, **options):
        try:
            rules = selected_rules(options["select"], options["ignore"])
        except UnknownRule as error:
            raise CommandError(str(error), returncode=2) from error
        try:
            linted = lint_paths(options["paths"])
        except FileNotFoundError as error:
            raise CommandError(f"No such file or folder: {error.args[0]}", returncode=2) from error
        rows = [(_display(item.path), f) for item in linted for f in item.findings if f.rule in rules]
        if options["format"] == "json":
            self.stdout.write(json.dumps(_report(len(linted), rows), ensure_ascii=False))
        elif options["format"] == "github":
            for line in github_annotations(rows):
                self.stdout.write(line)
        elif options["format"] == "sarif":
            self.stdout.write(json.dumps(sarif_log(rows, rules), ensure_ascii=False, indent=2))
        else:
            self._print_text(len(linted), rows)
        if any(at_or_above(finding.severity, options["fail_on"]) for _, finding in rows):
            raise SystemExit(1)

    def _print_text(self, files, rows):
        for path, finding in rows:
            where = f"{path}:{finding.line}" if finding.line else path
            hint = f" ({finding.hint})" if finding.hint else ""
            self.stdout.write(f"{where}: {finding.severity} {finding.rule} {finding.message}{hint}")
        severities = Counter(finding.severity for _, finding in rows)
        summary = ", ".join(_count(severities[s], s) for s in reversed(SEVERITIES))
        self.stdout.write(f"{files} file{'s' if files != 1 else ''} checked: {summary}")


def _count(number, severity):
    plural = "s" if number != 1 and severity != "info" else ""
    return f"{number} {severity}{plural}"


def _report(files, rows):
    return {
        "files": files,
        "findings": [{"path": path, **finding.to_json()} for path, finding in rows],
        "counts": dict(sorted(Counter(finding.rule for _, finding in rows).items())),
    }


def _display(path):
    """The path relative to the working directory when it lies below it, else absolute."""
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return os.fspath(path)
