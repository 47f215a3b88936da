"""Downloads: zips of lists and collections in the original layout, and plugins built from a selection.

``?format=zip`` on a definition list or a collection page answers every matching definition
(all pages, not only the one shown) as ``catalog.services.exporting.export_zip`` writes them:
``<collection slug>/<source path>``, unedited files byte for byte, with the resources that
belong with them (their collections' plugin and marketplace manifests, their skills' other
files), so the archive unpacks into folders that import again to the same definitions. A download holds at most
``MAX_DEFINITIONS`` definitions; a larger list is refused with a message to narrow it.

``/plugin/`` builds a Claude Code plugin from definitions picked on a list (the rules and the
layout are ``catalog.core.plugins``'): a plain GET form, and with ``?format=zip`` the download.
"""

import tempfile

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..core import plugins
from ..selectors import browse, resources
from ..selectors.browse import DefinitionFilters
from ..services import exporting

MAX_DEFINITIONS = 10_000
# A zip past this size goes to a temporary file instead of memory.
SPOOL_BYTES = 16 * 1024 * 1024


def wants_zip(request):
    return request.GET.get("format") == "zip"


def zip_response(definitions, filename):
    """The definitions of ``definitions`` (a list's queryset) as a zip attachment named ``filename``."""
    count = definitions.count()
    if count > MAX_DEFINITIONS:
        return HttpResponse(
            f"This list has {count:,} definitions; a download holds at most {MAX_DEFINITIONS:,}. Narrow the filters.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    kept = resources.for_definitions(definitions)
    spool = tempfile.SpooledTemporaryFile(SPOOL_BYTES)
    stream, _ = exporting.export_zip(browse.for_export(definitions), spool, resources=kept)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=filename, content_type="application/zip")


# ---------------------------------------------------------------------------
# A plugin built from a selection
# ---------------------------------------------------------------------------

MAX_SELECTION = 500
MANIFEST_FIELDS = ("name", "version", "description", "author")


@require_GET
@vary_on_headers("HX-Request")
def plugin_builder(request):
    """Name a plugin and pick its agents, commands and skills (``?key=``, repeatable; without any,
    what the list filters match); ``?format=zip`` downloads it once the manifest and the
    selection pass the rules of ``catalog.core.plugins``, else the form says why (400)."""
    fields = {name: request.GET.get(name, "").strip()[:1000] for name in MANIFEST_FIELDS}
    data = plugins.manifest(
        fields["name"], version=fields["version"], description=fields["description"], author=fields["author"]
    )
    keys = request.GET.getlist("key")[:MAX_SELECTION]
    selection = browse.selection(keys, request.GET.get("kind", ""), DefinitionFilters.from_query(request.GET))
    problems = []
    if not wants_zip(request):
        definitions = list(browse.for_listing(selection)[:MAX_SELECTION])
    else:
        definitions = list(browse.for_export(selection[:MAX_SELECTION]))
        paths, problems = plugins.components(definitions)
        problems = plugins.manifest_problems(data) + problems
        if not definitions:
            problems.append("Choose at least one agent, command or skill.")
        if not problems:
            files = {paths[d.key]: exporting.strict_bytes(d) for d in definitions}
            kept = resources.for_definitions(selection.filter(kind=browse.KINDS.SKILL))
            files |= {path: bytes(r.raw) for path, r in plugins.skill_files(definitions, paths, kept).items()}
            stream = plugins.plugin_zip(data, files)
            return FileResponse(
                stream, as_attachment=True, filename=f"{data['name']}.zip", content_type="application/zip"
            )
    context = {
        "fields": fields | {"version": fields["version"] or ("" if wants_zip(request) else "1.0.0")},
        "definitions": definitions,
        "problems": problems,
        "chosen": set(keys) or {d.key for d in definitions},
        "max_selection": MAX_SELECTION,
    }
    return render(request, "catalog/plugin_builder.html", context, status=400 if problems else 200)
