"""The catalog of a plans folder: every plan (invalid ones included, marked, so nothing is hidden) with the reports
of the results file beside it: what `list` prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _
from ..labels import STATUS_LABELS
from ..plan import era
from ..plan.files import results_path_for
from ..plan.store import PlanStore
from ..plan.validate import check_file
from ..results.validate import read_results_file


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
    """Every plan in the store, each checked as `validate` checks it."""
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
