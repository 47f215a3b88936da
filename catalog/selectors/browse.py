"""Reads behind the list pages: filters from the query string, filter choices, one page of rows,
the tools and the collections.

Views stay thin: they parse the request into a ``DefinitionFilters``, ask these functions for
querysets and small values, and pick a template. Every function here issues a fixed number
of queries whatever the size of the catalog, so page query counts can be pinned.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.functional import cached_property

from ..core.keys import DefinitionKey
from ..models import Collection, Definition, DefinitionQuerySet, DefinitionTool, Problem, Reference, Tool
from ..stamp import cached
from . import finding
from .counts import model_counts, rule_counts, rule_label, tool_counts

# The vocabularies the pages offer, for views (which read no model themselves).
KINDS = Definition.Kind
FORMATS = Definition.Format
TOOL_KINDS = Tool.Kind
SEVERITIES = Problem.Severity

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
TOOL_PAGE_SIZE = 100
COLLECTION_PAGE_SIZE = 100


# ---------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DefinitionFilters:
    """The state of a definition list, all of it from the URL's query string."""

    collection: str = ""
    category: str = ""  # a folder path: definitions in it or in a folder below it
    file_format: str = ""  # not "format": ?format=json asks for the JSON twin
    model: str = ""
    tool: str = ""
    skill: str = ""
    problems: str = ""  # "" (any), "yes" or "no"
    rule: str = ""  # a rule id (Problem.code): definitions with at least one such problem
    min_size: int | None = None  # file size in bytes, inclusive
    max_size: int | None = None  # file size in bytes, inclusive
    sort: str = "name"
    q: str = ""  # words in the name, slug or description (``finding.matching``)

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
            category=text("category").strip("/"),
            file_format=fmt if fmt in Definition.Format.values else "",
            model=text("model"),
            tool=text("tool"),
            skill=text("skill"),
            problems=problems if problems in ("yes", "no") else "",
            rule=text("rule")[:100],
            min_size=size("min_size"),
            max_size=size("max_size"),
            sort=sort if sort in DefinitionQuerySet.SORT_ORDERS else "name",
            q=finding.normalize(query.get("q", "")),
        )

    @property
    def active(self):
        """Whether anything narrows the list (sorting does not)."""
        return any(
            (
                self.q,
                self.collection,
                self.category,
                self.file_format,
                self.model,
                self.tool,
                self.skill,
                self.problems,
                self.rule,
            )
        ) or (self.min_size, self.max_size) != (None, None)

    def apply(self, queryset):
        queryset = self.matching(queryset)
        if self.collection:
            queryset = queryset.in_collection(self.collection)
        if self.category:
            queryset = queryset.in_category(self.category)
        if self.file_format:
            queryset = queryset.filter(format=self.file_format)
        if self.model:
            queryset = queryset.with_model(self.model)
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

    def matching(self, queryset):
        """Only the definitions whose name, slug or description hold every term of ``q``."""
        return finding.matching(queryset, self.q, finding.DEFINITION_TEXT_FIELDS)


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


def paginate(queryset, page_number, per_page, count=None):
    """One page of ``queryset``: the page's keys first, then only that page's rows, with tool chips.

    A deep page then skips entries of an index instead of reading and joining every skipped
    row (on SQLite, every skipped file's pages). ``count``, when the caller already knows
    the number of rows, saves counting them again.
    """
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(page_number)
    keys = list(page.object_list)
    rows = queryset.in_bulk(keys) if keys else {}
    page.object_list = [rows[pk] for pk in keys]
    add_tool_chips(page.object_list)
    return page


def kind_counts(definitions):
    """``{kind: n}`` of ``definitions``, in one query: a page's tabs, and its row count per tab."""
    return dict(definitions.order_by("kind").values_list("kind").annotate(n=Count("pk")))


def kind_total(counts, kind):
    """How many rows a page lists for ``kind`` (every kind when it names none), from ``kind_counts``:
    the paginator need not count them again."""
    return counts.get(kind, 0) if kind in KINDS.values else sum(counts.values())


def kind_tabs(counts):
    """``(kind, label, n)`` for every kind, in the order the kinds are declared."""
    return [(value, label, counts.get(value, 0)) for value, label in KINDS.choices]


def kind_label(kind, plural=True):
    label = KINDS(kind).label
    return f"{label}s" if plural else label


def definition_list(kind, filters):
    """Present definitions of one kind, filtered and sorted, ready for a list page."""
    return filters.apply(Definition.objects.present().filter(kind=kind).for_list())


# What an export does not read: the rendered page and the examples stay in the database.
_NOT_EXPORTED = ("rendered_html", "rendered_toc", "examples")


def for_export(definitions):
    """The rows of a list's queryset as an export reads them: the file bytes and the collection
    with each, fetched in chunks (``defer(None)`` undoes the list's deferred columns)."""
    return definitions.defer(None).defer(*_NOT_EXPORTED).select_related("collection").iterator(chunk_size=500)


def selection(keys, kind, filters):
    """Present definitions picked for a plugin: those named by ``keys`` (``collection/kind/slug``),
    else those of ``kind`` (any kind when it names none) that ``filters`` match; in kind and name order."""
    definitions = Definition.objects.present()
    if keys:
        wanted = Q(pk__in=[])
        for key in map(DefinitionKey.parse, keys):
            wanted |= Q(collection__slug=key.collection, kind=key.kind, slug=key.slug)
        definitions = definitions.filter(wanted)
    else:
        if kind in KINDS.values:
            definitions = definitions.filter(kind=kind)
        definitions = filters.apply(definitions)
    return definitions.select_related("collection").order_by("kind", "name", "pk")


def for_listing(definitions):
    """Only what a checklist of definitions shows: kind, name, format and collection."""
    return definitions.only("pk", "kind", "slug", "name", "format", "collection__slug", "collection__name")


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
    def categories(self):
        return self._choices["categories"]

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
    categories = present.exclude(category="").order_by("category").values_list("category").annotate(n=Count("pk"))
    models = model_counts(present)
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
        "categories": [(value, value, n) for value, n in categories],
        "formats": [(value, labels.get(value, value), n) for value, n in formats],
        "models": [(value, value, n) for value, n in models],
        "tools": [(name, name, n) for name, n in tools],
        "skills": [(name, name, n) for name, n in skills],
        "rules": [(code, rule_label(code), n) for code, n in problems],
    }


def filter_options(kind):
    """Every value the list of ``kind`` can be filtered by, with how many definitions have it."""
    return FilterOptions(kind)


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------


def tools():
    """Every tool, to look one up by name."""
    return Tool.objects.all()


def tool_list(kind="", sort="name", q=""):
    """Every tool with the number of present definitions allowed it (disabled listings do not count),
    those whose name or MCP server hold every term of ``q``."""
    allowed = Q(definition_links__definition__missing=False, definition_links__enabled=True)
    tools = Tool.objects.annotate(n=Count("definition_links__definition", filter=allowed, distinct=True))
    tools = finding.matching(tools.filter(n__gt=0), q, finding.TOOL_TEXT_FIELDS)
    if kind in Tool.Kind.values:
        tools = tools.filter(kind=kind)
    return tools.order_by("-n", "name") if sort == "usage" else tools.order_by("name")


def tool_users(tool):
    """Present definitions allowed ``tool``, as list rows."""
    return Definition.objects.present().using_tool(tool.name).for_list()


def legacy_names(tool):
    """``(legacy name, n)``: how often the tool is listed under each of its old names."""
    return tool.definition_links.exclude(legacy="").values_list("legacy").annotate(n=Count("pk")).order_by("legacy")


# ---------------------------------------------------------------------------
# Collections
# ---------------------------------------------------------------------------


def collections():
    """Every collection, to look one up by slug."""
    return Collection.objects.all()


def collection_list(q=""):
    """Collections with their number of agents, commands and skills, those whose name, slug or
    description hold every term of ``q``."""
    present = Q(definitions__missing=False)
    return (
        finding.matching(Collection.objects, q, finding.COLLECTION_TEXT_FIELDS)
        .annotate(
            agents=Count("definitions", filter=present & Q(definitions__kind=Definition.Kind.AGENT)),
            commands=Count("definitions", filter=present & Q(definitions__kind=Definition.Kind.COMMAND)),
            skills=Count("definitions", filter=present & Q(definitions__kind=Definition.Kind.SKILL)),
        )
        .order_by("name")
    )


def collection_definitions(collection):
    """Present definitions of ``collection``, as list rows."""
    return Definition.objects.present().filter(collection=collection).for_list()


def collection_categories(collection):
    """``(category, category, n)``: the collection's folders with their present definitions, as a
    lazy queryset (a table's fragment never reads it)."""
    return (
        Definition.objects.present()
        .filter(collection=collection)
        .exclude(category="")
        .order_by("category")
        .values_list("category", "category")
        .annotate(n=Count("pk"))
    )


def rejections(collection):
    """The problems of files ``collection`` could not import (the importer records one per file)."""
    return Problem.objects.filter(collection=collection, definition=None).order_by("path", "line")


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------


def search_filter_options():
    """Choices for the search page's filter form, as lazy querysets: the htmx fragment never runs them."""
    present = Definition.objects.present()
    return {
        "collections": Collection.objects.filter(definitions__missing=False)
        .annotate(n=Count("definitions"))
        .order_by("name")
        .values_list("slug", "name", "n"),
        "kinds": KINDS.choices,
        "categories": present.exclude(category="").order_by("category").values_list("category").annotate(n=Count("pk")),
        "models": model_counts(present),
        "tools": tool_counts(present).order_by("name"),
    }
