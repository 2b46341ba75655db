"""What git shows of a plan: the semantic diff git runs as its external diff driver, and the outline its textconv
gives `git log -p`.  A file that is not a valid plan on one side falls back to a plain diff of its text."""

from __future__ import annotations

import difflib
from pathlib import Path

from ..diff.plans import diff_plans
from ..errors import KenpoError, UsageError
from ..i18n import _
from ..labels import CREATED, DELETED, WHOLE_PLAN
from ..plan.files import is_results_path, plan_path_for
from ..plan.loader import load_plan, load_plan_text
from ..plan.reading import decode_plan_bytes, read_limited
from ..results.validate import read_results_file
from .outline import outline, results_names, results_outline
from .shinkyu_text import to_text


def git_diff_driver(args: tuple[str, ...], color: bool = False) -> str:
    """git's external diff: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE."""
    if len(args) < 7:
        raise UsageError(_("git-diff is called by git with 7 arguments; run kenpo-plans git-setup to configure it."))
    path, old_file, new_file = args[0], args[1], args[4]
    header = f"kenpo-plans diff {path}\n"
    if is_results_path(path):
        return header + _results_diff(old_file, new_file, path)
    try:
        old_plan = _plan_or_none(old_file, path)
        new_plan = _plan_or_none(new_file, path)
    except KenpoError as exc:
        notice = _("(not a valid plan on one side, so a plain diff follows: {error})").format(error=exc)
        return header + notice + "\n" + _plain_diff(old_file, new_file, path)
    if old_plan is None or new_plan is None:
        plan = new_plan or old_plan
        verb = CREATED if old_plan is None else DELETED
        return header + WHOLE_PLAN.format(verb=verb, title=plan.title,
                                          measures=sum(1 for _ in plan.walk_measures())) + "\n"
    return header + to_text(diff_plans(old_plan, new_plan), color=color)


def _plan_or_none(file: str, label: str):
    if file == "/dev/null" or not Path(file).is_file():
        return None
    text = decode_plan_bytes(read_limited(Path(file)), label)
    plan, _warnings = load_plan_text(text, label)
    return plan


def _plain_diff(old_file: str, new_file: str, label: str) -> str:
    def lines(file: str) -> list[str]:
        if file == "/dev/null" or not Path(file).is_file():
            return []
        return _text_or_notice(file).splitlines(keepends=True)

    return "".join(difflib.unified_diff(lines(old_file), lines(new_file), f"a/{label}", f"b/{label}"))


def _results_outline_or_text(file: str, label: str) -> list[str]:
    if file == "/dev/null" or not Path(file).is_file():
        return []
    results, problems = read_results_file(Path(file))
    if results is None or any(p.severity == "error" for p in problems):
        return _text_or_notice(file).splitlines(keepends=True)
    return results_outline(results, results_names(_plan_beside(label))).splitlines(keepends=True)


def _plan_beside(results_path: str):
    """The plan in the working tree beside a results file (git names the file by its path there), for names."""
    plan_path = plan_path_for(Path(results_path))
    try:
        return load_plan(plan_path)[0] if plan_path.is_file() else None
    except KenpoError:
        return None


def _results_diff(old_file: str, new_file: str, label: str) -> str:
    """Results files compare as outlines (one KPI or measure a line), keyed by id."""
    old, new = _results_outline_or_text(old_file, label), _results_outline_or_text(new_file, label)
    return "".join(difflib.unified_diff(old, new, f"a/{label}", f"b/{label}", n=1)) or _("no change in content") + "\n"


def textconv(file: str) -> str:
    """A plan (or results file) as its outline (what `git log -p` compares); raw text when not valid."""
    if is_results_path(file):
        return "".join(_results_outline_or_text(file, file))  # names from the plan when git gives the real path
    path = Path(file)
    try:
        plan, _warnings = load_plan(path)
    except KenpoError:
        return _text_or_notice(file)
    return outline(plan)


def _text_or_notice(file: str) -> str:
    """A file's text for a plain diff; a notice instead of a file too large or too strange to read."""
    try:
        return read_limited(Path(file)).decode("utf-8", errors="replace")
    except KenpoError as exc:
        return f"(kenpo-plans: {exc})\n"
