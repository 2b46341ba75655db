"""`kenpo-plans results`: one report of a year (progress or year-end), each KPI judged against its plan.

The evaluated report is plain data (the JSON contract, schemas/results.schema.json); every document
(text, PDF, HTML, Word, Excel) is rendered from it.
"""

from __future__ import annotations

from ..errors import PlanNotFound, UsageError
from ..fileio import file_kind
from ..i18n import _, listing
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..plan.validate import load_plan
from ..results.evaluate import evaluate, report_index
from ..results.validate import previous_year_results, results_beside
from .outputs import Outcome, check_request, write
from .requests import ResultsRequest


class EvaluatedReport(dict):
    """The evaluated report (the JSON contract) that also knows which files it was read from."""

    def __init__(self, data: dict, sources: tuple[str, ...] = (), every_report=None):
        super().__init__(data)
        self.sources = sources  # outputs never replace these
        self._every_report = every_report  # a callable: only a workbook needs every report of the year

    @property
    def every_report(self) -> list[dict]:
        if callable(self._every_report):
            self._every_report = self._every_report()
        return self._every_report or [dict(self)]


def write_results(request: ResultsRequest) -> Outcome:
    """The whole command: the options checked, the report evaluated, then printed or written."""
    check_request(request.rendering, "results")
    evaluated = load_results(request.year, request.branch, request.plans_dir, request.period, request.encoding)
    return write("results", evaluated, request.rendering)


def load_results(year, branch: str, plans_dir=None, period: str | None = None, encoding: str | None = None):
    """The evaluated report (plain data, the JSON contract) of one branch and year; latest report by default."""
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
    return EvaluatedReport(evaluate(plan, results, report, previous, index), sources=(str(plan_path), str(path)),
                           every_report=lambda: [evaluate(plan, results, each, previous, index)
                                                 for each in results.reports])
