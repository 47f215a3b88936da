"""``manage.py export_agents DIR [--collection NAME]``: write the catalog back out as definition files."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from catalog.models import Collection, Definition
from catalog.selectors import resources
from catalog.services.exporting import export_tree


class Command(BaseCommand):
    help = (
        "Write definitions to DIR/<collection slug>/<source path>: unedited ones byte for byte, "
        "edited ones with strict YAML frontmatter."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write; created when missing.")
        parser.add_argument("--collection", help="Only this collection (its name or slug).")

    def handle(self, *args, **options):
        definitions = Definition.objects.select_related("collection").order_by("collection__slug", "source_path")
        name = options["collection"]
        if name:
            collection = Collection.objects.filter(Q(name=name) | Q(slug=name)).first()
            if collection is None:
                raise CommandError(f"No collection is named {name!r}.")
            definitions = definitions.filter(collection=collection)
        kept = resources.for_definitions(definitions)
        report = export_tree(definitions.iterator(chunk_size=200), options["directory"], resources=kept)
        self.stdout.write(
            f"Wrote {report.written} files to {options['directory']}: "
            f"{report.verbatim} as imported, {report.rebuilt} rebuilt from local edits, "
            f"{report.resources} skill files and manifests."
        )
        for key, reason in report.refused:
            self.stderr.write(self.style.ERROR(f"  refused  {key}: {reason}"))
        if report.refused:
            raise CommandError(f"{len(report.refused)} definition(s) or kept file(s) were not written.")
