"""What the site's index and KPI list show: plain data for render.site's templates, from the cached facts."""

from __future__ import annotations

from pathlib import Path

from ..labels import PROGRESS, REPORT_KINDS, SITE_INDEX_TITLE, SITE_KPI_TITLE
from ..plan import era
from ..plan.store import PlanStore
from . import site_units
from .site_units import NO_FACTS, FileFacts


def index_context(store: PlanStore, facts: dict[Path, FileFacts], units: dict, changes: dict[str, str],
                  errors: list[str]) -> dict:
    """Branches × fiscal years (title, 案/確定, 資料番号, last change in git, reports), and the 新旧対照表."""
    built = {entry["page"] for entry in units.values()}
    years = sorted({year for branch in store.branches() for year in store.years(branch)})
    branches, pairs = [], []
    for branch in store.branches():
        plans = {}
        name = branch
        for year in store.years(branch):
            fact = facts.get(store.path_for(branch, year), NO_FACTS)
            name = fact.branch_name or name
            plans[year] = _plan_cell(store, branch, year, fact, facts, built, changes)
        branches.append({"id": branch, "name": name, "plans": plans})
        for old, new in zip(store.years(branch), store.years(branch)[1:]):
            page = site_units.shinkyu_page(branch, old, new)
            if page in built:
                pairs.append({"href": page, "branch_name": name, "old_label": era.format_fiscal_year(old),
                              "new_label": era.format_fiscal_year(new)})
    return {"title": SITE_INDEX_TITLE, "errors": errors, "branches": branches, "pairs": pairs,
            "years": [{"fiscal_year": y, "label": era.format_fiscal_year(y)} for y in years]}


def _plan_cell(store: PlanStore, branch: str, year: int, fact: FileFacts, facts: dict[Path, FileFacts], built: set[str],
               changes: dict[str, str]) -> dict:
    if fact.error is not None or site_units.plan_page(branch, year) not in built:
        return {"error": fact.error or ""}
    path = store.path_for(branch, year)
    relative = f"{branch}/{path.name}"  # as git lists it, relative to the plans folder
    periods = facts.get(site_units.results_file(store, branch, year), NO_FACTS).periods
    reports = [{"href": site_units.results_page(branch, year, period),
                "label": f"{site_units.period_label(period)}（{REPORT_KINDS.get(period, PROGRESS)}）"}
               for period in periods if site_units.results_page(branch, year, period) in built]
    return {"error": None, "href": site_units.plan_page(branch, year), "title": fact.title, "status": fact.status,
            "status_label": fact.status_label, "number": fact.number,
            "changed": changes.get(relative, "")[:10], "reports": reports}


def kpi_context(store: PlanStore, facts: dict[Path, FileFacts], units: dict) -> dict:
    built = {entry["page"] for entry in units.values()}
    branches = [{"id": branch, "name": _branch_name(store, branch, facts)} for branch in store.branches()
                if site_units.kpi_page(branch) in built]
    by_kpi: dict[str, list[dict]] = {}
    for kpi_id, year in sorted(site_units.shared_kpis(store, facts)):
        page = site_units.ranking_page(kpi_id, year)
        if page in built:
            by_kpi.setdefault(kpi_id, []).append({"href": f"{kpi_id}-{year}.html",
                                                  "label": era.format_fiscal_year(year)})
    rankings = [{"id": kpi_id, "name": site_units.kpi_name(kpi_id), "years": years}
                for kpi_id, years in by_kpi.items()]
    return {"title": SITE_KPI_TITLE, "branches": branches, "rankings": rankings}


def _branch_name(store: PlanStore, branch: str, facts: dict[Path, FileFacts]) -> str:
    for year in reversed(store.years(branch)):
        name = facts.get(store.path_for(branch, year), NO_FACTS).branch_name
        if name:
            return name
    return branch
