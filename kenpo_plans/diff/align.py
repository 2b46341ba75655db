"""Matching nodes of two versions of a plan.

Two tools, both plain functions over plain data:

* ``match_keyed`` pairs identified nodes (sections, measures, KPIs): by id
  first — exact, linear — then the leftovers by similarity above a
  threshold, so an id renamed by mistake still pairs.
* ``align_sequence`` pairs unidentified nodes (bullets, targets, headings)
  in order, maximising total similarity (an edited bullet pairs with its old
  self; of two bullets merged into one, the closer pairs and the other is
  left over).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Callable, Sequence, TypeVar

from rapidfuzz import fuzz

T = TypeVar("T")

KEYED_THRESHOLD = 0.6  # below this, a node with a new id is a new node
SEQUENCE_THRESHOLD = 0.5  # bullets that share less than this are different bullets


class MatchedBy(StrEnum):
    """How two nodes were paired."""

    ID = "id"
    SIMILARITY = "similarity"  # their ids differ, their words are close: a reviewer should check the pairing
    SEQUENCE = "sequence"  # nodes without ids (bullets, targets, headings), aligned in order


def similarity(a: str, b: str) -> float:
    """0..1, character based (Japanese has no word boundaries)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100.0


def match_keyed(
    old: dict[str, T],
    new: dict[str, T],
    text_of: Callable[[T], str],
    threshold: float = KEYED_THRESHOLD,
) -> tuple[dict[str, str], dict[str, MatchedBy]]:
    """Pair ids of ``old`` with ids of ``new``: returns (old_id → new_id, new_id → how).

    Leftovers are scored in rapidfuzz's C loop (``fuzz.ratio``, which is ``similarity`` on a 0..100
    scale) with a cutoff, each node's text built once: a plan
    whose ids were all renamed costs about as much as one whose ids match.  Ties go to the earlier
    node of each plan, so the pairing is the same on every run.
    """
    from rapidfuzz import process

    old_to_new = {key: key for key in old if key in new}
    how = {key: MatchedBy.ID for key in old_to_new}
    left_old = [key for key in old if key not in old_to_new]
    left_new = [key for key in new if key not in how]
    if left_old and left_new:
        new_texts = [text_of(new[key]) for key in left_new]
        scored = []
        for i, key in enumerate(left_old):
            text = text_of(old[key])
            for _, score, j in process.extract(text, new_texts, scorer=fuzz.ratio, score_cutoff=threshold * 100,
                                               limit=None):
                scored.append((score / 100.0, i, j))
        scored.sort(key=lambda item: (-item[0], item[1], item[2]))
        used_old: set[int] = set()
        used_new: set[int] = set()
        for _score, i, j in scored:
            if i in used_old or j in used_new:
                continue
            used_old.add(i)
            used_new.add(j)
            old_to_new[left_old[i]] = left_new[j]
            how[left_new[j]] = MatchedBy.SIMILARITY
    return old_to_new, how


HEADING_THRESHOLD = 0.9  # short headings differ in the one word that carries their meaning


def _keyed_similarity(a: str | tuple[str, str], b: str | tuple[str, str]) -> float:
    """Similarity of texts, or of (kind, text) pairs, where different kinds never pair.

    A heading pairs only with a nearly identical one: 【中位目標】 shares five of six characters with
    【下位目標】 and is a different tier, not a rename.
    """
    if isinstance(a, tuple):
        if a[0] != b[0]:
            return 0.0
        score = similarity(a[1], b[1])
        if a[0] == "block" and score < HEADING_THRESHOLD:
            return 0.0
        return score
    return similarity(a, b)


def align_sequence(
    old: Sequence[str] | Sequence[tuple[str, str]],
    new: Sequence[str] | Sequence[tuple[str, str]],
    threshold: float = SEQUENCE_THRESHOLD,
) -> list[tuple[int | None, int | None, float]]:
    """Order-preserving pairing of two lists of texts (or (kind, text)) maximising total similarity.

    Returns (old index | None, new index | None, score) in merged order;
    unpaired old entries come before the new entries at the same place.
    """
    n, m = len(old), len(new)
    if n == 0 or m == 0:
        return [(i, None, 0.0) for i in range(n)] + [(None, j, 0.0) for j in range(m)]
    sim = [[_keyed_similarity(a, b) for b in new] for a in old]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            skip = max(below[j], row[j + 1])
            s = sim[i][j]
            row[j] = max(skip, below[j + 1] + s) if s >= threshold else skip
    out: list[tuple[int | None, int | None, float]] = []
    i = j = 0
    while i < n and j < m:
        s = sim[i][j]
        if s >= threshold and best[i][j] == best[i + 1][j + 1] + s:
            out.append((i, j, s))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            out.append((i, None, 0.0))
            i += 1
        else:
            out.append((None, j, 0.0))
            j += 1
    out += [(k, None, 0.0) for k in range(i, n)]
    out += [(None, k, 0.0) for k in range(j, m)]
    return out
