"""Plans as text for the terminal: the outline of one plan and the catalogue of all."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import era
from .i18n import _
from .model import STATUS_LABELS, Block, Item, Measure, Plan, PlanTarget
from .store import PlanStore
from .validate import check_file

INDENT = "  "


def plan_heading(plan: Plan) -> str:
    draft = "（案）" if plan.is_draft else ""
    number = f"  {plan.document.number}" if plan.document.number else ""
    return f"{plan.title}{draft}{number}"


def outline(plan: Plan, show_ids: bool = True) -> str:
    """The plan as an indented outline, in document order, KPI targets shown as read."""
    lines = [plan_heading(plan),
             f"{plan.branch_id} / {plan.fiscal_year} ({plan.year_label}) / {STATUS_LABELS.get(plan.status, plan.status)}",
             ""]
    for section in plan.sections:
        lines.append(f"{section.label}{section.title}" + (f"  [{section.id}]" if show_ids else ""))
        for block in section.blocks:
            lines += _block_lines(block, 1)
        for measure in section.measures:
            lines += _measure_lines(measure, 1, show_ids)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _measure_lines(measure: Measure, depth: int, show_ids: bool) -> list[str]:
    pad = INDENT * depth
    goals = f"〈{'、'.join(measure.goals)}〉" if measure.goals else ""
    groups = f"【{'・'.join(measure.groups)}】" if measure.groups else ""
    ident = f"  [{measure.id}]" if show_ids else ""
    lines = [f"{pad}{measure.label}{measure.title}{goals}{groups}{ident}"]
    for target in measure.targets:
        lines += _target_lines(target, depth + 1)
    for block in measure.blocks:
        lines += _block_lines(block, depth + 1)
    for child in measure.measures:
        lines += _measure_lines(child, depth + 1, show_ids)
    if measure.kpis:
        lines.append(f"{INDENT * (depth + 1)}《ＫＰＩ》")
    for kpi in measure.kpis:
        target = kpi.target
        shown = f"  → {target.describe_ja()}" if target else ("  → (定性)" if kpi.qualitative else "  → (目標値なし)")
        lines.append(f"{INDENT * (depth + 2)}{kpi.text}{shown}" + (f"  [{kpi.id}]" if show_ids else ""))
        lines += [f"{INDENT * (depth + 3)}{note}" for note in kpi.notes]
    return lines


def _block_lines(block: Block, depth: int) -> list[str]:
    lines = [f"{INDENT * depth}{block.heading}"] if block.heading else []
    inner = depth + 1 if block.heading else depth
    for item in block.items:
        lines += _item_lines(item, inner)
    return lines


def _item_lines(item: Item, depth: int) -> list[str]:
    marker = f"{item.marker} " if item.marker else ""
    lines = [f"{INDENT * depth}{marker}{item.text}"]
    for child in item.items:
        lines += _item_lines(child, depth + 1)
    for block in item.blocks:
        lines += _block_lines(block, depth + 1)
    return lines


def _target_lines(target: PlanTarget, depth: int) -> list[str]:
    marker = f"{target.marker} " if target.marker else ""
    lines = [f"{INDENT * depth}{marker}{target.text}"]
    for child in target.breakdown:
        lines += _target_lines(child, depth + 1)
    return lines


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


PERIOD_WORDS = {"q1": "第1四半期", "q2": "第2四半期", "q3": "第3四半期", "h1": "上期", "year": "年度実績"}


def catalog(store: PlanStore) -> list[CatalogRow]:
    """Every plan in the store, invalid ones included (marked), so nothing is hidden."""
    from .results.loader import results_path_for
    from .results.validate import read_results_file

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
            line += "  実績: " + _("(invalid: run kenpo-plans validate)")
        elif row.reports:
            line += "  実績: " + "・".join(PERIOD_WORDS.get(p, p) for p in row.reports)
        lines.append(line)
    return "\n".join(lines) + "\n"
