"""Validation of several files at once: a plan is checked against last year's (figures carried over, ids reused)
and a results file against its plan, each file read once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diff.across_years import carried_over_problems, reused_id_problems
from ..i18n import _
from ..plan.files import is_results_path, plan_file
from ..plan.model import Plan
from ..plan.validate import FileReport, check_file
from ..results.validate import check_results_file


@dataclass
class ValidationResult:
    reports: list[FileReport]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.reports)

    @property
    def error_count(self) -> int:
        return sum(len(report.errors) for report in self.reports)

    @property
    def warning_count(self) -> int:
        return sum(len(report.warnings) for report in self.reports)

    def lines(self) -> list[str]:
        out = [str(problem) for report in self.reports for problem in report.problems]
        bad = sum(1 for report in self.reports if not report.ok)
        out.append(
            _("{files} file(s) checked: {ok} ok, {bad} with errors; {errors} error(s), {warnings} warning(s)").format(
                files=len(self.reports), ok=len(self.reports) - bad, bad=bad, errors=self.error_count,
                warnings=self.warning_count)
        )
        return out


def check_files(paths: list[Path], encoding: str | None = None) -> ValidationResult:
    """Validate plan and results files, and flag figures each plan carries over from the year before it.

    Each file is read once: a previous year (or the plan of a results file) that is among ``paths``
    reuses its own report.
    """
    plan_paths = [Path(p) for p in paths if not is_results_path(p)]
    results_paths = [Path(p) for p in paths if is_results_path(p)]
    reports = {Path(path).resolve(): check_file(Path(path), encoding) for path in plan_paths}
    _check_carried_over(reports, encoding)
    plans_read = dict(reports)
    for path in results_paths:
        reports[path.resolve()] = _check_results(path, plans_read, encoding)
    return ValidationResult(list(reports.values()))


def _check_results(path: Path, plans_read: dict[Path, FileReport], encoding: str | None) -> FileReport:
    def plan_lookup(plan_path: Path) -> tuple[Plan | None, bool]:
        key = plan_path.resolve()
        if key not in plans_read and plan_path.is_file():
            plans_read[key] = check_file(plan_path, encoding)
        report = plans_read.get(key)
        return (report.plan if report and report.ok else None), report is not None

    results, problems = check_results_file(path, plan_lookup, encoding)
    return FileReport(str(path), problems=problems, results=results)


def _check_carried_over(reports: dict[Path, FileReport], encoding: str | None) -> None:
    for path, report in list(reports.items()):
        if report.plan is None:
            continue
        previous_path = plan_file(path.parent, report.plan.fiscal_year - 1).resolve()
        previous = reports.get(previous_path)
        if previous is None and previous_path.is_file():
            previous = check_file(previous_path, encoding)
        if previous is not None and previous.plan is not None:
            report.problems.extend(carried_over_problems(report.plan, previous.plan))
            report.problems.extend(reused_id_problems(report.plan, previous.plan))
            report.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
