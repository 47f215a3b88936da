"""Tests for catalog.core.families: grouping, incremental regrouping, copies, scores, sections."""

import random
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath

import pytest

from catalog.core import families
from catalog.core.discovery import discover, find_collections
from catalog.core.families import Member, Tool, comparison, copies, grouping, signatures
from catalog.core.parsing import parse_definition
from catalog.core.text import slugify
from tests.helpers import CORPUS, REPO, SEEDS

T0 = datetime(2024, 1, 1, tzinfo=UTC)

# A made-up vocabulary, so that every generated body is text of our own.
_SYLLABLES = "ka lo mi ne ru ta vo shi ben dor fal gri hum jex kor lum mor nix pra quo rel sav tor ulm".split()


def vocabulary(seed, size=3000):
    rng = random.Random(seed)
    return ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)]


WORDS = vocabulary(17)


def prose(seed, length=200, words=WORDS):
    rng = random.Random(seed)
    return " ".join(rng.choice(words) for _ in range(length))


BODY = prose(1, 160)


def mutate(text, share, seed):
    """The text with ``share`` of its words replaced."""
    rng = random.Random(seed)
    words = text.split()
    for index in rng.sample(range(len(words)), int(len(words) * share)):
        words[index] = rng.choice(WORDS)
    return " ".join(words)


def member(key, name=None, text="", **fields):
    collection, kind, slug = key.split("/")
    fields.setdefault("sha256", f"sha-of-{key}")
    return Member(key=key, kind=kind, name=name or slug, slug=slug, collection=collection, text=text, **fields)


def jaccard(left, right):
    return signatures.exact_jaccard(left.shingle_hashes, right.shingle_hashes)


def regrouped(members):
    """The families of these members, grouped from nothing."""
    return families.group(m.entry() for m in members)


def partition(regrouping_or_state):
    """The families as a set of frozensets of member keys."""
    if isinstance(regrouping_or_state, grouping.Regrouping):
        return {frozenset(m) for m in regrouping_or_state.families.values()}
    by_family = {}
    for entry in regrouping_or_state:
        by_family.setdefault(entry.family, set()).add(entry.key)
    return {frozenset(m) for m in by_family.values()}


def family_of(regrouping, key):
    (found,) = [k for k, members in regrouping.families.items() if key in members]
    return found


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["backend-architect", "Backend Architect", "backend_architect", "BackendArchitect", "backend-architect.agent",
     "backend-architect.agent.md", "agency:backend-architect", "  **Backend  Architect**  "],
)  # fmt: skip
def test_spellings_of_one_name_share_a_label(written):
    """Case, separators, camel humps, a tool's file suffix and a namespace do not change the label."""
    assert families.family_label(written) == "backend-architect"


def test_symbols_that_carry_meaning_keep_names_apart():
    """C++ and C# experts are different agents, though slugify would make both "c-expert"."""
    assert families.family_label("C++ Expert") != families.family_label("C# Expert")
    assert families.family_label(".NET Upgrade") == families.family_label("dotnet-upgrade")


def test_a_definition_without_any_label_joins_nothing():
    """Names that reduce to nothing stand alone instead of forming one family of the nameless."""
    entries = [
        grouping.Entry("a/agent/one", "agent", "a", "???", "", b"", 0),
        grouping.Entry("b/agent/two", "agent", "b", "!!!", "", b"", 0),
    ]
    assert len(grouping.group(entries).families) == 2


# ---------------------------------------------------------------------------
# The seeds and the corpus
# ---------------------------------------------------------------------------


def _corpus_agents():
    """Every agent definition of the corpus as a Member, keyed the way the importer keys them."""
    found = []
    for collection in find_collections(CORPUS):
        slug, taken = slugify(collection.name), set()
        for candidate in discover(collection.root):
            if candidate.kind != "agent":
                continue
            parsed = parse_definition(candidate.path.read_bytes(), candidate.relpath, "agent", candidate.format)
            # The importer's rule: a slug already taken gives way to the file's path.
            own = (
                parsed.slug
                if parsed.slug not in taken
                else slugify(str(PurePosixPath(candidate.relpath).with_suffix("")))
            )
            taken.add(own)
            key = f"{slug}/agent/{own}"
            found.append((candidate, families.model.member_from_parsed(parsed, key=key, collection=slug)))
    return found


def _seed(prefix):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    parsed = parse_definition(path.read_bytes(), path.name, "agent", "claude-code")
    return families.model.member_from_parsed(parsed, key=f"seeds/agent/{slugify(path.stem)}", collection="seeds")


def _named_backend_architect(path):
    """Independent of family_label: the file's own name: field, or its file name, reads backend-architect."""
    match = re.search(r"^name:\s*[\"']?([^\"'\n]+)", path.read_text(encoding="utf-8", errors="replace"), re.M)
    names = {path.name.split(".")[0], match.group(1).strip() if match else ""}
    return any(re.sub(r"[\s_]+", "-", n.strip().lower()) == "backend-architect" for n in names)


@pytest.mark.corpus
def test_seeds_join_the_corpus_backend_architects():
    """Seeds 000, 001 and 003 (all named backend-architect) form one family with the corpus's
    backend-architect agents; the backend-engineer seeds 002 and 004 stay out of it."""
    corpus = _corpus_agents()
    seeds = {prefix: _seed(prefix) for prefix in ("000", "001", "002", "003", "004")}
    regrouping, described = families.compute_families([m for _, m in corpus] + list(seeds.values()))

    key = family_of(regrouping, seeds["000"].key)
    members = set(regrouping.families[key])
    expected_corpus = {m.key for candidate, m in corpus if _named_backend_architect(candidate.path)}
    assert expected_corpus, "the corpus has a backend-architect agent"
    assert members == {seeds["000"].key, seeds["001"].key, seeds["003"].key} | expected_corpus
    assert key == "agent/backend-architect"
    assert described[key].versions == len(members)  # rewrites, not copies of each other


@pytest.mark.corpus
def test_corpus_families_stay_small_and_named():
    """No generic text chains the corpus into a giant family: every family has few members,
    and a family joined by content shares a body well above the threshold."""
    regrouping = families.group(m.entry() for _, m in _corpus_agents())
    assert max(len(m) for m in regrouping.families.values()) <= 8
    for links in regrouping.links.values():
        assert all(link.similarity >= grouping.LINK_THRESHOLD for link in links)


# ---------------------------------------------------------------------------
# Copies
# ---------------------------------------------------------------------------


def test_one_body_under_two_names_in_two_collections_is_one_family_with_one_copy():
    """The same body named release-notes-writer in alpha and changelog-scribe in beta is one
    family; the later import is the copy, the earlier the original."""
    older = member("alpha/agent/release-notes-writer", text=BODY, first_imported=T0)
    newer = member("beta/agent/changelog-scribe", text=BODY, first_imported=T0 + timedelta(days=3))
    other = member("beta/agent/unrelated", text=prose(2, 160), first_imported=T0)
    regrouping, described = families.compute_families([older, newer, other])

    assert partition(regrouping) == {frozenset({older.key, newer.key}), frozenset({other.key})}
    family = described[family_of(regrouping, older.key)]
    by_key = {m.key: m for m in family.members}
    assert by_key[newer.key].copy_of == older.key
    assert by_key[older.key].copy_of is None
    assert [m.copy_of for m in family.members].count(None) == 1
    assert by_key[older.key].copied_by == 1
    assert family.versions == 1
    assert [(link.source, link.target) for link in family.links] == [(older.key, newer.key)]


def test_upstream_dates_decide_the_original_before_import_times():
    """A git date is the earliest evidence: it beats an earlier first import of the other copy."""
    dated = member("b/agent/x", text=BODY, sha256="same", first_imported=T0 + timedelta(days=9),
                   upstream_changed=T0 - timedelta(days=30))  # fmt: skip
    imported = member("a/agent/x", text=BODY, sha256="same", first_imported=T0)
    found = copies.find_copies([imported, dated])
    assert found == {imported.key: copies.Copy(imported.key, dated.key, 1.0, True)}


def test_equal_evidence_falls_to_the_key():
    """With the same dates, the alphabetically first key is the original, whatever the input order."""
    a = member("a/agent/x", text=BODY, sha256="same", first_imported=T0)
    b = member("b/agent/x", text=BODY, sha256="same", first_imported=T0)
    assert copies.find_copies([b, a]) == copies.find_copies([a, b]) == {b.key: copies.Copy(b.key, a.key, 1.0, True)}


def test_near_identical_is_a_copy_but_an_edited_version_is_not():
    """A few words changed is a copy (with its similarity); a fifth of the words is a version."""
    original = member("a/agent/x", text=BODY, first_imported=T0)
    touched = member("b/agent/x", text=mutate(BODY, 0.01, 3), first_imported=T0 + timedelta(days=1))
    edited = member("c/agent/x", text=mutate(BODY, 0.2, 4), first_imported=T0 + timedelta(days=2))
    found = copies.find_copies([original, touched, edited])
    assert set(found) == {touched.key}
    assert copies.COPY_THRESHOLD <= found[touched.key].similarity < 1.0
    assert not found[touched.key].identical


def test_a_copy_with_other_tools_is_a_separate_choice():
    """The same body allowed Bash instead of Read only is not folded into the original."""
    read_only = member("a/agent/x", text=BODY, tools=(Tool("Read"),), first_imported=T0)
    with_bash = member("b/agent/x", text=BODY, tools=(Tool("Read"), Tool("Bash")), first_imported=T0 + timedelta(1))
    assert copies.find_copies([read_only, with_bash]) == {}


def test_short_bodies_are_copies_only_when_byte_identical():
    """Four words in common prove nothing; the same file does."""
    a = member("a/command/x", text="Run the tests now", first_imported=T0)
    b = member("b/command/x", text="Run the tests now", first_imported=T0 + timedelta(1))
    c = member("c/command/x", text="Run the tests now", sha256=a.sha256, first_imported=T0 + timedelta(2))
    assert copies.find_copies([a, b, c]) == {c.key: copies.Copy(c.key, a.key, 1.0, True)}


# ---------------------------------------------------------------------------
# Guards against chaining
# ---------------------------------------------------------------------------


def test_generic_short_bodies_do_not_merge_unrelated_definitions():
    """Six differently named commands in six collections with one short generic body stay apart."""
    generic = "Review the current diff and report every problem you find to the user."
    members = [member(f"c{i}/command/task-{i}", text=generic) for i in range(6)]
    assert len(regrouped(members).families) == 6


def test_a_shared_template_does_not_chain_agents_into_one_family(monkeypatch):
    """Agents that are 95% one template and 5% their own (shingle Jaccard ~0.91, above the link
    threshold) stay apart: a text that matches many names links only when it is a copy of them."""
    template = prose(5, 500)
    members = [member(f"c{i}/agent/specialist-{i}", text=f"{template} {prose(100 + i, 24)}") for i in range(8)]
    assert grouping.LINK_THRESHOLD < jaccard(members[0], members[1]) < grouping.CROWDED_THRESHOLD
    assert len(regrouped(members).families) == 8
    monkeypatch.setattr(grouping, "CROWDED_LABELS", len(members))  # without the guard they chain
    assert len(regrouped(members).families) < 4


def test_a_copy_renamed_in_many_collections_is_still_one_family():
    """Crowded but verbatim: one body under six names in six collections is one family."""
    members = [member(f"c{i}/agent/name-{i}", text=BODY) for i in range(6)]
    assert len(regrouped(members).families) == 1


def test_siblings_from_one_template_stay_apart_when_each_has_its_twin(monkeypatch):
    """dotnet and python variants of one template (Jaccard ~0.93), each copied into a second
    collection, form two families: each links only to its own twin, its best match."""
    template = prose(6, 600)
    dotnet, python = f"{template} {prose(7, 20)}", f"{template} {prose(8, 20)}"
    members = [
        member("a/agent/framework-dotnet", text=dotnet),
        member("b/agent/fw-dotnet-expert", text=dotnet),
        member("a/agent/framework-python", text=python),
        member("b/agent/fw-python-expert", text=python),
    ]
    assert partition(regrouped(members)) == {
        frozenset({"a/agent/framework-dotnet", "b/agent/fw-dotnet-expert"}),
        frozenset({"a/agent/framework-python", "b/agent/fw-python-expert"}),
    }
    monkeypatch.setattr(grouping, "TIE_AGREE", signatures.NUM_PERM)  # every match above the threshold
    assert len(regrouped(members).families) == 1


def test_two_names_in_one_collection_are_two_agents_however_similar():
    """create-specification and update-specification of one collection do not merge by content."""
    members = [member("a/command/create-specification", text=BODY),
               member("a/command/update-specification", text=mutate(BODY, 0.01, 9))]  # fmt: skip
    assert len(regrouped(members).families) == 2


def test_kinds_never_mix():
    """An agent and a skill of one name and one body are two families."""
    members = [member("a/agent/helper", text=BODY), member("b/skill/helper", text=BODY)]
    regrouping = regrouped(members)
    assert sorted(regrouping.families) == ["agent/helper", "skill/helper"]


# ---------------------------------------------------------------------------
# Incremental regrouping
# ---------------------------------------------------------------------------


def _catalog(rng):
    """A small catalog with planted clusters: copies, renamed copies, edited versions, loners."""
    members = []
    for cluster in range(12):
        base = prose(1000 + cluster, rng.randint(60, 200))
        name = f"agent-{cluster}"
        for copy in range(rng.randint(1, 4)):
            text = base if rng.random() < 0.5 else mutate(base, rng.choice([0.01, 0.05, 0.3]), rng.random())
            label = name if rng.random() < 0.7 else f"renamed-{cluster}-{copy}"
            members.append(member(f"c{copy}/agent/{label}", text=text, first_imported=T0 + timedelta(rng.random())))
    for loner in range(6):
        members.append(member(f"c9/agent/loner-{loner}", text=prose(2000 + loner, 30)))
    return members


def _change(rng, members, step):
    """One random rename, edit or delete (or an addition), as ``(members after, upserts, deletes)``."""
    by_key = {m.key: m for m in members}
    victim = rng.choice(sorted(by_key))
    old = by_key[victim]
    action = rng.choice(["rename", "edit", "copy-other", "delete", "add"])
    upserts, deletes = [], []
    if action == "rename":
        del by_key[victim]
        new = member(f"{old.collection}/agent/moved-{step}", text=old.text, first_imported=old.first_imported)
        upserts, deletes = [new], [victim]
    elif action == "edit":
        new = member(victim, name=old.name, text=mutate(old.text, 0.3, step), first_imported=old.first_imported)
        upserts = [new]
    elif action == "copy-other":  # becomes a copy of some other definition's body
        source = by_key[rng.choice(sorted(by_key))]
        new = member(victim, name=old.name, text=source.text, first_imported=old.first_imported)
        upserts = [new]
    elif action == "delete":
        del by_key[victim]
        deletes = [victim]
    else:
        new = member(f"c{rng.randint(0, 9)}/agent/added-{step}", text=rng.choice(members).text)
        upserts = [new]
    for m in upserts:
        by_key[m.key] = m
    return list(by_key.values()), upserts, deletes


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_incremental_regrouping_matches_a_full_recompute(seed):
    """After each rename, edit, delete or addition, regrouping only what changed gives every
    definition the family (members and key) a full recompute from the same previous state gives
    it, and the same partition as grouping from nothing."""
    rng = random.Random(seed)
    members = _catalog(rng)
    state = families.group(m.entry() for m in members).apply([m.entry() for m in members])
    touched = []
    for step in range(25):
        members, upserts, deletes = _change(rng, members, step)
        incremental = grouping.regroup(state, [m.entry() for m in upserts], deletes)
        after = [e for e in state if e.key not in set(deletes) | {m.key for m in upserts}]
        after = incremental.apply(after + [m.entry() for m in upserts])

        current = [m.entry() for m in members]
        full = grouping.regroup(state, current, [e.key for e in state if e.key not in {m.key for m in members}])
        assert {e.key: e.family for e in after} == full.assignments
        assert partition(after) == partition(families.group(current))
        assert set(incremental.removed) <= {e.family for e in state}
        touched.append(len(incremental.assignments) / len(after))
        state = after
    assert min(touched) < 0.5, "an incremental step recomputes only part of the catalog"


def test_an_unchanged_definition_follows_a_match_that_appears():
    """u (collection a) resembles v (c) at ~0.93. Then x (b) becomes a copy of w, which resembles u
    as much but sits in u's own collection. x joins u's best matches, though u is not among x's
    (x's best is w, by more than the tie margin), and u did not change: the incremental pass must
    still join u's family to x's, as a full recompute does."""
    base = prose(61, 600)
    u = member("a/agent/gamma", text=mutate(base, 0.01, 1))
    v = member("c/agent/delta", text=mutate(u.text, 0.012, 11))
    w = member("a/agent/alpha", text=base)
    x = member("b/agent/beta", text=prose(62, 300))
    state = families.group(m.entry() for m in (u, v, w, x)).apply([m.entry() for m in (u, v, w, x)])
    assert partition(state) == {frozenset({u.key, v.key}), frozenset({w.key}), frozenset({x.key})}

    edited = member(x.key, text=base).entry()
    after = grouping.regroup(state, [edited]).apply([e for e in state if e.key != x.key] + [edited])
    assert partition(after) == partition(families.group([e for e in state if e.key != x.key] + [edited]))
    assert partition(after) == {frozenset({u.key, v.key, w.key, x.key})}


def test_family_keys_survive_a_regroup():
    """Keys are kept while their label still belongs to the family, even when another name
    becomes more common, so /families/<key>/ links keep working."""
    base = [member("a/agent/code-reviewer", text=BODY), member("b/agent/code-reviewer", text=BODY)]
    state = families.group(m.entry() for m in base).apply([m.entry() for m in base])
    assert {e.family for e in state} == {"agent/code-reviewer"}
    renamed = [member(f"c{i}/agent/reviewer", text=BODY).entry() for i in range(3)]
    regrouping = grouping.regroup(state, renamed)
    assert list(regrouping.families) == ["agent/code-reviewer"]
    assert families.group([*state, *renamed]).families.keys() == {"agent/reviewer"}  # from nothing


def test_a_split_family_keeps_its_key_on_the_part_that_keeps_the_label():
    """Renaming the only member that linked two names splits the family; the key stays with the
    part that still has its label and the other part gets a key of its own."""
    state = [member("a/agent/alpha", text=BODY).entry(), member("b/agent/beta", text=BODY).entry()]
    state = families.group(state).apply(state)
    (key,) = {e.family for e in state}
    edited = member("b/agent/beta", text=prose(50, 160)).entry()
    regrouping = grouping.regroup(state, [edited])
    assert regrouping.assignments["a/agent/alpha"] == key
    assert regrouping.assignments["b/agent/beta"] != key
    assert regrouping.removed == ()


# ---------------------------------------------------------------------------
# Signatures
# ---------------------------------------------------------------------------


def test_signature_estimates_the_exact_jaccard():
    """Over many pairs the estimate stays within four standard errors of the exact value."""
    for seed in range(40):
        left = prose(300 + seed, 300)
        right = mutate(left, seed / 60, seed)
        exact = signatures.exact_jaccard(signatures.shingle_hashes(left), signatures.shingle_hashes(right))
        estimate = (
            signatures.agreement(signatures.signature(left).array(), signatures.signature(right).array())
            / signatures.NUM_PERM
        )
        error = (exact * (1 - exact) / signatures.NUM_PERM) ** 0.5
        assert abs(estimate - exact) <= 4 * error + 1e-9, (seed, exact, estimate)


def test_signatures_are_the_same_in_every_process():
    """Stored signatures stay valid: a process with another hash seed computes the same bytes."""
    text = "Ünïcode café and ASCII words, " + prose(9, 80)
    script = (
        "import sys; from catalog.core.families import signatures as s; "
        "sys.stdout.write(s.signature(sys.stdin.read()).values.hex())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], input=text, capture_output=True, text=True, check=True, cwd=REPO,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in ("1", "2")
    }  # fmt: skip
    assert outputs == {signatures.signature(text).values.hex()}


def test_ascii_and_unicode_paths_read_the_same_words():
    """The fast ASCII path splits words exactly as the regular expression does."""
    text = "Hello, World_x! 42-fold re-use; C++ & C# (v1.2)"
    assert signatures.words(text) == signatures.words(text + " é")[:-1]


# ---------------------------------------------------------------------------
# Score
# ---------------------------------------------------------------------------


def _points(reasons):
    return sum(int(re.match(r"^([+-]\d+) ", reason).group(1)) for reason in reasons)


def test_score_reasons_add_up_to_the_score():
    """Every point of every score is listed in its reasons, and nothing else is."""
    members = [
        member("a/agent/x", text=BODY, description="Reviews code.", responsibilities=7, metrics=2, examples=1,
               tools=(Tool("Read"), Tool("Grep")), upstream_changed=T0, first_imported=T0),
        member("b/agent/x", text=mutate(BODY, 0.3, 1), warnings=2, errors=1,
               tools=(Tool("Read"), Tool("Bash"), Tool("Write")), upstream_changed=T0 + timedelta(days=100)),
        member("c/agent/x", text=BODY, sha256="sha-of-a/agent/x", first_imported=T0 + timedelta(days=1)),
        member("d/agent/x", text=mutate(BODY, 0.3, 2), tools=(Tool("Bash", "git:*"),), warnings=9),
    ]  # fmt: skip
    family = families.compute_families(members)[1]["agent/x"]
    by_key = {m.key: m for m in family.members}
    for m in family.members:
        assert _points(m.score_reasons) == m.score, m.score_reasons
    assert "+10 has a description" in by_key["a/agent/x"].score_reasons
    assert "+10 7 responsibilities stated" in by_key["a/agent/x"].score_reasons  # capped at five
    assert "+3 copied by 1 other collection" in by_key["a/agent/x"].score_reasons
    assert "-5 allows Bash without a command pattern" in by_key["b/agent/x"].score_reasons
    assert "-10 1 validation error" in by_key["b/agent/x"].score_reasons
    assert "+5 changed upstream 2024-04-10 (the newest)" in by_key["b/agent/x"].score_reasons
    assert "+0 changed upstream 2024-01-01" in by_key["a/agent/x"].score_reasons
    assert "-10 9 validation warnings" in by_key["d/agent/x"].score_reasons
    assert "+5 allows the fewest tools in the family" in by_key["d/agent/x"].score_reasons
    assert "+0 no tool list: inherits every tool" in by_key["c/agent/x"].score_reasons
    assert [m.score for m in family.members] == sorted((m.score for m in family.members), reverse=True)


@pytest.mark.corpus
def test_corpus_scores_add_up():
    """On every real family of the corpus, too."""
    described = families.compute_families(m for _, m in _corpus_agents())[1]
    for family in described.values():
        for m in family.members:
            assert _points(m.score_reasons) == m.score


# ---------------------------------------------------------------------------
# Sections and the core view
# ---------------------------------------------------------------------------

LEFT = """Intro line.

## 🎯 Your Core Mission:
Build the thing well.

## Workflow
Plan, then build.

## Left only
Something of its own.
"""
MIDDLE = """## Core Mission
Build the thing well.

## Workflow
Build first, plan later.
"""
RIGHT = """## 3. **Core Mission**
Build   the thing
well.
"""


def test_sections_align_by_normalized_heading():
    """Headings written three ways are one row; the usual text is present, another is changed."""
    columns = [member("a/agent/x", text=LEFT), member("b/agent/x", text=MIDDLE), member("c/agent/x", text=RIGHT)]
    rows = {row.key: row for row in comparison.align_sections(columns)}
    assert [c.status for c in rows["core mission"].cells] == ["present", "present", "present"]
    headings = ["🎯 Your Core Mission:", "Core Mission", "3. **Core Mission**"]
    assert [c.heading for c in rows["core mission"].cells] == headings
    assert [c.status for c in rows["workflow"].cells] == ["changed", "changed", "absent"]
    assert [c.status for c in rows["left only"].cells] == ["present", "absent", "absent"]
    assert rows[""].heading == comparison.PREAMBLE
    assert list(rows)[0] == ""


def test_core_view_shows_what_most_share_and_what_one_alone_has():
    columns = [
        member("a/agent/x", text=LEFT, tools=(Tool("Read"), Tool("Grep"), Tool("Bash"))),
        member("b/agent/x", text=MIDDLE, tools=(Tool("Read"), Tool("Grep"))),
        member("c/agent/x", text=RIGHT, tools=(Tool("Read"), Tool("Write", enabled=False))),
    ]
    core = comparison.core_view(columns)
    assert "Core Mission" in core.shared_headings and "Workflow" in core.shared_headings
    assert core.unique_headings == {"a/agent/x": ("Left only",)}
    assert core.shared_tools == ("Read", "Grep")
    assert core.unique_tools == {"a/agent/x": ("Bash",)}
    labels, allowed = comparison.tool_matrix(columns)
    assert labels == ("Read", "Grep", "Bash") and allowed["c/agent/x"] == {"Read"}
