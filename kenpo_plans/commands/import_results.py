"""`kenpo-plans import results.xlsx --branch B --year FY --period q1`: an Excel sheet into the results file.

The sheet's rows become the KPI entries of the report for that period: a report already there keeps its
title, scales and commentary and takes the sheet's figures; a new report is added otherwise.  The file
is checked against the plan before it is written (in a scratch folder), and the rows that matched no
KPI are listed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import UsageError
from ..fileio import write_atomic
from ..i18n import _
from ..importing.results_xlsx import scale_for, sheet_results
from ..labels import PERIOD_LABELS
from ..plan import yamlwriter
from ..plan.store import PlanStore, resolve_plans_dir
from ..results.validate import check_results_file
from .outputs import Outcome


def merged_text(existing: str | None, branch: str, year: int, period: str, title: str, kpis: list[dict],
                ratings: list[str]) -> str:
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


def _problems(text: str, branch: str, year: int, plan) -> list:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / branch / f"{year}.results.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        _results, problems = check_results_file(path, lambda _p: (plan, True))
    return problems


def import_results_sheet(file: Path, branch: str, year: int | None, period: str | None, output: Path | None,
                         dry_run: bool, plans_dir, force: bool) -> Outcome:
    if year is None or period is None:
        raise UsageError(_("an Excel results sheet needs --year and --period (year, q1, q2, q3 or h1), e.g. "
                           "kenpo-plans import results.xlsx -b kumamoto -y 2024 --period year."))
    store = PlanStore(resolve_plans_dir(plans_dir))
    plan = store.load(branch, year)
    found = sheet_results(Path(file), plan)
    target = Path(output) if output else store.results_path(branch, year)
    existing = target.read_text(encoding="utf-8") if target.is_file() else None
    title = f"{plan.year_label} {PERIOD_LABELS[period]}（{found.sheet}）"
    text = merged_text(existing, branch, year, period, title, found.kpis, found.ratings)
    problems = _problems(text, branch, year, plan)
    lines = [_("{file}: {count} KPI row(s) read into the {period} report of {target}.").format(
        file=Path(file).name, count=len(found.kpis), period=period, target=target)]
    if found.unmatched:
        lines.append(_("{count} row(s) match no KPI of the plan (give the KPI's id or its wording):").format(
            count=len(found.unmatched)))
        lines += ["  " + _("row {row}: {what}").format(row=row, what=what) for row, what in found.unmatched]
    lines += [str(problem) for problem in problems]
    summary = "\n".join(lines) + "\n"
    if dry_run:
        return Outcome(stdout=text + "".join("# " + line + "\n" for line in summary.splitlines()))
    if existing is not None and not force:
        raise UsageError(_("{path} already exists; give --force to put the sheet's figures into it "
                           "(the old file is kept as a backup), or -o another file.").format(path=target))
    if existing is not None:
        write_atomic(target.with_name(target.name + ".bak"), existing)
    outcome = Outcome(stdout=summary)
    outcome.written.append(write_atomic(target, text, plan=True))
    if any(p.severity == "error" for p in problems):
        outcome.failures.append((str(target), _("the results do not validate")))
    return outcome
