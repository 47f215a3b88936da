"""Tests for catalog.core.diffing: the structured diff of two agent definitions."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.core.diffing import (
    COARSE_ROW_LIMIT,
    DEFAULT_MAX_BYTES,
    DiffSide,
    Row,
    Segment,
    Skip,
    diff_definitions,
    unified_patch,
)
from tests.helpers import seed_side


def side(body="", frontmatter=None, label="side", raw="", **sets):
    return DiffSide(
        label=label,
        frontmatter=frontmatter or {},
        body=body,
        raw=raw,
        **{name: frozenset(values) for name, values in sets.items()},
    )


def by_heading(diff):
    return {s.heading: s for s in diff.sections}


def joined(segments):
    return "".join(text for text, _ in segments)


MISSION = """\
## Core Mission
Design payment and ledger APIs that stay correct under retries.
Keep every endpoint documented, versioned and covered by contract tests.
Review schema migrations with the data team before they ship.
"""
RULES = """\
## Rules
- Never store secrets in source control.
- Validate input at the service boundary.
"""
TOOLING = """\
## Tooling
Prefer reading files before editing them.
"""


# ---------------------------------------------------------------------------
# Whole-diff behaviour
# ---------------------------------------------------------------------------


def test_identical_sides_are_identical():
    """The same definition on both sides has similarity 1.0 and nothing changed."""
    body = "Intro.\n\n" + MISSION + "\n" + RULES
    frontmatter = {"name": "api", "tools": "Read, Write"}
    diff = diff_definitions(
        side(body, frontmatter, tools={"Read", "Write"}), side(body, frontmatter, tools={"Read", "Write"})
    )
    assert diff.identical
    assert diff.summary.similarity == 1.0
    assert diff.summary.lines_added == diff.summary.lines_removed == 0
    assert {s.status for s in diff.sections} == {"same"}
    assert {f.status for f in diff.fields} == {"same"}
    assert diff.sets[0].both == ("Read", "Write")


def test_empty_sides():
    """Two empty definitions are identical; empty against full shows every section added."""
    empty = diff_definitions(side(), side())
    assert empty.identical
    assert empty.summary.similarity == 1.0
    assert empty.sections == () and empty.fields == ()

    body = MISSION + "\n" + RULES
    grown = diff_definitions(side(), side(body, {"name": "api"}))
    assert [s.status for s in grown.sections] == ["added", "added"]
    assert grown.summary.lines_added == len([line for line in body.splitlines() if line])
    assert grown.summary.lines_removed == 0
    assert grown.fields[0].status == "added"
    assert grown.summary.similarity == 0.0


def test_reordered_sections_are_matched_not_added():
    """Swapping two sections shows one as moved, with no added or removed lines."""
    diff = diff_definitions(side(MISSION + "\n" + RULES), side(RULES + "\n" + MISSION))
    statuses = sorted(s.status for s in diff.sections)
    assert statuses == ["moved", "same"]
    assert diff.summary.sections_changed == 0
    assert diff.summary.sections_moved == 1
    assert diff.summary.lines_added == diff.summary.lines_removed == 0
    # The result follows the right-hand order.
    assert [s.heading for s in diff.sections] == ["Rules", "Core Mission"]


def test_moved_and_edited_section_is_changed_and_moved():
    """A section that moved and changed keeps status "changed" with the moved flag set."""
    edited = MISSION.replace("before they ship", "before every release")
    diff = diff_definitions(side(MISSION + "\n" + RULES), side(RULES + "\n" + edited))
    mission = by_heading(diff)["Core Mission"]
    assert mission.status == "changed"
    assert mission.moved
    assert (mission.lines_added, mission.lines_removed) == (1, 1)


def test_heading_keys_ignore_emoji_numbering_and_possessive():
    """Headings "1. 🎯 Your Core Mission:" and "Core Mission" are the same section, not a rename."""
    right = MISSION.replace("## Core Mission", "## 1. 🎯 Your Core Mission:")
    diff = diff_definitions(side(MISSION), side(right))
    (section,) = diff.sections
    assert section.status == "same"
    assert not section.renamed
    assert section.right_heading == "1. 🎯 Your Core Mission:"


def test_renamed_heading_is_matched_by_content():
    """Headings "Core Mission" and "Mission & Scope" over nearly the same text are one changed section."""
    renamed = MISSION.replace("## Core Mission", "## Mission & Scope").replace("retries", "network retries")
    diff = diff_definitions(side(MISSION + "\n" + RULES), side(renamed + "\n" + RULES))
    section = by_heading(diff)["Mission & Scope"]
    assert section.renamed
    assert section.left_heading == "Core Mission"
    assert section.status == "changed"
    # One edited line plus the heading itself.
    assert (section.lines_added, section.lines_removed) == (2, 2)
    assert [s.status for s in diff.sections] == ["changed", "same"]


def test_unrelated_sections_with_different_headings_are_not_paired():
    """A removed section and an unrelated new one are shown as removed and added."""
    examples = "## Examples\nAsk for a rate limiter on the public gateway.\n"
    diff = diff_definitions(side(MISSION + "\n" + TOOLING), side(MISSION + "\n" + examples))
    statuses = {s.heading: s.status for s in diff.sections}
    assert statuses == {"Core Mission": "same", "Tooling": "removed", "Examples": "added"}
    assert not any(s.renamed for s in diff.sections)


def test_removed_section_is_placed_after_its_left_neighbour():
    """A section only on the left appears where it stood, after the section before it."""
    left = MISSION + "\n" + TOOLING + "\n" + RULES
    right = MISSION + "\n" + RULES + "\n## Examples\nShip a rate limiter.\n"
    diff = diff_definitions(side(left), side(right))
    assert [(s.heading, s.status) for s in diff.sections] == [
        ("Core Mission", "same"),
        ("Tooling", "removed"),
        ("Rules", "same"),
        ("Examples", "added"),
    ]
    tooling = by_heading(diff)["Tooling"]
    assert tooling.right_heading is None
    assert [row.tag for row in tooling.rows] == ["delete"]
    assert tooling.lines_removed == 2  # heading and one line


def test_duplicate_headings_pair_in_order():
    """Two sections with the same heading pair first with first and second with second."""
    body = "## Notes\nalpha\n\n## Notes\nbeta\n"
    diff = diff_definitions(side(body), side(body.replace("beta", "gamma")))
    assert [s.status for s in diff.sections] == ["same", "changed"]


# ---------------------------------------------------------------------------
# Frontmatter and sets
# ---------------------------------------------------------------------------


def test_tools_as_string_or_list_compare_equal():
    """`tools: Read, Write` equals `tools: [Write, Read]`; a different tool is a change."""
    left = side(frontmatter={"tools": "Read, Write", "allowed-tools": "Bash(git:*), Grep"})
    right = side(frontmatter={"tools": ["Write", "Read"], "allowed-tools": ["Grep", "Bash(git:*)"]})
    assert {f.status for f in diff_definitions(left, right).fields} == {"same"}

    changed = side(frontmatter={"tools": ["Read", "Edit"], "allowed-tools": "Grep,Bash(git:*)"})
    statuses = {f.name: f.status for f in diff_definitions(left, changed).fields}
    assert statuses == {"tools": "changed", "allowed-tools": "same"}


def test_skills_string_and_list_compare_equal():
    """Skills written as a comma string or a list are the same set."""
    left = side(frontmatter={"skills": "testing, code-review"})
    right = side(frontmatter={"skills": ["code-review", "testing"]})
    assert diff_definitions(left, right).fields[0].status == "same"


def test_ordinary_lists_stay_order_sensitive():
    """Only set-like fields ignore order; other lists keep it."""
    left = side(frontmatter={"keywords": ["api", "db"]})
    right = side(frontmatter={"keywords": ["db", "api"]})
    assert diff_definitions(left, right).fields[0].status == "changed"


def test_reordered_mapping_and_whitespace_are_not_changes():
    """Key order inside a mapping and whitespace-only string edits are not changes."""
    left = side(
        frontmatter={
            "description": "Designs  APIs\nfor payments. ",
            "tools": {"write": False, "bash": True},
            "auto_activate": {"keywords": ["api"], "conditions": ["server"]},
        }
    )
    right = side(
        frontmatter={
            "auto_activate": {"conditions": ["server"], "keywords": ["api"]},
            "tools": {"bash": True, "write": False},
            "description": "Designs APIs for payments.",
        }
    )
    diff = diff_definitions(left, right)
    assert {f.status for f in diff.fields} == {"same"}
    assert diff.summary.fields_changed == 0


def test_field_values_are_kept_as_written():
    """A changed field reports both original values; True and 1 are not equal."""
    diff = diff_definitions(side(frontmatter={"flag": True, "x": 1}), side(frontmatter={"flag": 1, "y": 2}))
    fields = {f.name: f for f in diff.fields}
    assert (fields["flag"].status, fields["flag"].left, fields["flag"].right) == ("changed", True, 1)
    assert (fields["x"].status, fields["x"].right) == ("removed", None)
    assert (fields["y"].status, fields["y"].left) == ("added", None)
    assert diff.summary.fields_changed == 3


def test_sets_are_split_and_sorted():
    """Each set lists names only left, only right and on both sides, sorted; tools feed the summary."""
    left = side(tools={"Write", "Read", "WebFetch"}, collaborators={"qa"})
    right = side(tools={"Read", "Bash", "Write", "Grep"}, collaborators={"qa"})
    diff = diff_definitions(left, right)
    tools = diff.sets[0]
    assert tools.name == "tools"
    assert (tools.only_left, tools.only_right, tools.both) == (("WebFetch",), ("Bash", "Grep"), ("Read", "Write"))
    assert (diff.summary.tools_added, diff.summary.tools_removed) == (2, 1)
    assert not diff.sets[3].changed


# ---------------------------------------------------------------------------
# Rows, words and views
# ---------------------------------------------------------------------------

LONG_LINE = (
    "When a request arrives the service checks the token, loads the account, applies the "
    "rate limit for the tenant, writes an audit record and only then calls the payment provider."
)


def test_one_word_change_is_highlighted_inside_the_line():
    """Changing one word in a long line marks just that word on each side."""
    left = "## Flow\n" + LONG_LINE + "\n"
    right = "## Flow\n" + LONG_LINE.replace("audit record", "audit event") + "\n"
    diff = diff_definitions(side(left), side(right))
    (row,) = diff.sections[0].rows
    assert row.tag == "replace"
    assert joined(row.left_segments) == LONG_LINE
    assert joined(row.right_segments) == LONG_LINE.replace("audit record", "audit event")
    assert [text for text, changed in row.left_segments if changed] == ["record"]
    assert [text for text, changed in row.right_segments if changed] == ["event"]
    assert all(isinstance(segment, Segment) for segment in row.left_segments)


def test_rewritten_line_is_highlighted_whole():
    """A replaced line sharing almost nothing with its partner is one changed segment."""
    diff = diff_definitions(side("## A\nalpha beta gamma delta\n"), side("## A\nwholly other words here\n"))
    (row,) = diff.sections[0].rows
    assert row.left_segments == (Segment("alpha beta gamma delta", True),)
    assert row.right_segments == (Segment("wholly other words here", True),)


def test_rows_carry_file_line_numbers():
    """Row line numbers point at the line in the whole file, frontmatter included."""
    raw_left = "---\nname: a\n---\n\n" + MISSION + "\n\n" + RULES
    raw_right = "---\nname: a\ntools: Read\n---\n" + MISSION.replace("retries", "replays") + "\n" + RULES
    left = side(raw_left.split("---\n", 2)[2], raw=raw_left)
    right = side(raw_right.split("---\n", 2)[2], raw=raw_right)
    diff = diff_definitions(left, right)
    left_lines, right_lines = raw_left.splitlines(), raw_right.splitlines()
    for section in diff.sections:
        assert left_lines[section.left_line - 1] == "## " + section.left_heading
        assert right_lines[section.right_line - 1] == "## " + section.right_heading
        for row in section.rows:
            if row.left_lineno is not None:
                assert left_lines[row.left_lineno - 1] == joined(row.left_segments)
            if row.right_lineno is not None:
                assert right_lines[row.right_lineno - 1] == joined(row.right_segments)
    assert any(row.tag == "replace" for row in diff.sections[0].rows)


def test_collapsed_rows_hide_unchanged_runs_with_context():
    """Hide-unchanged keeps three lines around each change and counts the hidden ones."""
    lines = [f"Line number {n} of the procedure." for n in range(30)]
    edited = list(lines)
    edited[15] = "Line number 15 of the revised procedure."
    diff = diff_definitions(side("## P\n" + "\n".join(lines)), side("## P\n" + "\n".join(edited)))
    section = diff.sections[0]
    collapsed = section.collapsed
    assert isinstance(collapsed[0], Skip) and collapsed[0].hidden == 12
    assert isinstance(collapsed[-1], Skip) and collapsed[-1].hidden == 11
    visible = collapsed[1:-1]
    assert [row.tag for row in visible] == ["equal"] * 3 + ["replace"] + ["equal"] * 3
    assert collapsed[-1].left_lineno == visible[-1].left_lineno + 1
    # Nothing is lost: hidden plus shown rows add up to all rows.
    shown = sum(1 for row in collapsed if isinstance(row, Row))
    assert shown + sum(row.hidden for row in collapsed if isinstance(row, Skip)) == len(section.rows)


def test_unchanged_section_collapses_to_one_marker():
    """A section with no change folds entirely into one skip marker."""
    diff = diff_definitions(side(RULES), side(RULES))
    assert diff.sections[0].collapsed == (Skip(2, 2, 2),)


def test_unified_view_lists_removed_before_added():
    """The one-column view shows a changed run's old lines, then its new lines."""
    left = "## S\nkeep\nold one\nold two\nkeep too\n"
    right = "## S\nkeep\nnew one\nkeep too\n"
    diff = diff_definitions(side(left), side(right))
    unified = diff.sections[0].unified
    assert [(line.tag, joined(line.segments)) for line in unified] == [
        ("equal", "keep"),
        ("delete", "old one"),
        ("delete", "old two"),
        ("insert", "new one"),
        ("equal", "keep too"),
    ]
    # The replaced pair keeps its word highlights in the unified view.
    assert [text for text, changed in unified[1].segments if changed] == ["old"]


# ---------------------------------------------------------------------------
# Coarse fallback, JSON, patch
# ---------------------------------------------------------------------------


def _big_body(sections, lines_per_section, salt):
    chunks = []
    for s in range(sections):
        chunks.append(f"## Section {s}")
        chunks.extend(
            f"Item {s}-{n} {salt if n % 7 == 0 else 'steady'} text for the test." for n in range(lines_per_section)
        )
    return "\n".join(chunks)


def test_large_inputs_fall_back_to_a_coarse_diff():
    """Past the size bound the diff is coarse: flagged, explained, no word highlights, rows capped."""
    left, right = _big_body(80, 100, "old"), _big_body(80, 100, "new")
    assert len(left) > DEFAULT_MAX_BYTES
    diff = diff_definitions(side(left), side(right))
    summary = diff.summary
    assert summary.coarse
    assert "large" in summary.coarse_reason
    assert summary.lines_added == summary.lines_removed == 80 * 15
    rows = [row for section in diff.sections for row in section.rows]
    assert {row.tag for row in rows} <= {"insert", "delete"}
    assert len(rows) <= COARSE_ROW_LIMIT
    assert sum(s.rows_omitted for s in diff.sections) + len(rows) == 2 * 80 * 15
    assert 0 < summary.similarity < 1
    assert diff.to_json()["summary"]["coarse"] is True


def test_max_bytes_sets_the_bound():
    """A small max_bytes turns the diff of small files coarse; the default does not."""
    left, right = side(MISSION), side(MISSION.replace("retries", "replays"))
    assert not diff_definitions(left, right).summary.coarse
    coarse = diff_definitions(left, right, max_bytes=50)
    assert coarse.summary.coarse
    assert coarse.summary.lines_added == coarse.summary.lines_removed == 1


def test_many_short_lines_fall_back_to_a_coarse_diff():
    """A small body with very many lines is coarse too: line alignment is what gets slow."""
    left = "\n".join(str(n % 97) for n in range(2_000))
    right = "\n".join(str(n % 89) for n in range(2_000))
    assert not diff_definitions(side(left), side(right)).summary.coarse
    summary = diff_definitions(side(left), side(right), max_lines=1_000).summary
    assert summary.coarse
    assert "2,000 and 2,000 lines" in summary.coarse_reason


def test_json_shape():
    """to_json() returns plain JSON data with the agreed keys and types."""
    left = side(MISSION + "\n" + TOOLING, {"name": "a", "tools": "Read"}, label="a", tools={"Read"})
    right = side(RULES + "\n" + MISSION.replace("retries", "replays"), {"name": "b"}, label="b", tools={"Bash"})
    data = json.loads(json.dumps(diff_definitions(left, right).to_json()))

    summary = data["summary"]
    for key in ("fields_changed", "tools_added", "tools_removed", "sections_changed", "lines_added", "lines_removed"):
        assert isinstance(summary[key], int), key
    assert isinstance(summary["similarity"], float) and 0 <= summary["similarity"] <= 1
    assert summary["coarse"] is False
    assert (summary["tools_added"], summary["tools_removed"], summary["fields_changed"]) == (1, 1, 2)

    assert data["fields"] == [
        {"name": "name", "status": "changed", "left": "a", "right": "b"},
        {"name": "tools", "status": "removed", "left": "Read", "right": None},
    ]
    assert set(data["sets"]) == {"tools", "skills", "commands", "collaborators"}
    assert data["sets"]["tools"] == {"only_left": ["Read"], "only_right": ["Bash"], "both": []}

    statuses = {(s["left_heading"], s["right_heading"]): s["status"] for s in data["sections"]}
    assert statuses == {
        (None, "Rules"): "added",
        ("Core Mission", "Core Mission"): "changed",
        ("Tooling", None): "removed",
    }
    row = next(r for s in data["sections"] for r in s["rows"] if r[0] == "replace")
    tag, left_lineno, left_segments, right_lineno, right_segments = row
    assert isinstance(left_lineno, int) and isinstance(right_lineno, int)
    assert all(isinstance(text, str) and isinstance(changed, bool) for text, changed in left_segments)


def test_unified_patch_is_a_plain_unified_diff():
    """The patch has file headers and hunks; identical texts give an empty patch."""
    left = side(raw="one\ntwo\nthree\n")
    right = side(raw="one\n2\nthree")
    patch = unified_patch(left, right, "a/agent.md", "b/agent.md")
    assert patch.startswith("--- a/agent.md\n+++ b/agent.md\n@@ ")
    assert "-two\n" in patch and "+2\n" in patch
    assert patch.endswith("+three\n\\ No newline at end of file\n")
    assert unified_patch(left, left) == ""


_PATCH_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_TEXTS = st.lists(st.sampled_from(["a", "b", "c", "", "a b"]), max_size=12).map("\n".join) | st.text(
    alphabet="ab\n\r", max_size=20
)


def _apply(text, patch):
    """Apply a unified diff to ``text`` the way patch(1) would, trusting the hunk headers."""
    source = _PATCH_LINE.findall(text)
    lines = _PATCH_LINE.findall(patch)[2:]  # after the --- and +++ headers
    out, position = [], 0
    for index, line in enumerate(lines):
        if line.startswith("@@"):
            start, length = re.match(r"@@ -(\d+)(?:,(\d+))?", line).groups()
            # An empty range names the line before it.
            first = int(start) if length == "0" else int(start) - 1
            out.extend(source[position:first])
            position = first
        elif line[0] in " -+":
            body = line[1:]
            if index + 1 < len(lines) and lines[index + 1].startswith("\\ No newline"):
                body = body[:-1]
            if line[0] in " -":
                assert source[position] == body
                position += 1
            if line[0] in " +":
                out.append(body)
    out.extend(source[position:])
    return "".join(out)


@settings(max_examples=150, deadline=None)
@given(_TEXTS, _TEXTS, st.booleans())
def test_unified_patch_turns_left_into_right(left, right, single_hunk):
    """Applying the patch to the left text gives the right text, in both patch modes."""
    patch = unified_patch(side(raw=left), side(raw=right), max_lines=0 if single_hunk else 10_000)
    assert _apply(left, patch) == right
    assert (patch == "") == (left == right)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 6),
    st.lists(st.sampled_from(["x1\n", "x2\n"]), max_size=4),
    st.lists(st.sampled_from(["y1\n", "y2\n"]), max_size=4),
    st.integers(0, 6),
)
def test_single_hunk_matches_difflib_on_one_change(before, removed, added, after):
    """For one contiguous change the bounded patch is exactly difflib's patch."""
    prefix = "".join(f"p{n}\n" for n in range(before))
    suffix = "".join(f"s{n}\n" for n in range(after))
    left, right = side(raw=prefix + "".join(removed) + suffix), side(raw=prefix + "".join(added) + suffix)
    assert unified_patch(left, right, max_lines=0) == unified_patch(left, right)


def test_large_patch_is_one_hunk_around_the_change():
    """Past max_lines the changed middle is one hunk with three lines of context."""
    left = "".join(f"{n}\n" for n in range(10))
    right = left.replace("4\n5\n", "four\n")
    patch = unified_patch(side(raw=left), side(raw=right), max_lines=5)
    assert patch == "--- a\n+++ b\n@@ -2,8 +2,7 @@\n 1\n 2\n 3\n-4\n-5\n+four\n 6\n 7\n 8\n"


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

_LINES = st.sampled_from(
    ["## Alpha", "## Beta", "### Gamma", "", "- item one", "- item two", "text here", "```", "x = 1"]
)
_BODIES = st.lists(_LINES, max_size=25).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(_BODIES, _BODIES)
def test_rows_rebuild_both_bodies(left, right):
    """Whatever the bodies, the rows hold every line of each side once, and the score is in 0..1."""
    diff = diff_definitions(side(left), side(right))
    assert 0.0 <= diff.summary.similarity <= 1.0
    for body, lineno, segments in ((left, 1, 2), (right, 3, 4)):
        lines = body.splitlines()
        seen = {}
        for section in diff.sections:
            for row in section.rows:
                if row[lineno] is not None:
                    seen[row[lineno]] = joined(row[segments])
            heading_line = section.left_line if lineno == 1 else section.right_line
            if heading_line is not None:
                seen[heading_line] = lines[heading_line - 1]
        # Blank lines around section text are not rows; every other line is.
        expected = {n: line for n, line in enumerate(lines, 1) if line}
        assert {n: line for n, line in seen.items() if line} == expected


@settings(max_examples=100, deadline=None)
@given(_BODIES)
def test_a_body_against_itself_is_identical(body):
    """Any body compared with itself is identical with similarity 1.0."""
    diff = diff_definitions(side(body), side(body))
    assert diff.identical
    assert diff.summary.similarity == 1.0


# ---------------------------------------------------------------------------
# Real files
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_000_002():
    left, right = seed_side("000"), seed_side("002")
    return left, right, diff_definitions(left, right)


def test_seed_000_vs_002_fields_and_tools(seeds_000_002):
    """The architect and the engineer differ in name, tools and their extra frontmatter keys."""
    _, _, diff = seeds_000_002
    fields = {f.name: f.status for f in diff.fields}
    assert fields["name"] == "changed"
    assert fields["tools"] == "changed"
    assert fields["skills"] == "removed"
    assert fields["auto_activate"] == "added"
    tools = diff.sets[0]
    assert "Read" in tools.both
    assert "WebSearch" in tools.only_left
    assert "TodoWrite" in tools.only_right
    assert not diff.summary.coarse


def test_seed_000_vs_002_sections(seeds_000_002):
    """Two largely different agents: low similarity, sections from both sides, headings repaired."""
    left, right, diff = seeds_000_002
    summary = diff.summary
    assert 0.0 < summary.similarity < 0.5
    statuses = {s.status for s in diff.sections}
    assert {"added", "removed"} <= statuses
    assert summary.lines_added > 500 and summary.lines_removed > 500
    assert "🧠 Your Identity & Memory" in {s.left_heading for s in diff.sections}
    # Every row points at its own text in the (repaired) file.
    left_lines, right_lines = left.raw.splitlines(), right.raw.splitlines()
    for section in diff.sections:
        for row in section.rows:
            if row.left_lineno is not None:
                assert left_lines[row.left_lineno - 1] == joined(row.left_segments)
            if row.right_lineno is not None:
                assert right_lines[row.right_lineno - 1] == joined(row.right_segments)
    json.dumps(diff.to_json())


def test_long_seed_against_itself_is_identical():
    """A 40 KB agent against itself is identical, even with the matcher's autojunk on long sections."""
    seed = seed_side("002")
    diff = diff_definitions(seed, seed)
    assert diff.identical
    assert diff.summary.similarity == 1.0
    assert sum(len(s.rows) for s in diff.sections) > 1000


def test_seed_against_itself_reordered():
    """Reversing the sections of a real agent yields only moves, never an added line."""
    seed = seed_side("004")
    # Keep the text before the first heading in place and reverse the ## blocks.
    head, *blocks = re.split(r"(?m)^(?=## )", seed.body)
    shuffled = head + "".join(block if block.endswith("\n") else block + "\n" for block in reversed(blocks))
    diff = diff_definitions(seed, DiffSide("reversed", seed.frontmatter, shuffled))
    assert diff.summary.lines_added == diff.summary.lines_removed == 0
    assert diff.summary.sections_moved > 0
    assert {s.status for s in diff.sections} <= {"same", "moved"}
