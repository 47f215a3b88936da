"""Counts shared by the filter choices, the search filters and the overview's charts, so a bar
and the list it links to count the same way. Each is ``(value, n)`` rows, ordered by the caller."""

from django.db.models import Count

from ..core.rules import RULES
from ..models import Problem, Tool


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


def rule_label(code):
    rule = RULES.get(code)
    return f"{code}: {rule.title}" if rule else code
