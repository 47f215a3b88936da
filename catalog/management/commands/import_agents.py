"""``manage.py import_agents SOURCE [SOURCE ...]``: import definitions from folders, files and git URLs.

A SOURCE is a git URL (``https://…``, ``git@host:owner/repo``, ``file://…``, with an optional
``@REF``) or a path. ``--sync`` fetches and re-imports every collection that came from a URL.
The writes are ``catalog.services.sources``'; this only reads arguments and prints reports.
"""

import json
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from catalog.services.importer import ImportBusy
from catalog.services.sources import SourceError, import_sources, sync_collections


class Command(BaseCommand):
    help = "Import agent, command and skill definitions from directories, files or git URLs."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", metavar="SOURCE", help="Directories, files or git URLs.")
        parser.add_argument("--ref", help="The branch, tag or commit of the one git URL given.")
        parser.add_argument("--shallow", action="store_true", help="Clone only the last commit (dates are bounds).")
        parser.add_argument("--sync", action="store_true", help="Fetch and re-import every collection from a URL.")
        parser.add_argument("--collection", help="Put everything into one collection of this name (paths only).")
        parser.add_argument("--json", action="store_true", help="Print the report as one JSON object.")

    def handle(self, *args, **options):
        self._ensure_migrated()
        if options["sync"]:
            if options["sources"]:
                raise CommandError("--sync takes no SOURCE: it syncs every collection imported from a URL.")
            return self._sync(options)
        if not options["sources"]:
            raise CommandError("Give a SOURCE (a folder, a file or a git URL), or --sync.")
        show_progress = not options["json"] and sys.stderr.isatty()
        try:
            run, report = import_sources(
                options["sources"],
                ref=options["ref"],
                collection_name=options["collection"],
                shallow=options["shallow"],
                progress=self._progress if show_progress else None,
            )
        except (ImportBusy, SourceError) as error:
            raise CommandError(str(error)) from error
        if show_progress:
            sys.stderr.write("\n")
        if options["json"]:
            self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False))
            return
        self._summary(run, report)

    def _ensure_migrated(self):
        """The command that creates a catalog sets up a SQLite file itself; elsewhere (PostgreSQL,
        where schema changes are the operator's) it says, in one line, to run migrate."""
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return
        if connection.vendor != "sqlite":
            raise CommandError("The database is not set up: run `.venv/bin/python manage.py migrate`.")
        self.stderr.write(f"Setting up the database {connection.settings_dict['NAME']} (migrate)…")
        call_command("migrate", interactive=False, verbosity=0)

    def _sync(self, options):
        results = sync_collections()
        if options["json"]:
            rows = [
                {"collection": r.collection, "url": r.url, "error": r.error, "report": r.report and r.report.to_json()}
                for r in results
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
        else:
            if not results:
                self.stdout.write("No collection was imported from a git URL: nothing to sync.")
            for result in results:
                if result.error:
                    self.stderr.write(self.style.ERROR(result.error))
                else:
                    self._summary(result.run, result.report)
        if any(result.error for result in results):
            raise CommandError(f"{sum(bool(r.error) for r in results)} of {len(results)} sources could not be synced.")

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
        if report.adopted:
            write(f"taken over from the per-folder collections of an older catalog: {report.adopted}")
        for source in report.sources:
            previous, commit = source["previous"][:7], source["commit"][:7]
            moved = f"{previous} -> " if previous and previous != commit else ""
            write(f"{source['url']}{'@' + source['ref'] if source['ref'] else ''}: commit {moved}{commit}")
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
