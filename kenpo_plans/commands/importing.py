"""`kenpo-plans import`: a Word/PDF/text plan into plans/<branch>/<year>.yaml, or an Excel sheet into results.

The earlier plan whose ids the import reuses is the branch's plan of the same year when there is one
(importing a document again keeps its ids), else the year before's.  The lines that found no place
are printed and kept as comments at the end of the file; the file is validated before it is written.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import KenpoError, UsageError
from ..fileio import write_atomic
from ..i18n import _
from ..importing.plan_import import Imported, import_document
from ..plan.files import plan_file
from ..plan.model import Plan
from ..plan.store import parse_year, resolve_plans_dir
from ..plan.validate import check_text, load_plan
from .outputs import Outcome


def earlier_plan(plans_dir: Path, branch: str, year: int | None) -> Plan | None:
    """The plan whose ids continue: this year's (a re-import), else last year's; None without either."""
    if year is None:
        return None
    for candidate in (year, year - 1):
        path = plan_file(Path(plans_dir) / branch, candidate)
        if path.is_file():
            try:
                plan, _problems = load_plan(path)
            except KenpoError:  # an invalid earlier plan only costs its ids
                continue
            return plan
    return None


def import_file(file: Path, branch: str, year: int | None, plans_dir: Path | None) -> Imported:
    folder = resolve_plans_dir(plans_dir)
    return import_document(Path(file), branch, year, earlier=earlier_plan(folder, branch, year))


def import_into_plans(file: Path, branch: str, year: str | None, output: Path | None = None,
                      dry_run: bool = False, plans_dir: Path | None = None, period: str | None = None,
                      force: bool = False) -> Outcome:
    file = Path(file)
    fiscal_year = parse_year(year) if year else None
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        from .import_results import import_results_sheet

        return import_results_sheet(file, branch, fiscal_year, period, output, dry_run, plans_dir, force)
    if period:
        raise UsageError(_("--period applies to an Excel results sheet (.xlsx) only."))
    imported = import_file(file, branch, fiscal_year, plans_dir)
    target = Path(output) if output else plan_file(resolve_plans_dir(plans_dir) / branch, imported.fiscal_year)
    report = check_text(imported.text, str(target))
    summary = _summary(file, imported, report)
    if dry_run:
        return Outcome(stdout=imported.text + "".join("# " + line + "\n" for line in summary.splitlines()))
    if target.exists() and not force:
        raise UsageError(_("{path} already exists; give another file with -o, or --force to replace it "
                           "(the old file is kept as a backup).").format(path=target))
    if target.exists():
        backup = target.with_name(target.name + ".bak")
        write_atomic(backup, target.read_bytes())
    if output is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    outcome = Outcome(stdout=summary)
    outcome.written.append(write_atomic(target, imported.text, plan=True))
    if not report.ok:
        outcome.failures.append((str(target), _("the imported plan does not validate")))
    return outcome


def _summary(file: Path, imported: Imported, report) -> str:
    counts = imported.counts
    lines = [_("{file}: {lines} lines read → {sections} sections, {measures} measures, {items} items, "
               "{kpis} KPIs; ids: {earlier} from the earlier plan, {vocabulary} shared, {new} new").format(
        file=file.name, lines=imported.lines, earlier=imported.ids.get("earlier", 0),
        vocabulary=imported.ids.get("vocabulary", 0), new=imported.ids.get("new", 0), **counts)]
    if imported.unplaced:
        lines.append(_("{count} line(s) found no place (kept as comments at the end of the file):").format(
            count=len(imported.unplaced)))
        lines += [f"  {u.place}（{u.reason}）: {u.text}" for u in imported.unplaced]
    else:
        lines.append(_("every line found its place."))
    lines += [str(problem) for problem in report.problems]
    return "\n".join(lines) + "\n"
