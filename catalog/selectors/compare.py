"""Reads behind the compare page: the two sides named by keys, their diff, their patch, the picker.

Each side is named by a key (``catalog.core.keys``): ``collection/kind/slug`` for a definition
as it is now, ``collection/kind/slug@<version id>`` for one of the previous contents the
importer kept. ``load_sides`` reads them in a fixed number of queries and ``diff_side`` turns
each into the ``DiffSide`` that ``catalog.core.diffing`` compares.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, prefetch_related_objects

from ..core import analysis
from ..core.diffing import DiffSide, unified_patch
from ..core.keys import VERSION_SEPARATOR, DefinitionKey, names_a_key
from ..models import Definition, DefinitionTool, DefinitionVersion, Edge, Reference

PICK_LIMIT = 10
PICK_MAX_TERMS = 8


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
    them with the importer's own analysis keeps both sides of a version comparison alike.
    """
    result = analysis.analyse(
        bytes(version.raw),
        definition.source_path,
        definition.kind,
        definition.format,
        definition.namespace,
        definition.plugin,
    )
    if result.parsed is None:
        return frozenset(), frozenset(), frozenset()
    collaborators = frozenset(m.target for m in result.edges if m.kind != Edge.Kind.EXCLUDES)
    return frozenset(result.parsed.skills), frozenset(result.parsed.commands), collaborators


def patch_text(side):
    """The file as written when its bytes are UTF-8; otherwise its decoded text (a patch is UTF-8)."""
    content = side.content
    try:
        return bytes(content.raw).decode("utf-8")
    except UnicodeDecodeError:
        return content.source_text


def patch(left, right):
    """``(unified diff, file name)`` of two sides' whole files, as the patch download serves them."""
    text = unified_patch(
        DiffSide(left.key, {}, "", raw=patch_text(left)),
        DiffSide(right.key, {}, "", raw=patch_text(right)),
        f"a/{left.path}",
        f"b/{right.path}",
    )
    return text, f"{left.file_label}_vs_{right.file_label}.patch"


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
