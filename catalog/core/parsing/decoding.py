"""Bytes to clean text: BOMs and UTF-16/32, invalid UTF-8, NUL bytes and mojibake."""

import codecs
import re

from ..text import repair_mojibake
from .problems import Problem

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# repair_mojibake also rewrites some legitimate pairs ("1×–2" becomes "1ז2"), so only
# lines carrying an unmistakable signature of UTF-8 read as cp1252 are handed to it:
# "â" or "Ã"/"Â" followed by a cp1252 continuation character, "ðŸ" (emoji), "ï»¿"/"ï¸".
_CP1252_CONTINUATION = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE_SIGNATURE = re.compile(f"[âÃÂ][{_CP1252_CONTINUATION}]|ðŸ|ï»¿|ï¸")
_MOJIBAKE_LEAD = re.compile("[âÃÂðï]")  # a cheap first look: the signature search is slow


def _line_at(data, offset, newline):
    return data.count(newline, 0, offset) + 1


def _looks_like_bomless_utf16(raw):
    """UTF-16 without a BOM: mostly-ASCII text leaves a NUL in every other byte."""
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.9 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.9 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def decode(raw):
    """Turn raw bytes into clean text with ``\\n`` line ends.

    Handles a UTF-8 BOM, UTF-16/32 with a BOM (and BOM-less UTF-16), NUL bytes (removed),
    invalid UTF-8 (decoded with U+FFFD), and mojibake (UTF-8 that was once read as cp1252).
    Returns ``(text, problems)``.
    """
    problems = []
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, encoding = raw[len(bom) :], name
            break
    else:
        encoding = _looks_like_bomless_utf16(raw) or encoding
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        text = raw.decode(encoding, errors="replace")
        line = _line_at(raw, exc.start, b"\n") if encoding == "utf-8" else None
        problems.append(
            Problem(
                "warning",
                "invalid-utf8",
                f"The file is not valid {encoding.upper()}; undecodable bytes became U+FFFD.",
                line,
            )
        )
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = _line_at(text, text.index("\x00"), "\n")
        count = text.count("\x00")
        text = text.replace("\x00", "")
        problems.append(Problem("warning", "nul-bytes", f"Removed {count} NUL byte(s).", line))
    if not text.isascii() and _MOJIBAKE_LEAD.search(text) and _MOJIBAKE_SIGNATURE.search(text):
        text, problem = _repair_mojibake_lines(text)
        if problem:
            problems.append(problem)
    return text, problems


def _repair_mojibake_lines(text):
    lines = text.split("\n")
    total, first = 0, None
    for index, line in enumerate(lines):
        if _MOJIBAKE_SIGNATURE.search(line):
            lines[index], count = repair_mojibake(line)
            if count:
                total += count
                first = first or index + 1
    if not total:
        return text, None
    message = f"Repaired {total} run(s) of mojibake (UTF-8 that had been read as cp1252)."
    return "\n".join(lines), Problem("warning", "mojibake-repaired", message, first)
