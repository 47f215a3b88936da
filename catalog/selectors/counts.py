"""Counts shared by the filter choices, the search filters and the overview's charts, so a bar
and the list it links to count the same way. Each is ``(value, n)`` rows, ordered by the caller."""

from collections import Counter

from django.db.models import Count

from ..core.parsing import MODEL_SEPARATOR
from ..core.rules import RULES
from ..models import Problem, Tool


def model_counts(definitions, *, by_count=False):
    """``(model, n)``: definitions per model, those without one left out; a definition listing
    several models (Copilot) counts for each. In model order, or most used first; read when
    iterated, so a page that never shows them never counts them."""
    return _ModelCounts(definitions, by_count)


class _ModelCounts:
    def __init__(self, definitions, by_count):
        self.definitions, self.by_count = definitions, by_count

    def __iter__(self):
        counts = Counter()
        for value, n in self.definitions.exclude(model="").order_by().values_list("model").annotate(n=Count("pk")):
            for model in dict.fromkeys(value.split(MODEL_SEPARATOR)):
                counts[model] += n
        key = (lambda row: (-row[1], row[0])) if self.by_count else (lambda row: row[0])
        return iter(sorted(counts.items(), key=key))


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
