"""Families: every version of one agent, command or skill across collections, and which to pick.

The work is split by concern:

- ``signatures``: word shingles and MinHash signatures of a body, and LSH band keys.
- ``grouping``: which definitions form a family (same name, or a near-copy under another name),
  recomputed incrementally, with stable family keys.
- ``copies``: which members are copies of another ("same as X") and which is the original.
- ``scoring``: a score per member whose reasons add up to it.
- ``comparison``: sections aligned by heading, the tool matrix, and the "core" of a family.

How the Django layer is meant to drive it
-----------------------------------------
1. At import, for each new or changed file (in the worker that parses it):
   ``signatures.signature(parsed.body)`` -> store ``Signature.values`` and ``Signature.shingles``.
2. After the import's writes: ``grouping.regroup(previous, upserts, deletes)``, where ``previous``
   is the stored state of every present definition as ``grouping.Entry`` (one row each),
   ``upserts`` the entries of created or updated definitions, ``deletes`` the keys of those
   marked missing or renamed away. It returns the families that are new or changed, with their
   members, and the keys of families that no longer exist.
3. For each family returned: load its members as ``Member`` records (body included) and call
   ``describe_family(key, members, links)``; store the result.

Storage shape (what to persist)
-------------------------------
Per definition (columns on the definition, or a one-to-one row):

=================  =============  ==========================================================
field              type           meaning
=================  =============  ==========================================================
signature          bytes (512)    ``signatures.Signature.values``: 128 little-endian uint32
shingles           int            distinct shingles; below ``grouping.MIN_SHINGLES`` the
                                  definition joins families by name only
signature_scheme   str            ``signatures.SCHEME``; recompute signatures when it changes
labels             JSON list      optional: ``Entry.labels``, so that a regroup need not
                                  reduce every name again (computed when absent; recompute
                                  them all when ``grouping.family_label`` changes)
family             str, indexed   the family key ``grouping.regroup`` assigned
copy_of            FK, nullable   ``FamilyMember.copy_of``
score              int            ``FamilyMember.score``
score_reasons      JSON list      ``FamilyMember.score_reasons``
=================  =============  ==========================================================

Per family (one row, keyed by ``Family.key``, e.g. ``agent/backend-architect``): kind, name,
size, versions, similarity, and the content links as JSON (pairs of definition keys with their
similarity), so the page can say why a differently named member belongs.

The index for candidate search is not stored: ``regroup`` rebuilds it from the signatures on
each call (vectorized; about a second for 100,000 definitions). Should loading every signature
per import become the bottleneck, the ``signatures.band_keys`` of each definition (25 uint64)
can be stored in an indexed table and queried instead; the grouping rules stay the same.
"""

from collections import Counter

import numpy as np

from . import comparison, copies, grouping, model, scoring, signatures
from .grouping import Entry, Link, Regrouping, family_label, group, regroup
from .model import Family, FamilyMember, Member, Tool, tool_label

__all__ = [
    "Entry",
    "Family",
    "FamilyMember",
    "Link",
    "Member",
    "Regrouping",
    "Tool",
    "comparison",
    "compute_families",
    "copies",
    "describe_family",
    "family_label",
    "group",
    "grouping",
    "model",
    "regroup",
    "scoring",
    "signatures",
    "tool_label",
]

# Mean similarity between a family's versions is estimated over at most this many of them.
_SIMILARITY_SAMPLE = 200


def describe_family(key, members, links=()):
    """The ``Family`` that ``members`` (``Member`` records of one family) form."""
    members = list(members)
    found = copies.find_copies(members)
    by_key = {m.key: m for m in members}
    copied_in = {}
    for copy in found.values():
        original = by_key[copy.original]
        collection = by_key[copy.member].collection
        if collection != original.collection:
            copied_in.setdefault(copy.original, set()).add(collection)
    copied_by = {k: len(v) for k, v in copied_in.items()}
    scores = scoring.score_members(members, copied_by)
    names = Counter(m.name for m in members)
    originals = sorted((m for m in members if m.key not in found), key=copies.evidence_order)
    listed = tuple(
        sorted(
            (
                FamilyMember(
                    key=m.key,
                    collection=m.collection,
                    name=m.name,
                    copy_of=found[m.key].original if m.key in found else None,
                    copy_similarity=found[m.key].similarity if m.key in found else None,
                    copied_by=copied_by.get(m.key, 0),
                    score=scores[m.key].points,
                    score_reasons=scores[m.key].reasons,
                )
                for m in members
            ),
            key=lambda fm: (-fm.score, fm.key),
        )
    )
    return Family(
        key=key,
        kind=members[0].kind,
        name=min(names, key=lambda n: (-names[n], n)),
        members=listed,
        versions=len(originals),
        similarity=_mean_similarity(originals[:_SIMILARITY_SAMPLE]),
        links=tuple(links),
    )


def _mean_similarity(members):
    if len(members) < 2:
        return 1.0
    matrix = signatures.stack([m.body_signature.values for m in members])
    total = sum(int(np.count_nonzero(matrix[i + 1 :] == matrix[i])) for i in range(len(matrix) - 1))
    pairs = len(members) * (len(members) - 1) // 2
    return round(total / (pairs * signatures.NUM_PERM), 3)


def compute_families(members):
    """Group these members from nothing and describe every family: ``(Regrouping, {key: Family})``."""
    members = {m.key: m for m in members}
    regrouping = group(m.entry() for m in members.values())
    families = {
        key: describe_family(key, [members[k] for k in keys], regrouping.links.get(key, ()))
        for key, keys in regrouping.families.items()
    }
    return regrouping, families
