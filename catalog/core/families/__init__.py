"""Families: every version of one agent, command or skill across collections, and which to pick.

The work is split by concern:

- ``signatures``: word shingles and MinHash signatures of a body, and LSH band keys.
- ``grouping``: which definitions form a family (same name, or a near-copy under another name),
  recomputed incrementally, with stable family keys.
- ``copies``: which members are copies of another ("same as X") and which is the original.
- ``scoring``: a score per member whose reasons add up to it.
- ``comparison``: sections aligned by heading, the tool matrix, and the "core" of a family.

How the Django layer drives it (``catalog.services.families.refresh_families``)
------------------------------------------------------------------------------
1. After an import's writes (or a staff edit), in the same transaction: the stored state of
   every definition grouped before (``FamilyMember``: key, names, signature, family key) becomes
   ``previous``; definitions that are new, changed, renamed or signed under another ``SCHEME``
   are signed (``signatures.signature(body)``) and become ``upserts``; rows whose definition
   went missing, was deleted or changed its key become ``deletes``.
2. ``grouping.regroup(previous, upserts, deletes)`` returns the families that are new or
   changed, with their members, and the keys of families that no longer exist.
3. For each family returned, its members are loaded as ``Member`` records (body included) and
   ``describe_family(key, members, links)`` gives the copies and scores that are stored.

The index for candidate search is not stored: ``regroup`` rebuilds it from the signatures on
each call (vectorized; bench/bench_families.py measures it). Should loading every signature per
import become the bottleneck, the ``signatures.band_keys`` of each definition (25 uint64) can be
stored in an indexed table and queried instead; the grouping rules stay the same. Signing runs
in the importing process (about 0.6 ms a body); the importer's analysis workers could do it.
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
