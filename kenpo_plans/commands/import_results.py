"""`kenpo-plans import results.xlsx --branch B --year FY --period q1`: an Excel sheet into the results file.

The sheet's rows become the KPI entries of the report for that period: a new period is added beside the
reports already there; a period already there is replaced only with --force (keeping its title, scales and
commentary, and a backup where `new --force` keeps them).  The file is checked exactly as `validate`
would check it before anything is written, and nothing is written when it would not validate; the rows
that matched no KPI, and the cells that hold no figure (a date, 1e309), are listed.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import KenpoError, OutputError, Problem, UsageError
from ..fileio import checked_target, write_atomic
from ..i18n import _
from ..importing.results_file import merged_text, periods_in, problems_in, report_title
from ..importing.results_xlsx import COLUMN_WORDS, sheet_results
from ..plan.files import PLAN_FILE
from ..plan.rollforward import keep_backup
from ..plan.store import PlanStore, resolve_plans_dir
from .outputs import Outcome


def _checked_target(file: Path, target: Path) -> Path:
    """Where the results go, refused before anything is read: a directory, the sheet itself, or a plan."""
    checked_target(target, protected=[file], plan=True)
    if PLAN_FILE.match(target.name) or (target.is_file() and _holds_a_plan(target)):
        raise OutputError(_("refusing to write {path}: it is a plan, and results go in their own file "
                            "(<year>.results.yaml beside the plan). Leave -o out, or give a .results.yaml "
                            "path.").format(path=target))
    return target


def _holds_a_plan(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return False
    return "\nsections:" in head and "\nreports:" not in head


def import_results_sheet(file: Path, branch: str, year: int | None, period: str | None, output: Path | None,
                         dry_run: bool, plans_dir, force: bool) -> Outcome:
    if year is None or period is None:
        raise UsageError(_("an Excel results sheet needs --year and --period (year, q1, q2, q3 or h1), e.g. "
                           "kenpo-plans import results.xlsx -b kumamoto -y 2024 --period year."))
    store = PlanStore(resolve_plans_dir(plans_dir))
    plan = store.load(branch, year)
    target = _checked_target(Path(file), Path(output) if output else store.results_path(branch, year))
    found = sheet_results(Path(file), plan)
    existing = target.read_text(encoding="utf-8") if target.is_file() else None
    kept = [p for p in periods_in(existing) if p != period]
    replacing = period in periods_in(existing)
    if replacing and not force and not dry_run:
        raise UsageError(_("{path} already has a {period} report; give --force to replace it with the sheet's "
                           "figures (the old file is kept as a backup), or choose another --period. Kept either "
                           "way: {kept}.").format(path=target, period=period, kept=", ".join(kept) or "-"))
    text = merged_text(existing, branch, year, period, report_title(plan, period, found.sheet), found.kpis,
                       found.ratings)
    problems = problems_in(text, branch, year, plan, target)
    summary = _summary(Path(file), found, period, target, kept, problems)
    if any(p.severity == "error" for p in problems):
        raise ResultsRefused(summary + _("{path} was not written: the results would not validate.").format(
            path=target))
    if dry_run:
        return Outcome(stdout=summary + "".join("# " + line + "\n" for line in text.splitlines()))
    outcome = Outcome(stdout=summary)
    if replacing:
        backup = keep_backup(store, branch, target)
        outcome.stdout += _("the previous {name} was kept as {backup}").format(name=target.name, backup=backup) + "\n"
    outcome.written.append(write_atomic(target, text, protected=[file], plan=True))
    return outcome


class ResultsRefused(KenpoError):
    """Raised when the results built from a sheet would not validate: nothing is written."""


def _summary(file: Path, found, period: str, target: Path, kept: list[str], problems: list[Problem]) -> str:
    lines = [_("{file}: {count} KPI row(s) read from the sheet 「{sheet}」 into the {period} report of "
               "{target}.").format(file=file.name, count=len(found.kpis), sheet=found.sheet, period=period,
                                   target=target)]
    if kept:
        lines.append(_("the other reports of {target} are kept: {periods}.").format(target=target.name,
                                                                                   periods=", ".join(kept)))
    lines += [_("the hidden sheet 「{sheet}」 also has a results header; it was not read (hidden sheets are "
                "not what a reader of the workbook sees).").format(sheet=name) for name in found.hidden]
    lines += [_("the column 「{header}」 also reads as {word}; it was not read (one column a field: the one headed "
                "by the word itself, else the leftmost).").format(header=header, word=COLUMN_WORDS[column])
              for header, column in found.left_aside]
    lines += ["  " + _("row {row}: the {column} cell holds {what}, not a figure; it is left out.").format(
        row=row, column=column, what=what) for row, column, what in found.unreadable]
    if found.unmatched:
        lines.append(_("{count} row(s) match no KPI of the plan (give the KPI's id or its wording):").format(
            count=len(found.unmatched)))
        lines += ["  " + _("row {row}: {what}").format(row=row, what=what) for row, what in found.unmatched]
    lines += [str(problem) for problem in problems]
    return "\n".join(lines) + "\n"
