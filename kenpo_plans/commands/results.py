"""`kenpo-plans results`: one report of a year (progress or year-end), each KPI judged against its plan.

The evaluated report is plain data (the JSON contract, schemas/results.schema.json); every document
(text, PDF, HTML, Word, Excel) is rendered from it.
"""

from __future__ import annotations

from ..results.report import EvaluatedReport, load_report, load_results
from .outputs import Outcome, check_request, write
from .requests import ResultsRequest


def write_results(request: ResultsRequest) -> Outcome:
    """The whole command: the options checked, the report evaluated, then printed or written."""
    check_request(request.rendering, "results")
    report = load_report(request.year, request.branch, request.plans_dir, request.period, request.encoding)
    return write("results", report, request.rendering)


__all__ = ["EvaluatedReport", "load_report", "load_results", "write_results"]


