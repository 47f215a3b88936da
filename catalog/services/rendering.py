"""The rendered-HTML cache of a definition: filled once per content, then read as stored.

A write, so a service: the detail view asks for it and never saves anything itself.
"""

from ..core.rendering import render_markdown
from ..models import Definition


def ensure_rendered(definition):
    """Fill the sanitized-HTML cache once per content; later views read it as stored.

    The update is conditional on the hash, so a render never overwrites the cache of
    content that a concurrent import has just replaced.
    """
    if definition.rendered_sha256 == definition.sha256:
        return
    rendered = render_markdown(definition.body)
    toc = [{"level": entry.level, "text": entry.text, "anchor": entry.anchor} for entry in rendered.toc]
    Definition.objects.filter(pk=definition.pk, sha256=definition.sha256).update(
        rendered_html=rendered.html, rendered_toc=toc, rendered_sha256=definition.sha256
    )
    definition.rendered_html, definition.rendered_toc = rendered.html, toc
    definition.rendered_sha256 = definition.sha256
