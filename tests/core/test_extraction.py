"""Tests for catalog.core.extraction: responsibilities and success metrics pulled from a body."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.core.extraction import (
    MAX_ITEM_LENGTH,
    METRIC,
    RESPONSIBILITY,
    Item,
    classify_heading,
    extract_items,
)
from catalog.core.text import repair_mojibake
from tests.helpers import CORPUS, SAMPLE, read_seed


def texts(items, field=None):
    return [item.text for item in items if field is None or item.field == field]


def seed(prefix):
    """A seed file's text (repaired for 000, the mojibake seed), body and body's first file line."""
    split = read_seed(prefix, repair=prefix == "000")
    return split.text, split.body, split.body_line


def seed_items(prefix):
    raw, body, first_line = seed(prefix)
    return raw, extract_items(body, first_line=first_line)


def line_of(raw, needle):
    """1-based line of the first line of raw that contains needle."""
    (number,) = [n for n, line in enumerate(raw.splitlines(), start=1) if needle in line][:1]
    return number


# ---------------------------------------------------------------------------
# Heading families
# ---------------------------------------------------------------------------

RESPONSIBILITY_HEADINGS = [
    "## Core Responsibilities",
    "## Key Responsibilities",
    "## Responsibilities",
    "## 🎯 Your Core Mission",
    "## Mission",
    "## Focus Areas",
    "## Capabilities",
    "## Core Expertise",
    "## What the Reviewer Does",
    "## Instructions",
    "## Your Role",
    "### 2. **Core Responsibilities**:",
    "## ðŸŽ¯ Your Core Mission",
]
METRIC_HEADINGS = [
    "## Success Metrics",
    "## 📊 Your Success Metrics",
    "## Success Criteria",
    "## Quality Gates",
    "## Acceptance Criteria",
    "## Verification Criteria",
    "## Quantitative Targets",
    "## Key Performance Indicators",
    "## KPIs",
    "## Definition of Done",
]
NEUTRAL_HEADINGS = [
    "## Communication Style",
    "## Mission-Critical Paths",
    "## Role-Based Access Control",
    "## Installation Instructions",
    "## What NOT to Do",
    "## Single Responsibility Principle",
    "## Examples",
]


@pytest.mark.parametrize("heading", RESPONSIBILITY_HEADINGS)
def test_responsibility_headings_yield_responsibilities(heading):
    """Bullets under any responsibilities heading, however decorated, are responsibilities."""
    items = extract_items(f"{heading}\n\n- Own database migrations\n- Review schema changes\n")
    assert [(item.field, item.text) for item in items] == [
        (RESPONSIBILITY, "Own database migrations"),
        (RESPONSIBILITY, "Review schema changes"),
    ]


@pytest.mark.parametrize("heading", METRIC_HEADINGS)
def test_metric_headings_yield_metrics(heading):
    """Bullets under any success-metrics heading are metrics."""
    items = extract_items(f"{heading}\n- p95 latency under 200 ms\n- Test coverage above 85%\n")
    assert [(item.field, item.text) for item in items] == [
        (METRIC, "p95 latency under 200 ms"),
        (METRIC, "Test coverage above 85%"),
    ]


@pytest.mark.parametrize("heading", NEUTRAL_HEADINGS)
def test_other_headings_yield_nothing(heading):
    """Keyword matching is by whole word on the normalized key, so look-alikes stay neutral."""
    assert extract_items(f"{heading}\n\n- Something worth saying\n") == ()


def test_classify_heading():
    """classify_heading reports the field a heading introduces, or None."""
    assert classify_heading("## 🎯 Your Success Metrics") == METRIC
    assert classify_heading("### 1. **Core Mission**") == RESPONSIBILITY
    assert classify_heading("### What it does NOT do") is None
    assert classify_heading("## Overview") is None


def test_section_is_the_heading_cleaned_for_display():
    """Emoji, Markdown, numbering and a trailing colon are dropped; mojibake is repaired."""
    body = "## ðŸŽ¯ Your **Core** Mission:\n- Ship it\n\n### 2. `Data` Pipelines\n- Load it\n"
    assert [item.section for item in extract_items(body)] == ["Your Core Mission", "Data Pipelines"]


# ---------------------------------------------------------------------------
# Item shapes
# ---------------------------------------------------------------------------


def test_numbered_bold_items_keep_title_and_text():
    """``1. **Title**: text`` keeps the bold title, with the Markdown removed."""
    body = (
        "## Core Responsibilities\n\n"
        "1. **Design & Architecture**: Create layered services that are easy to test.\n"
        "2. **API Design** - Publish versioned contracts.\n"
    )
    assert texts(extract_items(body)) == [
        "Design & Architecture: Create layered services that are easy to test.",
        "API Design - Publish versioned contracts.",
    ]


def test_nested_list_items_and_continuation_lines():
    """Sub-bullets are items of their own; a wrapped line continues its item."""
    body = (
        "## Responsibilities\n"
        "1. **Security**: Every change must address:\n"
        "   - Input validation\n"
        "     on every endpoint\n"
        "   - Rate limiting\n"
    )
    items = extract_items(body)
    assert texts(items) == [
        "Security: Every change must address:",
        "Input validation on every endpoint",
        "Rate limiting",
    ]
    assert [item.line for item in items] == [2, 3, 5]


def test_subsections_inherit_their_parents_field_and_name_themselves():
    """A subsection of Core Mission holds responsibilities; a sibling H2 ends the inheritance."""
    body = (
        "## 🎯 Your Core Mission\n\n"
        "### Data/Schema Engineering Excellence\n"
        "- Keep query times under 20 ms\n\n"
        "#### Streaming\n"
        "- Stream updates in order\n\n"
        "## Communication Style\n"
        "- Be direct\n"
    )
    items = extract_items(body)
    assert [(item.field, item.section, item.text) for item in items] == [
        (RESPONSIBILITY, "Data/Schema Engineering Excellence", "Keep query times under 20 ms"),
        (RESPONSIBILITY, "Streaming", "Stream updates in order"),
    ]


def test_negative_subsection_does_not_inherit():
    """``What it does NOT do`` under a responsibilities heading lists nothing it owns."""
    body = "## Responsibilities\n- Write code\n\n### What it does NOT do\n- Deploy\n- [ ] Sign off\n"
    assert texts(extract_items(body)) == ["Write code"]


def test_checklists_are_metrics_anywhere_except_under_responsibilities():
    """``- [ ]`` and ``- [x]`` items are metrics in a neutral section, responsibilities under one."""
    body = (
        "## Workflow\n"
        "- Plain bullets here are not items\n"
        "- [ ] All tests pass\n"
        "* [x] Coverage above 90%\n\n"
        "## Responsibilities\n"
        "- [ ] Triage new issues\n"
    )
    items = extract_items(body)
    assert [(item.field, item.text) for item in items] == [
        (METRIC, "All tests pass"),
        (METRIC, "Coverage above 90%"),
        (RESPONSIBILITY, "Triage new issues"),
    ]


def test_code_fences_are_not_items():
    """Nothing inside a fence counts, even a checklist or an indented fence in a list item."""
    body = (
        "## Success Criteria\n"
        "```markdown\n"
        "- [ ] inside a fence\n"
        "## Responsibilities\n"
        "- still inside\n"
        "```\n"
        "- After the fence\n"
        "1. **Layout**: Start with a tree:\n"
        "   ```\n"
        "   - src/\n"
        "   ```\n"
        "~~~\n"
        "- [x] tilde fence\n"
        "~~~\n"
    )
    assert texts(extract_items(body)) == ["After the fence", "Layout: Start with a tree:"]


def test_short_paragraphs_are_split_into_sentences():
    """Each sentence of a short paragraph is an item; lead-ins ending in a colon are not."""
    body = (
        "## Mission\n\n"
        "Keep the build green. Review every migration,\n"
        "e.g. schema changes. Own the release notes!\n\n"
        "When working on a task, you will:\n"
        "- Plan first\n"
    )
    items = extract_items(body)
    assert [(item.text, item.line) for item in items] == [
        ("Keep the build green.", 3),
        ("Review every migration, e.g. schema changes.", 3),
        ("Own the release notes!", 4),
        ("Plan first", 7),
    ]


def test_long_paragraphs_are_prose_not_items():
    """A paragraph longer than a few sentences is background, not a list of duties."""
    prose = " ".join(["This sentence explains the background of the agent at some length."] * 12)
    assert extract_items(f"## Mission\n\n{prose}\n") == ()


def test_labelled_bullets_and_pseudo_headings_switch_the_field():
    """``- **Success Criteria**: ...`` and a bold ``**Acceptance Criteria:**`` line are metrics."""
    body = (
        "## Integration with Workflows\n"
        "- **Input**: requirements\n"
        "- **Success Criteria**: APIs respond under 200 ms, 99.9% uptime\n"
        "- **Responsibilities**: Design the schema\n\n"
        "**Acceptance Criteria:**\n"
        "- Login works\n\n"
        "**Next Steps:**\n"
        "- Deploy\n"
    )
    items = extract_items(body)
    assert [(item.field, item.section, item.text) for item in items] == [
        (METRIC, "Integration with Workflows", "Success Criteria: APIs respond under 200 ms, 99.9% uptime"),
        (RESPONSIBILITY, "Integration with Workflows", "Responsibilities: Design the schema"),
        (METRIC, "Acceptance Criteria", "Login works"),
    ]


def test_a_bare_label_announces_its_children():
    """``- Acceptance:`` with sub-bullets makes the sub-bullets metrics, not itself."""
    body = "## I/O Contract\n- Inputs:\n  - A spec\n- Acceptance:\n  - Build passes\n  - Tests pass\n"
    assert [(item.field, item.text) for item in extract_items(body)] == [
        (METRIC, "Build passes"),
        (METRIC, "Tests pass"),
    ]


def test_tables_under_metrics_become_rows():
    """Each table row under a metrics heading is one item; the header row is not."""
    body = "## Success Metrics\n| Metric | Target |\n|---|---|\n| p95 latency | < 200 ms |\n| Uptime | 99.9% |\n"
    items = extract_items(body)
    assert [(item.text, item.line) for item in items] == [("p95 latency: < 200 ms", 4), ("Uptime: 99.9%", 5)]


def test_markdown_is_stripped_from_item_text():
    """Emphasis, links, code spans and leading check marks go; ``__init__`` in code survives."""
    body = (
        "## Success Criteria\n"
        "- ✅ **Complete** [API docs](https://x.invalid) for `__init__` and _every_ route\n"
        "- ~~Old~~ target: *p99* < 500ms<br>\n"
    )
    assert texts(extract_items(body)) == [
        "Complete API docs for __init__ and every route",
        "Old target: p99 < 500ms",
    ]


def test_long_items_are_capped():
    """Items are kept to one line of at most MAX_ITEM_LENGTH characters, cut at a word."""
    long_item = "word " * 400
    (item,) = extract_items(f"## Responsibilities\n- {long_item}\n")
    assert len(item.text) <= MAX_ITEM_LENGTH
    assert item.text.endswith("word…")


def test_first_line_offsets_item_lines_into_the_file():
    """With first_line set, Item.line is the line in the whole file, blank lines included."""
    body = "\n\n## Responsibilities\n\n\n- Own migrations\n"
    assert extract_items(body, first_line=5) == (
        Item(field=RESPONSIBILITY, section="Responsibilities", text="Own migrations", line=10),
    )


def test_document_title_does_not_make_everything_a_responsibility():
    """``# Researcher Instructions`` names the document; its sections are not instructions."""
    body = (
        "# Researcher Instructions\n\nYou research things.\n\n## Tools\n- grep\n\n## Responsibilities\n- Cite sources\n"
    )
    assert texts(extract_items(body)) == ["You research things.", "Cite sources"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "## Success Metrics",
                "### Core Mission",
                "- [ ] x",
                "- **A**: b",
                "```",
                "",
                "text. More.",
                "| a | b |",
                "  - nested",
                "**Quality Gates:**",
            ]
        ),
        max_size=30,
    )
)
def test_any_markdown_gives_well_formed_items(lines):
    """Whatever the Markdown, items are one line, capped, non-empty, and point inside the body."""
    body = "\n".join(lines)
    for item in extract_items(body, first_line=3):
        assert item.field in (RESPONSIBILITY, METRIC)
        assert item.text and "\n" not in item.text and len(item.text) <= MAX_ITEM_LENGTH
        assert 3 <= item.line < 3 + max(len(lines), 1)


# ---------------------------------------------------------------------------
# The seeds
# ---------------------------------------------------------------------------


def test_seed_000_sub_20ms_is_a_core_mission_responsibility():
    """The sub-20ms promise sits under Core Mission > Data/Schema Engineering Excellence."""
    raw, items = seed_items("000")
    matches = [item for item in items if "sub-20ms" in item.text]
    assert [(item.field, item.section, item.line) for item in matches] == [
        (RESPONSIBILITY, "Data/Schema Engineering Excellence", line_of(raw, "sub-20ms")),
    ]


def test_seed_000_uptime_is_a_labelled_success_criterion():
    """``- **Success Criteria**: ... 99.9% uptime achieved`` is a metric of its workflow section."""
    raw, items = seed_items("000")
    matches = [item for item in items if "99.9% uptime" in item.text]
    assert [(item.field, item.section, item.line) for item in matches] == [
        (METRIC, "Integration with Workflows", line_of(raw, "99.9% uptime achieved")),
    ]
    assert matches[0].text.startswith("Success Criteria: System scales to target load")


def test_seed_000_mojibake_success_metrics_are_found():
    """After repair, the ≥ 99.9% availability target is a metric under Quantitative Targets."""
    _, items = seed_items("000")
    by_text = {item.text: item for item in items}
    uptime = by_text["System uptime: ≥ 99.9% availability with proper monitoring"]
    assert (uptime.field, uptime.section) == (METRIC, "Quantitative Targets (Measurable)")


def test_only_seeds_000_and_004_state_test_coverage_success_criteria():
    """000 (Success Metrics) and 004 (Quality Gates checklist) give test-coverage metrics.

    001 mentions coverage only as testing guidance in its workflow, 002 keeps its quality
    gates inside a code fence, and 003 never mentions coverage.
    """
    found = {}
    for prefix in ("000", "001", "002", "003", "004"):
        _, items = seed_items(prefix)
        found[prefix] = [
            (item.section, item.text) for item in items if item.field == METRIC and "test coverage" in item.text.lower()
        ]
    assert found == {
        "000": [
            (
                "Quantitative Targets (Measurable)",
                "Test coverage: ≥ 80% overall, 100% for critical business logic paths",
            )
        ],
        "001": [],
        "002": [],
        "003": [],
        "004": [
            (
                "Before marking task complete - SECURITY CHECKLIST",
                "Code coverage >90% with security test coverage",
            )
        ],
    }


def test_seed_001_numbered_bold_responsibilities():
    """Seed 001 lists four numbered bold responsibilities, each keeping its title."""
    _, items = seed_items("001")
    titled = [item.text.split(":")[0] for item in items if item.field == RESPONSIBILITY and ": " in item.text]
    assert titled == ["Design & Architecture", "Security-First Approach", "Code Quality", "API Design"]


def test_seed_002_separates_what_it_does_from_what_it_does_not():
    """``What backend-engineer DOES`` gives items; ``DOES NOT DO`` and fenced gates give none."""
    raw, items = seed_items("002")
    sections = {item.section for item in items}
    assert "What backend-engineer DOES" in sections
    assert not any("NOT" in section for section in sections)
    gates = line_of(raw, "## Quality Gates Before Completion")
    assert not [item for item in items if gates < item.line < gates + 22]


def test_item_lines_point_at_the_seed_lines():
    """Every item's line in every seed holds the start of the item's text."""
    for prefix in ("000", "001", "002", "003", "004"):
        raw, items = seed_items(prefix)
        lines = raw.splitlines()
        for item in items:
            first_word = item.text.split()[0].strip(":,.\"'").lower()
            assert first_word in lines[item.line - 1].lower(), (prefix, item)


# ---------------------------------------------------------------------------
# The bundled sample catalog and the corpus
# ---------------------------------------------------------------------------

SAMPLE_AGENTS = SAMPLE / "agents"


def test_every_sample_agent_states_responsibilities_and_metrics():
    """Each readable agent in the demo catalog has searchable responsibilities and metrics."""
    agents = sorted(path for path in SAMPLE_AGENTS.glob("*.md") if path.stem != "broken-bomb")
    assert len(agents) >= 12
    for path in agents:
        raw, _ = repair_mojibake(path.read_text(encoding="utf-8"))
        _, frontmatter, body = raw.split("---", 2)
        items = extract_items(body, first_line=frontmatter.count("\n") + 1)
        assert {item.field for item in items} == {RESPONSIBILITY, METRIC}, path.name


@pytest.mark.corpus
def test_corpus_items_are_well_formed():
    """Across the real corpus, extraction never fails and every item is one capped line in range."""
    for path in CORPUS.rglob("*.md"):
        text = path.read_text(encoding="utf-8", errors="replace")
        total = len(text.splitlines())
        for item in extract_items(text):
            assert item.text and "\n" not in item.text and len(item.text) <= MAX_ITEM_LENGTH, path
            assert 1 <= item.line <= total, path
