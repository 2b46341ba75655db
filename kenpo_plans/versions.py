"""Plans across git revisions: load a plan as it was, diff revisions, and a plan's history."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import gitrepo
from .diff import DiffResult, diff_plans
from .errors import KenpoError, UsageError
from .i18n import N_, _
from .loader import MAX_PLAN_BYTES, decode_plan_bytes
from .model import Plan
from .validate import load_plan, load_plan_text


def load_at(path: Path, rev: str | None, encoding: str | None = None) -> Plan:
    """The plan in ``path`` at git revision ``rev`` (None: as it is on disk now)."""
    if rev is None:
        plan, _warnings = load_plan(path, encoding)
        root = _root_if_any(path)
        plan.revision = {"rev": gitrepo.WORKING_TREE} if root else None
        return plan
    root = gitrepo.repo_root(path.parent if path.parent.exists() else Path.cwd())
    commit = gitrepo.resolve(root, rev)
    plan = _plan_at(root, commit, gitrepo.relative(root, path), encoding)
    plan.revision = commit.to_dict(rev)
    return plan


def _root_if_any(path: Path) -> Path | None:
    try:
        return gitrepo.repo_root(path)
    except gitrepo.GitError:
        return None


def split_range(rev: str) -> tuple[str, str | None]:
    """'A..B' → (A, B); 'A' → (A, None) meaning the working tree."""
    if "..." in rev:
        raise UsageError(_("--rev {rev}: use A..B (two dots) to compare two revisions.").format(rev=rev))
    if ".." in rev:
        old, new = rev.split("..", 1)
        if not old or not new:
            raise UsageError(_("--rev {rev}: give both ends, e.g. --rev v2019-draft1..v2019-final.").format(rev=rev))
        return old, new
    return rev, None


def diff_at_revisions(old_path: Path, new_path: Path, rev: str, exact: bool = False,
                      encoding: str | None = None, both_at_rev: bool = False) -> DiffResult:
    """Diff two plan files across revisions.

    With one file (old_path == new_path): the file at ``rev`` against the working tree, or at A
    against B for ``A..B``.  With two files (two years): both at ``rev`` when ``both_at_rev``,
    else the old file at A and the new at B.
    """
    start, end = split_range(rev)
    if both_at_rev and end is None:
        old_plan = load_at(old_path, start, encoding)
        new_plan = load_at(new_path, start, encoding)
    else:
        old_plan = load_at(old_path, start, encoding)
        new_plan = load_at(new_path, end, encoding)
    return diff_plans(old_plan, new_plan, exact=exact)


@dataclass
class LogEntry:
    commit: gitrepo.Commit
    path: str
    summary: str


def plan_log(path: Path) -> list[LogEntry]:
    """Commits that touched one plan file, newest first, each with a one-line semantic summary."""
    from .report import summary_line

    root = gitrepo.repo_root(path.parent if path.parent.exists() else Path.cwd(), N_("the plan has no history there"))
    relpath = gitrepo.relative(root, path)
    history = gitrepo.file_history(root, relpath)
    if not history:
        raise gitrepo.GitError(_("{path} has no commits yet in {root}; commit it first (git add, git commit).").format(
            path=relpath, root=root))
    entries = []
    for index, (commit, at_path) in enumerate(history):
        previous = history[index + 1] if index + 1 < len(history) else None
        entries.append(LogEntry(commit, at_path, _change_summary(root, commit, at_path, previous, summary_line)))
    return entries


def _plan_at(root: Path, commit: gitrepo.Commit, relpath: str, encoding: str | None = None) -> Plan:
    """A plan as committed, named ``<short id>:<path>`` in messages."""
    label = f"{commit.short}:{relpath}"
    raw = gitrepo.read_at(root, commit, relpath, limit=MAX_PLAN_BYTES)
    plan, _warnings = load_plan_text(decode_plan_bytes(raw, label, encoding), label)
    plan.source = label
    return plan


def _change_summary(root, commit, at_path, previous, summary_line) -> str:
    try:
        new_plan = _plan_at(root, commit, at_path)
    except KenpoError:
        return "（この版は検証エラーのため要約できません）"
    if previous is None:
        measures = sum(1 for _ in new_plan.walk_measures())
        kpis = sum(1 for _ in new_plan.walk_kpis())
        return f"新規作成（施策 {measures}件、ＫＰＩ {kpis}件）"
    prev_commit, prev_path = previous
    try:
        old_plan = _plan_at(root, prev_commit, prev_path)
    except KenpoError:
        return "（前の版が検証エラーのため要約できません）"
    return summary_line(diff_plans(old_plan, new_plan))
