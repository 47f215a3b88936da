"""``manage.py import_agents PATH [PATH ...]``: import definition files into the catalog."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from catalog.services.importer import ImportBusy, import_paths


class Command(BaseCommand):
    help = "Import agent, command and skill definitions from directories or single files."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Directories or files to import.")
        parser.add_argument("--collection", help="Put everything into one collection of this name.")
        parser.add_argument("--json", action="store_true", help="Print the report as one JSON object.")

    def handle(self, *args, **options):
        paths = options["paths"]
        show_progress = not options["json"] and sys.stderr.isatty()
        try:
            run, report = import_paths(
                paths,
                collection_name=options["collection"],
                progress=self._progress if show_progress else None,
            )
        except ImportBusy as error:
            raise CommandError(str(error)) from error
        if show_progress:
            sys.stderr.write("\n")
        if options["json"]:
            self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False))
            return
        self._summary(run, report)

    def _progress(self, done, total):
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\rReading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()

    def _summary(self, run, report):
        write = self.stdout.write
        write(f"Import #{run.pk}: {', '.join(report.collections) or 'no collections'}")
        write(
            f"found {report.found} = created {report.created} + updated {report.updated} + "
            f"unchanged {report.unchanged} + skipped {report.skipped} + rejected {report.rejected}"
        )
        if report.missing:
            write(f"marked missing (no longer in the source): {report.missing}")
        for reason, count in sorted(report.skip_reasons.items(), key=lambda item: -item[1]):
            write(f"  skipped {count:>5}  {reason}")
        for rejection in report.rejections:
            write(self.style.ERROR(f"  rejected  {rejection['path']}: {rejection['reason']}"))
        severities = {}
        for problem in report.problems:
            severities[problem["severity"]] = severities.get(problem["severity"], 0) + 1
        if severities:
            counts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in sorted(severities.items()))
            write(f"problems in imported files: {counts} (see the dashboard or --json)")
