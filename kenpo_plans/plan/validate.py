"""Plan validation: every problem of every file, each with its location.

Validation runs in layers and collects what each layer finds: the file
must read and parse (one problem, then stop), the tree must match the
schema (all mismatches), and the model must make sense (duplicate ids,
branch/year versus the file's path, era year in the title, KPI targets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PlanReadError, Problem
from ..i18n import N_, _
from . import era
from .build import build_plan
from .reading import RawPlan, decode_plan_bytes, parse_yaml, read_plan_text
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
        return not any(p.severity == "error" for p in self.problems)


def check_text(text: str, file: str | None = None) -> FileReport:
    """Validate plan text; never raises for a bad plan, the report says what is wrong."""
    report = FileReport(file or "<input>")
    try:
        raw = parse_yaml(text, file)
    except PlanReadError as exc:
        report.problems.extend(Problem.all_from_read_error(exc, file))
        return report
    return _check_raw(raw, report)


def check_file(path: Path, encoding: str | None = None) -> FileReport:
    report = FileReport(str(path))
    try:
        text = read_plan_text(path, encoding)
        raw = parse_yaml(text, str(path))
    except PlanReadError as exc:
        report.problems.extend(Problem.all_from_read_error(exc, str(path)))
        return report
    return _check_raw(raw, report)


def unsafe_text_problems(raw: RawPlan) -> list[Problem]:
    """Control characters, bidi overrides, invisible and unholdable characters: reported (one problem per kind
    in a value), and shown as visible stand-ins everywhere."""
    from ..textsafety import INVISIBLE, PRIVATE_USE, TERMINAL, UNHOLDABLE, describe_unsafe
    from .schema import format_path

    kinds = ((TERMINAL, _("the text contains {what}, which can disguise or rewrite what a reader sees; it is shown "
                          "as a visible mark (␛, ⟨U+202E⟩). Remove it.")),
             (INVISIBLE, _("the text contains {what}, an invisible character that splits words and figures "
                           "(「93.5％」 read as a figure without its unit); it is shown as a visible mark "
                           "(⟨U+FEFF⟩). Remove it.")),
             (UNHOLDABLE, _("the text contains {what}, which Word, Excel and the charts cannot hold; it is shown "
                            "as a visible mark (⟨U+FFFE⟩). Remove it.")),
             (PRIVATE_USE, _("the text contains {what}, a private-use character (a bullet from a Symbol or "
                             "Wingdings font copied out of Word, or a 外字) that no font prints; it is shown as a "
                             "visible mark (⟨U+F0B7⟩). Type the marker (○, ・) or the character itself.")))
    problems = []
    for path, original in raw.unsafe:
        line, column = raw.where(path)
        for pattern, message in kinds:
            if pattern.search(original):
                problems.append(Problem(raw.file, line, column, format_path(path),
                                        message.format(what=describe_unsafe(original, pattern)), "warning"))
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


# --- semantic checks ------------------------------------------------------------


_problem = Problem.at


def plan_problems(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    problems += _path_problems(plan)
    problems += _era_problems(plan)
    problems += _todo_problems(plan)
    problems += _duplicate_id_problems(plan)
    problems += _label_given_twice_problems(plan)
    for measure, kpi in plan.walk_kpis():
        problems += _kpi_problems(measure.id, kpi)
        problems += _shared_id_problems(measure.id, kpi)
        problems += _branch_target_problems(plan, measure.id, kpi)
        problems += _implied_property_problems(measure.id, kpi)
    return problems


def _implied_property_problems(measure_id: str, kpi: Kpi) -> list[Problem]:
    """A shared KPI missing what its vocabulary entry implies: an interim report would judge it wrongly
    (未達成 at Q1 for a rate that builds up over the year) or read a bare figure the wrong way."""
    from .vocabulary import implied_properties

    implied = implied_properties(kpi.id)
    path = f"{measure_id}.kpis.{kpi.id}"
    problems = []
    if implied.get("accumulates") and not kpi.accumulates:
        problems.append(_problem(kpi.loc, path,
                                 _("the shared KPI '{id}' builds up over the year; add accumulates: true, so "
                                   "that a quarterly figure is shown as provisional (暫定), not as not achieved.")
                                 .format(id=kpi.id), "warning"))
    if implied.get("direction") and kpi.direction is None and kpi.target_text is not None:
        problems.append(_problem(kpi.loc, path,
                                 _("the target of the shared KPI '{id}' is a bare figure; add direction: {direction} "
                                   "(which way is better), so that it can be judged.")
                                 .format(id=kpi.id, direction=implied["direction"]), "warning"))
    return problems


ASSOCIATION = "national"  # the association-wide plan, whose per_branch targets each branch sets itself


def _branch_target_problems(plan: Plan, measure_id: str, kpi: Kpi) -> list[Problem]:
    """A branch plan started from the association-wide one keeps its per_branch KPIs until the branch sets them."""
    if not kpi.per_branch or plan.branch_id == ASSOCIATION:
        return []
    return [_problem(kpi.loc, f"{measure_id}.kpis.{kpi.id}",
                     _("TODO: this KPI's target is set branch by branch (per_branch: true, from the "
                       "association-wide plan); write this branch's own target in its text and remove per_branch."),
                     "warning")]


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


def _todo_problems(plan: Plan) -> list[Problem]:
    """What an import could not read from the document (its title, the branch's name) is left as a TODO."""
    return [_problem(plan.loc, path, _("TODO: the {what} was not in the imported document; write it in ({value}).")
                     .format(what=what, value=value), "warning")
            for path, what, value in (("title", _("plan's title"), plan.title),
                                      ("branch.name", _("branch's name"), plan.branch_name))
            if value.startswith("TODO")]


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


def _label_given_twice_problems(plan: Plan) -> list[Problem]:
    """Two siblings printed with the same number (two ⑩ in one section): what a merge of two staff's additions
    gives, each having taken the next number. A warning, since which one to renumber is the planner's call."""
    problems = []
    families = [plan.sections] + [section.measures for section in plan.sections]
    for measure in plan.walk_measures():
        families += [measure.measures, measure.kpis]
    for siblings in families:
        first: dict[str, Location | None] = {}
        for node in siblings:
            label = (node.label or "").strip()
            if not label:
                continue
            if label in first:
                where = first[label]
                problems.append(_problem(node.loc, "label", _(
                    "the number {label} is given twice here (also at line {line}); renumber one of them — two "
                    "people who each added one took the same next number.").format(
                        label=label, line=where.line if where else "?"), "warning"))
            else:
                first[label] = node.loc
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


def check_plan_text(text: str, file: str) -> FileReport:
    """Text about to become a plan file (an import) checked exactly as `validate` checks the file: its size and
    encoding first, then the schema, the model and text safety."""
    try:
        decode_plan_bytes(text.encode("utf-8"), file)
    except PlanReadError as exc:
        report = FileReport(file)
        report.problems.append(Problem.from_read_error(exc, file))
        return report
    return check_text(text, file)
