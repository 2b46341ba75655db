"""`kenpo-plans merge-driver`: what git runs to merge a plan or results file (set up by git-setup)."""

from __future__ import annotations

from ..errors import KenpoError
from ..i18n import _
from ..merge.driver import merge_files


class MergeConflicted(KenpoError):
    """Raised when the merged file holds conflicts (or would not validate): git then leaves it conflicted."""


def merge_driver(base: str, ours: str, theirs: str, path: str) -> list[str]:
    """Merge ``base``/``ours``/``theirs`` (git's %O %A %B) into ``ours``; ``path`` (%P) names the file. Returns what
    the merge brought that deserves a look (a number given twice), for git to show while it merges."""
    outcome = merge_files(base, ours, theirs, path)
    if outcome.conflicts:
        how = (_("{path}: {count} conflict(s) marked line by line (the file is not YAML on one side); "
                 "resolve them, then run kenpo-plans validate {path}.") if outcome.line_merge else
               _("{path}: {count} conflict(s): both sides changed the same field differently. Each is marked in "
                 "the file; kenpo-plans validate {path} lists them with both versions."))
        raise MergeConflicted(how.format(path=path, count=outcome.conflicts))
    if outcome.problems:
        raise MergeConflicted(_("{path}: merged without a conflict, but the merged file would not validate; "
                                "it is left for you to correct:\n{problems}").format(
                                    path=path, problems="\n".join(outcome.problems)))
    return outcome.notices
