"""A measure's tags (〈Ⅰ、Ⅱ〉 goals, 【企画総務G・保健G】 groups) compared as the lists they are.

A reader of 【企画総務G】 → 【企画総務G・保健G】 wants 「・保健G」 marked, not the whole tag: an item
one side lacks is marked with the separator that joins it, and the order of the items never counts.
Plain data out: (text, marked) pieces for each side, and one sentence for text and JSON output.
"""

from __future__ import annotations

from collections import Counter

from ..labels import FIELD_LABELS, LIST_CHANGE_WORDS, TAG_FORMS


def tag_text(field: str, items: list[str]) -> str:
    """「【企画総務G・保健G】」; empty when there are no items."""
    if not items:
        return ""
    open_, between, close = TAG_FORMS[field]
    return f"{open_}{between.join(items)}{close}"


def tag_pieces(field: str, items: list[str], other: list[str]) -> list[tuple[str, bool]]:
    """One side's tag as (text, marked) pieces, marking what ``other`` (the other side) does not have."""
    if not items:
        return []
    if not other:
        return [(tag_text(field, items), True)]  # the whole tag is new (or gone)
    open_, between, close = TAG_FORMS[field]
    unmatched = Counter(items) - Counter(other)
    marked = []
    for item in items:
        marked.append(unmatched[item] > 0)
        unmatched[item] -= 1
    pieces = [(open_, False)]
    for k, item in enumerate(items):
        if k:
            # the separator goes with the marked item after it, or with a marked first item
            pieces.append((between, marked[k] or (k == 1 and marked[0])))
        pieces.append((item, marked[k]))
    pieces.append((close, False))
    return _joined(pieces)


def _joined(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for text, marked in pieces:
        if out and out[-1][1] == marked:
            out[-1] = (out[-1][0] + text, marked)
        else:
            out.append((text, marked))
    return out


def change_text(field: str, old: list[str], new: list[str]) -> str:
    """「担当: 企画総務G → 企画総務G・保健G（保健G を追加）」: both lists as written, then what changed."""
    _, between, _ = TAG_FORMS[field]
    added = list((Counter(new) - Counter(old)).elements())
    removed = list((Counter(old) - Counter(new)).elements())
    notes = [f"{'、'.join(items)} {LIST_CHANGE_WORDS[word]}" for word, items in (("added", added),
                                                                                ("removed", removed)) if items]
    written = [between.join(items) or LIST_CHANGE_WORDS["none"] for items in (old, new)]
    note = f"（{'、'.join(notes)}）" if notes else ""
    return f"{FIELD_LABELS[field]}: {written[0]} → {written[1]}{note}"
