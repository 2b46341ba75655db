"""`kenpo-plans validate`, `list` and `show`: what is in the plans directory, and whether it is right.

Validation of several files is more than each file alone: a plan is checked against last year's
(figures carried over, ids reused) and a results file against its plan, each file read once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..diff.across_years import carried_over_problems, reused_id_problems
from ..errors import PlanNotFound
from ..i18n import _
from ..labels import PERIOD_LABELS, RESULTS_COLUMN, STATUS_LABELS
from ..plan import era
from ..plan.files import is_results_path, plan_file, plan_files_in, results_path_for
from ..plan.model import Plan
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..plan.validate import FileReport, check_file
from ..results.validate import check_results_file, read_results_file
from .outputs import Outcome, check_request, write
from .requests import OutputRequest, PlanRequest


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


def validate(paths, plans_dir=None, encoding: str | None = None) -> ValidationResult:
    """Validate the given files, the plan and results files found in given folders, or every plan in the store."""
    files: list[Path] = []
    for path in map(Path, paths):
        files += plan_files_in(path) if path.is_dir() else [path]
    if not paths:
        files = PlanStore(resolve_plans_dir(plans_dir)).all_paths()
        if not files:
            raise PlanNotFound(_("no plans (*/*.yaml) found in {folder}.").format(folder=resolve_plans_dir(plans_dir)))
    return ValidationResult(check_files(files, encoding))


def list_plans(plans_dir=None, fmt: str = "text") -> str:
    rows = catalog(PlanStore(resolve_plans_dir(plans_dir)))
    if fmt == "json":
        return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return catalog_text(rows)


def show(year, branch: str, plans_dir=None, fmt: str = "text", encoding: str | None = None) -> str:
    """The plan as an outline (text) or the parsed model (json), as printed."""
    return show_plan(PlanRequest(str(year), branch, plans_dir, encoding, OutputRequest(fmt=fmt))).stdout


def show_plan(request: PlanRequest) -> Outcome:
    """The plan printed (text, json) or published as a document (pdf, html, docx), like every other output."""
    check_request(request.rendering, "plan")
    plan = PlanStore(resolve_plans_dir(request.plans_dir)).load(request.branch, parse_year(request.year),
                                                                request.encoding)
    return write("plan", plan, request.rendering)


def check_files(paths: list[Path], encoding: str | None = None) -> list[FileReport]:
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
    return list(reports.values())


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


@dataclass
class CatalogRow:
    branch: str
    branch_name: str
    fiscal_year: int
    year_label: str
    title: str
    status: str  # the code every JSON output uses: draft / final
    status_label: str  # 案 / 確定
    path: str
    valid: bool
    reports: list[str] = field(default_factory=list)  # periods of the results file beside the plan
    results_valid: bool | None = None  # None: no results file


def catalog(store: PlanStore) -> list[CatalogRow]:
    """Every plan in the store, invalid ones included (marked), so nothing is hidden."""
    rows = []
    for ref in store.refs():
        report = check_file(ref.path)
        plan = report.plan
        results_file = results_path_for(ref.path)
        results, problems = read_results_file(results_file) if results_file.is_file() else (None, [])
        rows.append(CatalogRow(
            branch=ref.branch,
            branch_name=plan.branch_name if plan else "?",
            fiscal_year=ref.fiscal_year,
            year_label=plan.year_label if plan else era.format_fiscal_year(ref.fiscal_year),
            title=plan.title if plan else _("(invalid: run kenpo-plans validate)"),
            status=plan.status if plan else "-",
            status_label=STATUS_LABELS.get(plan.status, plan.status) if plan else "-",
            path=str(ref.path),
            valid=report.ok,
            reports=[r.period for r in results.reports] if results else [],
            results_valid=None if not results_file.is_file() else (
                results is not None and not any(p.severity == "error" for p in problems)),
        ))
    return rows


def catalog_text(rows: list[CatalogRow]) -> str:
    if not rows:
        return _("no plans found") + "\n"
    lines = []
    for row in rows:
        line = f"{row.branch:<12} {row.fiscal_year} {row.year_label:<8} {row.status_label:<3} {row.title}"
        if row.results_valid is False:
            line += f"  {RESULTS_COLUMN}: " + _("(invalid: run kenpo-plans validate)")
        elif row.reports:
            line += f"  {RESULTS_COLUMN}: " + "・".join(PERIOD_LABELS.get(p, p) for p in row.reports)
        lines.append(line)
    return "\n".join(lines) + "\n"
