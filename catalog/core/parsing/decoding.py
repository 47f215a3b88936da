"""Bytes to clean text: BOMs and UTF-16/32, invalid UTF-8, NUL bytes and mojibake."""

import codecs

from .. import mojibake
from .problems import Problem

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

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
    invalid UTF-8 (decoded with U+FFFD), and mojibake (UTF-8 once read as cp1252, latin-1, MacRoman...).
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
    repaired = mojibake.repair(text)
    if repaired.runs:
        text = repaired.text
        problems.append(Problem("warning", "mojibake-repaired", repaired.message(), repaired.lines[0]))
    return text, problems
