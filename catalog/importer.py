"""The importer: turns directories and files of definitions into catalog rows.

Reading and parsing happen first, outside any transaction, in the pure-Python cores. All
writes then happen in one transaction, so the database holds either the previous catalog or
the new one, never half of one, even when the process is killed mid-run. A bad file is
recorded as a problem and never stops the others.
"""

import hashlib
import multiprocessing
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import search
from .core import collaboration, discovery, parsing, rules
from .core.analysis import Analysis, analyse_batch
from .core.text import slugify
from .models import (
    Collection,
    Conflict,
    Definition,
    DefinitionTool,
    DefinitionVersion,
    Edge,
    ImportRun,
    Item,
    Problem,
    Reference,
    Tool,
)

# Any fixed 64-bit number: the PostgreSQL advisory lock that serializes imports.
IMPORT_LOCK_ID = 0x41474E54_44415348
# An import that creates or changes this many definitions refreshes the planner's statistics.
REFRESH_STATISTICS_AFTER = 100
# bandit B608 in _refresh_statistics: the only interpolation is these models' quoted table names.
_ANALYSED_MODELS = (Collection, Definition, DefinitionTool, Edge, Item, Problem, Reference, Tool)


class ImportBusy(Exception):
    """Another import holds the catalog's write lock."""


@dataclass
class ImportReport:
    """What an import found and did; found = created + updated + unchanged + skipped + rejected."""

    found: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    missing: int = 0
    conflicts: int = 0  # locally edited definitions whose upstream file changed (counted as unchanged)
    skip_reasons: Counter = field(default_factory=Counter)
    rejections: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    collections: list = field(default_factory=list)

    def to_json(self):
        return {
            "found": self.found,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "missing": self.missing,
            "conflicts": self.conflicts,
            "skip_reasons": dict(sorted(self.skip_reasons.items())),
            "rejections": self.rejections,
            "problems": self.problems,
            "collections": self.collections,
        }


@dataclass
class _Planned:
    """One file of one collection, read and (when new or changed) parsed."""

    candidate: discovery.Candidate
    raw: bytes
    sha256: str
    analysis: Analysis | None = None
    rejection: parsing.Problem | None = None

    @property
    def parsed(self):
        return self.analysis.parsed if self.analysis else None


@dataclass
class _CollectionPlan:
    info: discovery.CollectionInfo
    name: str
    complete: bool  # the whole collection root was walked, so unseen files are missing
    files: list = field(default_factory=list)


def import_paths(paths, *, collection_name=None, progress=None):
    """Import files and directories; return ``(ImportRun, ImportReport)``.

    ``collection_name`` puts everything into one collection of that name. ``progress`` is
    called as ``progress(done, total)`` while files are read.
    """
    report = ImportReport()
    plans = _plan(paths, collection_name, report)
    known = _known_hashes(plans)
    changed = {
        plan.name
        for plan in plans
        for planned in plan.files
        if not planned.rejection and known.get((plan.name, planned.candidate.relpath)) != planned.sha256
    }
    # Cross-file rules (duplicate names, unresolved references) need every file of a changed
    # collection; a collection with no change keeps the findings it has.
    todo = [planned for plan in plans if plan.name in changed for planned in plan.files if not planned.rejection]
    _analyse_all(todo, progress)

    run = ImportRun.objects.create(paths=[str(p) for p in paths])
    try:
        with transaction.atomic():
            _acquire_write_lock()
            tools, changed = {}, []
            for plan in plans:
                _write_collection(plan, run, report, tools, changed)
            _resolve_catalog()
            search.index_definitions(changed)
            if len(changed) >= REFRESH_STATISTICS_AFTER:
                _refresh_statistics()
            run.finished_at = timezone.now()
            run.status = ImportRun.Status.SUCCEEDED
            for name in ("found", "created", "updated", "unchanged", "skipped", "rejected", "missing"):
                setattr(run, name, getattr(report, name))
            run.report = report.to_json()
            run.save()
    except OperationalError as error:
        _mark_failed(run, error)
        if "locked" in str(error):
            raise ImportBusy("Another import is writing to the catalog; try again when it has finished.") from error
        raise
    except Exception as error:
        _mark_failed(run, error)
        raise
    return run, report


def _refresh_statistics():
    """Let the query planner see the rows just written.

    PostgreSQL plans from statistics that autovacuum refreshes some time after a commit;
    until then a freshly filled catalog can be planned as if it were empty (the detail page's
    edge lookups then scan every definition). ANALYZE in the import's own transaction counts
    its uncommitted rows. SQLite's counterpart is ``PRAGMA optimize``.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in _ANALYSED_MODELS)
            cursor.execute(f"ANALYZE {tables}")  # noqa: S608  # nosec B608
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


def _mark_failed(run, error):
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED, finished_at=timezone.now(), report={"error": str(error)}
    )


def _acquire_write_lock():
    """Serialize imports: SQLite's IMMEDIATE transactions already do; PostgreSQL needs a lock."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [IMPORT_LOCK_ID])
        if not cursor.fetchone()[0]:
            raise ImportBusy("Another import is writing to the catalog; try again when it has finished.")


def _wait_for_imports():
    """Let an edit wait for a running import to commit, so the two never interleave.

    SQLite's IMMEDIATE transactions already queue writers (up to the busy timeout); on
    PostgreSQL the edit waits for the imports' lock, and an import that starts meanwhile is
    refused as busy rather than overwriting the edit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_ID])


# ---------------------------------------------------------------------------
# Reading (no database writes)
# ---------------------------------------------------------------------------


def _plan(paths, collection_name, report):
    """Walk the given paths into per-collection lists of files, reading each file once."""
    plans = {}
    for path in map(Path, paths):
        if path.is_dir():
            for info in discovery.find_collections(path):
                plan = _plan_for(plans, info, collection_name, complete=collection_name is None)
                for candidate in discovery.discover(info.root):
                    _add_candidate(plan, candidate, report)
        elif path.is_file():
            root = path.resolve().parent
            info = discovery.CollectionInfo(
                root=root, name=root.name, kind="directory", origin="", commit="", description=""
            )
            plan = _plan_for(plans, info, collection_name, complete=False)
            kind, fmt, namespace, reason = discovery.classify(path.name, _head(path))
            if kind is None and reason.startswith("not a definition"):
                kind, fmt = "agent", "claude-code"  # named explicitly: the user says it is one
            candidate = discovery.Candidate(
                path=path.resolve(),
                relpath=path.name,
                collection_root=root,
                kind=kind,
                format=fmt,
                namespace=namespace,
                skip_reason="" if kind else reason,
            )
            _add_candidate(plan, candidate, report)
        else:
            report.found += 1
            report.rejected += 1
            report.rejections.append({"path": str(path), "reason": "No such file or directory."})
    return list(plans.values())


def _plan_for(plans, info, collection_name, complete):
    name = collection_name or info.name
    if name not in plans:
        plans[name] = _CollectionPlan(info=info, name=name, complete=complete)
    else:
        plans[name].complete = plans[name].complete and complete
    return plans[name]


def _head(path, size=4096):
    with open(path, "rb") as handle:
        return handle.read(size).decode("utf-8", "replace")


def _add_candidate(plan, candidate, report):
    report.found += 1
    if candidate.kind is None:
        report.skipped += 1
        report.skip_reasons[candidate.skip_reason or "not a definition"] += 1
        return
    planned = _Planned(candidate=candidate, raw=b"", sha256="")
    try:
        size = os.stat(candidate.path).st_size
        if size > parsing.MAX_FILE_BYTES:
            planned.rejection = parsing.Problem(
                "error",
                "file-too-large",
                f"File is {size:,} bytes; the limit is {parsing.MAX_FILE_BYTES:,} bytes.",
            )
        else:
            planned.raw = Path(candidate.path).read_bytes()
            planned.sha256 = hashlib.sha256(planned.raw).hexdigest()
    except OSError as error:
        planned.rejection = parsing.Problem("error", "unreadable", f"Cannot read the file: {error.strerror}.")
    plan.files.append(planned)


def _known_hashes(plans):
    names = [plan.name for plan in plans]
    rows = Definition.objects.filter(collection__name__in=names).values_list(
        "collection__name", "source_path", "sha256"
    )
    return {(collection, path): sha for collection, path, sha in rows}


# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 200
BATCH_SIZE = 25


def _analyse_all(todo, progress=None):
    """Parse and analyse new or changed files, on every core when there are many."""
    jobs = [
        (p.raw, p.candidate.relpath, p.candidate.kind, p.candidate.format, p.candidate.namespace, p.candidate.plugin)
        for p in todo
    ]
    batches = [jobs[i : i + BATCH_SIZE] for i in range(0, len(jobs), BATCH_SIZE)]
    workers = min(os.cpu_count() or 1, 4)
    if len(jobs) >= PARALLEL_THRESHOLD and workers > 1:
        # forkserver: workers import only the pure-Python cores, never this Django process.
        context = multiprocessing.get_context("forkserver")
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                _collect(todo, pool.map(analyse_batch, batches), progress)
            return
        except (BrokenProcessPool, OSError):
            pass  # no usable worker processes here: the same work, on this core
    _collect(todo, map(analyse_batch, batches), progress)


def _collect(todo, results, progress):
    done = 0
    for batch in results:
        for result in batch:
            planned = todo[done]
            planned.analysis = result
            planned.rejection = result.rejection
            done += 1
        if progress:
            progress(done, len(todo))


# ---------------------------------------------------------------------------
# Writing (inside the import transaction)
# ---------------------------------------------------------------------------


def _write_collection(plan, run, report, tools, changed):
    collection = _upsert_collection(plan)
    report.collections.append(collection.name)
    existing = {d.source_path: d for d in collection.definitions.defer("raw", "source_text", "body")}
    taken = {(d.kind, d.slug): d.source_path for d in existing.values()}
    # Rejections are re-recorded by every run; the previous run's would be stale duplicates.
    Problem.objects.filter(collection=collection, definition=None).delete()
    seen, rejected, created, updated = set(), [], [], []
    now = timezone.now()
    for planned in plan.files:
        relpath = planned.candidate.relpath
        seen.add(relpath)
        current = existing.get(relpath)
        if planned.rejection:
            rejected.append(planned)
            continue
        if current is not None and current.sha256 == planned.sha256:
            report.unchanged += 1
            if current.missing:
                Definition.objects.filter(pk=current.pk).update(missing=False)
            continue
        if current is not None and current.locally_modified:
            # Staff's edit wins until staff decide: the catalog keeps it and records the conflict.
            report.unchanged += 1
            report.conflicts += _record_conflict(current, planned, run)
            continue
        slug = _unique_slug(planned.parsed, relpath, taken)
        if current is None:
            definition = Definition(collection=collection, source_path=relpath)
            created.append((definition, planned))
        else:
            definition = current
            _keep_version(current)
            updated.append((definition, planned))
        _fill(definition, planned, slug, run, now)

    cross = _collection_findings(plan) if created or updated else {}
    for definition, planned in created + updated:
        definition.problem_count = len(planned.analysis.findings) + len(cross.get(planned.candidate.relpath, ()))
    Definition.objects.bulk_create([d for d, _ in created], batch_size=200)
    for definition, _ in updated:
        definition.save()
    report.created += len(created)
    report.updated += len(updated)
    _replace_derived(created + updated, [d.pk for d, _ in updated], collection, run, report, tools, cross)
    _refresh_cross_findings(collection, existing, created + updated, cross, run)
    changed.extend(d.pk for d, _ in created + updated)
    _record_rejections(rejected, collection, run, report)

    if plan.complete:
        vanished = [d.pk for path, d in existing.items() if path not in seen and not d.missing]
        report.missing += len(vanished)
        Definition.objects.filter(pk__in=vanished).update(missing=True)


def _collection_findings(plan):
    """Rule findings that need the whole collection, by relpath."""
    entries = [
        rules.CollectionEntry(p.candidate.relpath, p.parsed, p.analysis.edges, p.candidate.plugin)
        for p in plan.files
        if p.parsed is not None
    ]
    return rules.check_collection(entries, mcp_servers=discovery.mcp_servers_in(plan.info.root))


def _refresh_cross_findings(collection, existing, written, cross, run):
    """Unchanged files of a changed collection get their cross-file findings recomputed."""
    if not written:
        return
    written_paths = {planned.candidate.relpath for _, planned in written}
    unchanged = {path: d for path, d in existing.items() if path not in written_paths}
    if not unchanged:
        return
    Problem.objects.filter(definition__in=unchanged.values(), code__in=rules.CROSS_FILE_RULES).delete()
    Problem.objects.bulk_create(
        [
            _problem_row(definition, collection, run, path, finding)
            for path, definition in unchanged.items()
            for finding in cross.get(path, ())
        ],
        batch_size=1000,
    )
    for definition in unchanged.values():
        count = definition.problems.count()
        if count != definition.problem_count:
            Definition.objects.filter(pk=definition.pk).update(problem_count=count)


def _problem_row(definition, collection, run, relpath, finding):
    return Problem(
        definition=definition,
        collection=collection,
        import_run=run,
        path=relpath,
        line=finding.line,
        severity=finding.severity,
        code=finding.rule,
        message=finding.message,
    )


def _record_conflict(definition, planned, run):
    """Keep one open conflict per definition, holding the newest upstream bytes; 1 if it changed."""
    conflict = Conflict.objects.open().filter(definition=definition).first()
    if conflict is not None and conflict.upstream_sha256 == planned.sha256:
        return 0
    conflict = conflict or Conflict(definition=definition)
    conflict.upstream_raw = planned.raw
    conflict.upstream_sha256 = planned.sha256
    conflict.import_run = run
    conflict.save()
    return 1


def _record_rejections(rejected, collection, run, report):
    """A rejected file keeps its previous definition, if any; the problem names file and line."""
    report.rejected += len(rejected)
    problems = []
    for planned in rejected:
        relpath, problem = planned.candidate.relpath, planned.rejection
        report.rejections.append({"path": _display_path(collection, relpath), "reason": problem.message})
        problems.append(
            Problem(
                collection=collection,
                import_run=run,
                path=relpath,
                line=problem.line,
                severity=problem.severity,
                code=problem.code,
                message=problem.message,
            )
        )
    Problem.objects.bulk_create(problems, batch_size=500)


def _display_path(collection, relpath):
    return f"{collection.name}/{relpath}"


def _upsert_collection(plan):
    info = plan.info
    collection, created = Collection.objects.get_or_create(
        name=plan.name, defaults={"slug": _unique_collection_slug(plan.name)}
    )
    collection.kind = info.kind
    collection.origin = info.origin or collection.origin
    collection.commit = info.commit or collection.commit
    collection.description = info.description or collection.description
    collection.source_root = str(info.root)
    collection.save()
    return collection


def _unique_collection_slug(name):
    base = slugify(name) or "collection"
    slug, n = base, 2
    while Collection.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _unique_slug(parsed, relpath, taken):
    """Keep the parsed slug unless another file of the same kind already holds it."""
    slug = (parsed.slug or slugify(Path(relpath).stem) or "unnamed").replace("/", ":")
    holder = taken.get((parsed.kind, slug))
    if holder is not None and holder != relpath:
        base = slugify(str(Path(relpath).with_suffix(""))) or "unnamed"
        slug, n = base, 2
        while taken.get((parsed.kind, slug)) not in (None, relpath):
            slug, n = f"{base}-{n}", n + 1
    taken[(parsed.kind, slug)] = relpath
    return slug


def _keep_version(definition, replaced_by="import"):
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


def _fill(definition, planned, slug, run, now):
    parsed = planned.parsed
    definition.kind = parsed.kind
    definition.format = parsed.format
    definition.slug = slug
    definition.name = parsed.name[:300]
    definition.description = parsed.description
    definition.examples = list(parsed.examples)
    definition.model = parsed.model[:100]
    definition.color = parsed.color[:50]
    definition.plugin = planned.candidate.plugin
    definition.namespace = planned.candidate.namespace
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
    definition.rendered_html = ""
    definition.rendered_toc = []
    definition.rendered_sha256 = ""


def _replace_derived(written, updated_ids, collection, run, report, tool_cache, cross=None):
    """Rebuild tools, references, edges, items and problems of freshly written definitions.

    Everything is batched: a handful of queries per collection, whatever its size.
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
    for definition, planned in written:
        parsed, relpath, pk = planned.parsed, planned.candidate.relpath, definition.pk
        links += [
            (pk, tools[ref.name].pk, ref.raw[:500], ref.pattern[:500], ref.legacy[:100], ref.enabled, position)
            for position, ref in enumerate(parsed.tools)
        ]
        names = {(Reference.Kind.SKILL, name[:300]) for name in parsed.skills}
        names |= {(Reference.Kind.COMMAND, name[:300]) for name in parsed.commands}
        references += [(pk, kind, name, None) for kind, name in sorted(names)]
        edges += [
            (pk, None, m.target[:300], m.kind, m.evidence, m.line, False)
            for m in planned.analysis.edges
            if (pk, m.kind, m.target[:300]) not in manual
        ]
        items += [
            (pk, i.field, i.section[:300], i.text, i.line, n) for n, i in enumerate(planned.analysis.items)
        ]
        for finding in planned.analysis.findings + tuple((cross or {}).get(relpath, ())):
            problems.append(
                (pk, collection.pk, run_id, relpath, finding.line, finding.severity, finding.rule, finding.message)
            )
            report.problems.append(
                {
                    "path": _display_path(collection, relpath),
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


def _tools_by_name(refs, cache):
    """Tool rows for the given refs, creating the ones the catalog has not seen yet.

    ``cache`` lives for one import transaction, so it never holds rows a rollback undid.
    """
    wanted = {ref.name: ref for ref in refs}
    missing = [name for name in wanted if name not in cache]
    if missing:
        for tool in Tool.objects.filter(name__in=missing):
            cache[tool.name] = tool
        new = [
            Tool(name=name, kind=wanted[name].kind, server=wanted[name].server)
            for name in missing
            if name not in cache
        ]
        for tool in Tool.objects.bulk_create(new):
            cache[tool.name] = tool
    return {name: cache[name] for name in wanted}


def _resolve_catalog():
    """Link dangling edges and references to the definitions they name, catalog-wide."""
    agents = Definition.objects.filter(kind=Definition.Kind.AGENT).values_list(
        "pk", "collection_id", "slug", "name"
    )
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


# ---------------------------------------------------------------------------
# Staff edits and conflicts
# ---------------------------------------------------------------------------


class InvalidEdit(ValueError):
    """The edited text cannot be read as a definition; ``problem`` says why."""

    def __init__(self, problem):
        super().__init__(problem.message)
        self.problem = problem


def save_edit(definition, text, *, replaced_by="edit"):
    """Replace a definition's content with staff's text and re-derive everything from it.

    The upstream provenance (raw bytes, hash, path) stays as imported, so a re-import of the
    same file leaves the edit alone and a changed one becomes a conflict.
    """
    planned = _planned_for(definition, text.encode("utf-8"))
    if planned.rejection:
        raise InvalidEdit(planned.rejection)
    with transaction.atomic():
        _wait_for_imports()
        # An import may have committed while staff were editing: keep the provenance it wrote
        # (its content becomes the version this edit replaces).
        definition.refresh_from_db(fields=["raw", "sha256", "size", "import_run", "imported_at"])
        _keep_version(definition, replaced_by=replaced_by)
        raw, sha256 = bytes(definition.raw), definition.sha256
        _fill(definition, planned, definition.slug, definition.import_run, definition.imported_at)
        definition.raw, definition.sha256, definition.size = raw, sha256, len(raw)
        definition.source_text = text
        definition.locally_modified = True
        definition.save()
        _replace_derived([(definition, planned)], [definition.pk], definition.collection, None, ImportReport(), {})
        _resolve_catalog()
        search.index_definitions([definition.pk])
    return definition


def resolve_conflict(conflict, how, merged_text=None):
    """Settle a conflict: keep the local version, take upstream, or save a merge."""
    definition = conflict.definition
    upstream = bytes(conflict.upstream_raw)
    with transaction.atomic():
        _wait_for_imports()
        if how == Conflict.Resolution.TOOK_UPSTREAM:
            planned = _planned_for(definition, upstream)
            if planned.rejection:
                raise InvalidEdit(planned.rejection)
            _keep_version(definition, replaced_by="upstream")
            _fill(definition, planned, definition.slug, conflict.import_run, timezone.now())
            definition.locally_modified = False
            definition.save()
            _replace_derived([(definition, planned)], [definition.pk], definition.collection, None, ImportReport(), {})
            _resolve_catalog()
            search.index_definitions([definition.pk])
        else:
            if how == Conflict.Resolution.MERGED:
                save_edit(definition, merged_text or "", replaced_by="merge")
            elif how != Conflict.Resolution.KEPT_LOCAL:
                raise ValueError(f"Unknown resolution {how!r}.")
            # The upstream file has now been seen: its next unchanged import is not a conflict.
            Definition.objects.filter(pk=definition.pk).update(
                raw=upstream, sha256=conflict.upstream_sha256, size=len(upstream)
            )
        conflict.resolution = how
        conflict.resolved_at = timezone.now()
        conflict.save()
    definition.refresh_from_db()
    return definition


def _planned_for(definition, raw):
    """Analyse bytes as if they were the definition's file at its source path."""
    candidate = discovery.Candidate(
        path=Path(definition.source_path),
        relpath=definition.source_path,
        collection_root=Path(definition.collection.source_root or "."),
        kind=definition.kind,
        format=definition.format,
        namespace=definition.namespace,
        plugin=definition.plugin,
    )
    planned = _Planned(candidate=candidate, raw=raw, sha256=hashlib.sha256(raw).hexdigest())
    _analyse_all([planned])
    return planned
