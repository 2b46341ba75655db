"""`kenpo-plans import`: a Word/PDF/text plan into plans/<branch>/<year>.yaml, or an Excel sheet into results.

The earlier plan whose ids the import reuses is the branch's plan of the same year when there is one
(importing a document again keeps its ids), else the year before's.  The lines that found no place
are printed and kept as comments at the end of the file.  The text is checked exactly as `validate` would
check the file (size, schema, model, text safety) and written only when it passes; --force only allows
replacing an existing plan (kept as a backup where `new --force` keeps its backups), never an invalid one.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import KenpoError, OutputError, UsageError
from ..fileio import checked_target, write_atomic
from ..i18n import _
from ..importing.conventions import grouped_readings
from ..importing.kinds import KIND_NAMES
from ..importing.plan_import import Imported, import_for_branch
from ..plan.files import is_results_path, plan_file
from ..plan.rollforward import keep_backup
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..plan.validate import check_plan_text
from .outputs import Outcome


def import_into_plans(file: Path, branch: str, year: str | None, output: Path | None = None,
                      dry_run: bool = False, plans_dir: Path | None = None, period: str | None = None,
                      force: bool = False, side: str = "new", name: str | None = None) -> Outcome:
    file = Path(file)
    fiscal_year = parse_year(year) if year else None
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        from .import_results import import_results_sheet

        return import_results_sheet(file, branch, fiscal_year, period, output, dry_run, plans_dir, force)
    if period:
        raise UsageError(_("--period applies to an Excel results sheet (.xlsx) only."))
    if side == "both" and output is not None:
        raise UsageError(_("--side both writes two plans, each to plans/<branch>/<year>.yaml; leave out -o, or "
                           "import one side at a time with --side new or --side old."))
    if output is not None:
        _checked_target(file, Path(output))
    found = import_for_branch(file, PlanStore(resolve_plans_dir(plans_dir)), branch, fiscal_year, side, name)
    outcome = Outcome()
    for imported in found if isinstance(found, list) else [found]:
        one = _write_plan(file, branch, imported, output, dry_run, plans_dir, force)
        outcome.stdout += one.stdout
        outcome.written += one.written
        outcome.failures += one.failures
    return outcome


def _write_plan(file: Path, branch: str, imported: Imported, output: Path | None, dry_run: bool,
                plans_dir: Path | None, force: bool) -> Outcome:
    store = PlanStore(resolve_plans_dir(plans_dir))
    target = _checked_target(file, Path(output) if output else plan_file(store.root / branch, imported.fiscal_year))
    report = check_plan_text(imported.text, str(target))
    summary = _summary(file, imported, report)
    if dry_run:
        outcome = Outcome(stdout=imported.text + "".join("# " + line + "\n" for line in summary.splitlines()))
        if not report.ok:
            outcome.failures.append((str(target), _("the imported plan does not validate")))
        return outcome
    if not report.ok:
        raise ImportRefused(summary + _("{path} was not written: the plan read from {file} would not validate "
                                        "(see above; --dry-run shows the plan these lines refer to).").format(
            path=target, file=file.name))
    if target.exists() and not force:
        raise UsageError(_("{path} already exists; give another file with -o, or --force to replace it "
                           "(the old file is kept as a backup).").format(path=target))
    outcome = Outcome(stdout=summary)
    if target.exists():
        backup = keep_backup(store, branch, target)
        outcome.stdout += _("the previous {name} was kept as {backup}").format(name=target.name, backup=backup) + "\n"
    if output is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    outcome.written.append(write_atomic(target, imported.text, protected=[file], plan=True))
    return outcome


class ImportRefused(KenpoError):
    """Raised when the plan read from a document would not validate: nothing is written, whatever --force says."""


def _checked_target(file: Path, target: Path) -> Path:
    """Refused before the document is read: a directory, the document itself, a results file."""
    checked_target(target, protected=[file], plan=True)
    if is_results_path(target):
        raise OutputError(_("refusing to write {path}: it is a results file, and a plan goes in <year>.yaml. "
                            "Leave -o out, or give a plan's path.").format(path=target))
    return target


def _summary(file: Path, imported: Imported, report) -> str:
    counts = imported.counts
    lines = [_("{file}: read as {kind}, fiscal year {year}, {name}").format(
        file=file.name, kind=KIND_NAMES[imported.kind], year=imported.fiscal_year, name=imported.branch_name)]
    lines.append(_("{lines} lines read → {sections} sections, {measures} measures, {items} items, "
                   "{kpis} KPIs; ids: {earlier} from the earlier plan, {vocabulary} shared, {new} new").format(
        lines=imported.lines, earlier=imported.ids.get("earlier", 0),
        vocabulary=imported.ids.get("vocabulary", 0), new=imported.ids.get("new", 0), **counts))
    lines += [_("  {section}: {measures} measures, {items} items, {kpis} KPIs").format(section=section, **numbers)
              for section, numbers in imported.sections]
    lines += [_("how the tables were read: {table}").format(table=table)
              for table in grouped_readings(imported.tables)]
    lines += [_("KPI {id}: the document shows no target (the earlier plan's was {earlier}); write this year's "
                "target as target_text: — a target is never taken from an earlier plan.").format(**kpi)
              for kpi in imported.to_fill]
    if imported.doubts:
        lines.append(_("{count} line(s) placed on a guess; check them:").format(count=len(imported.doubts)))
        lines += [f"  {u.place}（{u.reason}）: {u.text}" for u in imported.doubts]
    if imported.unplaced:
        lines.append(_("{count} line(s) found no place (kept as comments at the end of the file):").format(
            count=len(imported.unplaced)))
        lines += [f"  {u.place}（{u.reason}）: {u.text}" for u in imported.unplaced]
    else:
        lines.append(_("every line found its place."))
    lines += [str(problem) for problem in report.problems]
    return "\n".join(lines) + "\n"
