"""Template tags of the family page: the side-by-side grid's rows and the score table, drawn in Python.

A 20-version family has some 50 rows of 20 cells and a score table of 20 members with their
reasons; as template loops with an ``{% if %}`` per cell they cost a request about a hundred
milliseconds, here a few. Every value is escaped with ``html.escape`` before it is joined, and
the result is marked safe once; the markup uses CSS classes only, no inline style, so the strict
CSP holds.
"""

from html import escape

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import mark_safe

register = template.Library()

_NONE = '<span class="no">—</span>'
_YES = '<td class="mark"><span class="yes" aria-label="allowed">✓</span></td>'
_NO = '<td class="mark"><span class="no" aria-label="not allowed">·</span></td>'


def _text(value):
    """A cell's content from plain text: escaped, or a dash when empty."""
    return escape(str(value)) if value not in ("", None) else _NONE


def _row(label_html, cells_html, css=""):
    cls = f' class="{css}"' if css else ""
    return f'<tr{cls}><th scope="row" class="row-head">{label_html}</th>{cells_html}</tr>'


def _cells(htmls):
    return "".join(f"<td>{h}</td>" for h in htmls)


def _group(label, span, note=""):
    note = f' <span class="hint">{escape(note)}</span>' if note else ""
    return f'<tr class="group"><th scope="rowgroup" class="row-head" colspan="{span}">{escape(label)}{note}</th></tr>'


def _plural(count, word):
    return f"{count} {word}{'s' if count != 1 else ''}"


def _tools(column, least):
    allowed = column.core.allowed_tools
    if not allowed:
        return '<span class="badge warn">no: inherits every tool</span>'
    return f"{len(allowed)}" + (' <span class="badge ok">least</span>' if len(allowed) == least else "")


def _problems(core):
    parts = []
    if core.errors:
        parts.append(f'<span class="badge error">{_plural(core.errors, "error")}</span>')
    if core.warnings:
        parts.append(f'<span class="badge warning">{_plural(core.warnings, "warning")}</span>')
    return " ".join(parts) or '<span class="badge ok">healthy</span>'


def _date(column):
    if column.core.upstream_changed:
        return column.core.upstream_changed.date().isoformat()
    return f"not known; first imported {column.member.first_imported.date().isoformat()}"


def _section(cell):
    if cell.status == "absent":
        return '<td class="section-absent"><span class="no">absent</span></td>'
    status = escape(cell.status)
    return f'<td class="section-{status}">{status} <span class="hint">{cell.words} words</span></td>'


def _compare(column):
    links = "".join(
        f'<a class="compare-link" href="{escape(url)}">{escape(other)}</a>' for other, url in column.compare_urls
    )
    return links or _NONE


@register.simple_tag
def family_grid_rows(page):
    """The ``<tbody>`` rows of the family page's grid: one cell per column of ``page``."""
    columns = page.columns
    span = len(columns) + 1
    rows = [
        _row("Score", _cells(f"<strong>{c.member.score}</strong>" for c in columns)),
        _row(
            "Collection",
            _cells(f'<a href="{escape(c.collection_url)}">{escape(c.definition.collection.name)}</a>' for c in columns),
        ),
        _row("Format", _cells(_text(c.definition.get_format_display()) for c in columns)),
        _row("Model", _cells(_text(c.definition.model) for c in columns)),
        _group("Tools", span, f"(fewest listed: {page.least_tools})" if page.least_tools is not None else ""),
        _row("Lists its tools", _cells(_tools(c, page.least_tools) for c in columns)),
    ]
    for tool in page.tools:
        cells = "".join(_YES if on else _NO for on in tool.cells)
        rows.append(_row(f"<code>{escape(tool.label)}</code>", cells, "tool-row"))
    rows += [
        _row("Skills", _cells(_text(", ".join(c.core.skills)) for c in columns)),
        _row("Commands", _cells(_text(", ".join(c.core.commands)) for c in columns)),
        _row("Size", _cells(_text(filesizeformat(c.definition.size)) for c in columns)),
        _row("Responsibilities", _cells(c.core.responsibilities for c in columns)),
        _row("Success metrics", _cells(c.core.metrics for c in columns)),
        _row("Problems", _cells(_problems(c.core) for c in columns)),
        _row("Collaborators", _cells(_text(", ".join(c.collaborators)) for c in columns)),
        _row("Last upstream change", _cells(_date(c) for c in columns)),
        _group("Sections, aligned by heading", span),
    ]
    for section in page.sections:
        rows.append(_row(escape(section.heading), "".join(_section(cell) for cell in section.cells), "section-row"))
    rows.append(_group("Compare", span))
    rows.append(_row("With", _cells(_compare(c) for c in columns), "compare-row"))
    # Safe: every value above went through escape(); the markup around it is this module's own.
    return mark_safe("\n".join(rows))  # noqa: S308  # nosec B308 B703


@register.simple_tag
def family_score_rows(page, members):
    """The score table's rows: each member, "same as" its original, its score and every reason."""
    rows = []
    for m in members:
        url = page.urls.get(m.key)
        name = f'<a href="{escape(url)}">{escape(m.name)}</a>' if url else escape(m.name)
        if m.copy_of_id:
            name += f'<div class="same-as">same as <code>{escape(page.key_of[m.copy_of_id])}</code></div>'
        reasons = "".join(f"<li>{escape(r)}</li>" for r in m.score_reasons)
        rows.append(
            f'<tr><td>{name}</td><td>{escape(m.collection)}</td><td class="num">{m.score}</td>'
            f'<td><ul class="reasons">{reasons}</ul></td></tr>'
        )
    # Safe: every value above went through escape(); the markup around it is this module's own.
    return mark_safe("\n".join(rows))  # noqa: S308  # nosec B308 B703
