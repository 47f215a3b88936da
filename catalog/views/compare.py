"""The compare page: two definitions, or two versions of one, side by side; its patch and its picker.

Each side is named by a key in the query string: ``collection/kind/slug`` for a definition as it
is now, ``collection/kind/slug@<version id>`` for one of the previous contents the importer kept.
The diff itself is ``catalog.core.diffing``; this module loads the two sides in a fixed number of
queries, turns them into ``DiffSide`` values and picks what the query string asks to show
(``?view=unified``, ``?hide=1``). Everything is a GET, so every comparison is a link.
"""

import json
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import NamedTuple
from urllib.parse import urlencode

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..core import collaboration, parsing
from ..core.diffing import DiffSide, Skip, diff_definitions, unified_patch
from ..core.keys import VERSION_SEPARATOR, DefinitionKey, names_a_key
from ..models import Definition, DefinitionTool, DefinitionVersion, Edge, Reference
from .common import respond, wants_fragment, wants_json

TEMPLATE = "catalog/compare.html"
MAX_KEY_LENGTH = 700  # collection, kind and slug at their longest, plus a version id
PICK_LIMIT = 10
PICK_MIN_CHARS = 2
PICK_MAX_TERMS = 8
VIEWS = ("split", "unified")
# Only the kinds the importer extracts edges for have collaborators.
EDGE_KINDS = (Definition.Kind.AGENT, Definition.Kind.COMMAND)


# ---------------------------------------------------------------------------
# Page state and sides
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
        query = {"left": values["left"], "right": values["right"]}
        if values["view"] != "split":
            query["view"] = values["view"]
        if values["hide"]:
            query["hide"] = "1"
        return f"{reverse('catalog:compare')}?{urlencode(query)}"


def _text(value, length):
    return value.strip()[:length]


class UnknownKeys(Exception):
    """Some keys name no definition, or no kept version of it."""

    def __init__(self, keys):
        super().__init__(", ".join(keys))
        self.keys = keys


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a definition as it is now, or one of its kept versions."""

    key: str
    definition: Definition
    version: DefinitionVersion | None = None

    @property
    def content(self):
        """The row holding this side's text: the version, or the definition itself."""
        return self.version or self.definition

    @property
    def path(self):
        """Where the file lives, as a patch names it: ``<collection>/<path in the collection>``."""
        return f"{self.definition.collection.slug}/{self.definition.source_path}"

    @property
    def file_label(self):
        """A name for this side in a download's file name (no colons, which Windows refuses)."""
        label = self.definition.slug.replace(":", "-")
        return f"{label}{VERSION_SEPARATOR}{self.version.pk}" if self.version else label


def load_sides(keys, *, for_patch=False):
    """The sides named by ``keys``, in order; raises ``UnknownKeys`` naming those not found.

    One query for the definitions and one for any versions. The page needs three more, for
    the tools, references and edges of the sides that are current definitions; the patch
    needs none of those, only the raw bytes the page leaves behind.
    """
    wanted = [DefinitionKey.parse(key) for key in keys]
    definitions = _definitions_by_key({key.at(None) for key in wanted}, with_raw=for_patch)
    version_ids = {key.version for key in wanted if key.version is not None and key.base in definitions}
    versions = DefinitionVersion.objects.in_bulk(version_ids) if version_ids else {}

    sides, unknown = [], []
    for key, parsed in zip(keys, wanted, strict=True):
        definition, vid = definitions.get(parsed.base), parsed.version
        version = versions.get(vid)
        if definition is None or (vid is not None and (version is None or version.definition_id != definition.pk)):
            unknown.append(key)
        else:
            sides.append(Side(key, definition, version))
    if unknown:
        raise UnknownKeys(unknown)
    current = [side.definition for side in sides if side.version is None]
    if current and not for_patch:
        prefetch_related_objects(
            current,
            Prefetch("tool_links", queryset=DefinitionTool.objects.select_related("tool").order_by("position")),
            "references",
            "edges_out",
        )
    return sides


def _definitions_by_key(keys, *, with_raw):
    condition = Q()
    for key in keys:
        if key.complete:
            condition |= Q(collection__slug=key.collection, kind=key.kind, slug=key.slug)
    if not condition:
        return {}
    deferred = ["rendered_html", "rendered_toc", "examples"] + ([] if with_raw else ["raw"])
    rows = Definition.objects.filter(condition).select_related("collection").defer(*deferred).order_by()
    return {definition.key: definition for definition in rows}


def diff_side(side):
    """What the diff compares for one side.

    ``raw`` gets the decoded text rather than the bytes: the diff only uses it to number
    lines, and the body it searches for there was decoded (and repaired) the same way.
    """
    definition = side.definition
    if side.version is None:
        tools = frozenset(link.tool.name for link in definition.tool_links.all())
        references = definition.references.all()
        skills = frozenset(r.name for r in references if r.kind == Reference.Kind.SKILL)
        commands = frozenset(r.name for r in references if r.kind == Reference.Kind.COMMAND)
        collaborators = frozenset(e.target_name for e in definition.edges_out.all() if e.kind != Edge.Kind.EXCLUDES)
    else:
        tools = frozenset(side.version.tools)
        skills, commands, collaborators = _version_references(definition, side.version)
    content = side.content
    return DiffSide(
        label=side.key,
        frontmatter=content.frontmatter,
        body=content.body,
        raw=content.source_text,
        tools=tools,
        skills=skills,
        commands=commands,
        collaborators=collaborators,
    )


def _version_references(definition, version):
    """Skills, commands and collaborators of a kept version, read again from its bytes.

    A version stores its tools but not what the importer derived from its text; reading
    them the way the importer does keeps both sides of a version comparison alike.
    """
    try:
        parsed = parsing.parse_definition(
            bytes(version.raw), definition.source_path, definition.kind, definition.format, definition.namespace
        )
    except parsing.Rejected:
        return frozenset(), frozenset(), frozenset()
    collaborators = frozenset()
    if definition.kind in EDGE_KINDS:
        self_names = {definition.slug, parsed.name, PurePosixPath(definition.source_path).stem}
        mentions = collaboration.extract_edges(
            parsed.body, parsed.frontmatter, self_names=self_names, first_line=parsed.body_line
        )
        collaborators = frozenset(m.target for m in mentions if m.kind != Edge.Kind.EXCLUDES)
    return frozenset(parsed.skills), frozenset(parsed.commands), collaborators


def patch_text(side):
    """The file as written when its bytes are UTF-8; otherwise its decoded text (a patch is UTF-8)."""
    content = side.content
    try:
        return bytes(content.raw).decode("utf-8")
    except UnicodeDecodeError:
        return content.source_text


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


def _field_text(value):
    """Strings as written; YAML's lists, maps and other scalars as JSON (``true``, ``[...]``)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def field_rows(diff):
    return [FieldRow(f.name, f.status, _field_text(f.left), _field_text(f.right)) for f in diff.fields]


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
        left, right = load_sides([state.left, state.right])
    except UnknownKeys as error:
        if wants_json(request):
            return JsonResponse({"error": f"Not found: {error}.", "not_found": error.keys}, status=404)
        response = respond(request, TEMPLATE, context | {"not_found": error.keys}, fragment="compare")
        # htmx does not swap a 4xx response, so only the full page says 404.
        if not wants_fragment(request):
            response.status_code = 404
        return response

    diff = diff_definitions(diff_side(left), diff_side(right))
    patch_url = f"{reverse('catalog:compare_patch')}?{urlencode({'left': left.key, 'right': right.key})}"
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

    def as_json():
        return diff.to_json() | {
            "left": left.key,
            "right": right.key,
            "left_url": left.definition.get_absolute_url(),
            "right_url": right.definition.get_absolute_url(),
            "patch_url": patch_url,
        }

    return respond(request, TEMPLATE, context, fragment="compare", json_data=as_json)


@require_GET
def compare_patch(request):
    """The plain unified diff of the two files, as a ``.patch`` download."""
    state = CompareState.from_query(request.GET)
    if not state.complete:
        return HttpResponse(
            "Give two definition keys: ?left=<key>&right=<key>.\n", status=400, content_type="text/plain"
        )
    try:
        left, right = load_sides([state.left, state.right], for_patch=True)
    except UnknownKeys as error:
        return HttpResponse(f"Not found: {error}.\n", status=404, content_type="text/plain; charset=utf-8")
    # A patch compares whole files: only the sides' raw text counts.
    patch = unified_patch(
        DiffSide(left.key, {}, "", raw=patch_text(left)),
        DiffSide(right.key, {}, "", raw=patch_text(right)),
        f"a/{left.path}",
        f"b/{right.path}",
    )
    response = HttpResponse(patch, content_type="text/x-diff; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{left.file_label}_vs_{right.file_label}.patch"
    )
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
    matches = pick(query) if len(query) >= PICK_MIN_CHARS else []
    context = {
        "side": side,
        "query": query,
        "too_short": len(query) < PICK_MIN_CHARS,
        "choices": [(definition, state.url(**{side: definition.key})) for definition in matches],
    }
    return render(request, f"{TEMPLATE}#suggestions", context)


def pick(query):
    """Present definitions matching every word of ``query`` by name, slug or collection.

    A word with slashes is read as the start of a key: ``seeds/agent/back``.
    """
    condition = Q()
    for term in query.split()[:PICK_MAX_TERMS]:
        if names_a_key(term):
            key = DefinitionKey.parse(term)
            match = Q(collection__slug__iexact=key.collection)
            if key.kind:
                match &= Q(kind__istartswith=key.kind)
            if key.slug:
                match &= Q(slug__icontains=key.slug)
        else:
            match = Q(name__icontains=term) | Q(slug__icontains=term) | Q(collection__slug__icontains=term)
        condition &= match
    return list(
        Definition.objects.present()
        .filter(condition)
        .select_related("collection")
        .only("name", "slug", "kind", "collection__slug", "collection__name")
        .order_by("name", "collection__name", "kind", "pk")[:PICK_LIMIT]
    )
