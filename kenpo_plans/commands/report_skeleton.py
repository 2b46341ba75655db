"""`kenpo-plans new-report`: the skeleton of one report in <FY>.results.yaml, to fill in.

The skeleton lists every KPI and measure of the plan by id, with nothing recorded yet; `validate` then
says what is still to fill.  A report that already holds figures is never replaced.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import KenpoError, ValidationFailed
from ..fileio import write_atomic
from ..i18n import _
from ..labels import PERIOD_LABELS
from ..plan import era
from ..plan.loader import parse_yaml, read_plan_text
from ..plan.rollforward import _yaml
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..plan.validate import load_plan
from ..results.validate import check_results

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/results-file.schema.json\n"
RECORDED = ("actual", "pending", "rating", "rank", "activities", "commentary", "national_average")


class ReportHasFigures(KenpoError):
    """The report asked for already holds what someone recorded."""


def _kpi_lines(plan) -> list[str]:
    lines = []
    for measure, kpi in plan.walk_kpis():
        sentence = kpi.text if len(kpi.text) <= 60 else kpi.text[:60] + "…"
        lines.append(f"      # {sentence}\n")
        if kpi.accumulates:
            lines.append("      #   積み上がる数値: 年度途中の実績は暫定として示されます（accumulates: true）。\n")
        lines.append(f"      - id: {kpi.id}\n")
        lines.append("        # actual: 実績を記入（例: '65.8％'、{text: '93.0%', as_of: '6月末時点'}）\n")
    return lines


def _measure_lines(plan) -> list[str]:
    lines = []
    for measure in plan.walk_measures():
        lines.append(f"      # {measure.title}\n")
        lines.append(f"      - id: {measure.id}\n")
        lines.append("        # activities: 実施状況を記入（- {marker: ◆, text: …}）\n")
    return lines


def skeleton_text(plan, period: str, scales: dict | None) -> str:
    """One report as YAML text (a list item under reports:), with comments saying what to fill in."""
    name = plan.branch_name or plan.branch_id
    title = f"{era.format_fiscal_year(plan.fiscal_year)}{name}事業計画の" + (
        "実施結果" if period == "year" else f"進捗について（{PERIOD_LABELS[period]}）")
    lines = [f"  - id: {period}\n", f"    period: {period}\n", f"    title: {title}\n",
             "    # date: 2025-07-14   # 資料の日付（任意）\n"]
    if scales:
        out = io.StringIO()
        yaml = _yaml()
        yaml.dump({"scales": scales}, out)
        lines += ["    " + line + "\n" for line in out.getvalue().splitlines()]
    elif period == "year":
        lines.append("    # scales: 評価の記号（Ａ・Ｂ・Ｃ など）を資料のとおりに（docs/results-format.md）\n")
    kpis, measures = _kpi_lines(plan), _measure_lines(plan)
    lines += ["    kpis:\n" if kpis else "    kpis: []\n", *kpis,
              "    measures:\n" if measures else "    measures: []\n", *measures]
    return "".join(lines)


def _previous_scales(store: PlanStore, branch: str, year: int, period: str) -> dict | None:
    """The rating scales the branch's last results of the same period printed (documents keep their legends)."""
    yaml = _yaml()
    for earlier in sorted((y for y in store.years(branch) if y < year), reverse=True):
        path = store.results_path(branch, earlier)
        if not path.is_file():
            continue
        try:
            data = yaml.load(read_plan_text(path))
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


def new_report(year, branch: str, period: str, plans_dir=None) -> str:
    """Add (or refresh, while still empty) the ``period`` report of <year>.results.yaml; returns what was done."""
    store = PlanStore(resolve_plans_dir(plans_dir))
    fiscal_year = parse_year(year)
    plan_path = store.path_for(branch, fiscal_year)
    plan, _warnings = load_plan(plan_path)
    path = store.results_path(branch, fiscal_year)
    skeleton = skeleton_text(plan, period, _previous_scales(store, branch, fiscal_year, period))
    if path.exists():
        text, action = _merged(path, period, skeleton), _("added the {period} report to {path}")
    else:
        text = SCHEMA_LINE + f"branch: {branch}\nfiscal_year: {fiscal_year}\nreports:\n" + skeleton
        action = _("created {path} with the {period} report")
    _results, problems = check_results(parse_yaml(text, str(path)), lambda: plan)
    if any(p.severity == "error" for p in problems):
        raise ValidationFailed(problems)
    write_atomic(path, text, plan=True, hint=_("check that the plans folder is writable"))
    lines = [action.format(period=period, path=path)] + [str(p) for p in problems]
    lines.append(_("next: fill in the figures in {path}, then run kenpo-plans validate").format(path=path))
    return "\n".join(lines) + "\n"


def _merged(path: Path, period: str, skeleton: str) -> str:
    """The file with the skeleton appended, or replacing a still empty report of the same period."""
    yaml = _yaml()
    data = yaml.load(read_plan_text(path))
    reports = data.get("reports") if isinstance(data, dict) else None
    if reports is None:
        raise KenpoError(_("{path} has no reports: list; correct it (kenpo-plans validate says how) and run "
                           "new-report again.").format(path=path))
    fresh = yaml.load("reports:\n" + skeleton)["reports"][0]
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
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
