"""One function per command: what the CLI calls, usable from Python too."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .diff import DiffResult, diff_plans
from .errors import KenpoError, OutputError, PlanNotFound, UsageError
from .model import plan_to_dict
from .outline import catalog, catalog_text, outline
from .output import write_atomic
from .store import PlanStore, parse_year, resolve_plans_dir
from .validate import FileReport, check_file, load_plan


@dataclass
class ValidationResult:
    reports: list[FileReport]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.reports)

    @property
    def error_count(self) -> int:
        return sum(len(report.errors) for report in self.reports)

    @property
    def warning_count(self) -> int:
        return sum(len(report.warnings) for report in self.reports)

    def lines(self) -> list[str]:
        out = [str(problem) for report in self.reports for problem in report.problems]
        bad = sum(1 for report in self.reports if not report.ok)
        out.append(
            f"{len(self.reports)} file(s) checked: {len(self.reports) - bad} ok, {bad} with errors; "
            f"{self.error_count} error(s), {self.warning_count} warning(s)"
        )
        return out


def validate(paths, plans_dir=None, encoding: str | None = None) -> ValidationResult:
    """Validate the given files (directories are searched for *.yaml), or every plan in the store."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.yaml"))
        else:
            files.append(path)
    if not paths:
        files = PlanStore(resolve_plans_dir(plans_dir)).all_paths()
        if not files:
            raise PlanNotFound(f"no plans (*/*.yaml) found in {resolve_plans_dir(plans_dir)}.")
    return ValidationResult([check_file(path, encoding) for path in files])


def list_plans(plans_dir=None, fmt: str = "text") -> str:
    rows = catalog(PlanStore(resolve_plans_dir(plans_dir)))
    if fmt == "json":
        return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2) + "\n"
    return catalog_text(rows)


def show(year, branch: str, plans_dir=None, fmt: str = "text", encoding: str | None = None) -> str:
    plan = PlanStore(resolve_plans_dir(plans_dir)).load(branch, parse_year(year), encoding)
    if fmt == "json":
        return json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2) + "\n"
    return outline(plan)


def _is_plan_file(spec: str) -> bool:
    return spec.endswith((".yaml", ".yml")) or Path(spec).is_file()


def diff(versions, branch: str | None = None, plans_dir=None, exact: bool = False,
         encoding: str | None = None) -> DiffResult:
    """Diff two fiscal years of a branch (``2018 2019 --branch kagoshima``) or two plan files."""
    if len(versions) != 2:
        raise UsageError(f"diff takes two versions (OLD NEW), got {len(versions)}: "
                         "e.g. kenpo-plans diff 2018 2019 --branch kagoshima, or kenpo-plans diff old.yaml new.yaml")
    old_spec, new_spec = (str(v) for v in versions)
    if _is_plan_file(old_spec) and _is_plan_file(new_spec):
        old_plan, _ = load_plan(Path(old_spec), encoding)
        new_plan, _ = load_plan(Path(new_spec), encoding)
        return diff_plans(old_plan, new_plan, exact=exact)
    if branch is None:
        raise UsageError("which branch? Add --branch, e.g. kenpo-plans diff 2018 2019 --branch kagoshima.")
    old_year, new_year = parse_year(old_spec), parse_year(new_spec)
    if old_year == new_year:
        raise UsageError(f"both versions are fiscal year {old_year}; give two different years "
                         "(e.g. 2018 2019).")
    store = PlanStore(resolve_plans_dir(plans_dir))
    return diff_plans(store.load(branch, old_year, encoding), store.load(branch, new_year, encoding), exact=exact)


def format_diff(result: DiffResult, fmt: str = "text", color: bool = False) -> str:
    from . import report

    if fmt == "json":
        return report.to_json(result)
    return report.to_text(result, color=color)


# --- writing diffs: text, JSON, HTML, PDF; one branch or all ------------------------------

DOCUMENT_FORMATS = ("pdf", "html")
EXTENSIONS = {"pdf": "pdf", "html": "html", "json": "json", "text": "txt"}


@dataclass
class OutputRequest:
    fmt: str = "pdf"
    output: Path | None = None
    color: bool = False
    font: str | None = None
    template_dir: Path | None = None
    landscape: bool = False
    old_left: bool = False
    old_word: str = "旧"
    monochrome: bool = False
    changes_only: bool = False


@dataclass
class DiffOutcome:
    stdout: str = ""
    written: list[Path] = field(default_factory=list)
    has_changes: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


def default_output_name(result: DiffResult, fmt: str) -> str:
    return f"{result.new.branch}_{result.old.fiscal_year}-{result.new.fiscal_year}_shinkyu.{EXTENSIONS[fmt]}"


def _render_options(request: OutputRequest):
    from .fonts import choose_font
    from .render import RenderOptions

    return RenderOptions(old_left=request.old_left, old_word=request.old_word, monochrome=request.monochrome,
                         changes_only=request.changes_only, landscape=request.landscape,
                         font_family=choose_font(request.font))


def produce(result: DiffResult, request: OutputRequest) -> str | bytes:
    """The diff in the requested format, fonts and templates checked before any work is done."""
    if request.fmt not in DOCUMENT_FORMATS:
        return format_diff(result, request.fmt, request.color)
    from .render import render_document, template_dir

    folder = template_dir(request.template_dir)
    return render_document(result, request.fmt, _render_options(request), folder)


def write_diff(result: DiffResult, request: OutputRequest) -> DiffOutcome:
    """Print text/JSON, or write the document (PDF by default) atomically next to where it is asked for."""
    outcome = DiffOutcome(has_changes=result.has_changes)
    if request.fmt in DOCUMENT_FORMATS and request.output is None:
        target = Path(default_output_name(result, request.fmt))
    else:
        target = request.output
    if target is not None and target.is_dir():
        target = target / default_output_name(result, request.fmt)
    data = produce(result, request)
    if target is None:
        outcome.stdout = data if isinstance(data, str) else ""
        return outcome
    outcome.written.append(write_atomic(target, data))
    return outcome


def _branch_job(args: tuple) -> tuple[str, str | None, str | None]:
    """One branch of --all-branches, in a worker process: (branch, written path, error message)."""
    branch, old_year, new_year, plans_dir, request, folder = args
    try:
        store = PlanStore(plans_dir)
        result = diff_plans(store.load(branch, old_year), store.load(branch, new_year))
        target = folder / default_output_name(result, request.fmt)
        write_atomic(target, produce(result, request))
        return branch, str(target), None
    except KenpoError as exc:
        return branch, None, str(exc)
    except Exception as exc:  # one broken branch must not stop the other 46
        return branch, None, f"internal error: {type(exc).__name__}: {exc}"


def diff_all_branches(versions, plans_dir, request: OutputRequest, jobs: int | None = None,
                      progress=None) -> DiffOutcome:
    """Render every branch that has both years, in parallel; failures are collected, not raised."""
    if len(versions) != 2:
        raise UsageError("--all-branches compares two fiscal years: kenpo-plans diff 2018 2019 --all-branches")
    old_year, new_year = parse_year(versions[0]), parse_year(versions[1])
    if old_year == new_year:
        raise UsageError(f"both versions are fiscal year {old_year}; give two different years.")
    store = PlanStore(resolve_plans_dir(plans_dir))
    branches = [b for b in store.branches() if {old_year, new_year} <= set(store.years(b))]
    if not branches:
        raise PlanNotFound(f"no branch in {store.root} has plans for both {old_year} and {new_year}.")
    folder = Path(request.output or ".")
    if not folder.is_dir():
        raise OutputError(f"{folder} is not a directory; --all-branches -o takes a directory (create it first).")
    if request.fmt in DOCUMENT_FORMATS:
        from .render import template_dir

        request = replace(request, template_dir=template_dir(request.template_dir))
        _render_options(request)  # fail once, here, when no Japanese font is installed
    work = [(b, old_year, new_year, store.root, request, folder) for b in branches]
    outcome = DiffOutcome()
    for branch, written, error in _run_jobs(work, jobs):
        if error:
            outcome.failures.append((branch, error))
        else:
            outcome.written.append(Path(written))
        if progress:
            progress(len(outcome.written) + len(outcome.failures), len(work), branch)
    done = len(outcome.written)
    lines = [f"{len(branches)} branch(es): {done} rendered, {len(outcome.failures)} failed"]
    lines += [f"  {path}" for path in outcome.written]
    lines += [f"FAILED {branch}: {error}" for branch, error in outcome.failures]
    outcome.stdout = "\n".join(lines) + "\n"
    return outcome


def _run_jobs(work: list[tuple], jobs: int | None):
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(work) == 1:
        yield from map(_branch_job, work)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(jobs, len(work))) as pool:
        futures = [pool.submit(_branch_job, item) for item in work]
        for future in as_completed(futures):
            yield future.result()
