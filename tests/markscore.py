"""Scoring an inline differ against the hand-written marks of tests/data/shinkyu_pairs.yaml.

A pair scores on the characters a reader sees marked: positions in the old text shown deleted and in the
new text shown inserted.  Exact means the same characters on both sides; F1 is over the union of both.
Shared by the corpus test and bench/bench_marks.py so both report the same figures.
"""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML

CORPUS = Path(__file__).resolve().parent / "data" / "shinkyu_pairs.yaml"
_MARK = re.compile(r"\[([^\]]*)\]")


def unmarked(text: str) -> str:
    return text.replace("[", "").replace("]", "")


def marked_positions(written: str) -> set[int]:
    """Positions (in the text without brackets) of the characters written inside [ ]."""
    positions, offset = set(), 0
    for match in _MARK.finditer(written):
        start = match.start() - offset
        positions.update(range(start, start + len(match.group(1))))
        offset += 2
    return positions


def load_pairs(path: Path = CORPUS) -> list[dict]:
    pairs = YAML(typ="safe").load(path.read_text(encoding="utf-8"))["pairs"]
    return [{"source": p["source"], "old": unmarked(p["old"]), "new": unmarked(p["new"]),
             "expected": (marked_positions(p["old"]), marked_positions(p["new"]))} for p in pairs]


def ours(old: str, new: str) -> tuple[set[int], set[int]]:
    """The marks kenpo-plans shows: deletions and insertions that are not width-only."""
    from kenpo_plans.diff.textdiff import inline_diff

    return segment_marks(inline_diff(old, new))


def segment_marks(segments) -> tuple[set[int], set[int]]:
    """Marked positions (old, new) of an inline diff's segments (anything with op, text, formatting)."""
    marks: tuple[set[int], set[int]] = (set(), set())
    i = j = 0
    for seg in segments:
        n = len(seg.text)
        if seg.op == "delete":
            if not seg.formatting:
                marks[0].update(range(i, i + n))
            i += n
        elif seg.op == "insert":
            if not seg.formatting:
                marks[1].update(range(j, j + n))
            j += n
        else:
            i, j = i + n, j + n
    return marks


def dmp_semantic(old: str, new: str) -> tuple[set[int], set[int]]:
    """Plain diff-match-patch with semantic clean-up, the public baseline."""
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    diffs = dmp.diff_main(old, new, False)
    dmp.diff_cleanupSemantic(diffs)
    marks: tuple[set[int], set[int]] = (set(), set())
    i = j = 0
    for op, text in diffs:
        if op == -1:
            marks[0].update(range(i, i + len(text)))
            i += len(text)
        elif op == 1:
            marks[1].update(range(j, j + len(text)))
            j += len(text)
        else:
            i, j = i + len(text), j + len(text)
    return marks


def f1(expected: tuple[set[int], set[int]], got: tuple[set[int], set[int]]) -> float:
    want = {("old", p) for p in expected[0]} | {("new", p) for p in expected[1]}
    have = {("old", p) for p in got[0]} | {("new", p) for p in got[1]}
    if not want and not have:
        return 1.0
    hit = len(want & have)
    return 2 * hit / (len(want) + len(have))


def score(differ, pairs: list[dict]) -> dict:
    """{"exact": n, "total": n, "mean_f1": x, "misses": [pair, …]} for one differ over the pairs."""
    exact, total_f1, misses = 0, 0.0, []
    for pair in pairs:
        got = differ(pair["old"], pair["new"])
        total_f1 += f1(pair["expected"], got)
        if got == pair["expected"]:
            exact += 1
        else:
            misses.append(pair)
    return {"exact": exact, "total": len(pairs), "mean_f1": total_f1 / len(pairs), "misses": misses}


def show(text: str, positions: set[int]) -> str:
    """The text with its marked characters in [ ], as the corpus writes them."""
    out, inside = [], False
    for k, ch in enumerate(text):
        if (k in positions) != inside:
            out.append("[" if not inside else "]")
            inside = not inside
        out.append(ch)
    return "".join(out) + ("]" if inside else "")
