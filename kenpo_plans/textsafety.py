"""Text that cannot act on its reader: control characters and bidirectional overrides made visible.

A plan is text from outside the tool.  An escape sequence in it (``"\\e]0;…"``) would retitle or
rewrite a terminal, a bidi override (U+202E) would show 「以上」 where the bytes say 「以下」.  Such
characters are reported by ``validate`` and replaced everywhere they would be shown by a visible
stand-in: ␛ for ESC (the Unicode control pictures for C0), ⟨U+202E⟩ for the rest.
"""

from __future__ import annotations

import re
import unicodedata

from .i18n import _, listing

# C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides, isolates and marks.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
    return _("control")


def describe_unsafe(text: str) -> str:
    """「U+001B (ESCAPE), U+202E (RIGHT-TO-LEFT OVERRIDE)」: what a message names."""
    seen: list[str] = []
    for match in UNSAFE.finditer(text):
        code = ord(match.group())
        name = unicodedata.name(match.group(), None) or _c0_name(code)
        label = f"U+{code:04X} ({name})"
        if label not in seen:
            seen.append(label)
    return listing(seen[:5]) + (" …" if len(seen) > 5 else "")
