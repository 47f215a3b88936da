"""Word shingles and MinHash signatures of definition bodies, and the LSH band keys built from them.

A body is cut into overlapping runs of ``SHINGLE_WORDS`` case-folded words; each run is hashed to
32 bits, and the signature keeps, for each of ``NUM_PERM`` affine permutations of those hashes, the
smallest value. The share of positions where two signatures agree estimates the Jaccard similarity
of the two shingle sets (standard error ``sqrt(J(1-J)/128)``: 0.044 at 0.5, 0.027 at 0.9).

The scheme is datasketch's ``affine32`` (a MurmurHash3 finalizer, then ``a*h + b mod 2**32`` with odd
``a``), written out with numpy so that a whole body is hashed in a few array operations: on 2,000
bodies of 400 words, datasketch's ``MinHash.bulk`` took 1.15 ms a body (shingling included) where
this takes 0.35 ms, and its ``MinHashLSH.insert`` 266 µs a body where ``band_keys`` takes under
1 µs (see bench/bench_families.py, which repeats the comparison when datasketch is installed).
Every constant is derived from SHA-256 of fixed strings, so a signature computed in any process, on
any machine, with any numpy, equals the stored one; ``SCHEME`` names the whole recipe, and stored
signatures whose scheme differs must be recomputed.
"""

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

SCHEME = "words3-crc32-affine32-128-v1"
NUM_PERM = 128
SHINGLE_WORDS = 3
# Only the start of a huge body counts: a 1 MiB file costs what 20,000 words cost, and two files
# that agree on their first 20,000 words are the same agent for any purpose here.
MAX_WORDS = 20_000
MAX_CHARS = 16 * MAX_WORDS  # read no further than 20,000 long words could reach
# LSH: 25 bands of 5 rows. A pair becomes a candidate when one band agrees entirely, with
# probability 1 - (1 - J**5)**25: 0.9999 at J 0.8, 0.990 at 0.7, 0.55 at 0.5, 0.06 at 0.3.
BANDS = 25
ROWS = 5
SIGNATURE_BYTES = NUM_PERM * 4

_WORD = re.compile(r"[^\W_]+")
# ASCII letters and digits stay (letters lowercased); every other byte separates words.
_ASCII_WORDS = bytes(b + 32 if 65 <= b <= 90 else b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))
_CHUNK = 4096  # shingles per permutation pass: bounds the temporary matrix to 2 MiB
_MAX = np.uint32(0xFFFFFFFF)


def _constants(label, count):
    """``count`` 32-bit constants from SHA-256 of ``label``: fixed forever, whatever the platform."""
    values = []
    for index in range((count + 7) // 8):
        digest = hashlib.sha256(f"agentdash families {label} {index}".encode()).digest()
        values.extend(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 32, 4))
    return np.array(values[:count], dtype=np.uint32)


_PERM_A = _constants("a", NUM_PERM) | np.uint32(1)  # odd, so each permutation is a bijection
_PERM_B = _constants("b", NUM_PERM)
_SHINGLE_MIX = _constants("shingle", SHINGLE_WORDS) | np.uint32(1)
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Signature:
    """A body's MinHash signature (``SIGNATURE_BYTES`` little-endian uint32) and its shingle count."""

    values: bytes
    shingles: int  # distinct shingles in the body; short bodies take no part in content links

    def array(self):
        return np.frombuffer(self.values, dtype="<u4")


def words(text):
    """The body's words as UTF-8 bytes: case-folded runs of letters and digits, at most ``MAX_WORDS``.

    ASCII text (half the corpus) takes a byte-table path three times faster than the regular
    expression, with the same result.
    """
    text = text[:MAX_CHARS]
    if text.isascii():
        return text.encode().translate(_ASCII_WORDS).split()[:MAX_WORDS]
    return [w.encode() for w in _WORD.findall(text.casefold())[:MAX_WORDS]]


def _fmix32(values):
    """MurmurHash3's finalizer: spreads every input bit over the whole 32-bit value."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint32(16))
        values = values * np.uint32(0x85EBCA6B)
        values = values ^ (values >> np.uint32(13))
        values = values * np.uint32(0xC2B2AE35)
        return values ^ (values >> np.uint32(16))


def shingle_hashes(text):
    """The sorted, distinct 32-bit hashes of the body's ``SHINGLE_WORDS``-word shingles."""
    found = words(text)
    if len(found) < SHINGLE_WORDS:
        return np.empty(0, dtype=np.uint32)
    hashed = np.fromiter(map(zlib.crc32, found), dtype=np.uint32, count=len(found))
    span = len(found) - SHINGLE_WORDS + 1
    combined = np.zeros(span, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE_WORDS):
            combined = _fmix32(combined ^ (hashed[offset : offset + span] * _SHINGLE_MIX[offset]))
    return np.unique(combined)


def minhash(hashes):
    """The MinHash signature array of a set of shingle hashes (all ones for an empty set)."""
    signature = np.full(NUM_PERM, _MAX, dtype=np.uint32)
    mixed = _fmix32(np.asarray(hashes, dtype=np.uint32))
    with np.errstate(over="ignore"):
        for start in range(0, len(mixed), _CHUNK):
            chunk = mixed[start : start + _CHUNK, None]
            np.minimum(signature, (chunk * _PERM_A + _PERM_B).min(axis=0), out=signature)
    return signature


def signature(text):
    """The ``Signature`` of a body: computed once per definition, at import, and stored."""
    hashes = shingle_hashes(text)
    return Signature(minhash(hashes).astype("<u4").tobytes(), len(hashes))


def agreement(left, right):
    """How many of the ``NUM_PERM`` positions two signature arrays share (``/ NUM_PERM`` estimates J)."""
    return int(np.count_nonzero(left == right))


def exact_jaccard(left, right):
    """Jaccard similarity of two sorted, distinct hash arrays from ``shingle_hashes``."""
    if not len(left) and not len(right):
        return 1.0
    shared = len(np.intersect1d(left, right, assume_unique=True))
    return shared / (len(left) + len(right) - shared)


def stack(values):
    """An ``(n, NUM_PERM)`` uint32 matrix from a sequence of signature byte strings."""
    if not values:
        return np.empty((0, NUM_PERM), dtype=np.uint32)
    return np.frombuffer(b"".join(values), dtype="<u4").reshape(len(values), NUM_PERM).astype(np.uint32)


def band_keys(matrix):
    """``(n, BANDS)`` uint64 keys: equal keys mean equal bands. The band's number is mixed in, so the
    keys of all bands can share one sorted array; a 64-bit collision only adds a candidate that the
    full-signature check then rejects."""
    rows = matrix[:, : BANDS * ROWS].astype(np.uint64).reshape(len(matrix), BANDS, ROWS)
    keys = np.broadcast_to(np.arange(1, BANDS + 1, dtype=np.uint64), (len(matrix), BANDS)).copy()
    with np.errstate(over="ignore"):
        for row in range(ROWS):
            keys = (keys ^ rows[:, :, row]) * _BAND_MIX
            keys ^= keys >> np.uint64(29)
    return keys
