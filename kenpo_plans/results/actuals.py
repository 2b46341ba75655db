"""The year-end actuals beside a plan, for documents that show what the old year achieved."""

from __future__ import annotations

from pathlib import Path

from ..diff.result import YearEndActual
from ..plan.model import Plan
from .evaluate import evaluate
from .validate import results_beside


def year_end_actuals(plan_path: str | Path | None, plan: Plan) -> dict[str, YearEndActual]:
    """KPI id → its actual in the year-end report beside the plan; {} when none."""
    if not plan_path or not Path(plan_path).is_file():
        return {}  # a plan read from a git revision has no results file beside it
    results = results_beside(Path(plan_path), plan)
    report = results.final() if results else None
    if report is None:
        return {}
    rows = evaluate(plan, results, report)["kpis"]
    return {row["id"]: YearEndActual(**row["actual"], report=report.title) for row in rows
            if row["actual"] and row["actual"]["value"] is not None}
