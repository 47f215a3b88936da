"""Benchmark for catalog.core.families: family computation on synthetic catalogs and on the corpus.

For each size (10,000 and 100,000 definitions by default) it generates a catalog of made-up text
with planted clusters (verbatim copies under other spellings of one name, near copies, renamed
near copies, rewrites under the same name, template siblings, generic one-line commands), then
prints, each with its time and memory:

- signatures: shingling and MinHash of every body (the per-file cost an import pays once);
- full grouping from the stored signatures (time, tracemalloc peak), and how well the families
  match the planted clusters (pairwise precision and recall);
- incremental regrouping after 1% of the definitions were edited, renamed or deleted (and 0.5%
  added), and after a single edit, against the full regroup of the same state in the same run;
- describing every family (copies, lineage, scores).

Then the real corpus: every agent, command and skill that catalog.core.discovery finds, analysed with
catalog.core.analysis (parsing plus extraction and rules), grouped, and the ten largest
families with their member counts and what the score says to pick. When datasketch is installed
(it is not a dependency) the MinHash/LSH step is compared with it on the same bodies.

    .venv/bin/python bench/bench_families.py [--sizes 10000 100000] [--no-corpus]
"""

import argparse
import hashlib
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from catalog.core import families  # noqa: E402
from catalog.core.families import Member, grouping, signatures  # noqa: E402

T0 = datetime(2024, 1, 1, tzinfo=UTC)
SYLLABLES = "ka lo mi ne ru ta vo shi ben dor fal gri hum jex kor lum mor nix pra quo rel sav tor ulm zen".split()
MAX_CLUSTER = 40  # copies of one agent: the corpus's largest family has 5, a big catalog more
GENERIC = [
    "Run the tests and report what fails.",
    "Review the staged changes and list every problem you find.",
    "Summarise the current branch for a pull request description.",
    "Explain the selected code to a new contributor in plain words.",
]


# ---------------------------------------------------------------------------
# A synthetic catalog with planted clusters
# ---------------------------------------------------------------------------


class Catalog:
    """Generated definitions and the planted cluster each belongs to."""

    def __init__(self, size, seed):
        self.rng = random.Random(seed)
        self.words = self._vocabulary(20_000)
        self.common = self.words[:400]
        self.collections = [f"coll-{i:04d}" for i in range(max(8, size // 40))]
        self.members, self.truth, self.taken = [], {}, set()
        self.variant, self.origin = {}, {}  # key -> how it was made, and the cluster's first key
        cluster = 0
        while len(self.members) < size:
            self._plant(cluster, size - len(self.members))
            cluster += 1

    def _vocabulary(self, size):
        found = set()
        while len(found) < size:
            found.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))))
        return sorted(found)

    def _name(self):
        return "-".join(self.rng.sample(self.words[400:], self.rng.randint(2, 3)))

    def _body(self, topic, sections=None):
        rng, lines = self.rng, []
        for _ in range(sections or rng.randint(3, 6)):
            lines.append("## " + " ".join(rng.sample(topic, 2)).title())
            pool = [
                rng.choice(self.common) if rng.random() < 0.6 else rng.choice(topic) for _ in range(rng.randint(40, 90))
            ]
            lines.append(" ".join(pool) + ".")
        return "\n\n".join(lines)

    def mutate(self, text, share):
        words = text.split(" ")
        for index in self.rng.sample(range(len(words)), int(len(words) * share)):
            words[index] = self.rng.choice(self.words)
        return " ".join(words)

    def _spelling(self, name):
        """Another way of writing one name: Title Case, snake_case, CamelCase, a tool suffix."""
        parts = name.split("-")
        return self.rng.choice(
            [
                name,
                " ".join(p.title() for p in parts),
                "_".join(parts),
                "".join(p.title() for p in parts),
                f"{name}.agent",
            ]
        )

    def add(self, cluster, kind, name, text, days, variant="original", origin=None):
        collection = self.rng.choice(self.collections)
        slug = grouping.family_label(name) or "untitled"
        while (collection, kind, slug) in self.taken:
            slug = f"{slug}-{self.rng.randint(2, 99)}"
        self.taken.add((collection, kind, slug))
        key = f"{collection}/{kind}/{slug}"
        self.members.append(
            Member(key=key, kind=kind, name=name, slug=slug, collection=collection, sha256=_sha(name, text),
                   text=text, first_imported=T0 + timedelta(days=days))
        )  # fmt: skip
        self.truth[key] = cluster
        self.variant[key] = variant
        self.origin[key] = origin or key
        return key

    def _plant(self, cluster, room):
        rng = self.rng
        kind = rng.choices(["agent", "command", "skill"], [6, 3, 1])[0]
        shape = rng.random()
        if shape < 0.03:  # a one-line generic command under its own name
            self.add(cluster, "command", self._name(), rng.choice(GENERIC), rng.random() * 300, "generic")
            return
        if shape < 0.06:  # template siblings: one template, different agents
            topic = rng.sample(self.words, 60)
            template = self._body(topic, sections=5)
            for offset in range(min(room, rng.randint(4, 12))):
                own = self._body(rng.sample(self.words, 30), sections=1)
                text = f"{template}\n\n{own}"
                self.add(f"{cluster}.{offset}", kind, self._name(), text, rng.random() * 300, "template sibling")
            return
        size = 1 if rng.random() < 0.55 else min(room, MAX_CLUSTER, 1 + int(rng.paretovariate(1.3)))
        name, topic = self._name(), rng.sample(self.words, 60)
        base = self._body(topic)
        first = self.add(cluster, kind, name, base, rng.random() * 300)
        for _ in range(size - 1):
            roll, days = rng.random(), rng.random() * 600
            if roll < 0.3:
                self.add(cluster, kind, self._spelling(name), base, days, "copy (another spelling)", first)
            elif roll < 0.55:
                self.add(
                    cluster, kind, self._spelling(name), self.mutate(base, 0.02), days, "near copy (2% words)", first
                )
            elif roll < 0.7:
                # Renamed copies in the corpus keep 0.978-1.0 of their shingles: verbatim or nearly.
                text = base if rng.random() < 0.5 else self.mutate(base, 0.005)
                self.add(cluster, kind, self._name(), text, days, "renamed copy", first)
            else:
                self.add(cluster, kind, name, self.mutate(self._body(topic), 0.4), days, "rewrite (same name)", first)


def _sha(name, text):
    """Byte-identical files have one name and one body."""
    return hashlib.sha256(f"{name}\n{text}".encode()).hexdigest()


def found_by_variant(catalog, assignments):
    """For each way a variant was made: how many ended up in the family of their cluster's original."""
    found, total = Counter(), Counter()
    for key, variant in catalog.variant.items():
        if variant in ("original", "template sibling", "generic"):
            continue
        total[variant] += 1
        found[variant] += assignments[key] == assignments[catalog.origin[key]]
    return ", ".join(f"{v} {found[v]}/{total[v]}" for v in sorted(total))


def pair_scores(assignments, truth):
    """Pairwise precision and recall of the families against the planted clusters."""
    joint = Counter((assignments[k], truth[k]) for k in truth)
    predicted = Counter(assignments[k] for k in truth)
    planted = Counter(truth.values())

    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())

    agreed = pairs(joint)
    return agreed / max(1, pairs(predicted)), agreed / max(1, pairs(planted))


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def peak_mib(function, *args):
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def changes(catalog, state, share, rng):
    """Edit, rename or delete ``share`` of the definitions and add half as many."""
    by_key = {m.key: m for m in catalog.members}
    upserts, deletes = [], []
    for key in rng.sample(sorted(by_key), max(1, int(len(by_key) * share))):
        old, roll = by_key.pop(key), rng.random()
        if roll < 1 / 3:
            upserts.append(Member(**{**vars_of(old), "text": catalog.mutate(old.text, 0.3)}))
        elif roll < 2 / 3:
            name = catalog._name()
            deletes.append(key)
            upserts.append(
                Member(**{**vars_of(old), "key": f"{old.collection}/{old.kind}/{name}", "name": name, "slug": name})
            )
        else:
            deletes.append(key)
    for _ in range(max(1, int(len(catalog.members) * share / 2))):
        source = rng.choice(catalog.members)
        name = catalog._name()
        upserts.append(Member(**{**vars_of(source), "key": f"new-coll/{source.kind}/{name}", "name": name, "slug": name,
                                 "collection": "new-coll"}))  # fmt: skip
    upserts = list({m.key: m for m in upserts}.values())
    current = [e for e in state if e.key not in set(deletes) | {m.key for m in upserts}]
    return upserts, deletes, current


def vars_of(member):
    return {name: getattr(member, name) for name in Member.__dataclass_fields__}


def bench_size(size, seed):
    print(f"\n== {size:,} synthetic definitions")
    catalog, seconds = timed(Catalog, size, seed)
    words = sum(len(m.text.split()) for m in catalog.members) / size
    print(
        f"generated in {seconds:.1f} s: {len(set(catalog.truth.values())):,} planted clusters, {words:.0f} words a body"
    )

    entries, seconds = timed(lambda: [m.entry() for m in catalog.members])
    print(f"signatures      {seconds:7.2f} s  ({seconds / size * 1e3:.3f} ms a definition)")

    regrouping, full_seconds = timed(grouping.group, entries)
    peak = peak_mib(grouping.group, entries)
    sizes = sorted((len(m) for m in regrouping.families.values()), reverse=True)
    precision, recall = pair_scores(regrouping.assignments, catalog.truth)
    print(
        f"group (full)    {full_seconds:7.2f} s  peak {peak:.0f} MiB traced; "
        f"{len(sizes):,} families, largest {sizes[:5]}"
    )
    print(f"                pairs: precision {precision:.4f}, recall {recall:.4f} against the planted clusters")
    print(
        "                variants found in their original's family: "
        + found_by_variant(catalog, regrouping.assignments)
    )

    state = regrouping.apply(entries)
    rng = random.Random(seed + 1)
    upserts, deletes, kept = changes(catalog, state, 0.01, rng)
    upsert_entries = [m.entry() for m in upserts]
    incremental, inc_seconds = timed(grouping.regroup, state, upsert_entries, deletes)
    full, again_seconds = timed(grouping.regroup, state, kept + upsert_entries, deletes)
    after = incremental.apply(kept + upsert_entries)
    same = {e.key: e.family for e in after} == full.assignments
    print(
        f"regroup 1%      {inc_seconds:7.2f} s  ({len(upserts):,} upserts, {len(deletes):,} deletes; "
        f"{len(incremental.assignments):,} definitions regrouped) vs full {again_seconds:.2f} s: "
        f"{again_seconds / inc_seconds:.1f}x faster, same families: {same}"
    )
    one = catalog.members[len(entries) // 2]
    edited = Member(**{**vars_of(one), "text": catalog.mutate(one.text, 0.3)})
    _, one_seconds = timed(grouping.regroup, state, [edited.entry()], ())
    print(
        f"regroup 1 edit  {one_seconds:7.2f} s  vs full {full_seconds:.2f} s: {full_seconds / one_seconds:.1f}x faster"
    )

    by_key = {m.key: m for m in catalog.members}

    def describe_all():
        return [
            families.describe_family(key, [by_key[k] for k in keys], regrouping.links.get(key, ()))
            for key, keys in regrouping.families.items()
        ]

    described, seconds = timed(describe_all)
    folded = sum(1 for f in described for m in f.members if m.copy_of)
    print(f"describe all    {seconds:7.2f} s  ({folded:,} members folded as copies)")
    largest = max(described, key=lambda f: f.size)
    columns = [by_key[m.key] for m in largest.members if not m.copy_of]
    page = []
    for _ in range(20):
        _, seconds = timed(lambda: families.comparison.core_view(columns, families.comparison.align_sections(columns)))
        page.append(seconds)
    page.sort()
    print(
        f"sections+core   {page[int(len(page) * 0.95) - 1] * 1e3:7.2f} ms p95 for the largest family "
        f"({largest.size} members, {len(columns)} columns)"
    )
    print(f"max RSS so far  {rss_mib():.0f} MiB")


def bench_datasketch(size, seed):
    try:
        from datasketch import LeanMinHash, MinHash, MinHashLSH
    except ImportError:
        print("\n(datasketch is not installed: pip install datasketch to compare the MinHash/LSH step with it)")
        return
    texts = [m.text for m in Catalog(size, seed).members]
    ours_sig, ours_seconds = timed(lambda: [signatures.signature(t) for t in texts])

    def theirs():
        sets = [[b" ".join(w[i : i + 3]) for i in range(len(w) - 2)] for w in map(signatures.words, texts)]
        return [LeanMinHash(m) for m in MinHash.bulk(sets, num_perm=signatures.NUM_PERM)]

    their_sig, their_seconds = timed(theirs)
    entries = [grouping.Entry(f"c{i % 50}/agent/x{i}", "agent", f"c{i % 50}", f"x{i}", f"x{i}", s.values, s.shingles)
               for i, s in enumerate(ours_sig)]  # fmt: skip

    def our_index():  # the same work as datasketch's: build the index, query every signature
        index = grouping._ContentIndex(entries)
        rows = np.arange(len(entries))
        return [index.candidates(rows[i : i + 2048]) for i in range(0, len(rows), 2048)]

    _, ours_index = timed(our_index)
    _, ours_group = timed(grouping.group, entries)

    def their_index():
        lsh = MinHashLSH(threshold=0.5, num_perm=signatures.NUM_PERM)
        for i, m in enumerate(their_sig):
            lsh.insert(i, m)
        return [lsh.query(m) for m in their_sig]

    _, their_index_seconds = timed(their_index)
    print(
        f"\n== against datasketch, {size:,} bodies "
        f"(its LSH at threshold 0.5 picks {signatures.BANDS}x{signatures.ROWS} bands too)"
    )
    print(
        f"signatures      ours {ours_seconds:6.2f} s, MinHash.bulk {their_seconds:6.2f} s: "
        f"{their_seconds / ours_seconds:.1f}x"
    )
    print(
        f"index + query   ours {ours_index:6.2f} s, MinHashLSH {their_index_seconds:6.2f} s: "
        f"{their_index_seconds / ours_index:.1f}x"
    )
    print(f"                (our whole grouping, verification and union-find included: {ours_group:.2f} s)")


def bench_corpus():
    from catalog.core import analysis
    from catalog.core.discovery import discover, find_collections
    from catalog.core.text import slugify

    if not CORPUS.is_dir():
        print(f"\n(no corpus at {CORPUS})")
        return
    start = time.perf_counter()
    members = []
    for collection in find_collections(CORPUS):
        slug, taken = slugify(collection.name), set()
        for candidate in discover(collection.root):
            if not candidate.kind:
                continue
            raw = candidate.path.read_bytes()
            result = analysis.analyse(
                raw, candidate.relpath, candidate.kind, candidate.format, candidate.namespace, candidate.plugin
            )
            if result.parsed is None:
                continue
            own = result.parsed.slug.replace("/", ":")
            own = (
                own if (result.parsed.kind, own) not in taken else slugify(str(Path(candidate.relpath).with_suffix("")))
            )
            taken.add((result.parsed.kind, own))
            key = f"{slug}/{result.parsed.kind}/{own}"
            members.append(families.model.member_from_parsed(result.parsed, key=key, collection=slug,
                                                             items=result.items, findings=result.findings))  # fmt: skip
    analysed = time.perf_counter() - start
    entries, sig_seconds = timed(lambda: [m.entry() for m in members])
    regrouping, group_seconds = timed(grouping.group, entries)
    by_key = {m.key: m for m in members}
    described, describe_seconds = timed(
        lambda: {k: families.describe_family(k, [by_key[m] for m in keys], regrouping.links.get(k, ()))
                 for k, keys in regrouping.families.items()}
    )  # fmt: skip
    kinds = Counter(m.kind for m in members)
    sizes = Counter(len(keys) for keys in regrouping.families.values())
    print(f"\n== the corpus: {len(members):,} definitions ({', '.join(f'{n} {k}s' for k, n in sorted(kinds.items()))})")
    print(
        f"analyse {analysed:.2f} s, signatures {sig_seconds:.2f} s, "
        f"group {group_seconds:.2f} s, describe {describe_seconds:.2f} s"
    )
    print(f"{len(regrouping.families):,} families; by size: {dict(sorted(sizes.items()))}")
    labels = {e.key: set(e.labels) for e in entries}
    renamed = [
        link for links in regrouping.links.values() for link in links if not labels[link.source] & labels[link.target]
    ]
    print(f"{len(renamed)} content links join differently named definitions:")
    for link in renamed:
        print(f"    {link.similarity:.3f}  {link.source}  ~  {link.target}")
    print("\nten largest families (size, versions after folding copies, key): the pick and why")
    for family in sorted(described.values(), key=lambda f: (-f.size, f.key))[:10]:
        best = family.members[0]
        print(f"{family.size:3d} {family.versions:3d}  {family.key}  pick {best.key} ({best.score})")
        print("          " + "; ".join(r for r in best.score_reasons if not r.startswith("+0 ")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-corpus", action="store_true")
    args = parser.parse_args()
    print(f"MinHash {signatures.NUM_PERM} perms, {signatures.BANDS}x{signatures.ROWS} bands, "
          f"link >= {grouping.LINK_THRESHOLD}, copy >= {families.copies.COPY_THRESHOLD}")  # fmt: skip
    for size in args.sizes:
        bench_size(size, args.seed)
    bench_datasketch(min(args.sizes + [10_000]) // 5 or 2000, args.seed)
    if not args.no_corpus:
        bench_corpus()
    print(f"\nmax RSS {rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
