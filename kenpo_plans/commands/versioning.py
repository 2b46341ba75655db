"""`kenpo-plans new` and `log`: next year's draft from this year's plan, and one plan's history in git.

``log`` reads every committed version of the plan and says in one line what each commit changed
(the same diff as `diff`, summarised), so a reviewer sees which draft moved which target.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diff.plans import diff_plans
from ..errors import KenpoError
from ..git import repo as gitrepo
from ..git.revisions import plan_at
from ..i18n import N_, _
from ..labels import CREATED_SUMMARY
from ..plan.rollforward import new_plan
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..render.shinkyu_text import summary_line


def new(year, branch: str, from_year=None, plans_dir=None, force: bool = False, name: str | None = None,
        national: Path | None = None) -> str:
    """Create next year's draft from an existing plan; returns what to tell the planner."""
    result = new_plan(PlanStore(resolve_plans_dir(plans_dir)), branch, parse_year(year),
                      parse_year(from_year) if from_year is not None else None, force, name, national)
    lines = [_("created {path} from {source} (status: draft)").format(path=result.path, source=result.source)]
    if result.backup:
        lines.append(_("the previous {name} was kept as {backup}").format(name=result.path.name, backup=result.backup))
    lines += [str(problem) for problem in result.warnings]
    lines.append(_("next: edit {path}, then run kenpo-plans validate").format(path=result.path))
    return "\n".join(lines) + "\n"


def log(year, branch: str, plans_dir=None) -> str:
    """The commits that touched one plan, newest first, each with a one-line semantic summary."""
    path = PlanStore(resolve_plans_dir(plans_dir)).expected_path(branch, parse_year(year))
    lines = []
    asked = None
    for entry in plan_log(path):
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
        entries.append(LogEntry(commit, at_path, _change_summary(root, commit, at_path, previous, summary_line)))
    return entries


def _change_summary(root, commit, at_path, previous, summary_line) -> str:
    try:
        new_plan = plan_at(root, commit, at_path)
    except KenpoError:
        return _("(this version does not validate, so it cannot be summarised)")
    if previous is None:
        measures = sum(1 for _ in new_plan.walk_measures())
        kpis = sum(1 for _ in new_plan.walk_kpis())
        return CREATED_SUMMARY.format(measures=measures, kpis=kpis)
    prev_commit, prev_path = previous
    try:
        old_plan = plan_at(root, prev_commit, prev_path)
    except KenpoError:
        return _("(the version before does not validate, so this one cannot be summarised)")
    return summary_line(diff_plans(old_plan, new_plan))
