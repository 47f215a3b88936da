"""Mojibake repair, heading normalization and section splitting (pure Python, no database)."""

from catalog.core.text import normalize_heading, repair_mojibake, slugify, split_sections


def test_mojibake_emoji_repaired():
    """UTF-8 read as cp1252 comes back: "ðŸŽ¯" is 🎯."""
    assert repair_mojibake("## ðŸŽ¯ Your Core Mission") == ("## 🎯 Your Core Mission", 1)


def test_mojibake_mixed_with_correct_text_on_one_line():
    """Only the broken runs change; correct accents and emoji on the same line stay."""
    text, count = repair_mojibake("café 🎯 then ðŸš€ and â†’ done")
    assert text == "café 🎯 then 🚀 and → done"
    assert count == 2


def test_lost_non_breaking_space_becomes_plain_space():
    """"ðŸ§" followed by the NBSP-turned-space and the real space is 🧠 and one space."""
    assert repair_mojibake("ðŸ§  Your Identity")[0] == "🧠 Your Identity"
    assert repair_mojibake("ðŸ§\xa0 Your Identity")[0] == "🧠 Your Identity"


def test_dropped_undefined_byte_uses_known_completion_or_replacement_char():
    """cp1252 drops 0x9D: "ðŸ¤" is the handshake; an unknowable completion is U+FFFD."""
    assert repair_mojibake("ðŸ¤ Collaboration")[0] == "🤝 Collaboration"
    assert repair_mojibake("ðŸ’ Style")[0] == "\ufffd Style"


def test_real_latin_text_is_left_alone():
    """Portuguese and French text is not mistaken for mojibake."""
    assert repair_mojibake("NÃO Ça va, São Paulo, naïve") == ("NÃO Ça va, São Paulo, naïve", 0)
    assert repair_mojibake("Ãœber") == ("Über", 1)


def test_normalize_heading_strips_emoji_numbering_and_your():
    """Headings that mean the same thing get the same key."""
    assert normalize_heading("ðŸŽ¯ Your Core Mission:") == "core mission"
    assert normalize_heading("3. **Core Mission**") == "core mission"
    assert normalize_heading("## 🤝 Cross-Agent Collaboration") == "cross-agent collaboration"
    assert normalize_heading("Step 2: Build") == "build"


def test_split_sections_ignores_headings_in_code_fences():
    """A "# comment" inside a fenced block is code, not a heading."""
    body = "intro\n\n## One\ntext\n```bash\n# not a heading\n```\n### Two\nmore\n"
    sections = split_sections(body, first_line=5)
    assert [(s.level, s.key, s.line) for s in sections] == [(0, "", 5), (2, "one", 7), (3, "two", 12)]
    assert "# not a heading" in sections[1].text


def test_slugify():
    """Slugs are ASCII, lowercase and hyphenated."""
    assert slugify("PostgreSQL Database Administrator!") == "postgresql-database-administrator"
    assert slugify("Café Ünïcode") == "cafe-unicode"


def test_correct_symbols_next_to_dashes_are_not_decoded():
    """"×–" and "é–" look like UTF-8 lead and continuation bytes but are real text."""
    for text in ["speed 1×–1.35× faster", "café–bar", "naïve—really", "Größe · Maß"]:
        assert repair_mojibake(text) == (text, 0), text
