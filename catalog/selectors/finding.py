"""Reads that find definitions by what they are called: the header's quick find and the lists' ``q``.

Quick find answers as someone types, so it must stay fast at 100k definitions (target
20 ms). It is three bounded reads, each an index range or probe stopped at a LIMIT
(indexes from migration 0009):

1. names starting with the text (case-folded), in name order: exact names sort first;
2. slugs starting with it, in slug order;
3. definitions whose name, slug or description hold every word as a word prefix: SQLite's
   FTS5 table ``catalog_definition_qf``, PostgreSQL's GIN-indexed ``quick_vector`` column.

``catalog.core.finding`` ranks and groups what they return. Search text is data: prefixes are
compared as ranges (no LIKE pattern is built from it), and the words reaching FTS5 or
``to_tsquery`` are the core's runs of letters and digits, each quoted.

The lists' ``q`` filter follows Django admin's ``get_search_results``: the text splits into
terms (quoted phrases stay one term); each term may match any field (``icontains``, which
escapes LIKE wildcards); a row must match every term.
"""

from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Collate, Lower
from django.urls import reverse
from django.utils.text import smart_split, unescape_string_literal

from ..core.finding import EXACT, PREFIX, WORDS, Found, Hit, better, group, normalize, words
from ..models import Definition

PER_KIND = 8  # the header's listbox
PER_KIND_PAGE = 50  # the full results page
MAX_TERMS = 10  # the lists' q filter

KINDS = tuple(Definition.Kind)
# The highest code point: every string starting with a prefix sorts below prefix + this.
_TOP = chr(0x10FFFF)
# What SQLite's lower() folds: ASCII only. The query is folded the same way, or "É" typed
# would never meet "É" stored.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_FIELDS = ("pk", "kind", "slug", "name", "collection__slug", "collection__name", "description")


def _fold(text):
    """The query case-folded the way the database folds the indexed column."""
    return text.translate(_ASCII_LOWER) if connection.vendor == "sqlite" else text.lower()


def _folded(field):
    """``lower(field)``, in code point order on PostgreSQL, matching migration 0009's index."""
    expression = Lower(field)
    return Collate(expression, "C") if connection.vendor == "postgresql" else expression


def _hit(row, match):
    pk, kind, slug, name, collection, collection_name, description = row
    url = reverse("catalog:definition_detail", args=[collection, kind, slug])
    return Hit(pk, kind, slug, name, collection, collection_name, description, match=match, url=url)


def quick_find(text, *, per_kind=PER_KIND):
    """Present definitions whose name, slug or description match ``text``, best first, grouped by kind."""
    query = normalize(text)
    if not query:
        return Found(query="", groups=[])
    folded = _fold(query)
    limit = per_kind * len(KINDS)
    present = Definition.objects.present().order_by()
    ranked = {}

    def take(rows, tier_of):
        for row in rows:
            hit = _hit(row, tier_of(row))
            if better(hit, ranked.get(hit.pk)):
                ranked[hit.pk] = hit

    for field in ("name", "slug"):
        rows = (
            present.alias(folded=_folded(field))
            .filter(folded__gte=folded, folded__lt=folded + _TOP)
            .order_by("folded", "pk")
            .values_list(*_FIELDS)[:limit]
        )
        position = _FIELDS.index(field)
        take(rows, lambda row, p=position: EXACT if _fold(row[p]) == folded else PREFIX)

    wanted = words(query)
    if wanted:
        pks = _word_matches(wanted, limit)
        take(present.filter(pk__in=pks).values_list(*_FIELDS), lambda row: WORDS)

    return Found(query=query, groups=group(ranked.values(), KINDS, per_kind))


def _word_matches(wanted, limit):
    """Ids of present definitions holding every word as a word prefix, at most ``limit``;
    the order is the index's, ranking happens afterwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Each word double-quoted (it holds no quote: only letters and digits), then
            # FTS5's prefix star outside the quotes.
            match = " AND ".join(f'"{word}"*' for word in wanted)
            cursor.execute(
                "SELECT d.id FROM catalog_definition_qf f JOIN catalog_definition d ON d.id = f.rowid"
                " WHERE catalog_definition_qf MATCH %s AND d.missing = 0 LIMIT %s",
                [match, limit],
            )
        else:
            # Each word as one quoted lexeme with a prefix flag.
            tsquery = " & ".join(f"'{word}':*" for word in wanted)
            cursor.execute(
                "SELECT id FROM catalog_definition"
                " WHERE quick_vector @@ to_tsquery('simple'::regconfig, %s) AND NOT missing LIMIT %s",
                [tsquery, limit],
            )
        return [pk for (pk,) in cursor.fetchall()]


# ---------------------------------------------------------------------------
# The lists' q filter
# ---------------------------------------------------------------------------

# What a list's ``q`` looks in, for each kind of row.
DEFINITION_TEXT_FIELDS = ("name", "slug", "description")
TOOL_TEXT_FIELDS = ("name", "server")
COLLECTION_TEXT_FIELDS = ("name", "slug", "description")


def search_terms(text):
    """``text`` split the way Django admin splits a search: on spaces, quoted phrases kept whole."""
    terms = []
    for bit in smart_split(normalize(text)):
        if bit[:1] in "\"'" and bit[-1:] == bit[:1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        if bit:
            terms.append(bit)
    return terms[:MAX_TERMS]


def matching(queryset, text, fields):
    """Rows of ``queryset`` where every term of ``text`` occurs in at least one of ``fields``."""
    terms = search_terms(text)
    if not terms:
        return queryset
    return queryset.filter(
        reduce(and_, (reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields)) for term in terms))
    )
