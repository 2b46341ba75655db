"""Readable ids for what an imported plan brings new: the title's words in romaji (現金給付の適正化の推進 →
genkin-kyufu-tekiseika-suishin), the way the transcribed plans name theirs.

An id is what a planner types and reads in diffs and git logs for years, so it says what the node is about
rather than where it stood (s2-m3).  The reading comes from pykakasi's dictionary; long vowels are written
the short way the existing ids use (kyuufu → kyufu) and particles are left out.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PARTICLES = {"no", "na", "wo", "o", "ni", "ha", "wa", "ga", "to", "ya", "he", "de", "mo", "ru", "tosuru", "toshita",
             "suru", "shita", "oyobi", "nado", "tame"}
MAX_WORDS = 4
MAX_LENGTH = 40
_LONG_VOWELS = (("uu", "u"), ("ou", "o"), ("oo", "o"), ("aa", "a"), ("ii", "i"), ("ee", "e"))
_INDICATOR_END = re.compile(r"(?:を|について|は|が).*$")  # a KPI is named by what it measures, not its target
_ASIDE = re.compile(r"[（(][^）)]*[）)]|[【［\[][^】］\]]*[】］\]]")


@lru_cache(maxsize=1)
def _converter():
    try:
        import pykakasi
    except ImportError:  # pragma: no cover - a dependency; without it the positional ids are used
        return None
    return pykakasi.kakasi()


def _words(text: str) -> list[str]:
    converter = _converter()
    if converter is None:
        return []
    words = []
    for part in converter.convert(text):
        word = unicodedata.normalize("NFKC", part["hepburn"]).lower()
        for long, short in _LONG_VOWELS:
            word = word.replace(long, short)
        word = re.sub(r"[^a-z0-9]", "", word)
        if word and word not in PARTICLES:
            words.append(word)
    return words


def readable_id(text: str, kpi: bool = False) -> str | None:
    """A lower-case, hyphenated id from a title or a KPI sentence; None when the text gives no word."""
    text = _ASIDE.sub("", unicodedata.normalize("NFKC", text))
    if kpi:
        text = _INDICATOR_END.sub("", text) or text
    words = _words(text)[:MAX_WORDS]
    if not words:
        return None
    node_id = "-".join(words)
    while len(node_id) > MAX_LENGTH and "-" in node_id:
        node_id = node_id.rsplit("-", 1)[0]
    return node_id[:MAX_LENGTH].strip("-") or None
