"""Regression tests for hostile shapes found by the hostile-input work (pure Python)."""

import os

from catalog.core import discovery, extraction, parsing, text


def test_yaml_nul_escape_never_reaches_the_frontmatter():
    """YAML's "\\0" escape makes a NUL, which PostgreSQL refuses: it is dropped from values and keys."""
    parsed = parsing.parse_definition(
        b'---\nname: a\ndescription: "x\\0y"\n"k\\0": v\n---\nbody\n', "a.md", "agent", "claude-code"
    )
    assert parsed.frontmatter["description"] == "xy"
    assert "k" in parsed.frontmatter


def test_file_name_that_is_not_utf8_is_skipped_with_a_reason(tmp_path):
    """A name no database column can store is reported, not allowed to abort the import."""
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "good.md").write_text("---\nname: good\ndescription: d\n---\n")
    os.close(os.open(os.path.join(os.fsencode(agents), b"bad-\xff.md"), os.O_CREAT | os.O_WRONLY))
    found = {c.relpath: c for c in discovery.discover(tmp_path)}
    skipped = [c for c in found.values() if c.kind is None]
    assert [c.skip_reason for c in skipped] == ["name is not valid UTF-8"]
    assert found["agents/good.md"].kind == "agent"


def test_unclosed_brackets_in_an_item_are_read_in_linear_time():
    """"[a](" repeated 20,000 times under a responsibilities heading finishes with bounded text."""
    items = extraction.extract_items("## Core Responsibilities\n- Own " + "[a](" * 20_000 + "\n")
    assert len(items) == 1 and len(items[0].text) <= extraction.MAX_ITEM_LENGTH


def test_heading_with_a_long_run_of_spaces_is_split_in_linear_time():
    """"# a", 40,000 spaces, "b": the closing-#s handling once backtracked over every space."""
    (section,) = text.split_sections("# a" + " " * 40_000 + "b\nbody\n")
    assert section.heading.startswith("a ") and section.heading.endswith(" b")


def test_heading_closing_sequence_follows_commonmark():
    """A closing run of #s after a blank is dropped; one glued to the text is part of it."""
    headings = [s.heading for s in text.split_sections("## a ##\n\n## b#\n\n## ##\nx\n\n#\ty  #  \n\n# c \\#\n")]
    assert headings == ["a", "b#", "", "y", "c \\#"]
