"""Text that cannot act on its reader: control characters and bidirectional overrides made visible.

A plan is text from outside the tool.  An escape sequence in it (``"\\e]0;…"``) would retitle or
rewrite a terminal, a bidi override (U+202E) would show 「以上」 where the bytes say 「以下」, an
invisible zero-width character (U+FEFF, U+200B) splits 「93.5％」 into a figure with no unit.
A private-use character (a Symbol-font bullet U+F0B7 copied from Word) prints as a box.
Noncharacters (U+FFFE, U+FDD0 …) and lone surrogates are text no output can hold: XML (Word,
Excel, SVG) refuses them, and the chart engine aborts on them.  Such characters are reported by
``validate`` and replaced everywhere they would be shown by a visible stand-in: ␛ for ESC (the
Unicode control pictures for C0), ⟨U+202E⟩ for the rest.
"""

from __future__ import annotations

import re
import unicodedata

from .i18n import _, listing

# Noncharacters (U+FDD0–U+FDEF and the last two code points of every plane) and lone surrogates:
# valid in a Python string, refused by XML and by the chart engine.
_UNHOLDABLE = "\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
UNHOLDABLE = re.compile(f"[{_UNHOLDABLE}]")
# Zero-width characters that hide inside a word or a figure (a BOM pasted mid-text, U+200B).
_INVISIBLE = "\u00ad\u200b-\u200d\u2060\ufeff"
# C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides, isolates and marks.
_TERMINAL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
TERMINAL = re.compile(f"[{_TERMINAL}]")
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
# Private use: a Symbol/Wingdings bullet (U+F0B7) copied out of Word, a 外字; no font here has its glyph,
# so every output would print a box (☒) and Shift_JIS a "?".
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
PRIVATE_USE = re.compile(f"[{_PRIVATE_USE}]")
UNSAFE = re.compile(f"[{_TERMINAL}{_INVISIBLE}{_UNHOLDABLE}{_PRIVATE_USE}]")  # all of them: what ``visible`` replaces
SURROGATES = re.compile("[\ud800-\udfff]")
BOM = re.compile("\ufeff")
# What a YAML file may hold (YAML 1.2 §5.1): tab, line breaks, printable ASCII, NEL and the rest of Unicode
# but surrogates, U+FFFE and U+FFFF; its reader refuses anything else with an offset, not a line.
NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def first_place(pattern: re.Pattern, text: str) -> tuple[str, int, int] | None:
    """The first character ``pattern`` finds, with its 1-based line and column, or None."""
    found = pattern.search(text)
    if found is None:
        return None
    line_start = text.rfind("\n", 0, found.start()) + 1
    return found.group(), text.count("\n", 0, found.start()) + 1, found.start() - line_start + 1


def _picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟, ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"⟨U+{code:04X}⟩"


def visible(text: str) -> str:
    """``text`` with every unsafe character replaced by a visible stand-in; linear time."""
    return UNSAFE.sub(lambda match: _picture(match.group()), text) if UNSAFE.search(text) else text


def _c0_name(code: int) -> str:
    """ESCAPE, BACKSPACE …: the names of the control pictures (unicodedata has none for C0 itself)."""
    if code < 0x20 or code == 0x7F:
        picture = chr(0x2400 + code) if code < 0x20 else "\u2421"
        return unicodedata.name(picture).removeprefix("SYMBOL FOR ")
    if 0xD800 <= code <= 0xDFFF:
        return _("lone surrogate")
    if UNHOLDABLE.match(chr(code)):
        return _("noncharacter")
    if PRIVATE_USE.match(chr(code)):
        return _("private use")
    return _("control")


def describe_unsafe(text: str, pattern: re.Pattern = UNSAFE) -> str:
    """「U+001B (ESCAPE), U+202E (RIGHT-TO-LEFT OVERRIDE)」: what a message names."""
    seen: list[str] = []
    for match in pattern.finditer(text):
        code = ord(match.group())
        name = unicodedata.name(match.group(), None) or _c0_name(code)
        label = f"U+{code:04X} ({name})"
        if label not in seen:
            seen.append(label)
    return listing(seen, most=5)


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for each wide (Japanese) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
