"""Conflict markers left in a plan or results file, found before YAML is parsed, and said for what they are.

A merge that stopped leaves git's markers (<<<<<<< ours, =======, >>>>>>> theirs) in the file; YAML would
call the first one a syntax error in a simple key, which tells staff nothing.  Each conflict is reported
on its own line instead: where it starts, which measure or KPI it is in (read from ours' version of the
file, or theirs' where ours deleted the entry), and both versions.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from ..errors import PlanReadError, Problem
from ..i18n import N_, _

_MARKER = re.compile(r"^(<{7,}|\|{7,}|={7,}|>{7,})(?:[ \t].*)?$")
_KINDS = {"sections": N_("section"), "measures": N_("measure"), "kpis": N_("KPI"), "reports": N_("report"),
          "targets": N_("target"), "breakdown": N_("target"), "activities": N_("activity")}
CONTEXT = 12  # characters kept either side of what the two versions differ in


@dataclass
class MarkedConflict:
    line: int  # of the <<<<<<< marker, 1-based
    ours_at: int  # 0-based line where the conflict starts in ours' whole file
    theirs_at: int
    ours: list[str] = field(default_factory=list)
    theirs: list[str] = field(default_factory=list)


class UnresolvedConflicts(PlanReadError):
    """Raised when a file still holds conflict markers; ``problems`` has one problem per conflict."""

    def __init__(self, problems: list[Problem], file: str):
        self.problems = problems
        first = problems[0]
        super().__init__("\n".join(str(p) for p in problems), file, first.line, first.column)


def marker_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if _MARKER.match(line)]


def _blocks(lines: list[str]) -> tuple[list[MarkedConflict], list[str], list[str], list[int]]:
    """The conflicts; ours' and theirs' whole files; marker lines outside any well-formed conflict."""
    found: list[MarkedConflict] = []
    ours, theirs, stray = [], [], []
    current, part = None, None
    for number, line in enumerate(lines, 1):
        mark = _MARKER.match(line)
        kind = mark.group(1)[0] if mark else None
        if kind == "<" and current is None:
            current, part = MarkedConflict(number, len(ours), len(theirs)), "ours"
        elif kind == "|" and current is not None and part == "ours":
            part = "base"
        elif kind == "=" and current is not None and part in ("ours", "base"):
            part = "theirs"
        elif kind == ">" and current is not None and part == "theirs":
            found.append(current)
            current = part = None
        elif kind:
            stray.append(number)
        elif current is None:
            ours.append(line)
            theirs.append(line)
        elif part == "ours":
            current.ours.append(line)
            ours.append(line)
        elif part == "theirs":
            current.theirs.append(line)
            theirs.append(line)
    if current is not None:
        stray.append(current.line)
    return found, ours, theirs, stray


def conflict_problems(text: str, file: str) -> list[Problem]:
    """One problem per conflict left in ``text`` (none when there is no marker line)."""
    if not marker_lines(text):
        return []
    lines = text.splitlines()
    found, ours, theirs, stray = _blocks(lines)
    problems = []
    trees = {"ours": _Tree(ours), "theirs": _Tree(theirs)}
    for conflict in found:
        where, path = (trees["ours"].where(conflict.ours_at) if conflict.ours
                       else trees["theirs"].where(conflict.theirs_at))
        problems.append(Problem(file, conflict.line, 1, path, _describe(conflict, where)))
    for number in stray:
        problems.append(Problem(file, number, 1, "", _(
            "a conflict marker line (<<<<<<<, =======, >>>>>>>) left from a merge, without the rest of its "
            "conflict; delete the line once the text around it is as it should be.")))
    return sorted(problems, key=lambda p: p.line)


def check_for_conflicts(text: str, file: str) -> None:
    problems = conflict_problems(text, file)
    if problems:
        raise UnresolvedConflicts(problems, file)


class _Tree:
    """One side's whole file, composed once (on first use) however many conflicts it is asked about."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.root = None
        self.read = False

    def where(self, line_index: int) -> tuple[str, str]:
        """Which measure or KPI the line is in ('measure hennokin-saiken / KPI hokensho-kaishu-ritsu / text'),
        and its path; empty when that side is not YAML either."""
        if not self.read:
            self.root, self.read = _compose(self.lines), True
        steps = _path_to(self.root, line_index) if self.root is not None else []
        names, path = [], ""
        for key, _child in steps:
            path += f"[{key}]" if isinstance(key, int) else (f".{key}" if path else str(key))
        for (key, _list), (index, entry) in zip(steps, steps[1:]):
            if isinstance(index, int) and key in _KINDS:
                names.append(f"{_(_KINDS[key])} {_id_of(entry) or index + 1}")
        if steps and isinstance(steps[-1][0], str) and steps[-1][0] not in _KINDS:
            names.append(steps[-1][0])
        return " / ".join(names), path


def _compose(lines: list[str]):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="safe", pure=True).compose(io.StringIO("\n".join(lines) + "\n"))
    except (YAMLError, RecursionError):
        return None


def _path_to(node, line_index: int) -> list[tuple]:
    """The (key or index, node) steps from the root to the deepest node starting at or before the line."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    steps = []
    while True:
        if isinstance(node, MappingNode):
            children = [(key.value, value, key.start_mark.line) for key, value in node.value]
        elif isinstance(node, SequenceNode):
            children = [(i, value, value.start_mark.line) for i, value in enumerate(node.value)]
        else:
            return steps
        chosen = None
        for key, value, line in children:
            if line <= line_index:
                chosen = (key, value, line)
        if chosen is None:
            return steps
        steps.append(chosen[:2])
        if isinstance(chosen[0], int) and chosen[2] == line_index:
            return steps  # the conflict is the whole entry that starts here
        node = chosen[1]


def _id_of(node) -> str | None:
    from ruamel.yaml.nodes import MappingNode

    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "id":
                return str(value.value)
    return None


def _shown(lines: list[str]) -> str:
    text = " ".join(line.strip() for line in lines if line.strip())
    return re.sub(r"^(- )?[\w-]+: ", "", text)


def _describe(conflict: MarkedConflict, where: str) -> str:
    ours, theirs = _shown(conflict.ours), _shown(conflict.theirs)
    ours, theirs = _around_difference(ours, theirs)
    if where:
        message = _("unresolved merge conflict ({where}): ours {ours}, theirs {theirs}. Keep one version (or write "
                    "the right one) and delete the marker lines <<<<<<<, ======= and >>>>>>>.")
    else:
        message = _("unresolved merge conflict: ours {ours}, theirs {theirs}. Keep one version (or write the right "
                    "one) and delete the marker lines <<<<<<<, ======= and >>>>>>>.")
    return message.format(where=where, ours=_quoted(ours), theirs=_quoted(theirs))


def _quoted(version: str) -> str:
    return f"「{version}」" if version else _("(deleted)")


def _around_difference(ours: str, theirs: str) -> tuple[str, str]:
    """The part where two long versions differ, with a little of what they share on each side."""
    if not ours or not theirs:
        return ours[:60] + ("…" if len(ours) > 60 else ""), theirs[:60] + ("…" if len(theirs) > 60 else "")
    start = 0
    while start < min(len(ours), len(theirs)) and ours[start] == theirs[start]:
        start += 1
    end = 0
    while end < min(len(ours), len(theirs)) - start and ours[-1 - end] == theirs[-1 - end]:
        end += 1
    left = max(0, start - CONTEXT)

    def cut(text: str) -> str:
        right = min(len(text), len(text) - end + CONTEXT)
        return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")

    return cut(ours), cut(theirs)
