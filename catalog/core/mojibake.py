"""Mojibake repair with ftfy: UTF-8 that was once read as cp1252, latin-1, MacRoman or another code page.

ftfy finds and undoes the damage and explains what it did; this module decides where to let it
look, restores what ftfy cannot know, and counts what changed for the ``mojibake-repaired``
warning. Nothing here imports Django.

- Only encoding repair runs (``ftfy.fix_encoding_and_explain`` with C1 controls left alone), so
  quotes, ligatures, widths, HTML entities and normalization stay as written.
- ftfy runs line by line, and only on lines that a cheap scan finds a UTF-8 lead character of
  one of ftfy's code pages in, followed by a continuation character (or, for a lost non-breaking
  space, by a space); most files have no such pair, so most files cost one regex search.
- A strict cp1252 decoder drops the five bytes cp1252 leaves undefined instead of keeping them,
  which leaves a sequence one byte short that no decoder can repair. Before ftfy runs, a few
  such prefixes get their one common completion back ("â†" + dropped 0x90 is "←"), and an emoji
  whose last byte is unknowable becomes U+FFFD instead of staying half decoded.
- After ftfy, a lone symbol it judged plausible ("â–¡" for □) is decoded when it is a whole
  UTF-8 sequence read as cp1252 with a lead real text hardly uses there, as the repair of old did.
- What changed is compared stretch by stretch (non-ASCII runs), never character by character,
  so the cost stays linear in a line's length: every imported file is untrusted.
"""

import difflib
import re
from collections import Counter
from dataclasses import dataclass

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
from ftfy.badness import is_bad
from ftfy.chardata import CHARMAP_ENCODINGS

__all__ = ["Repair", "repair", "repair_mojibake"]

_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)


def _characters(first, last):
    """What the bytes first..last decode to in any of the code pages ftfy tries."""
    return {char for encoding in CHARMAP_ENCODINGS for char in bytes(range(first, last + 1)).decode(encoding)}


def _char_class(chars):
    return "".join(re.escape(char) for char in sorted(chars))


_LEADS = _char_class(_characters(0xC2, 0xF4))
_CONTINUATIONS = _char_class(_characters(0x80, 0xBF) | {"\ufffd"})
# A space after a latin-1/cp1252 lead may be a non-breaking space (byte 0xA0) that became a
# plain one. The lookbehind keeps one leading character class, so the search stays fast.
_SUSPECT = re.compile(f"[{_LEADS}](?:[{_CONTINUATIONS}]|(?<=[\u00c2-\u00f4]) )")

# What a cp1252 decoder makes of the continuation bytes: a strict one drops the five it leaves
# undefined, a sloppy one keeps them as C1 controls, so those count as present, not dropped.
_CP1252_CONTINUATIONS = _char_class(bytes(range(0x80, 0xC0)).decode("sloppy-windows-1252"))
# Prefixes of a sequence whose last byte a strict cp1252 decoder dropped, with the byte that
# overwhelmingly completes them, written as the C1 control ftfy's sloppy cp1252 reads as that byte.
_DROPPED = {
    "â€": "\x9d",  # ” right double quotation mark
    "â†": "\x90",  # ← leftwards arrow
    "ðŸ¤": "\x9d",  # 🤝 handshake
    "ï¸": "\x8f",  # U+FE0F emoji presentation selector
}
_DROPPED_BYTE = re.compile(
    f"(?P<known>{'|'.join(map(re.escape, _DROPPED))})(?![{_CP1252_CONTINUATIONS}])"
    # Any other emoji one byte short, unless two spaces follow: that is a lost non-breaking
    # space, which ftfy restores itself.
    f"|(?P<emoji>ðŸ[{_CP1252_CONTINUATIONS}])(?![{_CP1252_CONTINUATIONS}]|  )"
)

# ftfy judges a lone symbol such as "â–¡" (□) or "âš¡" (⚡) plausible text and leaves it, where
# the cp1252-only repair of old restored it: a whole UTF-8 sequence read as cp1252 with one of
# the leads that real text almost never puts before cp1252 punctuation (â for arrows, boxes and
# dingbats, ð for emoji, Â/Ã for Latin-1) is decoded after ftfy, when it decodes.
_LEFTOVER = re.compile(
    f"[ÂÃ][{_CP1252_CONTINUATIONS}]|[âï][{_CP1252_CONTINUATIONS}]{{2}}|ð[{_CP1252_CONTINUATIONS}]{{3}}"
)


def _decode_leftover(match):
    try:
        return match.group().encode("sloppy-windows-1252").decode("utf-8")
    except UnicodeError:
        return match.group()


_ENCODING_NAMES = {
    "latin-1": "latin-1",
    "iso-8859-2": "ISO 8859-2",
    "macroman": "MacRoman",
    "cp437": "cp437",
}


@dataclass(frozen=True)
class Repair:
    """The repaired text and what was repaired in it."""

    text: str
    runs: int  # changed stretches of text, counted within each repaired line
    lines: tuple[int, ...]  # 1-based numbers of the repaired lines
    encodings: tuple[tuple[str, int], ...]  # ("cp1252", lines repaired as UTF-8 read that way), most first

    def message(self):
        """The ``mojibake-repaired`` warning: how much was repaired, and what the text had been read as."""
        if len(self.encodings) == 1:
            readings = [f"as {self.encodings[0][0]}"]
        else:
            readings = [f"as {name} ({lines} line(s))" for name, lines in self.encodings]
        return (
            f"Repaired {self.runs} run(s) of mojibake on {len(self.lines)} line(s): "
            f"UTF-8 that had been read {', '.join(readings)}."
        )


def repair(text):
    """Repair mojibake anywhere in ``text``, line by line; returns a ``Repair`` (``runs`` 0 when nothing changed)."""
    if text.isascii() or not _SUSPECT.search(text):
        return Repair(text, 0, (), ())
    lines = text.split("\n")
    runs, repaired, encodings = 0, [], Counter()
    for index, line in enumerate(lines):
        if line.isascii() or not _SUSPECT.search(line):
            continue
        fixed, encoding = _repair_line(line) if is_bad(line) else (line, "")
        fixed, leftovers = _LEFTOVER.subn(_decode_leftover, fixed)
        encoding = encoding or ("cp1252" if leftovers else "")
        if fixed == line:
            continue
        lines[index] = fixed
        runs += _changed_runs(line, fixed)
        repaired.append(index + 1)
        encodings[encoding] += 1
    if not repaired:
        return Repair(text, 0, (), ())
    return Repair("\n".join(lines), runs, tuple(repaired), tuple(encodings.most_common()))


def repair_mojibake(text):
    """``(repaired_text, runs)``: the short form for callers that only need the text."""
    result = repair(text)
    return result.text, result.runs


def _repair_line(line):
    """One line through ftfy, after restoring dropped bytes; returns ``(text, encoding name)``."""
    lost = False

    def restore(match):
        nonlocal lost
        if match.group("known"):
            return match.group("known") + _DROPPED[match.group("known")]
        lost = True
        return "\ufffd"

    prepared = _DROPPED_BYTE.sub(restore, line)
    fixed, explanation = ftfy.fix_encoding_and_explain(prepared, config=_CONFIG)
    if fixed == prepared and not lost:
        return line, ""  # nothing to decode: the line stays as written, without the restored bytes
    return fixed, _encoding_of(explanation, line, fixed)


def _encoding_of(explanation, line, fixed):
    """Name what the line had been read as, from ftfy's explanation.

    When ftfy repaired pieces of a line that also holds correct text, its explanation only says
    so ("decode_inconsistent_utf8"); the pieces themselves say which code page it was.
    """
    names = [_name(argument) for step, argument in explanation if step == "encode"]
    if not names:
        for piece, _ in _changed_pieces(line, fixed):
            steps = ftfy.fix_encoding_and_explain(piece, config=_CONFIG).explanation
            names = [_name(argument) for step, argument in steps if step == "encode"]
            if names:
                break
    return " then ".join(dict.fromkeys(names)) or "cp1252"


def _name(encoding):
    if encoding.startswith("sloppy-windows-"):
        return "cp" + encoding.removeprefix("sloppy-windows-")
    return _ENCODING_NAMES.get(encoding, encoding)


# Repair rewrites only non-ASCII stretches, so a line and its repair are compared stretch by
# stretch. A character diff (difflib) would be quadratic in the line's length: one 60,000-character
# line of mojibake took minutes, and every imported file is untrusted.
_STRETCHES = re.compile(r"([\x00-\x7f]+)")


def _changed_pieces(line, fixed):
    """The ``(before, after)`` text of each changed stretch, in order, in time linear in the line."""
    old, new = _STRETCHES.split(line), _STRETCHES.split(fixed)
    if len(old) != len(new):
        # Stretches merged or split (a restored non-breaking space took a space with it): align
        # the stretches, a few per word and never characters, instead.
        matcher = difflib.SequenceMatcher(None, old, new)
        return [
            ("".join(old[i1:i2]), "".join(new[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]
    pieces, previous = [], False
    for before, after in zip(old, new, strict=True):
        changed = before != after
        if changed and previous:  # touching stretches ("ðŸ§" then the space it took) are one run
            pieces[-1] = (pieces[-1][0] + before, pieces[-1][1] + after)
        elif changed:
            pieces.append((before, after))
        previous = changed
    return pieces


def _changed_runs(line, fixed):
    return len(_changed_pieces(line, fixed))
