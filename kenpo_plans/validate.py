"""Plan validation: every problem of every file, each with its location.

Validation runs in layers and collects what each layer finds: the file
must read and parse (one problem, then stop), the tree must match the
schema (all mismatches), and the model must make sense (duplicate ids,
branch/year versus the file's path, era year in the title, KPI targets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import era
from .errors import PlanReadError, Problem, ValidationFailed
from .i18n import N_, _
from .loader import RawPlan, build_plan, parse_yaml, read_plan_text
from .model import Kpi, Location, Plan
from .schema import schema_problems


@dataclass
class FileReport:
    path: str
    plan: Plan | None = None
    problems: list[Problem] = field(default_factory=list)
    results: object | None = None  # a results.model.ResultsFile, for a <year>.results.yaml

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_text(text: str, file: str | None = None) -> FileReport:
    """Validate plan text; never raises for a bad plan, the report says what is wrong."""
    report = FileReport(file or "<input>")
    try:
        raw = parse_yaml(text, file)
    except PlanReadError as exc:
        report.problems.append(_read_problem(exc, file))
        return report
    return _check_raw(raw, report)


def check_file(path: Path, encoding: str | None = None) -> FileReport:
    report = FileReport(str(path))
    try:
        text = read_plan_text(path, encoding)
        raw = parse_yaml(text, str(path))
    except PlanReadError as exc:
        report.problems.append(_read_problem(exc, str(path)))
        return report
    return _check_raw(raw, report)


def check_files(paths: list[Path], encoding: str | None = None) -> list[FileReport]:
    """Validate plan and results files, and flag figures each plan carries over from the year before it.

    Each file is read once: a previous year (or the plan of a results file) that is among ``paths``
    reuses its own report.
    """
    from .results.loader import is_results_path

    plan_paths = [Path(p) for p in paths if not is_results_path(p)]
    results_paths = [Path(p) for p in paths if is_results_path(p)]
    reports = {Path(path).resolve(): check_file(Path(path), encoding) for path in plan_paths}
    _check_carried_over(reports, encoding)
    plans_read = dict(reports)
    for path in results_paths:
        reports[path.resolve()] = _check_results(path, plans_read, encoding)
    return list(reports.values())


def _check_results(path: Path, plans_read: dict[Path, FileReport], encoding: str | None) -> FileReport:
    from .results.validate import check_results_file

    def plan_lookup(plan_path: Path) -> tuple[Plan | None, bool]:
        key = plan_path.resolve()
        if key not in plans_read and plan_path.is_file():
            plans_read[key] = check_file(plan_path, encoding)
        report = plans_read.get(key)
        return (report.plan if report and report.ok else None), report is not None

    results, problems = check_results_file(path, plan_lookup, encoding)
    return FileReport(str(path), problems=problems, results=results)


def _check_carried_over(reports: dict[Path, FileReport], encoding: str | None) -> None:
    for path, report in list(reports.items()):
        if report.plan is None:
            continue
        from .store import plan_file

        previous_path = plan_file(path.parent, report.plan.fiscal_year - 1).resolve()
        previous = reports.get(previous_path)
        if previous is None and previous_path.is_file():
            previous = check_file(previous_path, encoding)
        if previous is not None and previous.plan is not None:
            report.problems.extend(carried_over_problems(report.plan, previous.plan))
            report.problems.extend(reused_id_problems(report.plan, previous.plan))
            report.problems.sort(key=lambda p: (p.line or 0, p.column or 0))


def carried_over_problems(plan: Plan, last_year: Plan) -> list[Problem]:
    """KPIs that still quote last year's figure word for word (「対前年度（0.359%）以上」).

    A roll-forward copies them unchanged; until a planner puts in the new baseline or marks the
    KPI ``confirmed: true`` they are reported, so a stale figure never reaches the council.
    """
    previous = {kpi.id: kpi.text for _, kpi in last_year.walk_kpis()}
    problems = []
    for measure, kpi in plan.walk_kpis():
        target = kpi.parsed_target
        if kpi.confirmed or target is None or target.basis != "previous_year" or target.value is None:
            continue
        if previous.get(kpi.id) == kpi.text:
            problems.append(_problem(
                kpi.text_loc, f"{measure.id}.kpis.{kpi.id}",
                _("carried over from {last_year}: the KPI still quotes last year's figure "
                  "({figure}). Put in the figure for {year}'s baseline, or add "
                  "`confirmed: true` to this KPI to keep it.").format(
                      last_year=last_year.year_label, figure=target.describe(), year=plan.year_label), "warning"))
    return problems


def reused_id_problems(plan: Plan, last_year: Plan) -> list[Problem]:
    """An id that last year named something unrelated: the diff would call it a rename."""
    from .diff import reused_id_warnings

    where = {m.id: m.loc for m in plan.walk_measures()} | {k.id: k.loc for _, k in plan.walk_kpis()}
    problems = []
    for warning in reused_id_warnings(last_year, plan):
        if warning["node"] == "measure":
            message = _("id '{id}' named an unrelated measure in {year} "
                        "(「{old}」, now 「{new}」); if this is a new measure, "
                        "give it a new id, or the diff will call it a rename.")
        else:
            message = _("id '{id}' named an unrelated KPI in {year} "
                        "(「{old}」, now 「{new}」); if this is a new KPI, "
                        "give it a new id, or the diff will call it a rename.")
        problems.append(_problem(where.get(warning["id"]), warning["id"],
                                 message.format(id=warning["id"], year=last_year.year_label,
                                                old=warning["old"][:30], new=warning["new"][:30]), "warning"))
    return problems


def _read_problem(exc: PlanReadError, path: str | None = None) -> Problem:
    """The reader's error as a located problem, so its line starts FILE:LINE:COL like every other;
    an error about the whole file is placed at its first line."""
    file = exc.file if exc.file is not None and (path is None or exc.file == path) else path
    if file is None:
        return Problem(None, None, None, "", exc.message)
    located = file == exc.file and exc.line is not None
    return Problem(file, exc.line if located else 1, (exc.column or 1) if located else 1, "", exc.message)


def unsafe_text_problems(raw: RawPlan) -> list[Problem]:
    """Control characters and bidi overrides: reported, and shown as visible stand-ins everywhere."""
    from .schema import format_path
    from .textsafety import describe_unsafe

    problems = []
    for path, original in raw.unsafe:
        line, column = raw.where(path)
        problems.append(Problem(raw.file, line, column, format_path(path),
                                _("the text contains {what}, which can disguise or rewrite what a "
                                  "reader sees; it is shown as a visible mark (␛, ⟨U+202E⟩). Remove it.").format(
                                      what=describe_unsafe(original)), "warning"))
    return problems


def _check_raw(raw: RawPlan, report: FileReport) -> FileReport:
    report.problems.extend(unsafe_text_problems(raw))
    report.problems.extend(schema_problems(raw))
    if report.errors:
        return report
    plan = build_plan(raw)
    report.plan = plan
    report.problems.extend(plan_problems(plan))
    report.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return report


def load_plan(path: Path, encoding: str | None = None) -> tuple[Plan, list[Problem]]:
    """A valid plan and its warnings; raises ``ValidationFailed`` listing every error."""
    report = check_file(path, encoding)
    if not report.ok or report.plan is None:
        raise ValidationFailed(report.problems)
    return report.plan, report.warnings


def load_plan_text(text: str, file: str | None = None) -> tuple[Plan, list[Problem]]:
    report = check_text(text, file)
    if not report.ok or report.plan is None:
        raise ValidationFailed(report.problems)
    return report.plan, report.warnings


# --- semantic checks ------------------------------------------------------------


_problem = Problem.at


def plan_problems(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    problems += _path_problems(plan)
    problems += _era_problems(plan)
    problems += _duplicate_id_problems(plan)
    for measure, kpi in plan.walk_kpis():
        problems += _kpi_problems(measure.id, kpi)
        problems += _shared_id_problems(measure.id, kpi)
    return problems


def _shared_id_problems(measure_id: str, kpi: Kpi) -> list[Problem]:
    """A branch KPI worded like a national one but under another id cannot be compared across branches."""
    from .vocabulary import name_of, shared_id_for, shared_ids

    expected = shared_id_for(kpi.text)
    if expected is None or expected == kpi.id or kpi.id in shared_ids():
        return []
    return [_problem(kpi.loc, f"{measure_id}.kpis.{kpi.id}",
                     _("this KPI reads like the shared KPI 「{name}」; use id '{id}' "
                       "(docs/kpi-ids.md) so it can be compared across years and branches.").format(
                           name=name_of(expected), id=expected), "warning")]


def _path_problems(plan: Plan) -> list[Problem]:
    """plans/<branch>/<year>.yaml must agree with what the file says."""
    if not plan.source:
        return []
    path = Path(plan.source)
    problems = []
    if path.stem.isdigit() and int(path.stem) != plan.fiscal_year:
        problems.append(_problem(plan.loc, "fiscal_year",
                                 _("fiscal_year is {year} but the file is named {name}; "
                                   "rename the file to {year}.yaml or correct fiscal_year.").format(
                                       year=plan.fiscal_year, name=path.name)))
    parent = path.parent.name
    if path.stem.isdigit() and parent and parent != plan.branch_id and path.parent.parent.name == "plans":
        problems.append(_problem(plan.loc, "branch.id",
                                 _("branch.id is '{branch}' but the file is in plans/{folder}/; "
                                   "move the file or correct branch.id.").format(branch=plan.branch_id, folder=parent)))
    return problems


def _era_problems(plan: Plan) -> list[Problem]:
    try:
        expected = plan.year_label
    except era.EraError as exc:
        return [_problem(plan.loc, "era", _("{error}.").format(error=exc))]
    try:
        named = era.parse_fiscal_year(plan.title)
    except era.EraError as exc:
        return [_problem(plan.loc, "title", _("{error}.").format(error=exc))]
    if named is not None and named != plan.fiscal_year:
        return [_problem(plan.loc, "title",
                         _("the title names fiscal year {named} but fiscal_year is {year} "
                           "({label}); correct one of them.").format(named=named, year=plan.fiscal_year,
                                                                    label=expected))]
    return []


def _duplicate_id_problems(plan: Plan) -> list[Problem]:
    seen: dict[str, Location | None] = {}
    problems = []
    for kind, node in _identified_nodes(plan):
        if node.id in seen:
            first = seen[node.id]
            if first:
                message = _("duplicate id '{id}' on this {kind} (first used at line {line}); ids must be unique "
                            "within a plan — give one of them a new id.")
            else:
                message = _("duplicate id '{id}' on this {kind}; ids must be unique "
                            "within a plan — give one of them a new id.")
            problems.append(_problem(node.loc, "id", message.format(id=node.id, kind=_(kind),
                                                                    line=first.line if first else None)))
        else:
            seen[node.id] = node.loc
    return problems


def _identified_nodes(plan: Plan):
    for section in plan.sections:
        yield N_("section"), section
        for measure in section.walk_measures():
            yield N_("measure"), measure
            for kpi in measure.kpis:
                yield N_("KPI"), kpi
            for item in measure.own_items():
                if item.id:
                    yield N_("item"), item
            for target in measure.own_targets():
                if target.id:
                    yield N_("target"), target


def _kpi_problems(measure_id: str, kpi: Kpi) -> list[Problem]:
    from .targets import UNREADABLE, read_target

    reading = read_target(kpi.target_source_text)
    parsed = reading.target
    path = f"{measure_id}.kpis.{kpi.id}"
    if kpi.declared_target and parsed and kpi.declared_target != parsed:
        return [_problem(kpi.text_loc, path,
                         _("target: says {declared} but the KPI text says {parsed}; "
                           "make them agree (or remove target: to use the text).").format(
                               declared=kpi.declared_target.describe(), parsed=parsed.describe()))]
    if kpi.declared_target or kpi.qualitative or kpi.per_branch or kpi.compound or kpi.target_unknown:
        return []
    sentence = kpi.target_source_text if len(kpi.target_source_text) <= 60 else kpi.target_source_text[:60] + "…"
    if reading.unreadable:
        return [_problem(kpi.text_loc, path,
                         _("the target of 「{sentence}」 cannot be read for certain: {reason}. "
                           "State it with target: {{relation, value, unit, basis}}, or mark the KPI compound: true or "
                           "qualitative: true.").format(sentence=sentence, reason=_(UNREADABLE[reading.unreadable])),
                         "warning")]
    if parsed is None:
        return [_problem(kpi.text_loc, path,
                         _("no numeric target could be read from 「{sentence}」 (e.g. 「…を95.0％以上とする。」); "
                           "add target: or set qualitative: true.").format(sentence=sentence), "warning")]
    return []
