"""A results file as plain lines, one fact a line, for `git log -p` and the git diff driver.

Keyed by id, so a diff of two outlines shows which KPI's actual or rating changed.
"""

from __future__ import annotations

from .model import Printed, ResultsFile


def _figure(label: str, printed: Printed | None) -> str:
    if printed is None:
        return ""
    return f" {label}{printed.text}" + (f"（{printed.as_of}）" if printed.as_of else "")


def results_outline(results: ResultsFile) -> str:
    lines = [f"実績・進捗 {results.branch} {results.fiscal_year}"]
    for report in results.reports:
        lines.append(f"[{report.id}] {report.period} {report.title}" + (f"（{report.as_of}）" if report.as_of else ""))
        for kpi in report.kpis:
            line = f"  ＫＰＩ {kpi.id}:" + _figure("実績 ", kpi.actual) + _figure("全国平均 ", kpi.national_average)
            if kpi.rank:
                line += f" 順位 {kpi.rank}位"
            if kpi.rating_printed:
                line += f" 評価 {kpi.rating_printed}" + ("" if kpi.rating_basis == "computed" else f"（{kpi.rating_basis}）")
            if kpi.pending:
                line += f" {kpi.pending}"
            lines.append(line)
        for joint in report.joint_ratings:
            lines.append(f"  共通評価 {'・'.join(joint.kpis)}: {joint.rating_printed}")
        for measure in report.measures:
            lines.append(f"  施策 {measure.id}:" + (f" 評価 {measure.rating_printed}" if measure.rating_printed else ""))
            lines += [f"    {line.marker}{line.text}" for line in measure.activities]
    return "\n".join(lines) + "\n"
