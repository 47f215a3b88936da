"""Mojibake repair with ftfy (catalog.core.mojibake): what is repaired, what is left, what the warning says."""

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec the tests damage text with)

from catalog.core.mojibake import repair
from catalog.core.parsing import decode


def test_cp1252_emoji_heading_is_repaired_and_counted_as_one_run():
    """A lost non-breaking space after an emoji is restored with it, and the pair is one run."""
    result = repair("## \u00f0\u0178\u00a7  Identity")
    assert result.text == "## 🧠 Identity"
    assert (result.runs, result.lines) == (1, (1,))
    assert result.message() == "Repaired 1 run(s) of mojibake on 1 line(s): UTF-8 that had been read as cp1252."


def test_latin1_mojibake_is_repaired_and_named():
    """UTF-8 read as latin-1 (C1 controls where cp1252 has quotes) is repaired, and the warning says latin-1."""
    result = repair("It\u00e2\x80\x99s caf\u00c3\u00a9 time")
    assert result.text == "It’s café time"
    assert result.encodings == (("latin-1", 1),)
    assert result.message().endswith("UTF-8 that had been read as latin-1.")


def test_macroman_mojibake_is_repaired_and_named():
    """UTF-8 read as MacRoman, which the cp1252-only repair of old left alone, is repaired."""
    damaged = "Café au lait, naïve".encode().decode("mac-roman")
    result = repair(damaged)
    assert result.text == "Café au lait, naïve"
    assert result.message() == "Repaired 2 run(s) of mojibake on 1 line(s): UTF-8 that had been read as MacRoman."


def test_several_code_pages_are_listed_with_their_lines():
    """Lines damaged in different ways are each counted under the code page they had been read as."""
    text = "caf\u00c3\u00a9 \u00e2\u0153\u2026 done\nok\nCaf\u221a\u00a9 au lait, na\u221a\u00dfve"
    result = repair(text)
    assert result.text.split("\n")[0] == "café ✅ done"
    assert result.lines == (1, 3)
    assert "as cp1252 (1 line(s))" in result.message()
    assert "as MacRoman (1 line(s))" in result.message()


def test_right_quote_byte_kept_by_a_sloppy_decoder_is_not_doubled():
    """'â€' followed by the C1 control a sloppy cp1252 decoder kept is a whole '”', not one byte short."""
    assert repair("say \u00e2\u20ac\x9d twice").text == "say ” twice"


def test_right_quote_byte_dropped_by_a_strict_decoder_is_restored():
    """'â€' with its last byte dropped by a strict cp1252 decoder gets the usual completion back."""
    damaged = "“quoted” now".encode().decode("cp1252", errors="ignore")
    assert damaged == "\u00e2\u20ac\u0153quoted\u00e2\u20ac now"
    assert repair(damaged).text == "“quoted” now"


def test_text_that_only_resembles_mojibake_is_left_alone():
    """Correct accented and symbol text stays exactly as written, with no warning."""
    original = "Ratio 1×–1.35×, café–bar, naïve, “quoted”, ﬁ ligature, &amp; entity, ＦＵＬＬ width."
    assert repair(original).runs == 0
    assert decode(original.encode()) == (original, [])


def test_a_very_long_damaged_line_is_repaired_whole():
    """A line of over 100,000 characters, six damaged stretches every 55, comes back exactly, each counted."""
    original = ("Plain words, then 🎯 a target — and “quotes” — ✅ done. " * 2000).strip()
    damaged = original.encode().decode("sloppy-windows-1252")
    text, problems = decode(damaged.encode())
    assert text == original
    [problem] = problems
    assert problem.message.startswith("Repaired 12000 run(s) of mojibake on 1 line(s)")


def test_lone_symbols_ftfy_leaves_are_still_repaired():
    """A lone box, bolt or Latin-1 letter read as cp1252, which ftfy finds plausible, is repaired as before ftfy."""
    damaged = "â–¡ Language detection; ### âš¡ Hooks; PAE (Ã…)"
    assert damaged == "□ Language detection; ### ⚡ Hooks; PAE (Å)".encode().decode("sloppy-windows-1252")
    result = repair(damaged)
    assert result.text == "□ Language detection; ### ⚡ Hooks; PAE (Å)"
    assert result.message() == "Repaired 3 run(s) of mojibake on 1 line(s): UTF-8 that had been read as cp1252."
