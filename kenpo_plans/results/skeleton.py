"""The skeleton of one report of a results file: every KPI and measure of the plan by id, nothing recorded yet,
with comments saying what to fill in; and the file with it added, never over a report that holds figures."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import KenpoError
from ..i18n import _
from ..labels import PERIOD_LABELS
from ..plan import era, yamlwriter
from ..plan.reading import read_plan_text
from ..plan.store import PlanStore

RECORDED = ("actual", "pending", "rating", "rank", "activities", "commentary", "national_average")
REPORT_INDENT, ENTRY_INDENT = 4, 6  # where a report's keys and its entries stand under reports:


class ReportHasFigures(KenpoError):
    """The report asked for already holds what someone recorded."""


def _entries(rows: list[tuple[str, list[str], str]]) -> CommentedSeq:
    """One entry per (id, comment lines above it, what to fill in below it)."""
    entries = CommentedSeq()
    for index, (entry_id, above, below) in enumerate(rows):
        entry = CommentedMap([("id", entry_id)])
        yamlwriter.comment_after(entry, "id", [below], ENTRY_INDENT + 2)
        entries.append(entry)
        yamlwriter.comment_before(entries, index, above, ENTRY_INDENT)
    return entries


def _kpi_rows(plan) -> list[tuple[str, list[str], str]]:
    rows = []
    for _measure, kpi in plan.walk_kpis():
        sentence = kpi.text if len(kpi.text) <= 60 else kpi.text[:60] + "…"
        above = [sentence] + (["  積み上がる数値: 年度途中の実績は暫定として示されます（accumulates: true）。"]
                              if kpi.accumulates else [])
        rows.append((kpi.id, above, "actual: 実績を記入（例: '65.8％'、{text: '93.0%', as_of: '6月末時点'}）"))
    return rows


def _measure_rows(plan) -> list[tuple[str, list[str], str]]:
    return [(measure.id, [measure.title], "activities: 実施状況を記入（- {marker: ◆, text: …}）")
            for measure in plan.walk_measures()]


def skeleton(plan, period: str, scales: dict | None) -> CommentedMap:
    """One report (an item of reports:), with comments saying what to fill in."""
    name = plan.branch_name or plan.branch_id
    title = f"{era.format_fiscal_year(plan.fiscal_year)}{name}事業計画の" + (
        "実施結果" if period == "year" else f"進捗について（{PERIOD_LABELS[period]}）")
    report = CommentedMap([("id", period), ("period", period), ("title", title)])
    notes = ["date: 2025-07-14   # 資料の日付（任意）"]
    if scales:
        report["scales"] = scales
    elif period == "year":
        notes.append("scales: 評価の記号（Ａ・Ｂ・Ｃ など）を資料のとおりに（docs/results-format.md）")
    report["kpis"] = _entries(_kpi_rows(plan))
    report["measures"] = _entries(_measure_rows(plan))
    yamlwriter.comment_before(report, "scales" if scales else "kpis", notes, REPORT_INDENT)
    return report


def previous_scales(store: PlanStore, branch: str, year: int, period: str) -> dict | None:
    """The rating scales the branch's last results of the same period printed (documents keep their legends)."""
    for earlier in sorted((y for y in store.years(branch) if y < year), reverse=True):
        path = store.results_path(branch, earlier)
        if not path.is_file():
            continue
        try:
            data = yamlwriter.load(read_plan_text(path))
        except Exception:  # a broken earlier file is validate's business, not this command's
            continue
        for report in (data or {}).get("reports", []) or []:
            if isinstance(report, dict) and report.get("period") == period and report.get("scales"):
                return report["scales"]
    return None


def _has_figures(report) -> bool:
    for key in ("kpis", "measures", "joint_ratings"):
        for entry in report.get(key) or []:
            if key == "joint_ratings" or any(field in entry for field in RECORDED):
                return True
    return bool(report.get("commentary"))


def with_report(path: Path, period: str, fresh: CommentedMap) -> str:
    """The file with the skeleton appended, or replacing a still empty report of the same period."""
    data = yamlwriter.load(read_plan_text(path))
    reports = data.get("reports") if isinstance(data, dict) else None
    if reports is None:
        raise KenpoError(_("{path} has no reports: list; correct it (kenpo-plans validate says how) and run "
                           "new-report again.").format(path=path))
    for index, report in enumerate(reports):
        if isinstance(report, dict) and (report.get("period") == period or report.get("id") == period):
            if _has_figures(report):
                raise ReportHasFigures(_("{path} already has a {period} report with figures in it; it was not "
                                         "changed. Fill that report in, or remove it first to start again.")
                                       .format(path=path, period=period))
            reports[index] = fresh
            break
    else:
        reports.append(fresh)
    return yamlwriter.dump(data)
