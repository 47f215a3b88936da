"""A definition's rows and everything derived from them: written by imports and by staff edits alike.

An import writes whole collections (``catalog.services.importer``), an edit one definition
(``catalog.services.editing``); both fill the definition from its analysed file, rebuild its
tools, references, edges, items and problems, and resolve names catalog-wide, with the
functions here. None opens a transaction: the caller's one covers them.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Q

from ..core import collaboration, discovery, parsing
from ..core.analysis import Analysis, toc_rows
from ..core.text import slugify
from ..models import Definition, DefinitionTool, DefinitionVersion, Edge, Item, Problem, Reference, Tool


@dataclass
class Planned:
    """One file of one collection, read and (when new or changed) analysed."""

    candidate: discovery.Candidate
    raw: bytes
    sha256: str
    analysis: Analysis | None = None
    rejection: parsing.Problem | None = None

    @property
    def parsed(self):
        return self.analysis.parsed if self.analysis else None


@cache
def max_length(model, field):
    """The column's ``max_length``, which longer text from a file is cut to."""
    return model._meta.get_field(field).max_length


def display_path(collection, relpath):
    return f"{collection.name}/{relpath}"


def keep_version(definition, replaced_by="import"):
    """Keep the definition's current content as a ``DefinitionVersion`` before it is replaced."""
    full = Definition.objects.only("raw", "source_text", "frontmatter", "body", "sha256").get(pk=definition.pk)
    DefinitionVersion.objects.create(
        definition=definition,
        sha256=full.sha256,
        raw=bytes(full.raw),
        source_text=full.source_text,
        frontmatter=full.frontmatter,
        body=full.body,
        tools=list(definition.tool_links.values_list("tool__name", flat=True)),
        replaced_by=replaced_by,
    )


def fill(definition, planned, slug, run, now):
    """Set every field the file gives (``Planned``) on the definition, unsaved, the body's
    sanitized HTML (rendered by the analysis, in a worker process) included."""
    parsed = planned.parsed
    definition.kind = parsed.kind
    definition.format = parsed.format
    definition.slug = slug
    definition.name = parsed.name[: max_length(Definition, "name")]
    definition.description = parsed.description
    definition.examples = list(parsed.examples)
    definition.model = parsed.model[: max_length(Definition, "model")]
    definition.color = parsed.color[: max_length(Definition, "color")]
    definition.plugin = planned.candidate.plugin[: max_length(Definition, "plugin")]
    definition.namespace = planned.candidate.namespace[: max_length(Definition, "namespace")]
    definition.frontmatter = parsed.frontmatter
    definition.body = parsed.body
    definition.body_line = parsed.body_line
    definition.lenient = parsed.lenient
    definition.source_text = parsed.text
    definition.raw = planned.raw
    definition.sha256 = planned.sha256
    definition.size = len(planned.raw)
    definition.missing = False
    definition.import_run = run
    definition.imported_at = now
    rendered = planned.analysis.rendered
    definition.rendered_html = rendered.html
    definition.rendered_toc = toc_rows(rendered.toc)
    # The hash of the bytes that were rendered: an edit's text, not the upstream file's.
    definition.rendered_sha256 = planned.sha256


def replace_derived(written, updated_ids, collection, run, tool_cache, cross=None, report=None):
    """Rebuild tools, references, edges, items and problems of freshly written definitions.

    ``written`` is ``[(definition, Planned)]``; ``updated_ids`` those that had rows already.
    Each problem is also added to ``report.problems`` when a report is given. Everything is
    batched: a handful of queries per collection, whatever its size. Text longer than its
    column (a 2,000-character tool pattern) is cut to the column's ``max_length``.
    """
    manual = set()
    if updated_ids:
        DefinitionTool.objects.filter(definition__in=updated_ids).delete()
        Reference.objects.filter(definition__in=updated_ids).delete()
        Item.objects.filter(definition__in=updated_ids).delete()
        Problem.objects.filter(definition__in=updated_ids).delete()
        extracted = Edge.objects.filter(source__in=updated_ids, manual=False)
        extracted.delete()
        manual = set(Edge.objects.filter(source__in=updated_ids).values_list("source_id", "kind", "target_name"))

    tools = _tools_by_name([ref for _, planned in written for ref in planned.parsed.tools], tool_cache)
    links, references, edges, items, problems = [], [], [], [], []
    run_id = run.pk if run else None
    tool_raw, tool_pattern, tool_legacy = (max_length(DefinitionTool, f) for f in ("raw", "pattern", "legacy"))
    reference_name, edge_target = max_length(Reference, "name"), max_length(Edge, "target_name")
    item_section = max_length(Item, "section")
    for definition, planned in written:
        parsed, relpath, pk = planned.parsed, planned.candidate.relpath, definition.pk
        links += [
            (pk, tools[tool_name(ref)].pk, ref.raw[:tool_raw], ref.pattern[:tool_pattern], ref.legacy[:tool_legacy])
            + (ref.enabled, n)
            for n, ref in enumerate(parsed.tools)
        ]
        names = {(Reference.Kind.SKILL, name[:reference_name]) for name in parsed.skills}
        names |= {(Reference.Kind.COMMAND, name[:reference_name]) for name in parsed.commands}
        references += [(pk, kind, name, None) for kind, name in sorted(names)]
        edges += [
            (pk, None, m.target[:edge_target], m.kind, m.evidence, m.line, False)
            for m in planned.analysis.edges
            if (pk, m.kind, m.target[:edge_target]) not in manual
        ]
        items += [
            (pk, i.field, i.section[:item_section], i.text, i.line, n) for n, i in enumerate(planned.analysis.items)
        ]
        for finding in planned.analysis.findings + tuple((cross or {}).get(relpath, ())):
            problems.append(
                (pk, collection.pk, run_id, relpath, finding.line, finding.severity, finding.rule, finding.message)
            )
            if report is None:
                continue
            report.problems.append(
                {
                    "path": display_path(collection, relpath),
                    "line": finding.line,
                    "severity": finding.severity,
                    "code": finding.rule,
                    "message": finding.message,
                }
            )
    _insert(DefinitionTool, ("definition", "tool", "raw", "pattern", "legacy", "enabled", "position"), links)
    _insert(Reference, ("definition", "kind", "name", "target"), references)
    _insert(Edge, ("source", "target", "target_name", "kind", "evidence", "line", "manual"), edges)
    _insert(Item, ("definition", "field", "section", "text", "line", "position"), items)
    _insert(
        Problem, ("definition", "collection", "import_run", "path", "line", "severity", "code", "message"), problems
    )


def _insert(model, fields, rows, batch_size=2000):
    """Plain multi-row INSERTs for derived rows.

    A cold import writes some 40,000 of them; building a model instance for each cost the
    ORM several times what the database spends on the writes. Table and column names come
    from the model's own metadata, never from input; values are always parameters.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # bandit B608: identifiers from model metadata
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])


def tool_name(ref):
    """The name a ``ToolRef``'s ``Tool`` row has: its canonical name, cut to the column."""
    return ref.name[: max_length(Tool, "name")]


def _tools_by_name(refs, cache):
    """Tool rows for the given refs, creating the ones the catalog has not seen yet.

    ``cache`` lives for one import transaction, so it never holds rows a rollback undid.
    """
    wanted = {tool_name(ref): ref for ref in refs}
    missing = [name for name in wanted if name not in cache]
    if missing:
        for tool in Tool.objects.filter(name__in=missing):
            cache[tool.name] = tool
        server = max_length(Tool, "server")
        new = [
            Tool(name=name, kind=wanted[name].kind, server=wanted[name].server[:server])
            for name in missing
            if name not in cache
        ]
        for tool in Tool.objects.bulk_create(new):
            cache[tool.name] = tool
    return {name: cache[name] for name in wanted}


def resolve_catalog():
    """Link dangling edges and references to the definitions they name, catalog-wide."""
    agents = Definition.objects.filter(kind=Definition.Kind.AGENT).values_list("pk", "collection_id", "slug", "name")
    index = collaboration.NameIndex((str(pk), str(coll), slug, name) for pk, coll, slug, name in agents)
    edges = list(
        Edge.objects.filter(target=None).select_related("source").only("pk", "target_name", "source__collection_id")
    )
    for edge in edges:
        found = index.resolve(edge.target_name, str(edge.source.collection_id))
        edge.target_id = int(found) if found else None
    Edge.objects.bulk_update([e for e in edges if e.target_id], ["target"], batch_size=500)
    _resolve_references()
    _count_collaborators()


def _resolve_references():
    by_name = {}
    for pk, kind, slug, name, coll in Definition.objects.filter(
        kind__in=[Definition.Kind.SKILL, Definition.Kind.COMMAND]
    ).values_list("pk", "kind", "slug", "name", "collection_id"):
        for label in {slug, name, slugify(name)}:
            by_name.setdefault((kind, label.lower().lstrip("/")), []).append((coll, pk))
    references = list(
        Reference.objects.filter(target=None)
        .select_related("definition")
        .only("pk", "kind", "name", "definition__collection_id")
    )
    for ref in references:
        options = by_name.get((ref.kind, ref.name.lower().lstrip("/")), [])
        same = [pk for coll, pk in options if coll == ref.definition.collection_id]
        ref.target_id = (same or [pk for _, pk in options] or [None])[0]
    Reference.objects.bulk_update([r for r in references if r.target_id], ["target"], batch_size=500)


def recount_collaborators(definition_ids):
    """Refresh ``collaborator_count`` of these definitions after staff add, change or delete an
    edge by hand."""
    ids = {pk for pk in definition_ids if pk}
    edges = Edge.objects.filter(Q(source_id__in=ids) | Q(target_id__in=ids))
    counts = _collaborator_counts(edges)
    for pk in ids:
        Definition.objects.filter(pk=pk).update(collaborator_count=counts.get(pk, 0))


def _count_collaborators():
    """Denormalize each agent's number of distinct collaborators (in and out) for sorting."""
    counts = _collaborator_counts(Edge.objects.all())
    changed = []
    for definition in Definition.objects.only("pk", "collaborator_count"):
        if definition.collaborator_count != counts.get(definition.pk, 0):
            definition.collaborator_count = counts.get(definition.pk, 0)
            changed.append(definition)
    Definition.objects.bulk_update(changed, ["collaborator_count"], batch_size=500)


def _collaborator_counts(edges):
    """``{definition id: distinct collaborators}`` over ``edges``, both ends counted; a mere
    mention is no collaboration, and a dangling target counts by its name."""
    partners = {}
    for source, target, name in edges.exclude(kind=Edge.Kind.MENTIONS).values_list(
        "source_id", "target_id", "target_name"
    ):
        partners.setdefault(source, set()).add(target or name)
        if target:
            partners.setdefault(target, set()).add(source)
    return {pk: len(names) for pk, names in partners.items()}
