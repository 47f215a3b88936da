"""The compare page: two definitions, or two versions of one, side by side; its patch and its picker.

Everything the page shows depends on the query string (``CompareState``), and everything is a
GET, so every comparison is a link. The sides are read by ``catalog.selectors.compare`` and
compared by ``catalog.core.diffing``; this module picks what the query string asks to show
(``?view=unified``, ``?hide=1``) and shapes the rows for the template.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..core.diffing import Skip, diff_definitions, field_text
from ..selectors import compare as sides
from ..selectors import links
from . import json_api
from .common import respond, wants_fragment, wants_json

TEMPLATE = "catalog/compare.html"
MAX_KEY_LENGTH = 700  # collection, kind and slug at their longest, plus a version id
PICK_MIN_CHARS = 2
VIEWS = ("split", "unified")


# ---------------------------------------------------------------------------
# Page state
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareState:
    """Everything the page shows depends on these, and all of it is in the query string."""

    left: str = ""
    right: str = ""
    view: str = "split"  # "split" (side by side) or "unified"
    hide: bool = False  # fold unchanged runs and fields

    @classmethod
    def from_query(cls, query):
        """Read ``request.GET``; values that cannot be valid fall back to the defaults."""
        view = query.get("view", "")
        return cls(
            left=_text(query.get("left", ""), MAX_KEY_LENGTH),
            right=_text(query.get("right", ""), MAX_KEY_LENGTH),
            view=view if view in VIEWS else "split",
            hide=query.get("hide") == "1",
        )

    @property
    def complete(self):
        return bool(self.left and self.right)

    def url(self, **changes):
        """The compare page for this state with ``changes`` applied; defaults stay out of the URL."""
        values = {"left": self.left, "right": self.right, "view": self.view, "hide": self.hide} | changes
        return links.compare_url(values["left"], values["right"], view=values["view"], hide=values["hide"])


def _text(value, length):
    return value.strip()[:length]


# ---------------------------------------------------------------------------
# What the template shows
# ---------------------------------------------------------------------------


class Cell(NamedTuple):
    """A line's text, or with ``parts`` set, its ``(text, changed)`` runs for word highlights."""

    text: str
    parts: tuple = ()


class SplitRow(NamedTuple):
    """A side-by-side row ready to draw; line numbers are text ("" for a missing side)."""

    tag: str
    left_no: str
    left: Cell
    right_no: str
    right: Cell


class UnifiedRow(NamedTuple):
    tag: str
    left_no: str
    right_no: str
    cell: Cell


@dataclass(frozen=True)
class Block:
    """Rows shown together; a folded run (``skip`` set) is drawn inside a ``<details>``."""

    rows: tuple
    skip: Skip | None = None


@dataclass(frozen=True)
class SectionView:
    section: object  # diffing.SectionDiff
    blocks: tuple


@dataclass(frozen=True)
class FieldRow:
    """A frontmatter field with its values as text; ``None`` where a side lacks the field."""

    name: str
    status: str
    left: str | None
    right: str | None


def _cell(segments):
    """Words are marked only beside unchanged ones: a wholly changed line is shown by its row."""
    if len(segments) < 2:
        return Cell(segments[0].text if segments else "")
    return Cell("", tuple((segment.text, segment.changed) for segment in segments))


def _number(lineno):
    return "" if lineno is None else str(lineno)


def split_rows(rows):
    # Drawn thousands of times per page: shaping rows here keeps the template's loop lean.
    return tuple(
        SplitRow(
            row.tag,
            _number(row.left_lineno),
            _cell(row.left_segments),
            _number(row.right_lineno),
            _cell(row.right_segments),
        )
        for row in rows
    )


def unified_rows(rows):
    return tuple(
        UnifiedRow(row.tag, _number(row.left_lineno), _number(row.right_lineno), _cell(row.segments)) for row in rows
    )


def blocks(rows, shown):
    """Group ``shown`` (``rows`` with ``Skip`` markers) into runs; a Skip carries the rows it hides.

    ``shown`` keeps the order of ``rows``, so walking both together finds each folded run.
    """
    out, run, position = [], [], 0
    for item in shown:
        if isinstance(item, Skip):
            if run:
                out.append(Block(tuple(run)))
                run = []
            out.append(Block(rows[position : position + item.hidden], item))
            position += item.hidden
        else:
            run.append(rows[position])
            position += 1
    if run:
        out.append(Block(tuple(run)))
    return tuple(out)


def section_views(diff, state):
    """Each section with its rows shaped for the chosen view, folded into blocks under ``hide``."""
    unified = state.view == "unified"
    views = []
    for section in diff.sections:
        rows = unified_rows(section.unified) if unified else split_rows(section.rows)
        if state.hide:
            shown = section.unified_collapsed if unified else section.collapsed
            views.append(SectionView(section, blocks(rows, shown)))
        else:
            views.append(SectionView(section, (Block(rows),) if rows else ()))
    return views


def field_rows(diff):
    return [FieldRow(f.name, f.status, field_text(f.left), field_text(f.right)) for f in diff.fields]


# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def compare(request):
    """Compare ``?left=`` with ``?right=``: summary, fields, sets and the body by section.

    Without both keys the page is the picker with a hint. A key that names nothing gives
    the picker and a message saying which (404 for the page and the JSON).
    """
    state = CompareState.from_query(request.GET)
    context = {"state": state, "swap_url": state.url(left=state.right, right=state.left)}
    if not state.complete:
        if wants_json(request):
            return JsonResponse({"error": "Give two definition keys: ?left=<key>&right=<key>."}, status=400)
        return respond(request, TEMPLATE, context, fragment="compare")
    try:
        left, right = sides.load_sides([state.left, state.right])
    except sides.UnknownKeys as error:
        if wants_json(request):
            return JsonResponse({"error": f"Not found: {error}.", "not_found": error.keys}, status=404)
        response = respond(request, TEMPLATE, context | {"not_found": error.keys}, fragment="compare")
        # htmx does not swap a 4xx response, so only the full page says 404.
        if not wants_fragment(request):
            response.status_code = 404
        return response

    diff = diff_definitions(sides.diff_side(left), sides.diff_side(right))
    patch_url = links.patch_url(left.key, right.key)
    fields = field_rows(diff)
    context |= {
        "left": left,
        "right": right,
        "diff": diff,
        "similarity_percent": round(diff.summary.similarity * 100),
        "fields": [f for f in fields if f.status != "same"] if state.hide else fields,
        "hidden_fields": sum(f.status == "same" for f in fields) if state.hide else 0,
        "sections": section_views(diff, state),
        "patch_url": patch_url,
        "split_url": state.url(view="split"),
        "unified_url": state.url(view="unified"),
        "hide_url": state.url(hide=True),
        "show_url": state.url(hide=False),
    }

    return respond(
        request, TEMPLATE, context, fragment="compare", json_data=lambda: json_api.comparison(diff, left, right)
    )


@require_GET
def compare_patch(request):
    """The plain unified diff of the two files, as a ``.patch`` download."""
    state = CompareState.from_query(request.GET)
    if not state.complete:
        return HttpResponse(
            "Give two definition keys: ?left=<key>&right=<key>.\n", status=400, content_type="text/plain"
        )
    try:
        left, right = sides.load_sides([state.left, state.right], for_patch=True)
    except sides.UnknownKeys as error:
        return HttpResponse(f"Not found: {error}.\n", status=404, content_type="text/plain; charset=utf-8")
    patch, filename = sides.patch(left, right)
    response = HttpResponse(patch, content_type="text/x-diff; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def compare_pick(request):
    """Definitions matching ``?q=`` for one side's autocomplete, each a link to the page with it chosen.

    ``q`` defaults to that side's own field, which is what the page's form sends as you type;
    the rest of the form comes along so that choosing keeps the other side and the view.
    """
    side = "right" if request.GET.get("side") == "right" else "left"
    query = _text(request.GET.get("q") or request.GET.get(side, ""), 200)
    state = CompareState.from_query(request.GET)
    matches = sides.pick(query) if len(query) >= PICK_MIN_CHARS else []
    context = {
        "side": side,
        "query": query,
        "too_short": len(query) < PICK_MIN_CHARS,
        "choices": [(definition, state.url(**{side: definition.key})) for definition in matches],
    }
    return render(request, f"{TEMPLATE}#suggestions", context)
