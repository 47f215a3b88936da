"""The importer: turns directories and files of definitions into catalog rows.

Reading and parsing happen first, outside any transaction, in the pure-Python cores. All
writes then happen in one transaction, so the database holds either the previous catalog or
the new one, never half of one, even when the process is killed mid-run. A bad file is
recorded as a problem and never stops the others.

The rows of each written definition are filled and derived by ``catalog.services.rows``,
which staff edits (``catalog.services.editing``) share; ``wait_for_imports`` and
``analyse_all`` are theirs to use too.
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
from django.utils import timezone

from .. import search
from ..core import discovery, parsing, resources, rules, sources
from ..core.analysis import analyse_batch
from ..core.text import slugify
from ..models import (
    Collection,
    Conflict,
    Definition,
    DefinitionTool,
    Edge,
    ImportRun,
    Item,
    Problem,
    Reference,
    Tool,
)
from . import families, rows
from .resources import store as store_resources

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
    adopted: int = 0  # definitions taken over from per-folder collections of older catalogs
    skip_reasons: Counter = field(default_factory=Counter)
    rejections: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    collections: list = field(default_factory=list)
    sources: list = field(default_factory=list)  # git sources: {url, ref, commit, previous} (services.sources)

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
            "adopted": self.adopted,
            "skip_reasons": dict(sorted(self.skip_reasons.items())),
            "rejections": self.rejections,
            "problems": self.problems,
            "collections": self.collections,
            "sources": self.sources,
        }


@dataclass(frozen=True)
class GitOrigin:
    """What ``services.sources`` knows of a checkout it hands over: its identity and history."""

    key: str  # the collection's source_key, ``git:<repository key>[@ref]``
    name: str  # owner/repo[@ref]
    host: str  # qualifies the name when another source holds it
    url: str  # redacted, never with credentials
    ref: str
    commit: str
    changes: dict = field(default_factory=dict)  # {relpath: core.sources.LastChange}


@dataclass
class _CollectionPlan:
    info: discovery.CollectionInfo
    key: str  # the collection's source_key: what it is looked up by, never its name
    name: str  # the name it gets when it is created
    complete: bool  # the whole collection root was walked, so unseen files are missing
    files: list = field(default_factory=list)
    resources: list = field(default_factory=list)  # core.resources.ReadResource: kept for exports
    git: GitOrigin | None = None
    changes: dict | None = None  # {relpath: LastChange} when the root is a git checkout


def import_paths(paths, *, collection_name=None, progress=None, origins=None, run=None):
    """Import files and directories; return ``(ImportRun, ImportReport)``.

    ``collection_name`` puts everything into one collection of that name. ``progress`` is
    called as ``progress(done, total)`` while files are read. ``origins`` maps a checkout
    (one of ``paths``) to its ``GitOrigin`` (``services.sources`` fetches them). ``run`` is an
    ``ImportRun`` recorded beforehand (one queued from the admin); else the import records its own.
    """
    report = ImportReport()
    origins = {Path(path).resolve(): origin for path, origin in (origins or {}).items()}
    plans = _plan(paths, collection_name, report)
    for plan in plans:
        _adopt_origin(plan, origins.get(plan.info.root))
        plan.changes = plan.git.changes if plan.git else _checkout_changes(plan)
    known = _known_hashes(plans)
    changed = {
        plan.key
        for plan in plans
        for planned in plan.files
        if not planned.rejection and known.get((plan.key, planned.candidate.relpath)) != planned.sha256
    }
    # Cross-file rules (duplicate names, unresolved references) need every file of a changed
    # collection; a collection with no change keeps the findings it has.
    todo = [planned for plan in plans if plan.key in changed for planned in plan.files if not planned.rejection]
    analyse_all(todo, progress)
    # Families sign the new and changed bodies here, outside the transaction's write lock.
    signed = families.sign_bodies(
        planned.parsed.body
        for plan in plans
        for planned in plan.files
        if planned.parsed and known.get((plan.name, planned.candidate.relpath)) != planned.sha256
    )

    if run is None:
        # A checkout is recorded by its (redacted) URL: its folder is the server's business.
        by_root = {root: origin.url + (f"@{origin.ref}" if origin.ref else "") for root, origin in origins.items()}
        run = ImportRun.objects.create(paths=[by_root.get(Path(p).resolve(), str(p)) for p in paths])
    try:
        with transaction.atomic():
            _acquire_write_lock()
            tools, changed = {}, []
            for plan in plans:
                _write_collection(plan, run, report, tools, changed)
            rows.resolve_catalog()
            families.refresh_families(changed, signed)
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


def wait_for_imports():
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
            root = _imported_root_of(path.resolve())
            relpath = path.resolve().relative_to(root).as_posix()
            info = discovery.CollectionInfo(
                root=root,
                name=root.name,
                kind="directory",
                origin="",
                commit="",
                description="",
                source_key=f"dir:{root}",
            )
            plan = _plan_for(plans, info, collection_name, complete=False)
            kind, fmt, namespace, reason = discovery.classify(relpath, _head(path))
            if kind is None and reason.startswith("not a definition"):
                kind, fmt = "agent", "claude-code"  # named explicitly: the user says it is one
            candidate = discovery.Candidate(
                path=path.resolve(),
                relpath=relpath,
                collection_root=root,
                kind=kind,
                format=fmt,
                namespace=namespace,
                skip_reason="" if kind else reason,
                category=discovery.category_of(relpath, kind) if kind else "",
            )
            _add_candidate(plan, candidate, report)
        else:
            report.found += 1
            report.rejected += 1
            report.rejections.append({"path": str(path), "reason": "No such file or directory."})
    return list(plans.values())


def _imported_root_of(file):
    """The deepest folder already imported as a collection that holds the file, else its folder:
    a file given alone joins its repository's collection rather than one named after its folder."""
    roots = [
        Path(key.removeprefix("dir:"))
        for key in Collection.objects.filter(source_key__startswith="dir:").values_list("source_key", flat=True)
    ]
    holding = [root for root in roots if file.is_relative_to(root)]
    return max(holding, key=lambda root: len(root.parts)) if holding else file.parent


def _adopt_origin(plan, origin):
    """A checkout's collection is its repository's: keyed, named and dated by its git origin."""
    if origin is None:
        return
    plan.git, plan.key, plan.name = origin, origin.key, origin.name


def _plan_for(plans, info, collection_name, complete):
    key = f"name:{collection_name}" if collection_name else info.source_key
    if key not in plans:
        plans[key] = _CollectionPlan(info=info, key=key, name=collection_name or info.name, complete=complete)
    else:
        plans[key].complete = plans[key].complete and complete
    return plans[key]


def _head(path, size=4096):
    with open(path, "rb") as handle:
        return handle.read(size).decode("utf-8", "replace")


def _add_candidate(plan, candidate, report):
    report.found += 1
    if candidate.kind is None:
        report.skipped += 1
        report.skip_reasons[candidate.skip_reason or "not a definition"] += 1
        kept = resources.read(candidate)
        if kept is not None:
            plan.resources.append(kept)
        return
    planned = rows.Planned(candidate=candidate, raw=b"", sha256="")
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
    keys = [plan.key for plan in plans]
    rows = Definition.objects.filter(collection__source_key__in=keys).values_list(
        "collection__source_key", "source_path", "sha256"
    )
    return {(collection, path): sha for collection, path, sha in rows}


# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 200
BATCH_SIZE = 25


def analyse_all(todo, progress=None):
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
    report.adopted += _adopt_folder_collections(collection, plan)
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
            rows.keep_version(current)
            updated.append((definition, planned))
        rows.fill(definition, planned, slug, run, now)
        definition.category = planned.candidate.category[: rows.max_length(Definition, "category")]

    cross = _collection_findings(plan) if created or updated else {}
    for definition, planned in created + updated:
        definition.problem_count = len(planned.analysis.findings) + len(cross.get(planned.candidate.relpath, ()))
    Definition.objects.bulk_create([d for d, _ in created], batch_size=200)
    for definition, _ in updated:
        definition.save()
    report.created += len(created)
    report.updated += len(updated)
    rows.replace_derived(created + updated, [d.pk for d, _ in updated], collection, run, tools, cross, report=report)
    _refresh_cross_findings(collection, existing, created + updated, cross, run)
    changed.extend(d.pk for d, _ in created + updated)
    _record_rejections(rejected, collection, run, report)

    if plan.complete:
        vanished = [d.pk for path, d in existing.items() if path not in seen and not d.missing]
        report.missing += len(vanished)
        Definition.objects.filter(pk__in=vanished).update(missing=True)
    store_resources(collection, plan.resources, complete=plan.complete)
    if plan.changes:
        _date_upstream(collection, plan.changes)


def _adopt_folder_collections(collection, plan):
    """Catalogs made before collections were their sources split a repository into one
    collection per folder (``design``, ``engineering``...). The repository's collection takes
    over the collections of folders inside its root: their definitions move (same rows, so
    versions, edits and conflicts follow) with their paths made relative to the root, and the
    emptied collections go. A slug another definition already holds is made unique from the
    path, as the importer does. Returns how many definitions moved."""
    if not plan.complete or not plan.key.startswith("dir:"):
        return 0
    inner = list(Collection.objects.filter(source_key__startswith=plan.key + "/").exclude(pk=collection.pk))
    if not inner:
        return 0
    held = collection.definitions.values_list("kind", "slug", "source_path")
    taken = {(kind, slug): path for kind, slug, path in held}
    moved = 0
    for old in inner:
        folder = old.source_key.removeprefix(plan.key + "/")
        for definition in old.definitions.only("pk", "kind", "slug", "source_path"):
            path = f"{folder}/{definition.source_path}"
            slug = definition.slug
            if (definition.kind, slug) in taken:
                slug = _unique_slug(_SlugOnly(definition.kind, slug), path, taken)
            taken[(definition.kind, slug)] = path
            category = discovery.category_of(path, definition.kind)
            Definition.objects.filter(pk=definition.pk).update(
                collection=collection, source_path=path, slug=slug, category=category
            )
            moved += 1
        for problem in Problem.objects.filter(collection=old).only("pk", "path"):
            Problem.objects.filter(pk=problem.pk).update(collection=collection, path=f"{folder}/{problem.path}")
        old.delete()
    return moved


@dataclass(frozen=True)
class _SlugOnly:
    """What ``_unique_slug`` reads of a parsed file, for a definition that is only moved."""

    kind: str
    slug: str


def _checkout_changes(plan):
    """When each file of a clone made by hand last changed (one ``git log``); None when the
    root is no checkout, or git cannot tell: the dates are a bonus, never a reason to fail."""
    if not plan.complete or plan.key.startswith("name:") or not (plan.info.root / ".git").exists():
        return None
    try:
        return sources.last_changes(plan.info.root)
    except sources.SourceError:
        return None


def _date_upstream(collection, changes):
    """Every definition of a git collection gets the commit that last changed its file."""
    stale = []
    for definition in collection.definitions.only("pk", "source_path", "upstream_commit", "upstream_exact"):
        change = changes.get(definition.source_path)
        if change is None or (change.commit, change.exact) == (definition.upstream_commit, definition.upstream_exact):
            continue
        definition.upstream_commit, definition.upstream_exact = change.commit, change.exact
        definition.upstream_changed_at = change.date
        stale.append(definition)
    Definition.objects.bulk_update(stale, ["upstream_commit", "upstream_exact", "upstream_changed_at"], batch_size=500)


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
    """A ``Problem`` row for a finding (``definition`` is None for a rejected file)."""
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
        report.rejections.append({"path": rows.display_path(collection, relpath), "reason": problem.message})
        problems.append(_problem_row(None, collection, run, relpath, rules.finding_from_problem(problem)))
    Problem.objects.bulk_create(problems, batch_size=500)


def _upsert_collection(plan):
    """The plan's collection, looked up by its source key; a new one gets a unique name, kept
    by later imports (staff may rename it)."""
    info = plan.info
    collection = Collection.objects.filter(source_key=plan.key).first()
    if collection is None and plan.key.startswith("name:"):
        # --collection NAME adds to the collection of that name, whatever made it.
        collection = Collection.objects.filter(name=plan.name).first()
    if collection is None:
        name = _unique_collection_name(plan)
        collection = Collection(source_key=plan.key, name=name, slug=_unique_collection_slug(name))
    collection.kind = info.kind
    collection.origin = info.origin or collection.origin
    collection.commit = info.commit or collection.commit
    collection.description = info.description or collection.description
    collection.marketplace = info.marketplace or collection.marketplace
    collection.source_root = str(info.root)
    if plan.git is not None:
        collection.origin, collection.commit = plan.git.url, plan.git.commit
        collection.source_url, collection.ref, collection.synced_at = plan.git.url, plan.git.ref, timezone.now()
    collection.save()
    return collection


def _unique_collection_name(plan):
    """The plan's name, or, when another source holds it, qualified by the root's parent
    folders one at a time (``work/agents``, ``home/work/agents``), else numbered."""
    limit = rows.max_length(Collection, "name")
    base = plan.name[:limit]
    candidates = [base]
    if plan.git is not None and plan.git.host:
        candidates.append(f"{plan.git.host}/{base}"[:limit])
    elif plan.key.startswith("dir:"):
        parents = [p.name for p in plan.info.root.parents if p.name]
        candidates += ["/".join([*reversed(parents[:n]), base])[-limit:] for n in range(1, len(parents) + 1)]


    taken = set(Collection.objects.filter(name__in=candidates).values_list("name", flat=True))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    n = 2
    while Collection.objects.filter(name=f"{base[: limit - 6]} ({n})").exists():
        n += 1
    return f"{base[: limit - 6]} ({n})"


def _unique_collection_slug(name):
    base = slugify(name) or "collection"
    slug, n = base, 2
    while Collection.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _unique_slug(parsed, relpath, taken):
    """Keep the parsed slug unless another file of the same kind already holds it.

    Either way it fits its column: a slug-like name of 2,000 characters is cut, and a path
    made unique leaves room for its "-<n>".
    """
    limit = rows.max_length(Definition, "slug")
    slug = (parsed.slug or slugify(Path(relpath).stem) or "unnamed").replace("/", ":")[:limit]
    holder = taken.get((parsed.kind, slug))
    if holder is not None and holder != relpath:
        base = (slugify(str(Path(relpath).with_suffix(""))) or "unnamed")[: limit - 8]
        slug, n = base, 2
        while taken.get((parsed.kind, slug)) not in (None, relpath):
            slug, n = f"{base}-{n}", n + 1
    taken[(parsed.kind, slug)] = relpath
    return slug
