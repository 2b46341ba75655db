"""Inline diff of two Japanese texts, as a reviewer reads a 新旧対照表.

Japanese has no spaces, so the unit of comparison is the character, except
that a number (95.0, 1,500, ２３７，４５２) is one token: a changed figure is
highlighted whole, never digit by digit.  Tokens are mapped to single
private-use characters so diff-match-patch's semantic cleanup can merge
coincidental one-character equalities into one readable span.

Segments are lossless: the equal and delete segments rebuild the old text
exactly, the equal and insert segments the new one.  Differences of width
only (％/%, full-width digits, spaces) are marked ``formatting`` so the
normal output can leave them out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .targets import FIGURE

EQUAL, DELETE, INSERT = "equal", "delete", "insert"

_PRIVATE_USE = 0xF0000  # plane 15: never occurs in plan text


@dataclass(frozen=True)
class Segment:
    op: str  # equal / delete / insert
    text: str
    formatting: bool = False  # a width-only difference (％ vs %, ９ vs 9)

    def to_dict(self) -> dict:
        data = {"op": self.op, "text": self.text}
        if self.formatting:
            data["formatting"] = True
        return data


def tokenize(text: str) -> list[str]:
    """Characters, except that each number is one token."""
    tokens: list[str] = []
    pos = 0
    for match in FIGURE.finditer(text):
        tokens.extend(text[pos:match.start()])
        tokens.append(match.group())
        pos = match.end()
    tokens.extend(text[pos:])
    return tokens


def width_key(token: str) -> str:
    """What a token means once width is ignored: NFKC, with every run of spaces alike."""
    key = unicodedata.normalize("NFKC", token)
    return " " if key.isspace() else key


def same_but_width(old: str, new: str) -> bool:
    return old != new and _width_text(old) == _width_text(new)


def _width_text(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# The character diff is O(N·D): two unrelated 2,000-character texts take seconds, 4,000 take ten.
# Past these budgets the whole text is shown as replaced, and the result says so (``whole``).
TOKEN_BUDGET = 3000  # old + new tokens
TIME_BUDGET = 2.0  # seconds


class Segments(list):
    """The segments of one inline diff; ``whole`` when the budget was exceeded and the text is shown replaced."""

    whole = False


def _whole(old: str, new: str) -> Segments:
    segments = Segments(s for s in (Segment(DELETE, old), Segment(INSERT, new)) if s.text)
    segments.whole = True
    return segments


def inline_diff(old: str, new: str, exact: bool = False) -> list[Segment]:
    """Segments turning ``old`` into ``new``.

    With ``exact`` every difference is a change; otherwise tokens that differ
    only in width come out as delete+insert pairs flagged ``formatting``.
    Texts too long or too different to compare within the budgets come back
    as one replacement, flagged ``whole``.
    """
    if old == new:
        return Segments([Segment(EQUAL, old)] if old else [])
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    if len(old_tokens) + len(new_tokens) > TOKEN_BUDGET:
        return _whole(old, new)
    key = (lambda t: t) if exact else width_key
    codes: dict[str, str] = {}

    def encode(tokens: list[str]) -> str:
        return "".join(codes.setdefault(key(t), chr(_PRIVATE_USE + len(codes))) for t in tokens)

    encoded_old, encoded_new = encode(old_tokens), encode(new_tokens)
    ops = _dmp_diff(encoded_old, encoded_new)
    if ops is None:
        return _whole(old, new)
    return Segments(_merge(_decode(ops, old_tokens, new_tokens)))


def _dmp_diff(old: str, new: str) -> list[tuple[int, str]] | None:
    """The diff, or None when it ran out of time (a coarse answer would mislead more than a whole one)."""
    import time

    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    # Within the token budget real texts finish in milliseconds, so the deadline only stops the
    # pathological: the same texts always give the same highlight.
    dmp.Diff_Timeout = TIME_BUDGET
    start = time.monotonic()
    diffs = dmp.diff_main(old, new, False)
    if time.monotonic() - start >= TIME_BUDGET:
        return None
    dmp.diff_cleanupSemantic(diffs)
    return diffs


def _decode(ops, old_tokens: list[str], new_tokens: list[str]) -> list[Segment]:
    segments: list[Segment] = []
    i = j = 0
    for op, chunk in ops:
        n = len(chunk)
        if op == 0:
            for old_tok, new_tok in zip(old_tokens[i:i + n], new_tokens[j:j + n]):
                if old_tok == new_tok:
                    segments.append(Segment(EQUAL, old_tok))
                else:
                    segments.append(Segment(DELETE, old_tok, formatting=True))
                    segments.append(Segment(INSERT, new_tok, formatting=True))
            i += n
            j += n
        elif op == -1:
            segments.extend(Segment(DELETE, t) for t in old_tokens[i:i + n])
            i += n
        else:
            segments.extend(Segment(INSERT, t) for t in new_tokens[j:j + n])
            j += n
    return segments


def _merge(segments: list[Segment]) -> list[Segment]:
    """Join neighbours of the same kind; keep a replacement as delete-then-insert."""
    merged: list[Segment] = []
    for seg in segments:
        if merged and merged[-1].op == seg.op and merged[-1].formatting == seg.formatting:
            merged[-1] = Segment(seg.op, merged[-1].text + seg.text, seg.formatting)
        elif (seg.op == DELETE and len(merged) >= 2 and merged[-1].op == INSERT
              and merged[-2].op == DELETE and merged[-1].formatting == merged[-2].formatting == seg.formatting):
            # delete/insert/delete → one delete, one insert, so a reader sees one replacement
            merged[-2] = Segment(DELETE, merged[-2].text + seg.text, seg.formatting)
        else:
            merged.append(seg)
    return merged


def is_whole(segments) -> bool:
    return bool(getattr(segments, "whole", False))


def old_text(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments if s.op != INSERT)


def new_text(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments if s.op != DELETE)


def has_changes(segments: list[Segment], include_formatting: bool = False) -> bool:
    return any(s.op != EQUAL and (include_formatting or not s.formatting) for s in segments)


def only_formatting(segments: list[Segment]) -> bool:
    changed = [s for s in segments if s.op != EQUAL]
    return bool(changed) and all(s.formatting for s in changed)
