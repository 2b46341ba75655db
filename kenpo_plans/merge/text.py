"""Two edits of one sentence, merged word by word.

Each side's change from the base is read as edits of the base's characters through the diff's inline differ
(a figure is one token, so 95.4→95.6 is one edit).  Edits that do not touch are both applied; two edits of
the same words, or two insertions at one place, are a conflict unless they are the same edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diff.textdiff import DELETE, EQUAL, INSERT, inline_diff


@dataclass(frozen=True)
class Edit:
    start: int  # in the base text
    end: int
    text: str  # what replaces base[start:end]


def edits(base: str, changed: str) -> list[Edit]:
    """The changes turning ``base`` into ``changed``, as replacements of base character ranges."""
    out: list[Edit] = []
    position = 0
    pending: Edit | None = None
    for segment in inline_diff(base, changed, exact=True):
        if segment.op == EQUAL:
            if pending:
                out.append(pending)
                pending = None
            position += len(segment.text)
            continue
        if pending is None:
            pending = Edit(position, position, "")
        if segment.op == DELETE:
            position += len(segment.text)
            pending = Edit(pending.start, position, pending.text)
        elif segment.op == INSERT:
            pending = Edit(pending.start, pending.end, pending.text + segment.text)
    if pending:
        out.append(pending)
    return out


def _clash(one: Edit, other: Edit) -> bool:
    """Whether two different edits claim the same words (or the same gap, for an insertion)."""
    if max(one.start, other.start) < min(one.end, other.end):
        return True
    for insertion, edit in ((one, other), (other, one)):
        if insertion.start == insertion.end and edit.start <= insertion.start <= edit.end:
            return True
    return False


def merge_text(base: str, ours: str, theirs: str) -> str | None:
    """The sentence with both sides' edits, or None when they overlap (a conflict)."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    mine, yours = edits(base, ours), edits(base, theirs)
    shared = set(mine) & set(yours)
    for edit in mine:
        if edit in shared:
            continue
        if any(_clash(edit, other) for other in yours if other not in shared):
            return None
    merged = sorted(set(mine) | set(yours), key=lambda e: (e.start, e.end))
    out, position = [], 0
    for edit in merged:
        out.append(base[position:edit.start])
        out.append(edit.text)
        position = edit.end
    out.append(base[position:])
    return "".join(out)
