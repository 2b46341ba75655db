"""The one diff entry point: two versions of a plan (two years, two files, git revisions) → a DiffResult.

A single branch, two plan files, git revisions, and every branch of ``--all-branches`` (commands.batch)
all go through ``diff`` here, and are written through the one format registry (commands.outputs), so an
option that works for one branch works for all of them.
"""

from __future__ import annotations

from pathlib import Path

from ..diff.plans import diff_plans
from ..diff.result import DiffResult, DiffWarning, WarningKind
from ..errors import UsageError
from ..git.revisions import load_at, split_range
from ..i18n import _
from ..labels import DOCUMENT_SIDES, READ_CHECK, READ_GUESSED, READ_LEFT_OUT, REVERSED_YEARS
from ..plan.files import results_path_for
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..plan.loader import load_plan, load_plan_text
from .requests import DiffRequest

__all__ = ["DiffRequest", "diff", "diff_at_revisions"]


def _is_plan_file(spec: str) -> bool:
    return spec.endswith((".yaml", ".yml")) or Path(spec).is_file()


def _is_document(spec: str) -> bool:
    from ..importing.sources import SUFFIXES

    return Path(spec).suffix.lower() in SUFFIXES


def _import_pair(paths: list[Path], branch: str | None, encoding: str | None = None):
    """Word/PDF/text plans read on the fly (a plan file beside one is loaded as usual): the new one takes the
    old one's ids where its nodes continue, so the table pairs them as it pairs two plan files."""
    from ..importing.plan_import import import_document

    warnings: list[DiffWarning] = []

    def load(path: Path, earlier, side: str):
        if not _is_document(str(path)):
            return load_plan(path, encoding)[0]
        slug = branch or (earlier.branch_id if earlier else "branch")
        imported = import_document(path, slug, earlier=earlier)
        warnings.extend(_reading_warnings(imported, path, side))
        return load_plan_text(imported.text, str(path))[0]

    old_plan = load(paths[0], None, "old")
    return old_plan, load(paths[1], old_plan, "new"), warnings


def _reading_warnings(imported, path: Path, side: str) -> list[DiffWarning]:
    """What `import --dry-run` would report of a document, said in the table, so the table is never silently short."""
    def said(lines, template: str) -> list[DiffWarning]:
        if not lines:
            return []
        first = lines[0]
        message = template.format(side=DOCUMENT_SIDES[side], file=path.name, count=len(lines),
                                  first=f"{first.place}「{first.text}」: {first.reason}")
        return [DiffWarning(WarningKind.READ_ON_A_GUESS, message + READ_CHECK.format(file=path.name))]

    return said(imported.unplaced, READ_LEFT_OUT) + said(imported.doubts, READ_GUESSED)


def diff(versions, branch: str | None = None, plans_dir=None, exact: bool = False,
         encoding: str | None = None, rev: str | None = None) -> DiffResult:
    """Diff two fiscal years of a branch, two plan files, or one plan across git revisions.

    ``2018 2019 --branch kagoshima``; ``old.yaml new.yaml``; ``2019 --rev HEAD~3`` (that revision
    against the working tree); ``2019 --rev A..B``; ``2018 2019 --rev v2019-final`` (both at a tag).
    """
    specs = [str(v) for v in versions]
    if len(specs) not in (1, 2) or (len(specs) == 1 and rev is None):
        raise UsageError(_("diff takes OLD NEW (or one version with --rev), got {count}: e.g. "
                           "kenpo-plans diff 2018 2019 --branch kagoshima, kenpo-plans diff old.yaml new.yaml, "
                           "kenpo-plans diff 2019 --branch kagoshima --rev HEAD~3").format(count=len(specs)))
    if all(_is_plan_file(spec) for spec in specs):
        paths = [Path(spec) for spec in specs]
        years = None
    else:
        if branch is None:
            raise UsageError(_("which branch? Add --branch, e.g. kenpo-plans diff 2018 2019 --branch kagoshima."))
        years = [parse_year(spec) for spec in specs]
        store = PlanStore(resolve_plans_dir(plans_dir))
        paths = [store.expected_path(branch, year) if rev else store.path_for(branch, year) for year in years]
    if rev is not None:
        return diff_at_revisions(paths[0], paths[-1], rev, exact, encoding, both_at_rev=len(paths) == 2)
    if years and years[0] == years[1]:
        raise UsageError(_("both versions are fiscal year {year}; give two different years "
                           "(e.g. 2018 2019), or one year with --rev to compare revisions.").format(year=years[0]))
    reading: list[DiffWarning] = []
    if years is None and any(_is_document(str(path)) for path in paths):
        old_plan, new_plan, reading = _import_pair(paths, branch, encoding)
    else:
        old_plan, _warnings = load_plan(paths[0], encoding)
        new_plan, _warnings = load_plan(paths[1], encoding)
    result = _with_old_actuals(diff_plans(old_plan, new_plan, exact=exact), paths[0], old_plan)
    result.warnings[:0] = reading
    if old_plan.fiscal_year > new_plan.fiscal_year:
        # a warning of the 新旧対照表 itself: document text, Japanese like the table's other warnings
        result.warnings.insert(0, DiffWarning(WarningKind.REVERSED_YEARS, REVERSED_YEARS.format(
            old=old_plan.year_label, new=new_plan.year_label, first=new_plan.fiscal_year,
            second=old_plan.fiscal_year)))
    return result


def diff_at_revisions(old_path: Path, new_path: Path, rev: str, exact: bool = False,
                      encoding: str | None = None, both_at_rev: bool = False) -> DiffResult:
    """Diff two plan files across revisions.

    With one file (old_path == new_path): the file at ``rev`` against the working tree, or at A
    against B for ``A..B``.  With two files (two years): both at ``rev`` when ``both_at_rev``,
    else the old file at A and the new at B.
    """
    start, end = split_range(rev)
    if both_at_rev and end is None:
        old_plan = load_at(old_path, start, encoding)
        new_plan = load_at(new_path, start, encoding)
    else:
        old_plan = load_at(old_path, start, encoding)
        new_plan = load_at(new_path, end, encoding)
    return diff_plans(old_plan, new_plan, exact=exact)


def _with_old_actuals(result: DiffResult, old_path, old_plan) -> DiffResult:
    """What the old year achieved, where its results are recorded: the 新旧対照表 shows it beside the targets."""
    old_path = Path(old_path) if old_path else None
    if old_path is None or not results_path_for(old_path).is_file():
        return result  # most plans have no results beside them; the results pipeline is not even imported
    from ..results.actuals import year_end_actuals

    result.old_actuals = year_end_actuals(old_path, old_plan)
    return result
