"""Validation of results files, to the plans' standard: every problem, each with file:line:col.

Layers: the file must read and parse, the tree must match
``schemas/results.schema.json``, and then the results must fit their plan
(every id the plan's, every rating on its report's scale, one rating per
KPI).  A rating that disagrees with the computed achievement is a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..errors import EmptyFile, PlanReadError, Problem, ValidationFailed
from ..i18n import _, listing
from ..labels import ACHIEVED
from ..plan.files import RESULTS_SUFFIX, plan_file, plan_path_for, results_path_for
from ..plan.reading import RawPlan, parse_yaml, read_plan_text
from ..plan.model import Location, Plan
from ..plan.schema import did_you_mean, schema_problems
from ..plan.targets import RELATION_SYMBOLS
from .evaluate import evaluate, rated_ids
from .loader import build_results
from .model import Report, ResultsFile, Scale

RESULTS_SCHEMA = "results-file.schema.json"
_problem = Problem.at


def _suggest(word: str, choices: Iterable[str]) -> str:
    return did_you_mean(word, sorted(choices))  # ids come in sets: sorted, so the hint is the same every run


def parse_results(path: Path, encoding: str | None = None) -> RawPlan:
    text = read_plan_text(path, encoding)
    try:
        return parse_yaml(text, str(path))
    except EmptyFile as exc:
        raise EmptyFile(_("the file is empty. A results file starts with branch:, fiscal_year:, reports:."),
                        str(path)) from exc


def check_results(raw: RawPlan, plan_for: Callable[[], Plan | None],
                  previous_for: Callable[[], ResultsFile | None] = lambda: None) -> tuple[ResultsFile | None,
                                                                                           list[Problem]]:
    """Schema, then the fit with the plan. ``plan_for`` returns the valid plan or None (already reported)."""
    from ..plan.validate import unsafe_text_problems

    problems = unsafe_text_problems(raw) + schema_problems(raw, RESULTS_SCHEMA)
    if any(p.severity == "error" for p in problems):
        return None, problems
    results, value_problems = build_results(raw)
    problems += value_problems
    problems += _path_problems(results)
    plan = plan_for()
    if plan is None:
        return results, problems
    problems += _plan_fit_problems(results, plan)
    if not any(p.severity == "error" for p in problems):
        previous = previous_for()
        for report in results.reports:
            problems += _disagreements(plan, results, report, previous)
    return results, problems


def _path_problems(results: ResultsFile) -> list[Problem]:
    if not results.source:
        return []
    path = Path(results.source)
    problems = []
    stem = next((path.name[: -len(s)] for s in (".results.yaml", ".results.yml") if path.name.endswith(s)), path.stem)
    if stem.isdigit() and int(stem) != results.fiscal_year:
        problems.append(_problem(results.loc, "fiscal_year",
                                 _("fiscal_year is {fiscal_year} but the file is named {name}; rename "
                                   "the file to {expected} or correct fiscal_year.").format(
                                     fiscal_year=results.fiscal_year, name=path.name,
                                     expected=f"{results.fiscal_year}{RESULTS_SUFFIX}")))
    parent = path.parent.name
    if parent and parent != results.branch and path.parent.parent.name == "plans":
        problems.append(_problem(results.loc, "branch",
                                 _("branch is '{branch}' but the file is in plans/{folder}/; "
                                   "move the file or correct branch.").format(branch=results.branch, folder=parent)))
    return problems


def _plan_fit_problems(results: ResultsFile, plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    if plan.branch_id != results.branch or plan.fiscal_year != results.fiscal_year:
        problems.append(_problem(results.loc, "branch",
                                 _("these results are for {branch} {fiscal_year} but the plan beside "
                                   "them is {plan_branch} {plan_year}; correct branch: or fiscal_year:.").format(
                                     branch=results.branch, fiscal_year=results.fiscal_year,
                                     plan_branch=plan.branch_id, plan_year=plan.fiscal_year)))
    seen: dict[str, Location | None] = {}
    for index, report in enumerate(results.reports):
        where = f"reports[{index}]"
        if report.id in seen:
            problems.append(_problem(report.loc, f"{where}.id",
                                     _("duplicate report id '{report}' (first at line {line}); "
                                       "give each report its own id.").format(report=report.id,
                                                                               line=seen[report.id].line)))
        seen.setdefault(report.id, report.loc)
        problems += _report_problems(report, plan, where)
    return problems


def _report_problems(report: Report, plan: Plan, where: str) -> list[Problem]:
    problems: list[Problem] = []
    kpi_ids = {kpi.id for _, kpi in plan.walk_kpis()}
    rated = {}
    for i, result in enumerate(report.kpis):
        path = f"{where}.kpis[{i}]"
        if result.id not in kpi_ids:
            problems.append(_problem(result.loc, f"{path}.id",
                                     _("the plan {plan} has no KPI '{kpi}'.{hint} "
                                       "Results name the plan's KPI ids (kenpo-plans show YEAR --branch B lists "
                                       "them).").format(plan=plan.source or "", kpi=result.id,
                                                        hint=_suggest(result.id, kpi_ids))))
        if result.id in rated:
            problems.append(_problem(result.loc, f"{path}.id",
                                     _("KPI '{kpi}' is listed twice in report '{report}' (first at line "
                                       "{line}); merge the two entries.").format(kpi=result.id, report=report.id,
                                                                                 line=rated[result.id].line)))
        rated.setdefault(result.id, result.loc)
        if result.rating is not None:
            problems += _rating_problems(report.kpi_scale, result.rating_printed, result.rating_loc, path,
                                         report)
    joined: dict[str, int] = {}
    for i, joint in enumerate(report.joint_ratings):
        path = f"{where}.joint_ratings[{i}]"
        for kpi_id in joint.kpis:
            if kpi_id not in kpi_ids:
                problems.append(_problem(joint.loc, path, _("the plan has no KPI '{kpi}'.{hint}").format(
                    kpi=kpi_id, hint=_suggest(kpi_id, kpi_ids))))
            own = report.kpi(kpi_id)
            if own is not None and own.rating is not None:
                problems.append(_problem(joint.loc, path,
                                         _("KPI '{kpi}' has its own rating (line {line}) "
                                           "and a joint rating; a KPI is rated once — remove one of them.").format(
                                             kpi=kpi_id, line=own.loc.line if own.loc else "?")))
            if kpi_id in joined:
                problems.append(_problem(joint.loc, path, _("KPI '{kpi}' is in two joint ratings "
                                                            "(joint_ratings[{index}] too); keep one.").format(
                    kpi=kpi_id, index=joined[kpi_id])))
            joined.setdefault(kpi_id, i)
        problems += _rating_problems(report.kpi_scale, joint.rating_printed, joint.rating_loc, path, report)
    problems += _measure_problems(report, plan, where, kpi_ids)
    problems += _unfilled_problems(report, where)
    return problems


def _unfilled_problems(report: Report, where: str) -> list[Problem]:
    """Entries with nothing but their id (a skeleton `new-report` wrote): one warning a kind, naming what to fill."""
    problems = []
    kpis = [k.id for k in report.kpis if k.actual is None and k.pending is None and k.rating is None
            and k.rank is None and not k.commentary]
    if kpis:
        problems.append(_problem(report.loc, f"{where}.kpis",
                                 _("report '{report}': {count} KPI(s) have no figure yet ({ids}); fill in actual: "
                                   "(or pending: when the figure comes later).").format(
                                     report=report.id, count=len(kpis), ids=listing(kpis, most=5)), "warning"))
    measures = [m.id for m in report.measures if m.rating is None and not m.activities and not m.notes]
    if measures:
        problems.append(_problem(report.loc, f"{where}.measures",
                                 _("report '{report}': {count} measure(s) have no activities or rating yet ({ids}); "
                                   "fill in activities: (what was done) or rating:.").format(
                                     report=report.id, count=len(measures), ids=listing(measures, most=5)),
                                 "warning"))
    return problems


def _unknown_item(loc: Location | None, path: str, item_id: str, known: set[str]) -> Problem:
    return _problem(loc, path, _("the plan has no measure or item with id '{id}'.{hint} "
                                 "Give the plan's item an id:, or name its measure.").format(
                                     id=item_id, hint=_suggest(item_id, known)))


def _measure_problems(report: Report, plan: Plan, where: str, kpi_ids: set[str]) -> list[Problem]:
    problems = []
    known = rated_ids(plan)
    seen: dict[str, Location | None] = {}
    for i, entry in enumerate(report.measures):
        path = f"{where}.measures[{i}]"
        if entry.id not in known:
            problems.append(_unknown_item(entry.loc, f"{path}.id", entry.id, known))
        if entry.id in seen:
            problems.append(_problem(entry.loc, f"{path}.id",
                                     _("'{id}' is listed twice in report '{report}' (first at line "
                                       "{line}); merge the two entries.").format(
                                         id=entry.id, report=report.id,
                                         line=seen[entry.id].line if seen[entry.id] else "?")))
        seen.setdefault(entry.id, entry.loc)
        for kpi_id in entry.kpis:
            if kpi_id not in kpi_ids:
                problems.append(_problem(entry.loc, f"{path}.kpis",
                                         _("the plan has no KPI '{kpi}'.{hint}").format(
                                             kpi=kpi_id, hint=_suggest(kpi_id, kpi_ids))))
        problems += [_unknown_item(entry.loc, f"{path}.spans", item_id, known) for item_id in entry.spans
                     if item_id not in known]
        if entry.rating is not None:
            problems += _rating_problems(report.scale_for_measures, entry.rating_printed, entry.rating_loc,
                                         path, report)
    return problems


def _rating_problems(scale: Scale | None, printed: str | None, loc: Location | None, path: str,
                     report: Report) -> list[Problem]:
    from .model import NOT_APPLICABLE, normalize_mark

    if printed is None or normalize_mark(printed) == NOT_APPLICABLE:
        return []
    if scale is None:
        return [_problem(loc, f"{path}.rating",
                         _("rating {rating!r} but report '{report}' declares no rating scale; add scales: with "
                           "the legend as the document prints it (see docs/results-format.md).").format(
                             rating=printed, report=report.id))]
    if scale.find(printed) is None:
        marks = "、".join(m.mark for m in scale.marks)
        return [_problem(loc, f"{path}.rating",
                         _("rating {rating!r} is not on the {scale} scale of report '{report}' ({marks}, "
                           "or - for not applicable); correct the rating or the report's scales.").format(
                             rating=printed, scale=scale.name, report=report.id, marks=marks))]
    return []


def _disagreements(plan: Plan, results: ResultsFile, report: Report, previous: ResultsFile | None) -> list[Problem]:
    evaluated = evaluate(plan, results, report, previous)
    problems = []
    locs = {k.id: k.loc for k in report.kpis} | {k: j.loc for j in report.joint_ratings for k in j.kpis}
    warned: set[int] = set()
    for row in evaluated["kpis"]:
        if row["rating_agrees"] is not False or row["rating_basis"] in ("rank", "judgement"):
            continue
        loc = locs.get(row["id"])
        if loc is not None and id(loc) in warned:
            continue  # a joint rating disagrees once, not once per KPI
        warned.add(id(loc))
        meaning = row["rating_meaning"]["meaning"]
        computed = ACHIEVED[bool(row.get("joint_achieved", row["achieved"]))]
        problems.append(_problem(loc, f"{report.id}.kpis.{row['id']}",
                                 _("rating {rating} ({meaning}) disagrees with the computed result "
                                   "{computed}: {comparison}. If the rating rests on rank or on the branch's "
                                   "explanation, say so with rating_basis: rank or rating_basis: judgement.").format(
                                     rating=row["rating_printed"], meaning=meaning, computed=computed,
                                     comparison=_comparison(row)),
                                 "warning"))
    return problems


def _comparison(row: dict) -> str:
    comparison = row["comparison"]
    actual = row["actual"]["text"] if row["actual"] else "?"
    symbol = RELATION_SYMBOLS.get(comparison["relation"] or "", "?")
    return _("{kpi} {actual} against {symbol} {threshold}{unit}").format(
        kpi=row["text"], actual=actual, symbol=symbol, threshold=comparison["threshold"], unit=comparison["unit"] or "")


def _parsed(path: Path, encoding: str | None) -> tuple[RawPlan | None, list[Problem]]:
    try:
        return parse_results(path, encoding), []
    except PlanReadError as exc:
        return None, Problem.all_from_read_error(exc, str(path))


def read_results_file(path: Path, encoding: str | None = None) -> tuple[ResultsFile | None, list[Problem]]:
    """A results file on its own: read, parsed, schema-checked and built (no plan needed)."""
    raw, unreadable = _parsed(path, encoding)
    if raw is None:
        return None, unreadable
    problems = schema_problems(raw, RESULTS_SCHEMA)
    if any(p.severity == "error" for p in problems):
        return None, problems
    results, value_problems = build_results(raw)
    return results, problems + value_problems


def previous_year_results(path: Path, fiscal_year: int, encoding: str | None = None) -> ResultsFile | None:
    """Last year's results beside this file, when they exist and read cleanly."""
    previous = results_path_for(plan_file(path.parent, fiscal_year - 1))
    if not previous.is_file():
        return None
    results, problems = read_results_file(previous, encoding)
    return None if any(p.severity == "error" for p in problems) else results


def check_results_file(path: Path, plan_lookup: Callable[[Path], tuple[Plan | None, bool]],
                       encoding: str | None = None) -> tuple[ResultsFile | None, list[Problem]]:
    """Validate one results file; ``plan_lookup(plan_path)`` gives (plan or None, whether the plan file exists)."""
    raw, unreadable = _parsed(path, encoding)
    if raw is None:
        return None, unreadable
    plan_path = plan_path_for(path)
    missing: list[Problem] = []

    def plan_for() -> Plan | None:
        plan, exists = plan_lookup(plan_path)
        loc = raw.location(())
        if not exists:
            missing.append(_problem(loc, "", _("there is no plan {plan} for these results; results live beside "
                                               "their plan (plans/<branch>/<year>.yaml and <year>.results.yaml).")
                                    .format(plan=plan_path)))
        elif plan is None:
            missing.append(_problem(loc, "", _("the plan {plan} has errors, so these results cannot be checked "
                                               "against it; fix the plan first (kenpo-plans validate {plan}).")
                                    .format(plan=plan_path)))
        return plan

    def previous_for() -> ResultsFile | None:
        data = raw.data if isinstance(raw.data, dict) else {}
        year = data.get("fiscal_year")
        return previous_year_results(path, year, encoding) if isinstance(year, int) else None

    results, problems = check_results(raw, plan_for, previous_for)
    return results, sorted(problems + missing, key=lambda p: (p.line or 0, p.column or 0))


def results_beside(plan_path: Path, plan: Plan, encoding: str | None = None) -> ResultsFile | None:
    """The results file beside a loaded plan, checked against it; None when there is none.

    Raises ``ValidationFailed`` when the file has errors: a document never shows figures that do not validate.
    """
    path = results_path_for(Path(plan_path))
    if not path.is_file():
        return None
    results, problems = check_results_file(path, lambda _p: (plan, True), encoding)
    if results is None or any(p.severity == "error" for p in problems):
        raise ValidationFailed(problems)
    return results
