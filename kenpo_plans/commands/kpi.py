"""`kenpo-plans kpi`: one branch's KPIs across the years, or one KPI across the branches in one year.

The view is plain data (the JSON contract, schemas/kpi.schema.json) collected from plans and results
files; text, HTML, PDF, SVG, PNG and Excel are drawn from it.
"""

from __future__ import annotations

import json

from ..errors import UsageError
from ..i18n import _
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..render.fonts import choose_font, japanese_families
from ..results.history import branch_history, branch_ranking, require_view
from .outputs import Outcome, OutputRequest, deliver, file_name


def run(kpi_id: str | None, branch: str | None, all_branches: bool, year, plans_dir,
        request: OutputRequest) -> Outcome:
    """The whole command: the view collected, then printed or drawn."""
    return write_kpi(kpi_view(kpi_id, branch, all_branches, year, plans_dir), request)


def kpi_view(kpi_id: str | None, branch: str | None, all_branches: bool = False, year=None,
             plans_dir=None) -> dict:
    """One branch's KPIs across years, or one KPI across branches in one year (the JSON contract)."""
    store = PlanStore(resolve_plans_dir(plans_dir))
    fiscal_year = parse_year(year) if year is not None else None
    if require_view(branch, all_branches, kpi_id, fiscal_year) == "branches":
        return branch_ranking(store, kpi_id, fiscal_year)
    return branch_history(store, branch, kpi_id)


def default_kpi_name(view: dict, fmt: str) -> str:
    if view["view"] == "branch":
        only = f"_{view['kpis'][0]['id']}" if len(view["kpis"]) == 1 else ""
        return file_name(f"{view['branch']['id']}{only}_kpi", fmt)
    return file_name(f"{view['kpi']['id']}_{view['fiscal_year']}_branches", fmt)


def write_kpi(view: dict, request: OutputRequest) -> Outcome:
    """text/json to the terminal; html, pdf, svg and png to a file (atomically)."""
    from ..render import kpi as history

    if request.fmt == "json":
        data: str | bytes = json.dumps(view, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    elif request.fmt == "text":
        data = history.to_text(view)
    elif request.fmt == "xlsx":
        from ..render.office.kpi_office import kpi_workbook

        data = kpi_workbook(view)
    else:
        font = choose_font(request.font)
        if request.fmt in ("svg", "png"):
            if view["view"] == "branch" and len(view["kpis"]) != 1:
                raise UsageError(_("--format {format} draws one chart: name one KPI, e.g. kenpo-plans kpi "
                                   "{kpi} --branch {branch} -f {format}.").format(
                                       format=request.fmt, kpi=view["kpis"][0]["id"] if view["kpis"] else "KPI_ID",
                                       branch=view["branch"]["id"]))
            data = history.render_chart(view, request.fmt, _gothic(font))
        else:
            data = history.render_document(view, request.fmt, font, request.template_dir)
    return deliver(data, request, default_kpi_name(view, request.fmt))


def _gothic(font: str) -> str:
    """Charts read best in Gothic where it is installed."""
    return next((f for f in ("IPAexGothic", "Noto Sans CJK JP", "IPAGothic") if f in japanese_families()), font)
