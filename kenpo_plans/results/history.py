"""Plans and results of many years and branches → the two views, as JSON-ready plain data.

A KPI is the same KPI across years and branches by its stable id (docs/kpi-ids.md).  Every figure
comes from a plan or a results file; nothing is interpolated.  A year whose plan marks the KPI
``definition_changed`` starts a new segment, so a chart never joins figures that mean different things.
"""

from __future__ import annotations

from ..errors import KenpoError, PlanNotFound, UsageError
from ..i18n import _, listing
from ..labels import PERIOD_LABELS
from ..plan.era import format_fiscal_year
from ..plan.model import Plan
from ..plan.store import PlanStore
from ..plan.loader import load_plan
from ..plan.vocabulary import name_of
from .evaluate import evaluate
from .model import ResultsFile
from .validate import results_beside

NATIONAL = "national"  # the association-wide plan's branch id
# Figures of different periods are ranked apart, the year's results first, then the latest interim figures.
PERIOD_ORDER = ("year", "q3", "h1", "q2", "q1")


def year_rows(store: PlanStore, branch: str, year: int, previous: ResultsFile | None = None):
    """(plan, results, {kpi_id: evaluated row}, report) of one branch-year; rows empty without results."""
    path = store.path_for(branch, year)
    plan, _warnings = load_plan(path)
    results = results_beside(path, plan)
    if results is None:
        evaluated_rows = {}
        report = None
    else:
        report = results.final() or results.latest()
        evaluated_rows = {row["id"]: row for row in evaluate(plan, results, report, previous)["kpis"]}
    return plan, results, evaluated_rows, report


def _target_as_written(kpi) -> str | None:
    """The target as the document prints it in its own column (68.2％以上); None when it is in the sentence."""
    return None if kpi.target_unknown else kpi.target_text


def branch_history(store: PlanStore, branch: str, kpi_id: str | None = None) -> dict:
    """Every KPI of one branch (or the one named) in every fiscal year with a plan or a result."""
    years = store.years(branch)
    if not years:
        store.path_for(branch, 0)  # raises the did-you-mean message for an unknown branch
    series: dict[str, dict] = {}
    order: list[str] = []
    previous: ResultsFile | None = None
    branch_name = branch
    for year in years:
        plan, results, rows, report = year_rows(store, branch, year, previous)
        branch_name = plan.branch_name
        for measure, kpi in plan.walk_kpis():
            if kpi_id and kpi.id != kpi_id:
                continue
            if kpi.id not in series:
                series[kpi.id] = {"id": kpi.id, "shared_name": name_of(kpi.id), "years": []}
                order.append(kpi.id)
            row = rows.get(kpi.id)
            entry = series[kpi.id]
            entry.update(label=kpi.label, text=kpi.text, measure=measure.title)
            entry["years"].append(_year_entry(plan, kpi, row, report))
        previous = results
    if kpi_id and kpi_id not in series:
        known = sorted({k.id for y in years for _, k in load_plan(store.path_for(branch, y))[0].walk_kpis()})
        import difflib

        close = difflib.get_close_matches(kpi_id, known, n=1)
        hint = _(" Did you mean '{choice}'?").format(choice=close[0]) if close else ""
        listed = listing(known[:12]) + (" …" if len(known) > 12 else "")
        raise PlanNotFound(_("{branch} has no KPI '{kpi}' in any year.{hint} KPIs: {listed}").format(
            branch=branch, kpi=kpi_id, hint=hint, listed=listed))
    kpis = [_with_segments(series[key]) for key in order]
    return {"view": "branch", "branch": {"id": branch, "name": branch_name},
            "years": [{"fiscal_year": y, "label": format_fiscal_year(y)} for y in years], "kpis": kpis}


def _year_entry(plan: Plan, kpi, row: dict | None, report) -> dict:
    target = None if kpi.target_unknown else kpi.target
    return {
        "fiscal_year": plan.fiscal_year,
        "fiscal_year_label": plan.year_label,
        "text": kpi.text,
        "target_text": _target_as_written(kpi),
        "target_unknown": kpi.target_unknown,
        "target": target.to_dict() if target else None,
        "direction": kpi.direction,
        "definition_changed": kpi.definition_changed,
        "period": report.period if row and report else None,
        "period_label": PERIOD_LABELS[report.period] if row and report else None,
        "interim": report.period != "year" if row and report else None,
        "actual": row["actual"] if row else None,
        "national_average": row["national_average"] if row else None,
        "rank": row["rank"] if row else None,
        "rating": row["rating_printed"] if row else None,
        "achieved": row["achieved"] if row else None,
        "achieved_basis": row["achieved_basis"] if row else None,
        "achieved_reason": row["achieved_reason"] if row else None,
        "threshold": row["comparison"]["threshold"] if row else None,
    }


def _with_segments(series: dict) -> dict:
    """Number the stretches between definition changes: figures of different segments are never joined."""
    segment = 0
    for index, entry in enumerate(series["years"]):
        if index and entry["definition_changed"]:
            segment += 1
        entry["segment"] = segment
    return series


def branch_ranking(store: PlanStore, kpi_id: str, fiscal_year: int) -> dict:
    """One KPI in one fiscal year across every branch with a plan or results for it, national apart."""
    rows = []
    national = None
    name = name_of(kpi_id)
    for branch in store.branches():
        if fiscal_year not in store.years(branch):
            continue
        previous = _previous_results(store, branch, fiscal_year)
        plan, results, evaluated, report = year_rows(store, branch, fiscal_year, previous)
        found = next((k for _, k in plan.walk_kpis() if k.id == kpi_id), None)
        if found is None:
            continue
        name = name or found.text
        row = evaluated.get(kpi_id)
        entry = {"branch": {"id": branch, "name": plan.branch_name}, **_year_entry(plan, found, row, report)}
        if branch == NATIONAL:
            national = entry
        else:
            rows.append(entry)
    if not rows and national is None:
        raise PlanNotFound(_("no branch has KPI '{kpi}' in fiscal year {fiscal_year} ({year_label}).").format(
            kpi=kpi_id, fiscal_year=fiscal_year, year_label=format_fiscal_year(fiscal_year)))
    rows.sort(key=lambda entry: (_group_index(entry), _ranking_key(entry)))
    return {"view": "branches", "kpi": {"id": kpi_id, "name": name}, "fiscal_year": fiscal_year,
            "fiscal_year_label": format_fiscal_year(fiscal_year), "rows": rows, "national": national,
            "periods": _number_within_periods(rows)}


def _ranked_period(entry: dict) -> str | None:
    """The period a row is ranked within: its report's, when it has a figure or a rank to rank by."""
    has_figure = (entry["actual"] or {}).get("value") is not None or entry["rank"] is not None
    return entry["period"] if has_figure else None


def _group_index(entry: dict) -> int:
    period = _ranked_period(entry)
    return PERIOD_ORDER.index(period) if period in PERIOD_ORDER else len(PERIOD_ORDER)


def _number_within_periods(rows: list[dict]) -> list[dict]:
    """Give each sorted row its place among the rows of the same period; one entry per period ranked."""
    periods: dict[str, dict] = {}
    for entry in rows:
        period = _ranked_period(entry)
        entry["ranked_among"] = period
        if period is None:
            entry["order"] = None
            continue
        group = periods.setdefault(period, {"period": period, "label": PERIOD_LABELS[period],
                                            "interim": period != "year", "rows": 0})
        group["rows"] += 1
        entry["order"] = group["rows"]
    return list(periods.values())


def _previous_results(store: PlanStore, branch: str, fiscal_year: int) -> ResultsFile | None:
    if fiscal_year - 1 not in store.years(branch):
        return None
    try:
        return year_rows(store, branch, fiscal_year - 1)[1]
    except KenpoError:  # last year is only a basis here; its own errors show in validate
        return None


def _ranking_key(entry: dict):
    """By 全国順位 where printed, else by the actual (higher first, or lower for a 以下 target), no data last."""
    actual = (entry["actual"] or {}).get("value")
    lower_better = (entry["target"] or {}).get("relation") in ("le", "lt") or entry["direction"] == "lower"
    if entry["rank"] is not None:
        return (0, entry["rank"], "")
    if actual is not None:
        return (1, actual if lower_better else -actual, entry["branch"]["id"])
    return (2, 0, entry["branch"]["id"])


def require_view(branch: str | None, all_branches: bool, kpi_id: str | None, year: int | None) -> str:
    if all_branches:
        if branch:
            raise UsageError(_("--all-branches compares branches; leave out --branch."))
        if not kpi_id or year is None:
            raise UsageError(_("comparing branches needs a KPI and a year: kenpo-plans kpi seikatsu-kenshin-ritsu "
                               "--all-branches --year 2024"))
        return "branches"
    if not branch:
        raise UsageError(_("which branch? kenpo-plans kpi --branch kumamoto [KPI_ID], or compare branches with "
                           "kenpo-plans kpi KPI_ID --all-branches --year 2024"))
    return "branch"
