"""The results file an Excel sheet's rows go into: the sheet's KPI entries as the report of one period, the other
reports and every comment of the file kept, and the text checked exactly as `validate` checks a results file."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Problem
from ..labels import PERIOD_LABELS
from ..plan import yamlwriter
from ..results.validate import check_results_file
from .results_xlsx import scale_for


def merged_text(existing: str | None, branch: str, year: int, period: str, title: str, kpis: list[dict],
                ratings: list[str]) -> str:
    """The results file with the sheet's KPI entries as the ``period`` report (added, or replacing that report's
    entries while its title, scales and commentary stay); a new file when there is none yet."""
    data = yamlwriter.load(existing) if existing else None
    if not isinstance(data, dict):
        data = CommentedMap([("branch", branch), ("fiscal_year", year), ("reports", CommentedSeq())])
    reports = data.setdefault("reports", CommentedSeq())
    report = next((r for r in reports if r.get("period") == period), None)
    known_scale = next((r["scales"]["kpi"] for r in reports if r.get("scales", {}).get("kpi")), None)
    if report is None:
        report = CommentedMap([("id", f"xlsx-{period}"), ("period", period), ("title", title)])
        reports.append(report)
    scale = scale_for(ratings, (report.get("scales") or {}).get("kpi") or known_scale)
    if scale is not None and not (report.get("scales") or {}).get("kpi"):
        report.setdefault("scales", CommentedMap())["kpi"] = scale
    if ratings and scale is None:
        for entry in kpis:
            entry.pop("rating", None)  # an unknown mark without a legend would not validate
    report["kpis"] = CommentedSeq(yamlwriter.flow(entry) for entry in kpis)
    return yamlwriter.dump(data, None if existing else yamlwriter.RESULTS_SCHEMA)


def problems_in(text: str, branch: str, year: int, plan, target: Path) -> list[Problem]:
    """The results text checked exactly as `validate` checks a results file (read limits included), each problem
    placed in the file it will be, never in the scratch copy."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / branch / f"{year}.results.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        _results, problems = check_results_file(path, lambda _p: (plan, True))
    return [replace(p, file=str(target)) if p.file and Path(p.file) == path else p for p in problems]


def periods_in(existing: str | None) -> list[str]:
    data = yamlwriter.load(existing) if existing else None
    reports = data.get("reports") if isinstance(data, dict) else None
    return [str(r.get("period")) for r in reports or [] if isinstance(r, dict)]


def report_title(plan, period: str, sheet: str) -> str:
    """令和6年度 第2四半期（R6実績）; the sheet's name only where it adds to the period's words."""
    label = PERIOD_LABELS[period]
    return f"{plan.year_label} {label}" if label in sheet or sheet.startswith("Sheet") \
        else f"{plan.year_label} {label}（{sheet}）"
