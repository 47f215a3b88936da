"""Variants: the same definition in other collections, the closest ones by content, and the
names that several collections define.

Similar by content cannot compare against the whole catalog per request, so it is a funnel
(``variants``), and its scores are cached until the catalog changes.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from ..core.similarity import jaccard, vocabulary
from ..core.text import slugify
from ..models import Definition
from ..stamp import cached
from .links import compare_url


@dataclass(frozen=True)
class Variant:
    """Another definition that is this one under the same name, or close to it in content."""

    definition: Definition
    similarity: float  # Jaccard similarity of the bodies' vocabularies, 0..1
    compare_url: str

    @property
    def percent(self):
        return round(self.similarity * 100)


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
        (same, Variant(rows[pk], similarity, compare_url(definition.key, rows[pk].key, base=base)))
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


@dataclass(frozen=True)
class SharedName:
    """One name that several collections define, with links to compare the copies."""

    kind: str
    slug: str
    definitions: list

    @property
    def comparisons(self):
        first = self.definitions[0]
        return [(other, compare_url(first.key, other.key)) for other in self.definitions[1:]]


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
