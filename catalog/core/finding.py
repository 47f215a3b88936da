"""Finding definitions by what they are called: the query's words, and how hits rank and group.

Quick find (``catalog.selectors.finding``) reads candidates from three indexes (names and
slugs starting with the text, and words anywhere in name, slug or description); this module
decides, without a database, what the text means and in what order the hits come:

* the text is trimmed, its whitespace collapsed and cut to ``MAX_QUERY_LENGTH``;
* the words the word index looks for are runs of letters and digits extracted here, so no
  operator typed (quotes, ``*``, ``NEAR``, ``&``) reaches FTS5 or ``to_tsquery`` as syntax;
* hits rank exact name (or slug) > prefix > words, then by name, and are grouped by kind in
  the order the kinds are given, each group cut to ``per_kind``.
"""

import re
from dataclasses import dataclass

from .keys import key_of

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
MIN_WORD_LENGTH = 2  # a one-letter word prefix matches most of the catalog; it waits for a second letter

EXACT, PREFIX, WORDS = "exact", "prefix", "words"
TIER_ORDER = {EXACT: 0, PREFIX: 1, WORDS: 2}

# What FTS5's unicode61 tokenizer calls a token: a run of letters and digits.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Hit:
    """One definition quick find found, and how well it matched (``EXACT``, ``PREFIX`` or ``WORDS``)."""

    pk: int
    kind: str
    slug: str
    name: str
    collection: str  # slug
    collection_name: str
    description: str
    match: str
    url: str = ""

    @property
    def key(self):
        return key_of(self.collection, self.kind, self.slug)


@dataclass(frozen=True)
class Found:
    """Quick find's answer: ``groups`` is ``[(kind, [Hit, ...])]`` in kind order, empty kinds left out."""

    query: str
    groups: list

    @property
    def hits(self):
        return [hit for _, hits in self.groups for hit in hits]

    def __bool__(self):
        return bool(self.groups)


def normalize(text):
    """The query as matched: trimmed, whitespace collapsed, cut to ``MAX_QUERY_LENGTH``."""
    return " ".join(str(text or "").split())[:MAX_QUERY_LENGTH]


def words(text):
    """The words of ``text`` the word tier looks for, lower-cased, each once, at most ``MAX_WORDS``."""
    found = dict.fromkeys(word.lower() for word in _WORD.findall(text) if len(word) >= MIN_WORD_LENGTH)
    return list(found)[:MAX_WORDS]


def better(hit, other):
    """Whether ``hit`` matched in a better tier than ``other`` (the same definition found twice)."""
    return other is None or TIER_ORDER[hit.match] < TIER_ORDER[other.match]


def group(hits, kinds, per_kind):
    """``hits`` ranked (tier, then name, collection) and grouped by kind in the order of ``kinds``."""
    groups = []
    for kind in kinds:
        ranked = sorted(
            (hit for hit in hits if hit.kind == kind),
            key=lambda hit: (TIER_ORDER[hit.match], hit.name.lower(), hit.collection_name, hit.pk),
        )
        if ranked:
            groups.append((kind, ranked[:per_kind]))
    return groups
