"""Reads behind the at-a-glance pages: the overview (whole catalog) and a collection's page.

Every number is an aggregate query, never a loop over rows, and each comes with the URL of
the filtered list that shows the same items: a bar of "agents using Bash" links to
``/agents/?tool=Bash``, and that list counts exactly as many agents. Charts count agents,
because the agent list is the one a bar can link to; problems per collection count problem
rows and link to the collection's problems table, which counts the same rows.

``overview()`` and ``collection_statistics()`` are cached until the catalog changes
(``catalog.stamp``), so a warm page costs one query.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from ..core import charts
from ..core.rules import RULES
from ..models import Definition, Edge, ImportRun, Problem
from ..stamp import cached
from .browse import collection_list
from .counts import model_counts, rule_counts, tool_counts
from .families import largest_families
from .links import graph_url, list_url
from .variants import shared_names

TOP = 10  # bars per chart
RECENT_IMPORTS = 5
OVERVIEW_CHARTS = ("models", "tools", "rules", "problem_collections", "sizes", "connected", "missing")
PROBLEM_PAGE_SIZE = 50  # rows of a collection's problems table
COLLECTION_CHARTS = ("models", "tools", "rules", "sizes", "connected", "missing")
BLOCKING = ("warning", "error")  # severities that make a definition unhealthy; "info" does not


def shown_problems(queryset=None):
    """Problems a page lists: those of present definitions and those of rejected files.

    A definition whose file vanished keeps its rows until it is re-imported, but no list
    shows it, so neither may any count.
    """
    queryset = Problem.objects.all() if queryset is None else queryset
    return queryset.filter(Q(definition=None) | Q(definition__missing=False))


# ---------------------------------------------------------------------------
# Health
# ---------------------------------------------------------------------------

HEALTH_FORMULA = "100 × definitions without warnings or errors ÷ (definitions + rejected files)"


@dataclass(frozen=True)
class Health:
    """How much of a collection imports cleanly.

    A rejected file counts as a definition that has a problem: it was meant to be one.
    Info findings do not lower the score; warnings and errors do.
    """

    definitions: int
    clean: int
    rejected: int

    formula = HEALTH_FORMULA

    @property
    def score(self):
        """0–100, or ``None`` for a collection with nothing in it."""
        total = self.definitions + self.rejected
        return round(100 * self.clean / total) if total else None

    @property
    def grade(self):
        """A badge class: ok from 90, warn from 60, err below."""
        if self.score is None:
            return ""
        return "ok" if self.score >= 90 else "warn" if self.score >= 60 else "err"


# ---------------------------------------------------------------------------
# The shared at-a-glance numbers
# ---------------------------------------------------------------------------


def statistics(collection=None):
    """Counts and charts of the whole catalog, or of one ``collection``.

    Returns a dict: ``by_kind`` {kind: n}, ``by_format`` {format: {kind: n}},
    ``definitions_with_problems``, ``agents_with_problems``, ``clean`` (definitions without
    warnings or errors), ``formats`` (table rows with links) and the charts ``models``, ``tools``, ``rules``, ``sizes``,
    ``connected`` and ``missing``, each a ``charts.BarChart``. Seven queries.
    """
    present = Definition.objects.present()
    if collection is not None:
        present = present.filter(collection=collection)
    agents = present.agents()

    def agents_url(**params):
        return list_url("agent", collection, **params)

    blocking = Problem.objects.filter(definition=OuterRef("pk"), severity__in=BLOCKING)
    by_kind, by_format, flagged, flagged_agents, clean = {}, {}, 0, 0, 0
    counts = (
        present.order_by()
        .values_list("kind", "format")
        .annotate(
            n=Count("pk"),
            flagged=Count("pk", filter=Q(problem_count__gt=0)),
            clean=Count("pk", filter=~Exists(blocking)),
        )
    )
    for kind, fmt, n, with_problems, without_blocking in counts:
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_format.setdefault(fmt, {})[kind] = n
        clean += without_blocking
        flagged += with_problems
        if kind == Definition.Kind.AGENT:
            flagged_agents += with_problems

    kinds = Definition.Kind.choices
    formats = [
        (label, [(by_format[value].get(kind, 0), list_url(kind, collection, file_format=value)) for kind, _ in kinds])
        for value, label in Definition.Format.choices
        if value in by_format
    ]
    return {
        "by_kind": {value: by_kind.get(value, 0) for value, _ in kinds},
        "by_format": by_format,
        "kinds": [(value, f"{label}s", by_kind.get(value, 0), list_url(value, collection)) for value, label in kinds],
        "formats": formats,
        "definitions_with_problems": flagged,
        "agents_with_problems": flagged_agents,
        "problems_url": agents_url(problems="yes"),
        "clean": clean,
        "models": _models_chart(agents, agents_url),
        "tools": _tools_chart(agents, agents_url),
        "rules": _rules_chart(agents, agents_url),
        "sizes": _sizes_chart(agents, agents_url),
        "connected": _connected_chart(agents, collection),
        "missing": _missing_chart(agents, collection),
    }


def _models_chart(agents, agents_url):
    rows = list(model_counts(agents, by_count=True))[:TOP]
    rows = [(model, n, agents_url(model=model)) for model, n in rows]
    return charts.bar_chart(rows, "Agents by model", unit="agents")


def _tools_chart(agents, agents_url):
    rows = tool_counts(agents).order_by("-n", "name")[:TOP]
    return charts.bar_chart([(name, n, agents_url(tool=name)) for name, n in rows], "Most used tools", unit="agents")


def _rules_chart(agents, agents_url):
    rows = rule_counts(agents).order_by("-n", "code")[:TOP]
    return charts.bar_chart(
        [(code, n, agents_url(rule=code), _rule_title(code)) for code, n in rows],
        "Agents with problems, by rule",
        unit="agents",
    )


def _rule_title(code):
    rule = RULES.get(code)
    return f"{rule.severity}: {rule.title}" if rule else ""


def _sizes_chart(agents, agents_url):
    buckets = charts.size_buckets()

    def within(bucket):
        return Q(size__gte=bucket.low) & (Q(size__lte=bucket.high) if bucket.high is not None else Q())

    counts = agents.aggregate(**{f"b{i}": Count("pk", filter=within(b)) for i, b in enumerate(buckets)})
    rows = []
    for i, bucket in enumerate(buckets):
        limits = {"min_size": bucket.low} | ({"max_size": bucket.high} if bucket.high is not None else {})
        rows.append((bucket.label, counts[f"b{i}"], agents_url(**limits)))
    return charts.bar_chart(rows, "Agents by file size", unit="agents")


def _connected_chart(agents, collection):
    top = (
        agents.filter(collaborator_count__gt=0)
        .select_related("collection")
        .only("pk", "kind", "slug", "name", "collaborator_count", "collection__slug", "collection__name")
        .order_by("-collaborator_count", "name", "pk")[:TOP]
    )
    return charts.bar_chart(
        [(a.name, a.collaborator_count, graph_url(a.key, collection), a.collection.name) for a in top],
        "Most connected agents",
        unit="collaborators",
    )


def _missing_chart(agents, collection):
    rows = (
        Edge.objects.filter(target=None, source__in=agents)
        .values_list("target_name")
        .annotate(n=Count("source", distinct=True))
        .order_by("-n", "target_name")[:TOP]
    )
    return charts.bar_chart(
        [(name, n, graph_url(f"missing:{name}", collection), "named but not in the catalog") for name, n in rows],
        "Most referenced missing agents",
        unit="agents naming it",
    )


def problems_by_collection():
    """Problem rows per collection (rejected files included), each linking to its table."""
    rows = (
        shown_problems()
        .exclude(collection=None)
        .values_list("collection__slug", "collection__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "collection__name")[:TOP]
    )
    return charts.bar_chart(
        [(name, n, reverse("catalog:collection_detail", args=[slug]) + "#problems") for slug, name, n in rows],
        "Problems by collection",
        unit="problems",
    )


def overview():
    """Everything the home page shows, cached until the catalog changes: every number there
    scans the catalog, and all of them only change with it."""
    return cached("overview", _overview)


def _overview():
    return statistics() | {
        "kind_choices": Definition.Kind.choices,
        "collections": list(collection_list()),
        "problem_collections": problems_by_collection(),
        "imports": list(ImportRun.objects.all()[:RECENT_IMPORTS]),
        "shared_names": shared_names(),
        "largest_families": largest_families(),
    }


# ---------------------------------------------------------------------------
# One collection's problems
# ---------------------------------------------------------------------------


def collection_problems(collection, *, rule="", severity=""):
    """The problems table of a collection, narrowed by rule and severity."""
    problems = shown_problems(Problem.objects.filter(collection=collection))
    if rule:
        problems = problems.filter(code=rule)
    if severity:
        problems = problems.filter(severity=severity)
    return problems.select_related("definition__collection").order_by("path", "line", "code", "pk")


@dataclass(frozen=True)
class RuleCount:
    """How many problems of one rule a collection has."""

    code: str
    severity: str
    n: int

    @property
    def title(self):
        rule = RULES.get(self.code)
        return rule.title if rule else ""


def problem_summary(collection):
    """``(by_rule, by_severity, rejected)`` for a collection's problems table, in one query.

    ``by_rule`` is a list of ``RuleCount`` (most frequent first), ``by_severity`` maps each
    severity to its count, ``rejected`` is the number of files that could not be imported
    (the importer records one problem per rejected file).
    """
    rows = (
        shown_problems(Problem.objects.filter(collection=collection))
        .order_by()
        .values_list("code", "severity")
        .annotate(n=Count("pk"), rejected=Count("pk", filter=Q(definition=None)))
    )
    by_code, by_severity, rejected = {}, {}, 0
    for code, severity, n, rejected_here in rows:
        by_code[code] = by_code.get(code, 0) + n
        by_severity[severity] = by_severity.get(severity, 0) + n
        rejected += rejected_here
    # A rule is listed under its usual severity, even when some finding was reported at another.
    by_rule = sorted(
        (RuleCount(code, RULES[code].severity if code in RULES else "", n) for code, n in by_code.items()),
        key=lambda r: (-r.n, r.code),
    )
    return by_rule, by_severity, rejected


def cached_collection_statistics(collection):
    """``collection_statistics``, cached until the catalog changes."""
    return cached(f"collection-stats:{collection.pk}", lambda: collection_statistics(collection))


def collection_statistics(collection):
    """``statistics(collection)`` plus its problems by rule and severity and its ``Health``."""
    by_rule, by_severity, rejected = problem_summary(collection)
    stats = statistics(collection)
    health = Health(definitions=sum(stats["by_kind"].values()), clean=stats["clean"], rejected=rejected)
    severity_options = [(value, label, by_severity.get(value, 0)) for value, label in Problem.Severity.choices]
    return stats | {
        "by_rule": by_rule,
        "rule_options": [(r.code, r.code, r.n) for r in by_rule],
        "by_severity": by_severity,
        "severity_options": severity_options,
        "health": health,
    }
