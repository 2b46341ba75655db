"""Inline diff of two Japanese texts, as a reviewer reads a 新旧対照表.

Japanese has no spaces, so the unit of comparison is the character, except
that a number (95.0, 1,500, ２３７，４５２, 二十五, 四十八万八千, １万) is one
token: a changed figure is highlighted whole on both sides, never digit by
digit (二十五→二十 marks 二十五 and 二十, not the lone 五).  The counter
around it (第…期, …か月, …年度) stays a word of its own.  Tokens are mapped
to single private-use characters so diff-match-patch's semantic cleanup can
merge coincidental one-character equalities into one readable span.

Segments are lossless: the equal and delete segments rebuild the old text
exactly, the equal and insert segments the new one.  Differences of width
only (％/%, full-width digits, spaces) are marked ``formatting`` so the
normal output can leave them out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..plan.targets import FIGURE

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


# Kanji numerals, and a figure written with a kanji multiplier (１万, 2千): what a reader takes as one number.
_KANJI_DIGITS = "〇一二三四五六七八九十百千万億"
NUMBER = re.compile(rf"(?:{FIGURE.pattern})[万千百億]*|[{_KANJI_DIGITS}]+")


def tokenize(text: str) -> list[str]:
    """Characters, except that each number is one token."""
    tokens: list[str] = []
    pos = 0
    for match in NUMBER.finditer(text):
        tokens.extend(text[pos:match.start()])
        tokens.append(match.group())
        pos = match.end()
    tokens.extend(text[pos:])
    return tokens


@lru_cache(maxsize=8192)
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
    tokens_of = {code: token for token, code in codes.items()}
    ops = _dmp_diff(encoded_old, encoded_new, lambda text: "".join(tokens_of[c] for c in text))
    if ops is None:
        return _whole(old, new)
    return Segments(_merge(_decode(ops, old_tokens, new_tokens)))


def _dmp_diff(old: str, new: str, words=lambda text: text) -> list[tuple[int, str]] | None:
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
    dmp.diff_cleanupSemanticLossless(diffs)  # boundaries on word edges, nothing merged yet
    return _readable(diffs, words)


_KANJI_WORD = re.compile(r"[\u4e00-\u9fff\u3005]{2,}")


def _readable(diffs: list[tuple[int, str]], words) -> list[tuple[int, str]]:
    """Fold the small unchanged islands of a rewritten phrase into it, the way a reader marks a change.

    An island goes when it is one character (「を」 between two edits), when it is at most two and the edits
    on both sides are tiny (「取組み[-を-]強化[-す-]{+を図+}る」 reads as one replaced phrase), or when edits
    on both sides are longer than it — unless it holds a kanji word, which keeps its meaning inside a rewrite
    (「[-二次、三次-]催告[-を実施す-]{+強化を図+}る」 leaves 催告 unmarked, 「…を現在の住所…」 stays a phrase:
    its kana are boundaries, not glue).  Islands beside a figure change stay apart, and a two-kanji word
    with one kanji replaced is marked whole (「日から[-起算-]{+通算+}して」).
    """
    diffs = _grouped_edits(diffs)
    changed = True
    while changed:
        changed = False
        for i in range(1, len(diffs) - 1):
            op, text = diffs[i]
            if op != 0 or diffs[i - 1][0] == 0 or diffs[i + 1][0] == 0:
                continue
            if _next_to_a_figure_change(diffs, i, words):
                continue  # figures are compared as figures: 55.0→55.5 and 161,390→168,420 stay apart
            left, right = _edit_size(diffs, i, -1), _edit_size(diffs, i, 1)
            tiny = len(text) <= 2 and sum(left) <= 3 and sum(right) <= 3
            # diff-match-patch's semantic rule (no longer than the larger edit on each side), kanji words kept
            swallowed = len(text) <= min(max(left), max(right)) and not _KANJI_WORD.search(words(text))
            if len(text) == 1 or tiny or swallowed:
                diffs = _grouped_edits(diffs[:i] + [(-1, text), (1, text)] + diffs[i + 1:])
                changed = True
                break
    return _whole_two_kanji_words(diffs, words)


_KANJI = re.compile(r"[\u4e00-\u9fff\u3005]")


def _whole_two_kanji_words(diffs: list[tuple[int, str]], words) -> list[tuple[int, str]]:
    """One kanji replaced by one kanji inside a two-kanji word: the reader sees the word change (起算→通算).

    A longer word keeps its unchanged part (特定健診[受診]率), and an insertion (特[殊]性) stays as it is.
    """
    out = list(diffs)
    for i in range(len(out) - 1):
        if out[i][0] != -1 or out[i + 1][0] != 1 or not all(_lone_kanji(words(out[k][1])) for k in (i, i + 1)):
            continue
        before = words(out[i - 1][1]) if i > 0 and out[i - 1][0] == 0 else ""
        after = words(out[i + 2][1]) if i + 2 < len(out) and out[i + 2][0] == 0 else ""
        if _kanji_at(after, 0) and not _kanji_at(after, 1) and not _kanji_at(before, -1):
            code = out[i + 2][1][0]
            out[i], out[i + 1] = (-1, out[i][1] + code), (1, out[i + 1][1] + code)
            out[i + 2] = (0, out[i + 2][1][1:])
        elif _kanji_at(before, -1) and not _kanji_at(before, -2) and not _kanji_at(after, 0):
            code = out[i - 1][1][-1]
            out[i], out[i + 1] = (-1, code + out[i][1]), (1, code + out[i + 1][1])
            out[i - 1] = (0, out[i - 1][1][:-1])
    return [d for d in out if d[1]]


def _lone_kanji(text: str) -> bool:
    return len(text) == 1 and _kanji_at(text, 0) and not NUMBER.fullmatch(text)


def _kanji_at(text: str, index: int) -> bool:
    return -len(text) <= index < len(text) and _KANJI.match(text[index]) is not None


def _next_to_a_figure_change(diffs: list[tuple[int, str]], index: int, words) -> bool:
    """Whether a run of edits next to ``index`` changes a figure as a figure.

    That is a figure replaced by a figure and nothing else (「[55.0]％（[161,390]人）」), or a figure added or
    removed with its clause (「健診[受診]率[：63.0%以上]」): the island beside it is the figure's context.
    A word that merely contains a number (初年度→2年目, 勧奨後3→受診月から10) is folded like any other word.
    """
    for step in (-1, 1):
        deleted, inserted = (words(t) for t in _edit_text(diffs, index, step))
        if deleted and inserted:
            if NUMBER.fullmatch(deleted) and NUMBER.fullmatch(inserted):
                return True
        elif NUMBER.search(deleted or inserted):
            return True
    return False


def _edit_text(diffs: list[tuple[int, str]], index: int, step: int) -> tuple[str, str]:
    """(deleted, inserted) text of the run of edits next to ``index`` on one side."""
    deleted = inserted = ""
    j = index + step
    while 0 <= j < len(diffs) and diffs[j][0] != 0:
        if diffs[j][0] == -1:
            deleted = diffs[j][1] + deleted if step < 0 else deleted + diffs[j][1]
        else:
            inserted = diffs[j][1] + inserted if step < 0 else inserted + diffs[j][1]
        j += step
    return deleted, inserted


def _edit_size(diffs: list[tuple[int, str]], index: int, step: int) -> tuple[int, int]:
    """(deleted, inserted) lengths of the run of edits next to ``index`` on one side."""
    deleted, inserted = _edit_text(diffs, index, step)
    return len(deleted), len(inserted)


def _grouped_edits(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Neighbouring equalities joined; each run of edits as one deletion then one insertion."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(diffs):
        op, text = diffs[i]
        if op == 0:
            if out and out[-1][0] == 0:
                out[-1] = (0, out[-1][1] + text)
            elif text:
                out.append((0, text))
            i += 1
            continue
        deleted = inserted = ""
        while i < len(diffs) and diffs[i][0] != 0:
            if diffs[i][0] == -1:
                deleted += diffs[i][1]
            else:
                inserted += diffs[i][1]
            i += 1
        out += [(-1, deleted)] if deleted else []
        out += [(1, inserted)] if inserted else []
    return out


def _decode(ops, old_tokens: list[str], new_tokens: list[str]) -> list[Segment]:
    segments: list[Segment] = []
    i = j = 0
    for op, chunk in ops:
        n = len(chunk)
        if op == 0:
            old_run, new_run = old_tokens[i:i + n], new_tokens[j:j + n]
            if old_run == new_run:  # the common case: one segment, not one per character
                segments.append(Segment(EQUAL, "".join(old_run)))
            else:
                segments += _width_pairs(old_run, new_run)
            i += n
            j += n
        elif op == -1:
            segments.append(Segment(DELETE, "".join(old_tokens[i:i + n])))
            i += n
        else:
            segments.append(Segment(INSERT, "".join(new_tokens[j:j + n])))
            j += n
    return segments


def _width_pairs(old_run: list[str], new_run: list[str]) -> list[Segment]:
    """Tokens diff-match-patch saw as equal once width is ignored: equal, or a formatting replacement."""
    segments = []
    for old_tok, new_tok in zip(old_run, new_run):
        if old_tok == new_tok:
            segments.append(Segment(EQUAL, old_tok))
        else:
            segments.append(Segment(DELETE, old_tok, formatting=True))
            segments.append(Segment(INSERT, new_tok, formatting=True))
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
