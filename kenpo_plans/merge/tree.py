"""The three-way merge of round-trip YAML trees: mappings field by field, lists as ordered sets, text by words.

The result is built in ours (git's %A), so ours' comments and layout stay where they are; what theirs changed
comes in as theirs' own nodes, with their comments.  Where both sides changed one thing differently, the
field holds a placeholder and a ``Conflict`` says what each side wrote; ``markers`` turns those into git's
conflict markers around that one field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .lists import MISSING, identities, merged_order, plain
from .text import merge_text

PLACEHOLDER = "KENPO_PLANS_CONFLICT_{}_"


@dataclass
class Conflict:
    placeholder: str
    key: Any  # the mapping key of the field, or None for a list entry
    ours: Any  # MISSING when that side deleted it
    theirs: Any


class Merger:
    def __init__(self):
        self.conflicts: list[Conflict] = []

    def conflict(self, key, ours, theirs) -> str:
        placeholder = PLACEHOLDER.format(len(self.conflicts))
        self.conflicts.append(Conflict(placeholder, key, ours, theirs))
        return placeholder

    def node(self, base, ours, theirs, key=None):
        """The merged value of one field or entry; MISSING when it is deleted."""
        if isinstance(ours, dict) and isinstance(theirs, dict) and (base is MISSING or isinstance(base, dict)):
            return self.mapping({} if base is MISSING else base, ours, theirs)
        if isinstance(ours, list) and isinstance(theirs, list) and (base is MISSING or isinstance(base, list)):
            return self.sequence([] if base is MISSING else base, ours, theirs)
        o, a, b = (plain(x) if x is not MISSING else MISSING for x in (base, ours, theirs))
        if a == b:
            return ours
        if a == o:
            return theirs
        if b == o:
            return ours
        if all(isinstance(x, str) for x in (o, a, b)):
            merged = merge_text(o, a, b)
            if merged is not None:
                return type(ours)(merged) if type(ours) is not str else merged
        return self.conflict(key, ours, theirs)

    def mapping(self, base: dict, ours: dict, theirs: dict) -> dict:
        own = list(ours)
        for key in [k for k in theirs if k not in ours]:
            value = self.node(base.get(key, MISSING), MISSING, theirs[key], key)
            if value is not MISSING:  # added in theirs, or deleted in ours and edited in theirs (a conflict)
                _insert_after(ours, theirs, key, value)
        for key in own:
            value = self.node(base.get(key, MISSING), ours[key], theirs.get(key, MISSING), key)
            if value is MISSING:
                del ours[key]
            else:
                ours[key] = value
                _take_comment(base, ours, theirs, key)
        _take_outer_comments(base, ours, theirs)
        return ours

    def sequence(self, base: list, ours: list, theirs: list) -> list:
        keys_base, keys_ours, keys_theirs = identities(base, ours, theirs)
        by_base = dict(zip(keys_base, base))
        by_ours = dict(zip(keys_ours, ours))
        by_theirs = dict(zip(keys_theirs, theirs))
        merged, origin = {}, {}
        for key in list(dict.fromkeys(keys_ours + keys_theirs + keys_base)):
            value = self.node(by_base.get(key, MISSING), by_ours.get(key, MISSING), by_theirs.get(key, MISSING))
            if value is not MISSING:
                merged[key] = value
                origin[key] = (ours, keys_ours.index(key)) if key in by_ours else (theirs, keys_theirs.index(key))
        order = merged_order(keys_base, keys_ours, keys_theirs, set(merged))
        comments = [_entry_comment(*origin[key]) for key in order]
        ours[:] = [merged[key] for key in order]
        _set_entry_comments(ours, comments)
        _take_outer_comments(base, ours, theirs)
        return ours


def _insert_after(ours: dict, theirs: dict, key, value) -> None:
    """A field theirs added goes after the field it follows in theirs."""
    keys = list(theirs)
    position = 0
    for previous in reversed(keys[:keys.index(key)]):
        if previous in ours:
            position = list(ours).index(previous) + 1
            break
    if hasattr(ours, "insert"):
        ours.insert(position, key, value)
        if hasattr(theirs, "ca") and key in theirs.ca.items:
            ours.ca.items[key] = theirs.ca.items[key]
    else:
        ours[key] = value


def _comment_text(node, key) -> str:
    return _tokens_text(getattr(node, "ca", None) and node.ca.items.get(key))


def _take_comment(base, ours, theirs, key) -> None:
    """A comment theirs wrote or changed beside a field ours left alone comes too."""
    if not hasattr(ours, "ca") or not hasattr(theirs, "ca") or key not in theirs:
        return
    mine, yours = _comment_text(ours, key), _comment_text(theirs, key)
    if yours != mine and mine == _comment_text(base, key):
        if key in theirs.ca.items:
            ours.ca.items[key] = theirs.ca.items[key]
        else:
            ours.ca.items.pop(key, None)


def _tokens_text(tokens) -> str:
    if not tokens:
        return ""
    return repr([_tokens_text(t) if isinstance(t, list) else getattr(t, "value", t) for t in tokens])


def _take_outer_comments(base, ours, theirs) -> None:
    """The comments before a mapping or list and after its end (where ruamel keeps a file's last comment lines)
    follow the same rule as a field's: theirs' change comes when ours left them as they were."""
    if not all(hasattr(node, "ca") for node in (ours, theirs)):
        return
    for place in ("comment", "end"):
        mine, yours = getattr(ours.ca, place, None), getattr(theirs.ca, place, None)
        original = getattr(base.ca, place, None) if hasattr(base, "ca") else None
        if _tokens_text(yours) != _tokens_text(mine) and _tokens_text(mine) == _tokens_text(original):
            setattr(ours.ca, place, yours if yours is not None or place == "comment" else [])


def _entry_comment(seq, index):
    ca = getattr(seq, "ca", None)
    return ca.items.get(index) if ca is not None else None


def _set_entry_comments(seq, comments) -> None:
    """Comments ruamel keeps by list position follow their entries to the new positions."""
    if not hasattr(seq, "ca"):
        return
    seq.ca.items.clear()
    for index, comment in enumerate(comments):
        if comment is not None:
            seq.ca.items[index] = comment


def merge_trees(base, ours, theirs) -> tuple[Any, list[Conflict]]:
    merger = Merger()
    merged = merger.node(base, ours, theirs)
    return merged, merger.conflicts
