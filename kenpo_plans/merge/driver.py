"""The git merge driver: base, ours and theirs of one plan or results file → the merged file in ours' place.

git calls ``kenpo-plans merge-driver %O %A %B %P`` and reads the merged file back from %A; exit status 0 is a
clean merge, anything else leaves the file conflicted (as ``git status`` then shows it).  A file that is not
YAML on some side (it already holds conflict markers, say) is merged line by line by ``git merge-file``,
as git would have done without the driver.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KenpoError, PlanReadError, Problem
from ..fileio import write_atomic
from ..i18n import _
from ..plan.files import is_results_path
from ..plan.reading import decode_plan_bytes, parse_yaml, read_limited
from ..plan.yamlwriter import round_trip
from ..plan.validate import check_text
from ..results.validate import check_results
from .markers import MARKER_SIZE, with_markers
from .tree import merge_trees


@dataclass
class MergeOutcome:
    text: str
    conflicts: int = 0  # fields both sides changed differently, each between markers
    problems: list[str] = field(default_factory=list)  # why the merged file would not validate
    line_merge: bool = False  # the sides were merged line by line (not YAML on some side)
    notices: list[str] = field(default_factory=list)  # warnings the merge brought that neither side had

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.problems


def merge_texts(base: str, ours: str, theirs: str, path: str) -> MergeOutcome:
    """Merge three versions of the file named ``path`` (the name decides plan or results)."""
    from ruamel.yaml.error import YAMLError

    if theirs == base or theirs == ours:
        return MergeOutcome(ours)
    if ours == base:
        return MergeOutcome(theirs)
    yaml = round_trip()
    try:
        trees = [yaml.load(text) if text.strip() else None for text in (base, ours, theirs)]
        if not all(isinstance(tree, dict) for tree in trees[1:]) or any(map(_shares_nodes, trees)):
            return _line_merge(base, ours, theirs)
        merged, conflicts = merge_trees(trees[0] if isinstance(trees[0], dict) else {}, trees[1], trees[2])
        out = io.StringIO()
        yaml.dump(merged, out)
    except (YAMLError, RecursionError):
        return _line_merge(base, ours, theirs)
    text = out.getvalue()
    if conflicts:
        return MergeOutcome(with_markers(text, conflicts, yaml), conflicts=len(conflicts))
    return _checked(text, (ours, theirs), path)


def _shares_nodes(tree) -> bool:
    """Whether YAML aliases make one node appear twice: plans never need them, and a merge that compares
    sides by value would expand an alias bomb; such a file is merged line by line."""
    seen: set[int] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                return True
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)
    return False


def _problems(text: str, path: str) -> list[Problem]:
    if is_results_path(path):
        try:
            raw = parse_yaml(text, path)
        except PlanReadError as exc:
            return [Problem.from_read_error(exc, path)]
        return check_results(raw, lambda: None)[1]
    return check_text(text, path).problems


def _checked(merged: str, sides: tuple[str, str], path: str) -> MergeOutcome:
    """The merged file checked once, each side once, against each other:

    - its errors, when both sides were valid on their own: a merge must not make a valid plan invalid (the same
      measure id added in two places, say); errors a side already had are its own;
    - its warnings that neither side had (a number given twice), compared without the line numbers that moved."""
    def key(problem: Problem) -> tuple[str, str]:
        return problem.path or "", re.sub(r"[0-9]+", "#", problem.message)

    found = _problems(merged, path)
    before = [_problems(side, path) for side in sides]
    sides_valid = not any(p.severity == "error" for problems in before for p in problems)
    said = {key(p) for problems in before for p in problems if p.severity == "warning"}
    return MergeOutcome(merged,
                        problems=[str(p) for p in found if p.severity == "error"] if sides_valid else [],
                        notices=[str(p) for p in found if p.severity == "warning" and key(p) not in said])


def _line_merge(base: str, ours: str, theirs: str) -> MergeOutcome:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kenpo-plans-merge-") as folder:
        files = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            file = Path(folder) / name
            file.write_text(text, encoding="utf-8")
            files.append(str(file))
        result = subprocess.run(["git", "merge-file", "-p", f"--marker-size={MARKER_SIZE}", "-L", "ours", "-L",
                                 "base", "-L", "theirs", *files], capture_output=True, timeout=60)
    if result.returncode < 0 or result.returncode > 127:
        raise KenpoError(_("git merge-file failed: {error}").format(
            error=result.stderr.decode("utf-8", "replace").strip()))
    return MergeOutcome(result.stdout.decode("utf-8", "replace"), conflicts=result.returncode, line_merge=True)


def _read(file: str, label: str) -> str:
    path = Path(file)
    if not path.is_file():
        return ""
    return decode_plan_bytes(read_limited(path), label)


def merge_files(base: str, ours: str, theirs: str, path: str) -> MergeOutcome:
    """git's merge driver: the merge of the three files is written over ``ours``."""
    outcome = merge_texts(_read(base, path), _read(ours, path), _read(theirs, path), path)
    write_atomic(Path(ours), outcome.text, plan=True, hint=_("check the repository's permissions"))
    return outcome
