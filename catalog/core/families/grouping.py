"""Which definitions form one family: the same name, or a near-copy of the body under another name.

Two kinds of evidence join definitions of one kind:

- **Names.** Every definition has one or two *labels*: its name and its slug, each reduced by
  ``family_label`` (``Backend Architect``, ``backend_architect``, ``BackendArchitect`` and
  ``backend-architect.agent`` all become ``backend-architect``). Definitions that share a label
  are in one family. The slug counts because Copilot's newer ``tdd-red.agent.md`` is named
  "TDD Red Phase - Write Failing Tests First" while its chat-mode twin is named ``tdd-red``.
- **Content.** MinHash/LSH over word shingles (see ``signatures``) proposes candidate pairs; a pair
  is a *content link* when the full signatures agree on at least ``LINK_THRESHOLD`` of their
  positions, the two sit in different collections, and the partner is among the definition's
  best matches (within ``TIE_MARGIN`` of its closest one).

Families are the connected components of both kinds of link (union-find). The guards that keep
a few generic texts from chaining everything into one family were measured on the shared corpus
(2,830 definitions; exact word-3-shingle Jaccard over every pair of one kind sharing a shingle):

- ``LINK_THRESHOLD`` 0.9. Differently named definitions of different collections are either
  renamed copies, at 0.978-1.0 (voltagent's ``search-specialist`` is davila7's
  ``multi-source-searcher`` at 0.978; ``context7``/``Context7-Expert``, ``arm-migration``/
  ``arm-migration-agent`` 1.0), or different agents, at 0.79 at most: siblings built from one
  template (``microsoft-agent-framework-dotnet``/``-python`` 0.79, ``semantic-kernel-dotnet``/
  ``-python`` 0.70, Bicep/Terraform planners 0.44). Nothing lies between; 0.9 sits in the middle
  of that gap, four standard errors of the signature estimate from either side. On the corpus the
  same five content links result for any threshold from 0.6 to 0.9, thanks to the next rule.
- **Best matches only.** ``microsoft-agent-framework-dotnet`` in davila7 matches the Copilot
  ``-python`` at 0.79 but its own Copilot twin at 1.0; linking only to the closest match (and
  those within ``TIE_MARGIN`` of it) keeps sibling templates apart even above the threshold.
  Without this rule the two framework families merge at any threshold up to 0.75.
- **Across collections only.** Inside one collection, two names are two agents by the author's
  choice: ``create-specification`` and ``update-specification`` share 0.95 of their shingles, the
  davila7 ``senior-*`` skills 0.83-0.86, Google Workspace recipe commands 0.4-0.7.
- ``MIN_SHINGLES`` 50: a body of fewer than ~50 words ("Run the tests for $ARGUMENTS") says too
  little to tell a copy from boilerplate, so it joins a family only by its name.
- **Crowded texts must be copies.** A body that resembles (``CROWD_THRESHOLD`` 0.65, in any
  collection) definitions under more than ``CROWDED_LABELS`` other names is either boilerplate
  that many agents share or a copy renamed many times. It links only when the median of its
  matches above the link threshold reaches ``CROWDED_THRESHOLD`` (0.95, where copies sit): the
  median of several noisy estimates is steadier than the best of them, so agents that are 95%
  one template and 5% their own (0.91) do not chain into one family.
- ``BUCKET_CAP``: an LSH bucket holding more than 64 definitions (a text copied very widely) gives
  each member the bucket's first 64 as candidates rather than all of them, so the work stays
  near-linear; members of one such bucket are near-identical, so the family is the same.

**Incremental.** ``regroup(previous, upserts, deletes)`` recomputes only what a change can reach:
the changed definitions, every definition that shares an LSH bucket with one (its best matches may
change), the families those belonged to, and the families their new links reach. Everything else
keeps its family, which is exactly what a full recompute would give it (the tests check this).
The LSH index itself is rebuilt from the stored signatures on each call: a few vectorized numpy
operations, ~1 s for 100,000 definitions.

**Stable keys.** A family's key is ``<kind>/<label>``. It keeps the key most of its members had
before, while that label still belongs to it; a new family takes its most common label (ties:
the alphabetically first). A label belongs to exactly one family of its kind, so keys never clash.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..collaboration import normalize_name
from ..text import slugify
from . import signatures

LINK_THRESHOLD = 0.9
TIE_MARGIN = 0.05
MIN_SHINGLES = 50
BUCKET_CAP = 64
CROWDED_LABELS = 3
CROWDED_THRESHOLD = 0.95
CROWD_THRESHOLD = 0.65
LINK_AGREE = math.ceil(LINK_THRESHOLD * signatures.NUM_PERM)
TIE_AGREE = math.floor(TIE_MARGIN * signatures.NUM_PERM)
CROWDED_AGREE = math.ceil(CROWDED_THRESHOLD * signatures.NUM_PERM)
CROWD_AGREE = math.ceil(CROWD_THRESHOLD * signatures.NUM_PERM)

# File-name suffixes that tools add to a name: `backend-architect.agent` is `backend-architect`.
_SUFFIXES = (".agent", ".chatmode", ".prompt", ".instructions", ".md", ".mdc", ".txt")
# Names whose symbols carry the meaning: without these, "C++ Expert" and "C# Expert" both become "c-expert".
_SYMBOL_WORDS = (
    (re.compile(r"(?<![a-z0-9])c\+\+"), "cpp"),
    (re.compile(r"(?<![a-z0-9])([cf])#"), r"\1sharp"),
    (re.compile(r"(?<![a-z0-9])\.net(?![a-z0-9])"), "dotnet"),
)
_BATCH = 2048  # definitions per candidate query: bounds the temporary arrays to a few MB


def family_label(text):
    """The form of a name or slug that families compare: ``Backend Architect`` -> ``backend-architect``.

    A namespace is dropped (``git-workflow:commit`` is the ``commit`` command), and so is a tool's
    file suffix. The result is ASCII ``[a-z0-9-]``, possibly empty.
    """
    text = normalize_name(text or "")
    for pattern, word in _SYMBOL_WORDS:
        text = pattern.sub(word, text)
    text = text.rsplit(":", 1)[-1]
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return slugify(text)


def labels_of(key, name, slug):
    """A definition's labels. When neither name nor slug leaves a label, one made from the key
    stands in: it contains ``~``, which no real label does, so it joins nothing."""
    labels = tuple(sorted({family_label(name), family_label(slug)} - {""}))
    return labels or (f"~{key}",)


@dataclass(frozen=True)
class Entry:
    """What grouping knows about one definition: the state stored per definition between imports."""

    key: str  # "collection/kind/slug"
    kind: str
    collection: str
    name: str
    slug: str
    signature: bytes  # signatures.SIGNATURE_BYTES, from signatures.signature(body)
    shingles: int  # distinct shingles of the body
    family: str = ""  # the family key the last grouping gave it; "" when new
    labels: tuple = field(default=(), compare=False)

    def __post_init__(self):
        if not self.labels:
            object.__setattr__(self, "labels", labels_of(self.key, self.name, self.slug))

    @property
    def linkable(self):
        return self.shingles >= MIN_SHINGLES and len(self.signature) == signatures.SIGNATURE_BYTES


@dataclass(frozen=True)
class Link:
    """A content link: ``source``'s body is among the best matches of ``target``'s (or the reverse)."""

    source: str
    target: str
    similarity: float  # estimated Jaccard of the two bodies' shingles


@dataclass(frozen=True)
class Regrouping:
    """The families a change created or altered, and those it dissolved.

    ``families`` maps each new or changed family's key to its member keys (sorted); every
    definition not listed keeps the family it had. ``links`` holds, per listed family, the content
    links that joined its members, for the family page to explain.
    """

    families: dict
    removed: tuple
    links: dict

    @property
    def assignments(self):
        """``{definition key: family key}`` for every definition of a listed family."""
        return {member: key for key, members in self.families.items() for member in members}

    def apply(self, entries):
        """The entries with their new family keys: the state to store after this grouping."""
        assigned = self.assignments
        return [_with_family(e, assigned.get(e.key, e.family)) for e in entries]


def _with_family(entry, family):
    if entry.family == family:
        return entry
    return Entry(
        entry.key, entry.kind, entry.collection, entry.name, entry.slug,
        entry.signature, entry.shingles, family, entry.labels,
    )  # fmt: skip


# ---------------------------------------------------------------------------
# The LSH index of one kind
# ---------------------------------------------------------------------------


class _ContentIndex:
    """Linkable definitions of one kind, their signatures and their band keys sorted for lookup."""

    def __init__(self, entries):
        self.entries = sorted(entries, key=lambda e: e.key)
        self.row = {e.key: i for i, e in enumerate(self.entries)}
        self.matrix = signatures.stack([e.signature for e in self.entries])
        collections = {}
        self.collection = np.array([collections.setdefault(e.collection, len(collections)) for e in self.entries])
        self.keys = signatures.band_keys(self.matrix)
        flat = self.keys.ravel()
        owner = np.repeat(np.arange(len(self.entries), dtype=np.int64), signatures.BANDS)
        order = np.lexsort((owner, flat))
        self.sorted_keys = flat[order]
        self.sorted_owner = owner[order]
        self.position = np.empty(len(order), dtype=np.int64)
        self.position[order] = np.arange(len(order))

    def _ranges(self, keys):
        return (
            np.searchsorted(self.sorted_keys, keys, side="left"),
            np.searchsorted(self.sorted_keys, keys, side="right"),
        )

    def bucket_members(self, signature_values):
        """Rows sharing any band with these signatures (whole buckets, no cap)."""
        if not signature_values or not len(self.entries):
            return set()
        # Each distinct bucket once: a full regroup probes every definition, and a bucket of m
        # copies must cost m, not m squared.
        lo, hi = self._ranges(np.unique(signatures.band_keys(signatures.stack(signature_values))))
        return set(self.sorted_owner[_expand(lo, hi - lo)].tolist())

    def candidates(self, rows):
        """``(source, target)`` row pairs, sorted and distinct: each row with its bucket mates.

        In a bucket larger than ``BUCKET_CAP`` a row beyond the first ``BUCKET_CAP`` is paired
        only with those first ones (and they with everyone), which keeps the work linear in the
        bucket's size while every member still reaches the others through them.
        """
        rows = np.asarray(rows, dtype=np.int64)
        bands = signatures.BANDS
        lo, hi = self._ranges(self.keys[rows].ravel())
        size = hi - lo
        offset = self.position[(rows[:, None] * bands + np.arange(bands)).ravel()] - lo
        take = np.where((size <= BUCKET_CAP) | (offset < BUCKET_CAP), size, BUCKET_CAP)
        source = np.repeat(np.repeat(rows, bands), take)
        target = self.sorted_owner[_expand(lo, take)]
        keep = source != target
        codes = np.unique(source[keep] * len(self.entries) + target[keep])
        return codes // len(self.entries), codes % len(self.entries)

    def agreement(self, source, target):
        """Per pair, the number of signature positions that agree."""
        out = np.empty(len(source), dtype=np.int64)
        for start in range(0, len(source), 65536):
            part = slice(start, start + 65536)
            out[part] = np.count_nonzero(self.matrix[source[part]] == self.matrix[target[part]], axis=1)
        return out

    def best_links(self, rows):
        """Content links from each of these rows to its best matches: ``[(source, target, agree)]``."""
        links = []
        for start in range(0, len(rows), _BATCH):
            source, target = self.candidates(rows[start : start + _BATCH])
            agree = self.agreement(source, target)
            keep = agree >= CROWD_AGREE
            source, target, agree = source[keep], target[keep], agree[keep]
            if not len(source):
                continue
            # Pairs come sorted by source: one run of pairs per source.
            starts = np.flatnonzero(np.r_[True, source[1:] != source[:-1]])
            for begin, end in zip(starts.tolist(), [*starts[1:].tolist(), len(source)], strict=True):
                links.extend(self._best(int(source[begin]), target[begin:end], agree[begin:end]))
        return links

    def _best(self, source, targets, agree):
        """The matches one source links to: the closest, and those within ``TIE_AGREE`` of it."""
        own = set(self.entries[source].labels)
        foreign = np.array([not set(self.entries[t].labels) & own for t in targets.tolist()])
        keep = (agree >= LINK_AGREE) & (self.collection[targets] != self.collection[source])
        if not keep.any():
            return []
        crowd = [set(self.entries[t].labels) for t in targets[foreign].tolist()]
        strong = agree[keep & foreign]
        if _name_count(crowd) > CROWDED_LABELS and len(strong) and np.median(strong) < CROWDED_AGREE:
            return []
        targets, agree = targets[keep], agree[keep]
        keep = agree >= agree.max() - TIE_AGREE
        return [(source, t, a) for t, a in zip(targets[keep].tolist(), agree[keep].tolist(), strict=True)]


def _name_count(label_sets):
    """How many distinct names these label sets stand for: sets that share a label are one name."""
    names = []
    for labels in label_sets:
        overlapping = [n for n in names if n & labels]
        merged = set(labels).union(*overlapping)
        names = [n for n in names if not n & labels] + [merged]
    return len(names)


def _expand(starts, lengths):
    """Indices ``starts[i] .. starts[i] + lengths[i] - 1`` for every i, concatenated."""
    total = int(lengths.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + (np.arange(total) - offsets)


# ---------------------------------------------------------------------------
# Regrouping
# ---------------------------------------------------------------------------


class _UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, item):
        parent = self.parent.setdefault(item, item)
        while parent != item:
            grand = self.parent[parent]
            self.parent[item] = grand
            item, parent = parent, grand
        return item

    def union(self, left, right):
        left, right = self.find(left), self.find(right)
        if left != right:
            self.parent[max(left, right)] = min(left, right)


def group(entries):
    """Every family of these entries, from nothing: ``regroup`` with no previous state."""
    return regroup((), entries, ())


def regroup(previous: Iterable[Entry], upserts: Iterable[Entry] = (), deletes: Iterable[str] = ()) -> Regrouping:
    """Recompute the families a change can reach.

    ``previous`` is the stored state (every definition, with the family key it was given);
    ``upserts`` are added or changed definitions (their ``family`` is ignored), ``deletes`` the keys
    of removed ones. A renamed definition is a delete of its old key and an upsert of its new one.
    """
    before = {e.key: e for e in previous}
    upserts = {e.key: e for e in upserts}
    deletes = set(deletes) - set(upserts)
    state = {k: e for k, e in before.items() if k not in deletes}
    state.update(upserts)
    changed = set(upserts) | (deletes & set(before))

    old_members = defaultdict(set)
    for e in before.values():
        if e.family:
            old_members[e.family].add(e.key)
    by_label = defaultdict(set)
    for e in state.values():
        for label in e.labels:
            by_label[(e.kind, label)].add(e.key)
    indexes = {}
    for e in state.values():
        if e.linkable:
            indexes.setdefault(e.kind, []).append(e)
    indexes = {kind: _ContentIndex(rows) for kind, rows in indexes.items()}

    seeds, probes = set(changed), defaultdict(list)
    for key in changed:
        for e in (before.get(key), state.get(key)):
            if e is None:
                continue
            for label in e.labels:
                seeds |= by_label[(e.kind, label)]
            if e.linkable and e.kind in indexes:
                probes[e.kind].append(e.signature)
    for kind, values in probes.items():
        index = indexes[kind]
        seeds.update(index.entries[r].key for r in index.bucket_members(values))

    def family_of(key):
        family = before[key].family if key in before else ""
        return old_members[family] if family else {key}

    region, links, pending = set(), [], seeds
    while pending:
        grown = set()
        for key in pending:
            grown |= family_of(key)
        grown = (grown - region) & state.keys()
        region |= grown
        found = _links_from(grown, state, indexes)
        links.extend(found)
        pending = {target for _, target, _ in found} - region

    families, family_of_member = {}, {}
    for members in _components(region, state, by_label, links):
        key = _family_key(members, state, before)
        if key in families:  # two components under one key would lose a family's members
            raise RuntimeError(f"two families would share the key {key!r}")
        families[key] = tuple(sorted(members))
        family_of_member.update(dict.fromkeys(members, key))
    inside = defaultdict(list)
    for link in links:
        inside[family_of_member[link[0]]].append(link)
    family_links = {key: _distinct_links(inside[key]) for key in families}
    old_keys = {before[k].family for k in region | (deletes & set(before)) if k in before and before[k].family}
    removed = tuple(sorted(old_keys - set(families)))
    return Regrouping(families=dict(sorted(families.items())), removed=removed, links=family_links)


def _links_from(keys, state, indexes):
    """Best-match content links leaving these definitions, as ``(source key, target key, agree)``."""
    by_kind = defaultdict(list)
    for key in keys:
        e = state[key]
        if e.linkable and e.kind in indexes:
            by_kind[e.kind].append(indexes[e.kind].row[key])
    found = []
    for kind, rows in by_kind.items():
        index = indexes[kind]
        for source, target, agree in index.best_links(np.array(sorted(rows), dtype=np.int64)):
            found.append((index.entries[source].key, index.entries[target].key, agree))
    return found


def _components(region, state, by_label, links):
    union = _UnionFind()
    for key in sorted(region):
        union.find(key)
        e = state[key]
        for label in e.labels:
            for mate in by_label[(e.kind, label)]:
                union.union(key, mate)
    for source, target, _ in links:
        union.union(source, target)
    groups = defaultdict(set)
    for key in region:
        groups[union.find(key)].add(key)
    return list(groups.values())


def _family_key(members, state, before):
    """Keep the previous key most members held while its label is still theirs; else the most
    common label. Ties go to the alphabetically first, so the key is the same on every run."""
    kind = state[next(iter(members))].kind
    labels = Counter(label for key in members for label in state[key].labels)
    held = Counter(before[key].family for key in members if key in before and before[key].family)
    valid = {k: n for k, n in held.items() if k.partition("/")[0] == kind and k.partition("/")[2] in labels}
    if valid:
        return min(valid, key=lambda k: (-valid[k], k))
    label = min(labels, key=lambda label: (-labels[label], label))
    return f"{kind}/{label}"


def _distinct_links(found):
    """One ``Link`` per unordered pair, in a stable order."""
    pairs = {}
    for source, target, agree in found:
        pair = (min(source, target), max(source, target))
        pairs[pair] = max(pairs.get(pair, 0), agree)
    return tuple(Link(s, t, round(a / signatures.NUM_PERM, 3)) for (s, t), a in sorted(pairs.items()))
