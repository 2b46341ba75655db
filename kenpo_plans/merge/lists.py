"""Lists merged as ordered sets: which entries are the same entry on the three sides, and their merged order.

An entry with an id is itself on every side; entries without one (bullets, notes, headed blocks) are paired
with the base's by the diff's aligner, so an edited bullet is still the bullet it was.  The merged order keeps
what both sides left in place, then puts each moved or added entry after the entry it follows on the side
that moved or added it; when both sides add at one place, ours come first, then theirs.
"""

from __future__ import annotations

from typing import Any, Hashable

from ..diff.align import align_sequence

MISSING = object()  # a key or entry absent on one side


def plain(node: Any) -> Any:
    """The data of a round-trip node without its comments and styles, for comparing sides."""
    if isinstance(node, dict):
        return {str(key): plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    if isinstance(node, str):
        return str(node)
    return node


def text_of(node: Any) -> str:
    """The words of an entry, for pairing entries that have no id."""
    if isinstance(node, dict):
        return "\n".join(text_of(value) for key, value in node.items() if key != "marker")
    if isinstance(node, list):
        return "\n".join(text_of(value) for value in node)
    return "" if node is None else str(node)


def _own_key(node: Any) -> Hashable | None:
    if isinstance(node, dict) and isinstance(node.get("id"), (str, int)):
        return ("id", str(node["id"]))
    if node is None or isinstance(node, (bool, int, float)):
        return ("value", repr(node))
    return None


def identities(base: list, ours: list, theirs: list) -> tuple[list, list, list]:
    """A key for every entry of each side; the same key means the same entry."""
    keys_base = [_own_key(node) for node in base]
    keys_ours = [_own_key(node) for node in ours]
    keys_theirs = [_own_key(node) for node in theirs]
    for side, keys, tag in ((ours, keys_ours, "ours"), (theirs, keys_theirs, "theirs")):
        _pair_by_words(base, keys_base, side, keys, tag)
    added_ours = {repr(plain(node)): key for node, key in zip(ours, keys_ours) if key[0] == "ours"}
    for index, node in enumerate(theirs):
        if keys_theirs[index][0] == "theirs":
            # the same new entry written on both sides is one entry
            keys_theirs[index] = added_ours.get(repr(plain(node)), keys_theirs[index])
    keys_base = [key if key is not None else ("base", i) for i, key in enumerate(keys_base)]
    return _unique(keys_base), _unique(keys_ours), _unique(keys_theirs)


def _unique(keys: list) -> list:
    """An id written twice in one list (an invalid plan) stays two entries: the second one is numbered."""
    seen: dict = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else key + (seen[key],))
    return out


def _pair_by_words(base: list, keys_base: list, side: list, keys: list, tag: str) -> None:
    loose_base = [i for i, key in enumerate(keys_base) if key is None]
    loose_side = [j for j, key in enumerate(keys) if key is None]
    pairs = align_sequence([text_of(base[i]) for i in loose_base], [text_of(side[j]) for j in loose_side])
    for i, j, _score in pairs:
        if j is None:
            continue
        keys[loose_side[j]] = ("base", loose_base[i]) if i is not None else (tag, loose_side[j])


def _unmoved(base: list, side: list) -> set:
    """The entries of ``side`` that kept their order relative to each other (a longest common subsequence)."""
    n, m = len(base), len(side)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = best[i + 1][j + 1] + 1 if base[i] == side[j] else max(best[i + 1][j], best[i][j + 1])
    kept, i, j = set(), 0, 0
    while i < n and j < m:
        if base[i] == side[j]:
            kept.add(base[i])
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def merged_order(base: list, ours: list, theirs: list, present: set) -> list:
    """The keys of ``present`` in merged order (see the module's docstring)."""
    common = [key for key in base if key in ours and key in theirs]
    common_set = set(common)
    stable_ours = _unmoved(common, [key for key in ours if key in common_set])
    stable_theirs = _unmoved(common, [key for key in theirs if key in common_set])
    stable = [key for key in common if key in stable_ours and key in stable_theirs]
    stable_set = set(stable)
    ours_set = set(ours)

    def owner(key) -> str:
        moved_here = key in common_set and key not in stable_ours
        return "ours" if key in ours_set and (moved_here or key not in common_set) else "theirs"

    runs: dict[str, dict] = {"ours": {}, "theirs": {}}
    for tag, side in (("ours", ours), ("theirs", theirs)):
        anchor = None
        for key in side:
            if key in stable_set:
                anchor = key
            elif key in present and owner(key) == tag:
                runs[tag].setdefault(anchor, []).append(key)
    order: list = []
    for anchor in [None] + stable:
        if anchor is not None and anchor in present:
            order.append(anchor)
        for key in runs["ours"].get(anchor, []) + runs["theirs"].get(anchor, []):
            if key not in order:
                order.append(key)
    return order
