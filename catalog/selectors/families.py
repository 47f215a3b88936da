"""Reads for families: the core's ``Member`` records built from stored rows, the family page,
the families list, and a definition's family.

The family page lines up every version of one agent: one column per member that is not a copy
(copies are folded into their original's column as "same as"), with the rows the core computes
(``catalog.core.families.comparison``) and the score's reasons. It reads a fixed number of
queries whatever the family's size, and is cached until the catalog changes.
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from ..core.families import Member, Tool, comparison
from ..models import (
    Definition,
    DefinitionQuerySet,
    DefinitionTool,
    Edge,
    Family,
    FamilyMember,
    Item,
    Problem,
    Reference,
)
from ..stamp import cached
from .links import pairwise_compare_urls

# ---------------------------------------------------------------------------
# Members as the core reads them
# ---------------------------------------------------------------------------

_MEMBER_FIELDS = ("pk", "kind", "name", "slug", "sha256", "body", "description", "examples", "imported_at",
                  "upstream_changed_at", "collection__slug")  # fmt: skip


def core_members(definition_ids, first_imported=None):
    """``{pk: Member}`` for these definitions, in five queries.

    ``first_imported`` maps a pk to when the definition was first seen (kept by its family
    row); a definition without one was first imported by its current import.
    """
    first_imported = first_imported or {}
    ids = list(definition_ids)
    rows = Definition.objects.filter(pk__in=ids).values(*_MEMBER_FIELDS)
    tools, skills, commands = defaultdict(list), defaultdict(list), defaultdict(list)
    for pk, name, pattern, enabled in (
        DefinitionTool.objects.filter(definition__in=ids)
        .order_by("definition", "position")
        .values_list("definition", "tool__name", "pattern", "enabled")
    ):
        tools[pk].append(Tool(name, pattern, enabled))
    for pk, kind, name in Reference.objects.filter(definition__in=ids).values_list("definition", "kind", "name"):
        (skills if kind == Reference.Kind.SKILL else commands)[pk].append(name)
    items = _counts(Item.objects.filter(definition__in=ids), "field")
    severities = _counts(Problem.objects.filter(definition__in=ids), "severity")
    found = {}
    for row in rows:
        pk = row["pk"]
        collection = row["collection__slug"]
        found[pk] = Member(
            key=f"{collection}/{row['kind']}/{row['slug']}",
            kind=row["kind"],
            name=row["name"],
            slug=row["slug"],
            collection=collection,
            sha256=row["sha256"],
            text=row["body"],
            description=row["description"],
            tools=tuple(tools[pk]),
            skills=tuple(skills[pk]),
            commands=tuple(commands[pk]),
            responsibilities=items[pk][Item.Field.RESPONSIBILITY],
            metrics=items[pk][Item.Field.METRIC],
            examples=len(row["examples"] or ()),
            errors=severities[pk][Problem.Severity.ERROR],
            warnings=severities[pk][Problem.Severity.WARNING],
            # From git (the last commit that changed the file) when the collection is a checkout;
            # else the first import is the only evidence.
            upstream_changed=row["upstream_changed_at"],
            first_imported=first_imported.get(pk) or row["imported_at"],
        )
    return found


def _counts(queryset, field):
    """``{definition pk: Counter(value: n)}`` of one column, in one grouped query."""
    counts = defaultdict(Counter)
    for pk, value, n in queryset.values_list("definition", field).annotate(n=Count("pk")).order_by():
        counts[pk][value] = n
    return counts


# ---------------------------------------------------------------------------
# A definition's family
# ---------------------------------------------------------------------------


def family_of(definition):
    """``{key, url, size}`` of the definition's family, or ``None`` before families are computed.

    No query when the definition came with ``family_member__family`` joined (``detail_queryset``).
    """
    try:
        family = definition.family_member.family
    except FamilyMember.DoesNotExist:
        return None
    return {"key": family.key, "url": family.get_absolute_url(), "size": family.size}


# ---------------------------------------------------------------------------
# The families list
# ---------------------------------------------------------------------------


def family_list(*, kind="", collection="", q=""):
    """Families, largest and most divergent first, narrowed by kind, a member's collection and
    words of the name. Each carries ``member_collections`` (the slugs, sorted) for the row."""
    families = Family.objects.largest_first()
    if kind:
        families = families.of_kind(kind)
    if collection:
        families = families.in_collection(collection)
    if q:
        families = families.search(q)
    return families


OVERVIEW_FAMILIES = 10


def largest_families():
    """The overview's families: the largest of several versions, as a list (one query)."""
    return list(Family.objects.filter(versions__gt=1).largest_first()[:OVERVIEW_FAMILIES])


def add_member_collections(families):
    """Set ``member_collections`` on each family of a page (one query)."""
    by_family = defaultdict(set)
    for family_id, slug in FamilyMember.objects.filter(family__in=families).values_list("family", "collection"):
        by_family[family_id].add(slug)
    for family in families:
        family.member_collections = sorted(by_family[family.pk])
    return families


def collection_choices():
    """``(slug, slug)`` of the collections that have family members, for the filter."""
    slugs = FamilyMember.objects.order_by("collection").values_list("collection", flat=True).distinct()
    return [(slug, slug) for slug in slugs]


# ---------------------------------------------------------------------------
# The family page
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One version on the family page: a member that copies no other, and the copies of it."""

    member: FamilyMember  # its stored row (score, reasons), definition and collection loaded
    core: Member
    copies: tuple  # (key, URL) of the members that are "same as" this one
    url: str  # of the definition's page
    collection_url: str
    collaborators: tuple  # names it hands work to, as written
    compare_urls: tuple  # (other column's key, URL of the pairwise compare), for every other column

    @property
    def definition(self):
        return self.member.definition

    @property
    def key(self):
        return self.member.key


@dataclass(frozen=True)
class ToolRow:
    label: str
    cells: tuple  # bool per column


@dataclass(frozen=True)
class FamilyPage:
    family: Family
    members: tuple  # every FamilyMember, best first (copies included), for the score table
    columns: tuple  # Column, best first
    tools: tuple  # ToolRow, most allowed first
    sections: tuple  # comparison.SectionRow, cells per column
    core: comparison.CoreView
    least_tools: int | None  # the fewest tools any column allows (None: none lists tools)
    urls: dict  # member key -> its definition's page (present members)
    key_of: dict  # FamilyMember pk -> its key, for "same as"

    @property
    def uniques(self):
        """``(column, headings, tools)`` that only this column has, for columns with any."""
        found = []
        for column in self.columns:
            headings = self.core.unique_headings.get(column.key, ())
            tools = self.core.unique_tools.get(column.key, ())
            if headings or tools:
                found.append((column, headings, tools))
        return found


def family_page(key):
    """The ``FamilyPage`` of the family with this key, or ``None`` when there is none."""
    # The key comes from the URL: hashed, so any text makes a valid cache key.
    return cached(f"family:{hashlib.sha256(key.encode()).hexdigest()}", lambda: _family_page(key))


# The score table's ``?sort=`` values: every member, copies included.
MEMBER_SORTS = {
    "score": lambda m: (-m.score, m.key),
    "-score": lambda m: (m.score, m.key),
    "name": lambda m: (m.name.casefold(), m.key),
    "collection": lambda m: (m.collection, m.key),
}


def sorted_members(page, sort):
    return sorted(page.members, key=MEMBER_SORTS.get(sort, MEMBER_SORTS["score"]))


def _family_page(key):
    family = Family.objects.filter(key=key).first()
    if family is None:
        return None
    members = tuple(
        family.members.select_related("definition__collection")
        # The body comes with core_members; the page never shows a member's file or its HTML.
        .defer("signature", *(f"definition__{f}" for f in DefinitionQuerySet.HEAVY_FIELDS))
        .order_by("position", "key")
    )
    present = [m for m in members if m.definition_id is not None]
    urls = {m.key: m.definition.get_absolute_url() for m in present}
    cores = core_members([m.definition_id for m in present], {m.definition_id: m.first_imported for m in present})
    copies = defaultdict(list)
    for m in present:
        if m.copy_of_id is not None:
            copies[m.copy_of_id].append((m.key, urls[m.key]))
    collaborators = defaultdict(list)
    for source, name in (
        Edge.objects.filter(source__in=[m.definition_id for m in present])
        .order_by("source", "target_name")
        .values_list("source", "target_name")
        .distinct()
    ):
        collaborators[source].append(name)
    originals = [m for m in present if m.copy_of_id is None]
    pairs = pairwise_compare_urls(m.key for m in originals)
    columns = tuple(
        Column(
            member=m,
            core=cores[m.definition_id],
            copies=tuple(copies[m.pk]),
            url=urls[m.key],
            collection_url=m.definition.collection.get_absolute_url(),
            collaborators=tuple(collaborators[m.definition_id]),
            compare_urls=tuple((o.key, pairs[m.key, o.key]) for o in originals if o.pk != m.pk),
        )
        for m in originals
    )
    core_columns = [c.core for c in columns]
    labels, allowed = comparison.tool_matrix(core_columns)
    sections = comparison.align_sections(core_columns)
    listing = [len(c.core.allowed_tools) for c in columns if c.core.allowed_tools]
    return FamilyPage(
        family=family,
        members=members,
        columns=columns,
        tools=tuple(ToolRow(label, tuple(label in allowed[c.core.key] for c in columns)) for label in labels),
        sections=sections,
        core=comparison.core_view(core_columns, sections),
        least_tools=min(listing) if listing else None,
        urls=urls,
        key_of={m.pk: m.key for m in members},
    )
