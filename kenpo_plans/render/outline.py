"""Plans and results files as plain outlines: `show`, `textconv` and the lines `git log -p` compares."""

from __future__ import annotations

from ..labels import PERIOD_LABELS, STATUS_LABELS
from ..plan.model import Block, Item, Measure, Plan, PlanTarget
from ..results.model import Printed, ResultsFile

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


# --- results files: one fact a line, keyed by id, for `git log -p` and the git diff driver ---


def _figure(label: str, printed: Printed | None) -> str:
    if printed is None:
        return ""
    return f" {label}{printed.text}" + (f"（{printed.as_of}）" if printed.as_of else "")


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"


def results_names(plan: Plan | None) -> dict[str, str]:
    """The words a reader knows a results entry by: the plan's KPI text and measure title, by id; without the
    plan, the shared vocabulary's KPI names."""
    from ..plan.vocabulary import entries

    names = {kpi_id: name for kpi_id, name, _patterns in entries()}
    if plan is not None:
        names.update({kpi.id: kpi.text for _measure, kpi in plan.walk_kpis()})
        names.update({measure.id: f"{measure.label}{measure.title}" for measure in plan.walk_measures()})
    return {key: _short(value) for key, value in names.items()}


def results_outline(results: ResultsFile, names: dict[str, str] | None = None) -> str:
    """The results as lines `git log -p` compares: entries by the names a reader knows (``results_names``)."""
    names = names or {}
    lines = [f"実績・進捗 {results.branch} {results.fiscal_year}"]
    for report in results.reports:
        period = PERIOD_LABELS.get(report.period, report.period)
        lines.append(f"{period} {report.title}" + (f"（{report.as_of}）" if report.as_of else ""))
        for kpi in report.kpis:
            line = f"  ＫＰＩ {names.get(kpi.id, kpi.id)}:" + _figure("実績 ", kpi.actual) + _figure("全国平均 ", kpi.national_average)
            if kpi.rank:
                line += f" 順位 {kpi.rank}位"
            if kpi.rating_printed:
                line += f" 評価 {kpi.rating_printed}" + ("" if kpi.rating_basis == "computed" else f"（{kpi.rating_basis}）")
            if kpi.pending:
                line += f" {kpi.pending}"
            lines.append(line)
        for joint in report.joint_ratings:
            lines.append(f"  共通評価 {'・'.join(names.get(k, k) for k in joint.kpis)}: {joint.rating_printed}")
        for measure in report.measures:
            lines.append(f"  施策 {names.get(measure.id, measure.id)}:" + (f" 評価 {measure.rating_printed}" if measure.rating_printed else ""))
            lines += [f"    {line.marker}{line.text}" for line in measure.activities]
    return "\n".join(lines) + "\n"
