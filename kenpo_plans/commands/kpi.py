"""`kenpo-plans kpi`: one branch's KPIs across the years, or one KPI across the branches in one year.

The view is plain data (the JSON contract, schemas/kpi.schema.json) collected from plans and results
files; text, HTML, PDF, SVG, PNG and Excel are drawn from it.
"""

from __future__ import annotations

from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..results.history import branch_history, branch_ranking, require_view
from .outputs import Outcome, check_request, write
from .requests import KpiRequest


def write_kpi(request: KpiRequest) -> Outcome:
    """The whole command: the options checked, the view collected, then printed or drawn."""
    check_request(request.rendering, "kpi")
    view = kpi_view(request.kpi_id, request.branch, request.all_branches, request.year, request.plans_dir)
    return write("kpi", view, request.rendering)


def kpi_view(kpi_id: str | None, branch: str | None, all_branches: bool = False, year=None,
             plans_dir=None) -> dict:
    """One branch's KPIs across years, or one KPI across branches in one year (the JSON contract)."""
    store = PlanStore(resolve_plans_dir(plans_dir))
    fiscal_year = parse_year(year) if year is not None else None
    if require_view(branch, all_branches, kpi_id, fiscal_year) == "branches":
        return branch_ranking(store, kpi_id, fiscal_year)
    return branch_history(store, branch, kpi_id)
