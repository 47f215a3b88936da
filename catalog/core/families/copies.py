"""Copies and lineage inside one family: which members are the same as another, and which is the original.

A member is a copy of an earlier one when its file is byte-identical (same SHA-256), or when its
body is near-identical (shingle Jaccard at least ``COPY_THRESHOLD``) and it allows exactly the same
tools: a copy that widened or narrowed its tools is a separate choice on the family page, since
least privilege is part of what people pick by. A body under ``grouping.MIN_SHINGLES`` is a copy
only when byte-identical: a few words in common say nothing.

``COPY_THRESHOLD`` is 0.9. In the shared corpus, same-named pairs across collections at 0.9 or more
differ by a handful of lines (ms-sql-dba 0.94: one link; receiving-code-review 0.91: 12 of 209
lines; systematic-debugging 0.93: 17 of 292); just below are whole sections added or rewritten
(research-technical-spike 0.885 gains a 16-line MCP section; verification-before-completion 0.83).

The original is the member with the earliest evidence of existing: its upstream change date when
the source is git, else its first import; equal evidence falls to the definition key, so the
choice is the same on every run. A copy always points at an original, never at another copy.
Similarity is exact (shingle hashes of both bodies) when both bodies are at hand, and estimated
from the stored signatures otherwise.
"""

import math
from dataclasses import dataclass

from . import grouping, signatures

COPY_THRESHOLD = 0.9
# Signatures whose estimate is this far below the threshold are not compared exactly: at a true
# 0.9 the estimate falls 0.2 short with probability below 1e-12 (standard error 0.027).
_PREFILTER = COPY_THRESHOLD - 0.2


@dataclass(frozen=True)
class Copy:
    """``member`` is the same as ``original``."""

    member: str
    original: str
    similarity: float  # 1.0 for a byte-identical file
    identical: bool  # byte-identical


def evidence_order(member):
    """Sort key: earliest evidence first, members without any last, then by key."""
    when = member.evidence
    return (when is None, when.timestamp() if when else math.inf, member.key)


def similarity(left, right):
    """Shingle Jaccard of two members' bodies: exact when both bodies are known, else estimated."""
    estimate = signatures.agreement(left.body_signature.array(), right.body_signature.array()) / signatures.NUM_PERM
    if left.text and right.text and estimate >= _PREFILTER:
        return signatures.exact_jaccard(left.shingle_hashes, right.shingle_hashes)
    return estimate


def _same_tools(left, right):
    return {(t.name, t.pattern) for t in left.allowed_tools} == {(t.name, t.pattern) for t in right.allowed_tools}


def _near_identical(left, right):
    """``(is a copy, similarity)`` for a pair whose files differ."""
    short = min(left.body_signature.shingles, right.body_signature.shingles) < grouping.MIN_SHINGLES
    if short or not _same_tools(left, right):
        return False, None
    found = similarity(left, right)
    return found >= COPY_THRESHOLD, found


def find_copies(members):
    """``{member key: Copy}`` for every member of one family that copies another."""
    originals, copies = [], {}
    for member in sorted(members, key=evidence_order):
        for original in originals:
            if member.sha256 == original.sha256:
                copies[member.key] = Copy(member.key, original.key, 1.0, True)
                break
            is_copy, found = _near_identical(member, original)
            if is_copy:
                copies[member.key] = Copy(member.key, original.key, round(found, 3), False)
                break
        else:
            originals.append(member)
    return copies
