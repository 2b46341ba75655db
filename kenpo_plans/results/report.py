"""One report of a year, evaluated: the plan, its results file and last year's read, each KPI judged.

``load_report`` is what the results command writes from: the evaluated report (plain data, the JSON contract,
schemas/results.schema.json) with the files it was read from, which no output may replace, and, for a
workbook only, every report of the year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import PlanNotFound, UsageError
from ..fileio import file_kind
from ..i18n import _, listing
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..plan.loader import load_plan
from .evaluate import evaluate, report_index
from .validate import previous_year_results, results_beside


@dataclass(frozen=True)
class EvaluatedReport:
    data: dict  # the JSON contract
    sources: tuple[str, ...] = ()  # outputs never replace these
    every: Callable[[], list[dict]] | None = field(default=None, compare=False)  # evaluated on demand

    def every_report(self) -> list[dict]:
        """Every report of the year, evaluated (only a workbook asks: it holds one sheet per report)."""
        return self.every() if self.every else [self.data]


def load_results(year, branch: str, plans_dir=None, period: str | None = None, encoding: str | None = None) -> dict:
    """The evaluated report (plain data, the JSON contract) of one branch and year; latest report by default."""
    return load_report(year, branch, plans_dir, period, encoding).data


def load_report(year, branch: str, plans_dir=None, period: str | None = None,
                encoding: str | None = None) -> EvaluatedReport:
    """One branch's report of one year, evaluated, with the files it was read from; the latest by default."""
    store = PlanStore(resolve_plans_dir(plans_dir))
    fiscal_year = parse_year(year)
    plan_path = store.path_for(branch, fiscal_year)
    path = store.results_path(branch, fiscal_year)
    if path.exists() and not path.is_file():
        raise PlanNotFound(_("no results for {branch} {year}: {path} is {kind}, not a results file; "
                             "results are a YAML file (the format is in docs/results-format.md).").format(
                                 branch=branch, year=fiscal_year, path=path, kind=file_kind(path.stat().st_mode)))
    if not path.is_file():
        have = [p.name for p in store.results_paths() if p.parent.name == branch and p.is_file()]
        raise PlanNotFound(_("no results for {branch} {year}: {path} does not exist. "
                             "Results files of {branch}: {files} "
                             "(the format is in docs/results-format.md).").format(
                                 branch=branch, year=fiscal_year, path=path, files=listing(have) or _("none")))
    plan, _warnings = load_plan(plan_path, encoding)
    results = results_beside(plan_path, plan, encoding)
    report = results.latest() if period is None else results.report(period)
    if report is None:
        shown = listing(f"{r.period} ({r.id})" for r in results.reports)
        raise UsageError(_("{path} has no report for period '{period}'; it has: {shown}.").format(
            path=path, period=period, shown=shown))
    previous = previous_year_results(path, fiscal_year, encoding)
    index = report_index(results)
    return EvaluatedReport(evaluate(plan, results, report, previous, index), (str(plan_path), str(path)),
                           lambda: [evaluate(plan, results, each, previous, index) for each in results.reports])
