"""Downloads: zips of lists and collections in the original layout.

``?format=zip`` on a definition list or a collection page answers every matching definition
(all pages, not only the one shown) as ``catalog.services.exporting.export_zip`` writes them:
``<collection slug>/<source path>``, unedited files byte for byte, with the resources that
belong with them (their collections' plugin and marketplace manifests, their skills' other
files), so the archive unpacks into folders that import again to the same definitions. A download holds at most
``MAX_DEFINITIONS`` definitions; a larger list is refused with a message to narrow it.
"""

import tempfile

from django.http import FileResponse, HttpResponse

from ..selectors import browse, resources
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
