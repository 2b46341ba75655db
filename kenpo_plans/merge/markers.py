"""git's conflict markers around the one field both sides changed, in the dumped YAML.

The merged tree is dumped with a placeholder where a conflict is; the placeholder's line is replaced by
both versions of that field, each written as the YAML it would be at that place, between the markers
(<<<<<<< ours, =======, >>>>>>> theirs) that git, editors and `kenpo-plans validate` recognise.
"""

from __future__ import annotations

import io
import json
import re

from .lists import MISSING
from .tree import Conflict

MARKER_SIZE = 7
OURS, SEPARATOR, THEIRS = "<" * MARKER_SIZE + " ours", "=" * MARKER_SIZE, ">" * MARKER_SIZE + " theirs"


def _fragment(yaml, key, value) -> list[str]:
    """``value`` as the YAML lines of one field (``key: value``) or, with no key, of one list entry."""
    out = io.StringIO()
    if key is None:
        yaml.dump([value], out)
        return _dedent(out.getvalue().splitlines())
    yaml.dump({key: value}, out)
    return out.getvalue().splitlines()


def _dedent(lines: list[str]) -> list[str]:
    width = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    return [line[width:] for line in lines]


def _version(yaml, line: str, conflict: Conflict, value) -> list[str]:
    if value is MISSING:
        return []
    at = line.index(conflict.placeholder)
    head = line[:at]
    shape = re.fullmatch(r"( *(?:- )*)(?:(.+?): )?", head)
    if shape is None:  # inside a flow collection: the whole line, with this side's value written inline
        return [line.replace(conflict.placeholder, json.dumps(value, ensure_ascii=False, default=str))]
    indent = shape.group(1)
    lines = _fragment(yaml, conflict.key if shape.group(2) else None, value)
    if shape.group(2) is None and conflict.key is None:
        # a list entry: the fragment starts with its own "- "; the line's last "- " is that one
        indent = indent[:-2] if indent.endswith("- ") else indent
    return [indent + lines[0]] + [" " * len(indent) + rest if rest else rest for rest in lines[1:]]


def with_markers(text: str, conflicts: list[Conflict], yaml) -> str:
    """The dumped text with each placeholder line replaced by both versions between conflict markers."""
    by_placeholder = {c.placeholder: c for c in conflicts}
    pattern = re.compile("|".join(re.escape(p) for p in by_placeholder)) if by_placeholder else None
    out = []
    for line in text.splitlines(keepends=False):
        found = pattern.search(line) if pattern else None
        if not found:
            out.append(line)
            continue
        conflict = by_placeholder[found.group()]
        out.append(OURS)
        out += _version(yaml, line, conflict, conflict.ours)
        out.append(SEPARATOR)
        out += _version(yaml, line, conflict, conflict.theirs)
        out.append(THEIRS)
    return "\n".join(out) + "\n"
