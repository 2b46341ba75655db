"""`kenpo-plans new` and `log`: next year's draft from this year's plan, and one plan's history in git.

``log`` is render.planlog's: every committed version of the plan, each commit's change in one line.
"""

from __future__ import annotations

from pathlib import Path

from ..i18n import _
from ..plan.rollforward import new_plan
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..render.planlog import log_text, plan_log


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
    return log_text(plan_log(PlanStore(resolve_plans_dir(plans_dir)).expected_path(branch, parse_year(year))))
