"""One plan's history in git as `log` prints it: the commits that touched the file, newest first, each with a
one-line summary of the same diff as `diff`, so a reviewer sees which draft moved which target."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diff.plans import diff_plans
from ..errors import KenpoError
from ..git import repo as gitrepo
from ..git.revisions import plan_at
from ..i18n import N_, _
from ..labels import CREATED_SUMMARY, MERGE_SUMMARY
from .shinkyu_text import summary_line


def log_text(entries: list["LogEntry"]) -> str:
    """Two lines a commit: the commit itself, then what it changed in the plan."""
    lines = []
    asked = None
    for entry in entries:
        commit = entry.commit
        asked = asked or entry.path
        lines.append(f"{commit.short} {commit.date} {commit.author}  {commit.subject}")
        # git follows the file through renames and copies: an earlier commit may have touched the plan it
        # was made from (2025.yaml for 2026.yaml), and says so
        where = "" if entry.path == asked else f"{entry.path}: "
        lines.append(f"    {where}{entry.summary}")
    return "\n".join(lines) + "\n"


@dataclass
class LogEntry:
    commit: gitrepo.Commit
    path: str
    summary: str


def plan_log(path: Path) -> list[LogEntry]:
    """Commits that touched one plan file, newest first, each with a one-line semantic summary."""
    root = gitrepo.repo_root(path.parent if path.parent.exists() else Path.cwd(), N_("the plan has no history there"))
    relpath = gitrepo.relative(root, path)
    history = gitrepo.file_history(root, relpath)
    if not history:
        raise gitrepo.GitError(_("{path} has no commits yet in {root}; commit it first (git add, git commit).").format(
            path=relpath, root=root))
    entries = []
    for index, (commit, at_path) in enumerate(history):
        previous = history[index + 1] if index + 1 < len(history) else None
        entries.append(LogEntry(commit, at_path, _change_summary(root, commit, at_path, previous)))
    return entries


def _change_summary(root, commit, at_path, previous) -> str:
    try:
        new_plan = plan_at(root, commit, at_path)
    except KenpoError:
        return _("(this version does not validate, so it cannot be summarised)")
    if previous is None:
        measures = sum(1 for _ in new_plan.walk_measures())
        kpis = sum(1 for _ in new_plan.walk_kpis())
        return CREATED_SUMMARY.format(measures=measures, kpis=kpis)
    try:
        old_plan = _first_parent_plan(root, commit, at_path, previous)
    except KenpoError:
        return _("(the version before does not validate, so this one cannot be summarised)")
    summary = summary_line(diff_plans(old_plan, new_plan))
    # a merge is summarised against the branch it was made on: what it brought in from the other
    return MERGE_SUMMARY.format(summary=summary) if len(commit.parents) > 1 else summary


def _first_parent_plan(root, commit, at_path, previous):
    """The plan before this commit on its own line of history: at its first parent, under the path it has there;
    the previous commit listed when the file had another name in the parent (renamed with the commit)."""
    if commit.parents:
        parent = gitrepo.resolve(root, commit.parents[0])
        try:
            return plan_at(root, parent, at_path)
        except gitrepo.GitError:
            pass
    prev_commit, prev_path = previous
    return plan_at(root, prev_commit, prev_path)
