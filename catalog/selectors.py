"""Reads the browse pages share: list filters, filter options, a definition's panels and variants.

Views stay thin: they parse the request into a ``DefinitionFilters``, ask these functions for
querysets and small dataclasses, and pick a template. Every function here issues a fixed
number of queries whatever the size of the catalog, so page query counts can be pinned.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.functional import cached_property

from .core.rendering import render_markdown
from .core.rules import RULES
from .core.similarity import jaccard, vocabulary
from .core.text import slugify
from .models import (
    Collection,
    Definition,
    DefinitionQuerySet,
    DefinitionTool,
    DefinitionVersion,
    Edge,
    ImportRun,
    Problem,
    Reference,
    Tool,
)

PAGE_SIZE = 50

# ``?sort=`` choices in the order the form offers them (DefinitionQuerySet.SORT_ORDERS).
SORT_CHOICES = (
    ("name", "Name (A–Z)"),
    ("-name", "Name (Z–A)"),
    ("collection", "Collection"),
    ("-size", "Size (largest first)"),
    ("size", "Size (smallest first)"),
    ("-collaborators", "Collaborators (most first)"),
    ("collaborators", "Collaborators (fewest first)"),
)
PROBLEM_CHOICES = (("", "Any"), ("yes", "With problems"), ("no", "Without problems"))

# Frontmatter keys some supported format defines; anything else is shown as "unknown".
KNOWN_FIELDS = frozenset(
    {
        "name", "description", "tools", "allowed-tools", "disallowed-tools", "model", "color",
        "argument-hint", "disable-model-invocation", "license", "metadata", "version",
        "mode", "temperature", "top_p", "permission", "disable", "prompt",
        "target", "mcp-servers", "handoffs", "infer",
    }
)  # fmt: skip


# ---------------------------------------------------------------------------
# Caching what only changes with the catalog
# ---------------------------------------------------------------------------

CACHE_SECONDS = 300


def catalog_stamp():
    """A value that changes whenever the catalog may have: an import started or finished,
    a definition was edited (edits keep a version), or staff changed anything else in the
    admin (a manual edge, a collection's slug: the admin logs every change). One small
    query; imports run in another process, so the database is the only place both can see.
    """
    latest = (
        ImportRun.objects.order_by("-pk")
        .annotate(
            edit=Subquery(DefinitionVersion.objects.order_by("-pk").values("pk")[:1]),
            admin=Subquery(LogEntry.objects.order_by("-pk").values("pk")[:1]),
        )
        .values_list("pk", "status", "edit", "admin")
        .first()
    )
    if latest is None:  # nothing imported yet: only the admin can have changed anything
        latest = ("empty", LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first())
    return "-".join(map(str, latest))


def cached(name, compute):
    """``compute()``, cached until the catalog changes (or ``CACHE_SECONDS`` pass)."""
    return cache.get_or_set(f"agentdash:{name}:{catalog_stamp()}", compute, CACHE_SECONDS)


# ---------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DefinitionFilters:
    """The state of a definition list, all of it from the URL's query string."""

    collection: str = ""
    file_format: str = ""  # not "format": ?format=json asks for the JSON twin
    model: str = ""
    tool: str = ""
    skill: str = ""
    problems: str = ""  # "" (any), "yes" or "no"
    rule: str = ""  # a rule id (Problem.code): definitions with at least one such problem
    min_size: int | None = None  # file size in bytes, inclusive
    max_size: int | None = None  # file size in bytes, inclusive
    sort: str = "name"

    @classmethod
    def from_query(cls, query):
        """Read ``request.GET``; values that cannot be valid are dropped, never an error."""

        def text(name):
            return query.get(name, "").strip()[:300]

        def size(name):
            value = text(name)
            # isascii: "²" is a digit to isdigit() but not to int(); 18 digits fit a bigint.
            return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None

        fmt = text("file_format")
        problems = text("problems")
        sort = text("sort")
        return cls(
            collection=text("collection"),
            file_format=fmt if fmt in Definition.Format.values else "",
            model=text("model"),
            tool=text("tool"),
            skill=text("skill"),
            problems=problems if problems in ("yes", "no") else "",
            rule=text("rule")[:100],
            min_size=size("min_size"),
            max_size=size("max_size"),
            sort=sort if sort in DefinitionQuerySet.SORT_ORDERS else "name",
        )

    @property
    def active(self):
        """Whether anything narrows the list (sorting does not)."""
        return any(
            (self.collection, self.file_format, self.model, self.tool, self.skill, self.problems, self.rule)
        ) or (self.min_size, self.max_size) != (None, None)

    def apply(self, queryset):
        if self.collection:
            queryset = queryset.in_collection(self.collection)
        if self.file_format:
            queryset = queryset.filter(format=self.file_format)
        if self.model:
            queryset = queryset.filter(model=self.model)
        if self.tool:
            queryset = queryset.using_tool(self.tool)
        if self.skill:
            queryset = queryset.referencing(Reference.Kind.SKILL, self.skill)
        if self.problems:
            queryset = queryset.with_problems(self.problems == "yes")
        if self.rule:
            # An unknown rule matches nothing rather than being ignored: a link to a rule's
            # list must never show the whole catalog.
            queryset = queryset.filter(Exists(Problem.objects.filter(definition=OuterRef("pk"), code=self.rule)))
        if self.min_size is not None:
            queryset = queryset.filter(size__gte=self.min_size)
        if self.max_size is not None:
            queryset = queryset.filter(size__lte=self.max_size)
        return queryset.sorted_by(self.sort)


CHIPS_SHOWN = 6


class ListedTool(NamedTuple):
    """A tool as a list row shows it: canonical name and kind, and how the file wrote it."""

    name: str
    kind: str
    raw: str
    legacy: str
    enabled: bool

    @property
    def flagged(self):
        return bool(self.legacy) or not self.enabled or self.kind == Tool.Kind.OTHER


def add_tool_chips(definitions):
    """Give each listed definition ``listed_tools`` (its ``ListedTool``s in the order written),
    ``tool_names`` (canonical, each once), ``chips`` (the first few as ``(name, raw, flagged)``)
    and ``more_tools``.

    One query for the whole page, read as tuples: a page of 100 rows lists some 500 tools,
    and building a model instance for each costs more than the query.
    """
    listed = defaultdict(list)
    links = (
        DefinitionTool.objects.filter(definition__in=definitions)
        .order_by("definition", "position")
        .values_list("definition_id", "tool__name", "tool__kind", "raw", "legacy", "enabled")
    )
    for definition_id, *link in links:
        listed[definition_id].append(ListedTool(*link))
    for definition in definitions:
        definition.listed_tools = listed[definition.pk]
        names = {}
        for link in definition.listed_tools:
            names.setdefault(link.name, (link.name, link.raw, link.flagged))
        definition.tool_names = list(names)
        definition.chips = list(names.values())[:CHIPS_SHOWN]
        definition.more_tools = max(0, len(names) - CHIPS_SHOWN)


def definition_list(kind, filters):
    """Present definitions of one kind, filtered and sorted, ready for a list page."""
    return filters.apply(Definition.objects.present().filter(kind=kind).for_list())


class FilterOptions:
    """Choices for a list's filter form, each ``(value, label, count)``.

    Counting them scans every definition of the kind, so they are computed on first use
    (an HTMX fragment never uses them) and cached until the catalog changes.
    """

    def __init__(self, kind):
        self.kind = kind

    @cached_property
    def _choices(self):
        return cached(f"filter-options:{self.kind}", lambda: _filter_choices(self.kind))

    @property
    def collections(self):
        return self._choices["collections"]

    @property
    def formats(self):
        return self._choices["formats"]

    @property
    def models(self):
        return self._choices["models"]

    @property
    def tools(self):
        return self._choices["tools"]

    @property
    def skills(self):
        return self._choices["skills"]

    @property
    def rules(self):
        return self._choices["rules"]


def _filter_choices(kind):
    present = Definition.objects.present().filter(kind=kind)
    labels = dict(Definition.Format.choices)
    collections = (
        Collection.objects.filter(definitions__kind=kind, definitions__missing=False)
        .annotate(n=Count("definitions"))
        .order_by("name")
        .values_list("slug", "name", "n")
    )
    formats = present.order_by("format").values_list("format").annotate(n=Count("pk"))
    models = model_counts(present).order_by("model")
    tools = tool_counts(present).order_by("name")
    skills = (
        Reference.objects.filter(kind=Reference.Kind.SKILL, definition__in=present)
        .order_by("name")
        .values_list("name")
        .annotate(n=Count("definition", distinct=True))
    )
    problems = rule_counts(present).order_by("code")
    return {
        "collections": list(collections),
        "formats": [(value, labels.get(value, value), n) for value, n in formats],
        "models": [(value, value, n) for value, n in models],
        "tools": [(name, name, n) for name, n in tools],
        "skills": [(name, name, n) for name, n in skills],
        "rules": [(code, _rule_label(code), n) for code, n in problems],
    }


# Counts shared by the filter choices and the overview's charts, so a bar and the list it links
# to count the same way. Each is ``(value, n)`` rows, to be ordered by the caller.


def model_counts(definitions):
    """Definitions per ``model`` field (as written), those without one left out."""
    return definitions.exclude(model="").order_by().values_list("model").annotate(n=Count("pk"))


def tool_counts(definitions):
    """Definitions allowed each tool, by canonical name; a tool listed as disabled does not count,
    as in the list's tool filter."""
    return (
        Tool.objects.filter(definition_links__definition__in=definitions, definition_links__enabled=True)
        .annotate(n=Count("definition_links__definition", distinct=True))
        .values_list("name", "n")
    )


def rule_counts(definitions):
    """Definitions with at least one problem of each rule (``Problem.code``)."""
    return (
        Problem.objects.filter(definition__in=definitions)
        .order_by()
        .values_list("code")
        .annotate(n=Count("definition", distinct=True))
    )


def _rule_label(code):
    rule = RULES.get(code)
    return f"{code}: {rule.title}" if rule else code


def filter_options(kind):
    """Every value the list of ``kind`` can be filtered by, with how many definitions have it."""
    return FilterOptions(kind)


def tool_list(kind="", sort="name"):
    """Every tool with the number of present definitions allowed it (disabled listings do not count)."""
    allowed = Q(definition_links__definition__missing=False, definition_links__enabled=True)
    tools = Tool.objects.annotate(n=Count("definition_links__definition", filter=allowed, distinct=True))
    tools = tools.filter(n__gt=0)
    if kind in Tool.Kind.values:
        tools = tools.filter(kind=kind)
    return tools.order_by("-n", "name") if sort == "usage" else tools.order_by("name")


def collection_list():
    """Collections with their number of agents, commands and skills and of problems."""
    present = Q(definitions__missing=False)
    return Collection.objects.annotate(
        agents=Count("definitions", filter=present & Q(definitions__kind=Definition.Kind.AGENT)),
        commands=Count("definitions", filter=present & Q(definitions__kind=Definition.Kind.COMMAND)),
        skills=Count("definitions", filter=present & Q(definitions__kind=Definition.Kind.SKILL)),
    ).order_by("name")


# ---------------------------------------------------------------------------
# One definition
# ---------------------------------------------------------------------------


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


@dataclass(frozen=True)
class FrontmatterField:
    key: str
    value: str
    known: bool
    block: bool  # a nested value, shown as indented JSON


def frontmatter_fields(frontmatter):
    """Every frontmatter field in file order, unknown ones included and flagged."""
    fields = []
    for key, value in frontmatter.items():
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
            text, block = json.dumps(value, indent=2, ensure_ascii=False), True
        elif isinstance(value, list):
            text, block = ", ".join(map(_scalar, value)), False
        else:
            text = _scalar(value)
            block = "\n" in text
        fields.append(FrontmatterField(key=str(key), value=text, known=str(key) in KNOWN_FIELDS, block=block))
    return fields


def _scalar(value):
    """Strings as written; YAML's other scalars as YAML would write them (true, null, 2.0)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def compare_url(left, right, *, base=None):
    """The diff page for two definitions; pass ``base`` (the compare path) when building many."""
    return f"{base or reverse('catalog:compare')}?{urlencode({'left': left.key, 'right': right.key})}"


@dataclass(frozen=True)
class Variant:
    """Another definition that is this one under the same name, or close to it in content."""

    definition: Definition
    similarity: float  # Jaccard similarity of the bodies' vocabularies, 0..1
    compare_url: str

    @property
    def percent(self):
        return round(self.similarity * 100)


# Collaborations in the order a reader follows work: who feeds it, who it feeds, peers...
EDGE_ORDER = {kind: position for position, kind in enumerate(Edge.Kind.values)}


@dataclass(frozen=True)
class Panels:
    """Everything the detail page shows around a definition's body."""

    tools: list
    skills: list
    commands: list
    edges_out: list
    edges_in: list
    problems: list
    referenced_by: list
    same_name: list
    similar: list
    frontmatter: list = field(default_factory=list)


# A neighbour in a panel needs its name and URL, never its file: without this, one page read
# every collaborator's raw bytes, body and rendered HTML (seconds per page on PostgreSQL).
_HEAVY_FIELDS = ("raw", "source_text", "body", "rendered_html", "rendered_toc", "frontmatter", "examples")


def _heavy(relation):
    return [f"{relation}__{name}" for name in _HEAVY_FIELDS]


def definition_panels(definition):
    """The detail page's panels, in a fixed number of queries."""
    references = list(definition.references.select_related("target__collection"))
    same_name, similar = variants(definition)
    return Panels(
        tools=list(definition.tool_links.select_related("tool").order_by("position")),
        skills=[r for r in references if r.kind == Reference.Kind.SKILL],
        commands=[r for r in references if r.kind == Reference.Kind.COMMAND],
        edges_out=sorted(
            definition.edges_out.select_related("target__collection").defer(*_heavy("target")),
            key=lambda e: (EDGE_ORDER.get(e.kind, len(EDGE_ORDER)), e.target_name),
        ),
        edges_in=sorted(
            definition.edges_in.select_related("source__collection").defer(*_heavy("source")),
            key=lambda e: (EDGE_ORDER.get(e.kind, len(EDGE_ORDER)), e.source.name, e.source_id),
        ),
        problems=list(Problem.objects.filter(definition=definition).order_by("line", "code")),
        referenced_by=list(
            definition.referenced_by.select_related("definition__collection").order_by(
                "definition__name", "definition__collection__name"
            )
        ),
        same_name=same_name,
        similar=similar,
        frontmatter=frontmatter_fields(definition.frontmatter),
    )


# ---------------------------------------------------------------------------
# Variants: the same definition elsewhere, and the closest ones by content
# ---------------------------------------------------------------------------

SAME_NAME_LIMIT = 30
SIMILAR_POOL = 100  # per source: name words, same collection
SIMILAR_CANDIDATES = 15
DESCRIPTION_CHARS = 600
SIMILAR_LIMIT = 6
MIN_SIMILARITY = 0.1

# Words so common in agent names that sharing one says nothing about content.
_GENERIC_NAME_WORDS = frozenset(
    {"agent", "agents", "expert", "specialist", "assistant", "helper", "mode", "prompt", "skill", "command",
     "the", "and", "for", "with", "pro", "engineer", "developer"}
)  # fmt: skip
_VARIANT_FIELDS = ("pk", "kind", "slug", "name", "body", "sha256", "size", "collection__slug", "collection__name")


def _name_words(definition):
    words = set(re.split(r"[^a-z0-9]+", f"{definition.slug} {slugify(definition.name)}".lower()))
    return sorted(w for w in words if len(w) >= 3 and w not in _GENERIC_NAME_WORDS)


def variants(definition):
    """``(same_name, similar)``: lists of ``Variant``, each with its content similarity.

    Same name means the same kind and slug, or the same name, in another collection.
    Similar by content cannot compare against the whole catalog per request, so it is a
    funnel: definitions of the same kind sharing a distinctive name word or the collection,
    ranked by their descriptions' shared words, and the best ``SIMILAR_CANDIDATES`` of them
    (plus any exact copy) compared by the Jaccard similarity of their bodies' vocabularies.
    Scores are cached until the catalog changes, so later views cost two small queries.
    """
    scores = cached(f"variants:{definition.pk}:{definition.sha256}", lambda: _variant_scores(definition))
    rows = Definition.objects.filter(pk__in=[pk for pk, _, _ in scores]).select_related("collection")
    rows = rows.only("pk", "kind", "slug", "name", "collection__slug", "collection__name").in_bulk()
    base = reverse("catalog:compare")
    found = [
        (same, Variant(rows[pk], similarity, compare_url(definition, rows[pk], base=base)))
        for pk, similarity, same in scores
        if pk in rows
    ]
    return [v for same, v in found if same], [v for same, v in found if not same]


def _variant_scores(definition):
    """``[(pk, similarity, same_name)]``, best first within each group; what ``variants`` caches.

    On SQLite the large columns (body, raw) sit in each row before the small ones, so a query
    that touches many rows must only read indexes or the columns stored ahead of the large
    ones (name, description). The funnel below does, and reads bodies for a few rows only.
    """
    mine = vocabulary(definition.body)
    present = Definition.objects.present().filter(kind=definition.kind).exclude(pk=definition.pk)
    with_body = present.select_related("collection").only("pk", "sha256", "body", "collection__name")

    slugs = {definition.slug, slugify(definition.name)} - {""}
    same_rows = list(
        with_body.filter(Q(slug__in=slugs) | Q(name=definition.name)).order_by("collection__name", "pk")[
            :SAME_NAME_LIMIT
        ]
    )
    skip = {definition.pk} | {row.pk for row in same_rows}

    # 1. The pool: a distinctive word of the name in the slug (a scan of the (kind, slug)
    #    index), or the same collection, whose members are often close relatives.
    of_kind = Definition.objects.filter(kind=definition.kind).order_by()
    pool = set()
    name_words = Q()
    for word in _name_words(definition):
        name_words |= Q(slug__icontains=word)
    if name_words:
        pool.update(of_kind.filter(name_words).values_list("pk", flat=True)[:SIMILAR_POOL])
    pool.update(of_kind.filter(collection_id=definition.collection_id).values_list("pk", flat=True)[:SIMILAR_POOL])
    pool -= skip

    # 2. Rank the pool by what the descriptions share, keep the best few.
    described = vocabulary(definition.description)
    ranked = sorted(
        Definition.objects.filter(pk__in=pool).values_list("pk", "description"),
        key=lambda row: (-jaccard(described, vocabulary(row[1][:DESCRIPTION_CHARS])), row[0]),
    )
    shortlist = [pk for pk, _ in ranked[:SIMILAR_CANDIDATES]]

    # 3. Compare bodies, for the shortlist and any exact copy.
    candidates = with_body.filter(Q(pk__in=shortlist) | Q(sha256=definition.sha256)).exclude(pk__in=skip)

    def similarity(row):
        return 1.0 if row.sha256 == definition.sha256 else jaccard(mine, vocabulary(row.body))

    same_name = sorted((-similarity(row), row.collection.name, row.pk) for row in same_rows)
    similar = sorted((-similarity(row), row.pk) for row in candidates)
    return [(pk, -score, True) for score, _, pk in same_name] + [
        (pk, -score, False) for score, pk in similar[:SIMILAR_LIMIT] if -score >= MIN_SIMILARITY
    ]


# ---------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedName:
    """One name that several collections define, with links to compare the copies."""

    kind: str
    slug: str
    definitions: list

    @property
    def comparisons(self):
        first = self.definitions[0]
        return [(other, compare_url(first, other)) for other in self.definitions[1:]]


def shared_names(limit=8):
    """Names defined in the most collections, each with its definitions (two queries)."""
    top = list(
        Definition.objects.present()
        .values("kind", "slug")
        .annotate(n=Count("collection", distinct=True))
        .filter(n__gt=1)
        .order_by("-n", "kind", "slug")[:limit]
    )
    if not top:
        return []
    wanted = Q()
    for row in top:
        wanted |= Q(kind=row["kind"], slug=row["slug"])
    rows = (
        Definition.objects.present()
        .filter(wanted)
        .select_related("collection")
        .only("pk", "kind", "slug", "name", "collection__slug", "collection__name")
        .order_by("collection__name", "pk")
    )
    grouped = {(row["kind"], row["slug"]): [] for row in top}
    for definition in rows:
        grouped[(definition.kind, definition.slug)].append(definition)
    return [SharedName(kind=kind, slug=slug, definitions=defs) for (kind, slug), defs in grouped.items()]
