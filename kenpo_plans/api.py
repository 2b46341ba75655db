"""One function per command: what the CLI calls, usable from Python too."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .diff import DiffResult, diff_plans
from .errors import KenpoError, OutputError, PlanNotFound, UsageError
from .i18n import N_, _, listing
from .model import plan_to_dict
from .outline import catalog, catalog_text, outline
from .output import write_atomic
from .store import PlanStore, parse_year, plan_files_in, resolve_plans_dir
from .validate import FileReport, check_files, load_plan


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
            _("{files} file(s) checked: {ok} ok, {bad} with errors; {errors} error(s), {warnings} warning(s)").format(
                files=len(self.reports), ok=len(self.reports) - bad, bad=bad, errors=self.error_count,
                warnings=self.warning_count)
        )
        return out


def validate(paths, plans_dir=None, encoding: str | None = None) -> ValidationResult:
    """Validate the given files, the plan and results files found in given folders, or every plan in the store."""
    files: list[Path] = []
    for path in map(Path, paths):
        files += plan_files_in(path) if path.is_dir() else [path]
    if not paths:
        files = PlanStore(resolve_plans_dir(plans_dir)).all_paths()
        if not files:
            raise PlanNotFound(_("no plans (*/*.yaml) found in {folder}.").format(folder=resolve_plans_dir(plans_dir)))
    return ValidationResult(check_files(files, encoding))


def list_plans(plans_dir=None, fmt: str = "text") -> str:
    rows = catalog(PlanStore(resolve_plans_dir(plans_dir)))
    if fmt == "json":
        return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return catalog_text(rows)


def show(year, branch: str, plans_dir=None, fmt: str = "text", encoding: str | None = None) -> str:
    plan = PlanStore(resolve_plans_dir(plans_dir)).load(branch, parse_year(year), encoding)
    if fmt == "json":
        return json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return outline(plan)


def _is_plan_file(spec: str) -> bool:
    return spec.endswith((".yaml", ".yml")) or Path(spec).is_file()


def diff(versions, branch: str | None = None, plans_dir=None, exact: bool = False,
         encoding: str | None = None, rev: str | None = None) -> DiffResult:
    """Diff two fiscal years of a branch, two plan files, or one plan across git revisions.

    ``2018 2019 --branch kagoshima``; ``old.yaml new.yaml``; ``2019 --rev HEAD~3`` (that revision
    against the working tree); ``2019 --rev A..B``; ``2018 2019 --rev v2019-final`` (both at a tag).
    """
    from .versions import diff_at_revisions

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
    old_plan, _warnings = load_plan(paths[0], encoding)
    new_plan, _warnings = load_plan(paths[1], encoding)
    _freeze_loaded()
    result = _with_old_actuals(diff_plans(old_plan, new_plan, exact=exact), paths[0], old_plan)
    if old_plan.fiscal_year > new_plan.fiscal_year:
        result.warnings.insert(0, {"kind": "reversed_years", "message": (
            f"旧に新しい年度（{old_plan.year_label}）、新に古い年度（{new_plan.year_label}）を指定しています。"
            f"年度の順を確かめてください（例: kenpo-plans diff {new_plan.fiscal_year} {old_plan.fiscal_year}）。")})
    return result


DOCUMENT_OPTIONS = ("landscape", "old_left", "monochrome", "changes_only", "font", "template_dir")
OPTION_NAMES = {"landscape": "--landscape", "old_left": "--old-left", "monochrome": "--monochrome",
                "changes_only": "--changes-only", "font": "--font", "template_dir": "--template-dir"}
SUFFIXES = {"pdf": ".pdf", "html": ".html", "docx": ".docx", "xlsx": ".xlsx", "json": ".json", "text": ".txt",
            "svg": ".svg", "png": ".png"}


def check_options(request: "OutputRequest", *, all_branches: bool = False, branch: str | None = None,
                  jobs: int | None = None, force: bool = False, old_word: str = "旧") -> None:
    """Refuse options that would silently do nothing, so a user never believes they took effect."""
    if request.fmt in ("text", "json"):
        given = [OPTION_NAMES[name] for name in DOCUMENT_OPTIONS if getattr(request, name, None)]
        if old_word != "旧":
            given.append("--old-word")
        if given:
            raise UsageError(_("{options} only shape documents (pdf, html, docx); --format {format} "
                               "ignores them. Leave them out, or choose --format pdf.").format(
                                   options=listing(given), format=request.fmt))
    if all_branches and branch:
        raise UsageError(_("--all-branches renders every branch; leave out --branch (or leave out --all-branches)."))
    if not all_branches and (jobs or force):
        raise UsageError(_("{option} applies to --all-branches only.").format(option="--jobs" if jobs else "--force"))
    output = request.output
    if output is not None and not all_branches and output.suffix and not output.is_dir():
        wanted = SUFFIXES.get(request.fmt)
        if wanted and output.suffix.lower() != wanted and not (request.fmt == "text" and output.suffix == ".text"):
            raise UsageError(_("-o {output} ends in {suffix} but --format is {format}; "
                               "use -o {fixed_output} or --format {suffix_format}.").format(
                                   output=output, suffix=output.suffix, format=request.fmt,
                                   fixed_output=output.with_suffix(wanted),
                                   suffix_format=output.suffix.lstrip(".").lower()))


def _freeze_loaded() -> None:
    """The loaded plans live until the process ends: the collector need not rescan them on every pass of the
    diff's many small allocations (measured −29 % on a plan 100 times Kagoshima's size)."""
    import gc

    gc.freeze()


def _with_old_actuals(result: DiffResult, old_path, old_plan) -> DiffResult:
    """What the old year achieved, where its results are recorded: the 新旧対照表 shows it beside the targets."""
    from .results.loader import results_path_for

    old_path = Path(old_path) if old_path else None
    if old_path is None or not results_path_for(old_path).is_file():
        return result  # most plans have no results beside them; the results pipeline is not even imported
    from .results.actuals import year_end_actuals

    result.old_actuals = year_end_actuals(old_path, old_plan)
    return result


def format_diff(result: DiffResult, fmt: str = "text", color: bool = False) -> str:
    from . import report

    if fmt == "json":
        return report.to_json(result)
    return report.to_text(result, color=color)


# --- writing diffs: text, JSON, HTML, PDF; one branch or all ------------------------------

DOCUMENT_FORMATS = ("pdf", "html", "docx")
EXTENSIONS = {"pdf": "pdf", "html": "html", "json": "json", "text": "txt", "docx": "docx", "xlsx": "xlsx"}


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
    renderer: object | None = None  # a weasy.PdfRenderer started before the pipeline's imports


@dataclass
class DiffOutcome:
    stdout: str = ""
    written: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
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
    if request.fmt == "docx":
        from .office import shinkyu_docx
        from .render import RenderOptions, build_context

        options = RenderOptions(old_left=request.old_left, old_word=request.old_word, monochrome=request.monochrome,
                                changes_only=request.changes_only, landscape=request.landscape)
        return shinkyu_docx.build(build_context(result, options), request.font, request.landscape)
    from .render import render_document, template_dir

    folder = template_dir(request.template_dir)
    return render_document(result, request.fmt, _render_options(request), folder, request.renderer)


def write_diff(result: DiffResult, request: OutputRequest) -> DiffOutcome:
    """Print text/JSON, or write the document (PDF by default) atomically next to where it is asked for."""
    outcome = DiffOutcome(has_changes=result.has_changes)
    return _deliver(outcome, produce(result, request), request, default_output_name(result, request.fmt),
                    (result.old.source, result.new.source))


FILE_FORMATS = DOCUMENT_FORMATS + ("xlsx", "svg", "png")  # written to a file even without -o


def _deliver(outcome: DiffOutcome, data: str | bytes, request: OutputRequest, default_name: str,
             protected) -> DiffOutcome:
    """Text on stdout, or a file: -o (a directory takes the default name), else the default name here."""
    target = request.output
    if target is None and request.fmt in FILE_FORMATS:
        target = Path(default_name)
    if target is not None and target.is_dir():
        target = target / default_name
    if target is None:
        outcome.stdout = data if isinstance(data, str) else ""
        return outcome
    outcome.written.append(write_atomic(target, data, protected=protected))
    return outcome


def _branch_job(args: tuple) -> tuple[str, str | None, str | None]:
    """One branch of --all-branches, in a worker process: (branch, written path, error message)."""
    branch, old_year, new_year, plans_dir, request, folder = args
    try:
        store = PlanStore(plans_dir)
        old_plan = store.load(branch, old_year)
        result = _with_old_actuals(diff_plans(old_plan, store.load(branch, new_year)),
                                   store.path_for(branch, old_year), old_plan)
        target = folder / default_output_name(result, request.fmt)
        write_atomic(target, produce(result, request), protected=(result.old.source, result.new.source))
        return branch, str(target), None
    except KenpoError as exc:
        return branch, None, str(exc)
    except Exception as exc:  # one broken branch must not stop the other 46
        return branch, None, _("internal error: {type}: {error}").format(type=type(exc).__name__, error=exc)


def diff_all_branches(versions, plans_dir, request: OutputRequest, jobs: int | None = None,
                      progress=None, force: bool = False) -> DiffOutcome:
    """Render every branch that has both years, in parallel; failures are collected, not raised.

    A branch whose output is up to date (see ``source_fingerprint``) is not rendered again unless ``force``.
    ``progress(done, total, branch, status)`` is called once at the start and once per finished branch.
    """
    if len(versions) != 2:
        raise UsageError(_("--all-branches compares two fiscal years: kenpo-plans diff 2018 2019 --all-branches"))
    old_year, new_year = parse_year(versions[0]), parse_year(versions[1])
    if old_year == new_year:
        raise UsageError(_("both versions are fiscal year {year}; give two different years.").format(year=old_year))
    store = PlanStore(resolve_plans_dir(plans_dir))
    branches = [b for b in store.branches() if {old_year, new_year} <= set(store.years(b))]
    if not branches:
        raise PlanNotFound(_("no branch in {folder} has plans for both {old_year} and {new_year}.").format(
            folder=store.root, old_year=old_year, new_year=new_year))
    folder = Path(request.output or ".")
    if not folder.exists():
        raise OutputError(_("{folder} does not exist; --all-branches -o takes a directory: create it first "
                            "(mkdir {folder}).").format(folder=folder))
    if not folder.is_dir():
        raise OutputError(_("{folder} is a file; --all-branches -o takes a directory.").format(folder=folder))
    font = None
    if request.fmt in ("pdf", "html"):
        from .render import template_dir

        request = replace(request, template_dir=template_dir(request.template_dir))
        font = _render_options(request).font_family  # fail once, here, when no Japanese font is installed
    outcome = DiffOutcome()
    total = len(branches)
    if progress:
        progress(0, total, "", "start")
    work, fingerprints = [], {}
    for branch in branches:
        target = folder / f"{branch}_{old_year}-{new_year}_shinkyu.{EXTENSIONS[request.fmt]}"
        fingerprints[branch] = source_fingerprint(store, branch, old_year, new_year, request, font)
        if not force and _up_to_date(target, fingerprints[branch]):
            outcome.up_to_date.append(target)
            if progress:
                progress(len(outcome.up_to_date), total, branch, _("up to date"))
            continue
        work.append((branch, old_year, new_year, store.root, request, folder))
    for branch, written, error in _run_jobs(work, jobs):
        if error:
            outcome.failures.append((branch, error))
        else:
            outcome.written.append(Path(written))
            write_atomic(_fingerprint_file(Path(written)), fingerprints[branch] + "\n")
        if progress:
            done = len(outcome.written) + len(outcome.failures) + len(outcome.up_to_date)
            progress(done, total, branch, _("failed") if error else _("rendered"))
    outcome.written.sort()
    outcome.failures.sort()
    lines = [_("{total} branch(es): {rendered} rendered, {up_to_date} up to date, {failed} failed").format(
        total=total, rendered=len(outcome.written), up_to_date=len(outcome.up_to_date), failed=len(outcome.failures))]
    skipped = [b for b in store.branches() if b not in branches]
    if skipped:
        neither = _("neither")
        lines.append(_("skipped (not a plan for both years; the years it has): {branches}").format(branches=listing(
            f"{b} ({', '.join(str(y) for y in store.years(b) if y in (old_year, new_year)) or neither})"
            for b in skipped)))
    lines += [f"  {path}" for path in outcome.written]
    lines += [_("FAILED {branch}: {error}").format(branch=branch, error=error) for branch, error in outcome.failures]
    outcome.stdout = "\n".join(lines) + "\n"
    return outcome


def source_fingerprint(store: PlanStore, branch: str, old_year: int, new_year: int, request: OutputRequest,
                       font: str | None) -> str:
    """A hash of everything an output is made from: plans, old results, templates, options, tool version.

    Content, not timestamps: a checkout, a copy or `touch` changes nothing; an edit anywhere does.
    """
    import hashlib

    from . import __version__

    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    add("version", __version__.encode())
    options = (request.fmt, request.landscape, request.old_left, request.old_word, request.monochrome,
               request.changes_only, font)
    add("options", repr(options).encode())
    for year in (old_year, new_year):
        plan = store.expected_path(branch, year)
        add(plan.name, plan.read_bytes() if plan.is_file() else b"")
    from .results.loader import results_path_for

    results = results_path_for(store.expected_path(branch, old_year))
    add(results.name, results.read_bytes() if results.is_file() else b"")
    if request.template_dir is not None and request.fmt in DOCUMENT_FORMATS:
        for path in sorted(Path(request.template_dir).iterdir()):
            if path.is_file():
                add(path.name, path.read_bytes())
    return digest.hexdigest()


def _fingerprint_file(output: Path) -> Path:
    """Kept beside the output, hidden: .kagoshima_2018-2019_shinkyu.pdf.source"""
    return output.with_name(f".{output.name}.source")


def _up_to_date(target: Path, fingerprint: str) -> bool:
    record = _fingerprint_file(target)
    if not target.is_file() or not record.is_file():
        return False
    return record.read_text(encoding="utf-8", errors="replace").strip() == fingerprint


def _run_jobs(work: list[tuple], jobs: int | None):
    jobs = jobs or os.cpu_count() or 1
    if not work:
        return
    if jobs == 1 or len(work) == 1:
        yield from map(_branch_job, work)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(work)), initializer=_worker_setup)
    try:
        futures = [pool.submit(_branch_job, item) for item in work]
        for future in as_completed(futures):
            yield future.result()
    except BaseException:
        # Terminated, interrupted or failed: the workers stop now, not after the remaining branches.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _worker_setup() -> None:
    """In each worker: clean up on SIGTERM/SIGHUP, and die with the parent even if it is killed outright."""
    import signal

    from .cli import install_signal_handlers

    install_signal_handlers()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the workers
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux): SIGTERM when the parent dies
    except (OSError, AttributeError):
        pass


# --- versioning: new year, history, git integration ---------------------------------------


def new(year, branch: str, from_year=None, plans_dir=None, force: bool = False, name: str | None = None) -> str:
    """Create next year's draft from an existing plan; returns what to tell the planner."""
    from .rollforward import new_plan

    result = new_plan(PlanStore(resolve_plans_dir(plans_dir)), branch, parse_year(year),
                      parse_year(from_year) if from_year is not None else None, force, name)
    lines = [_("created {path} from {source} (status: draft)").format(path=result.path, source=result.source)]
    if result.backup:
        lines.append(_("the previous {name} was kept as {backup}").format(name=result.path.name, backup=result.backup))
    lines += [str(problem) for problem in result.warnings]
    lines.append(_("next: edit {path}, then run kenpo-plans validate").format(path=result.path))
    return "\n".join(lines) + "\n"


def log(year, branch: str, plans_dir=None) -> str:
    """The commits that touched one plan, newest first, each with a one-line semantic summary."""
    from .versions import plan_log

    path = PlanStore(resolve_plans_dir(plans_dir)).expected_path(branch, parse_year(year))
    lines = []
    for entry in plan_log(path):
        commit = entry.commit
        lines.append(f"{commit.short} {commit.date} {commit.author}  {commit.subject}")
        lines.append(f"    {entry.summary}")
    return "\n".join(lines) + "\n"


GIT_DRIVER = "kenpo-plans"


def git_setup(plans_dir=None) -> str:
    """Make `git diff` and `git log -p` show plan changes semantically, for this repository."""
    import shlex
    import sys

    from . import gitrepo

    folder = resolve_plans_dir(plans_dir)
    if not folder.is_dir():
        raise PlanNotFound(_("plans directory {folder} does not exist; run git-setup in your planning repository.")
                           .format(folder=folder))
    root = gitrepo.repo_root(folder, N_("git diff cannot be set up for it"))
    patterns = [f"{gitrepo.relative(root, folder)}/**/*.{ext} diff={GIT_DRIVER}" for ext in ("yaml", "yml")]
    pattern = patterns[0]
    attributes = root / ".gitattributes"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    missing = [p for p in patterns if p not in existing.splitlines()]
    changed = bool(missing)
    if changed:
        write_atomic(attributes, existing + ("" if not existing or existing.endswith("\n") else "\n")
                     + "".join(p + "\n" for p in missing))
    launcher = _write_driver_launcher(root)
    command = shlex.quote(str(launcher))
    for key, value in (("command", f"{command} git-diff"), ("textconv", f"{command} textconv"),
                       ("cachetextconv", "false")):
        gitrepo.git_config(root, f"diff.{GIT_DRIVER}.{key}", value)
    first = (_("added `{pattern}` in {attributes}") if changed else _("kept `{pattern}` in {attributes}"))
    return (first.format(pattern=pattern, attributes=attributes) + "\n"
            + _("configured diff.{driver} in {root}/.git/config: `git diff` shows the semantic diff of plans, "
                "`git log -p` their outlines").format(driver=GIT_DRIVER, root=root) + "\n")


DRIVER_LAUNCHER = """#!/bin/sh
# Written by `kenpo-plans git-setup`: how git runs kenpo-plans for `git diff` and `git log -p`.
# The interpreter that ran git-setup first; if that virtual environment was moved or rebuilt
# elsewhere, kenpo-plans on PATH; else python3 with kenpo_plans installed.
if [ -x {python} ] && {python} -c 'import kenpo_plans' >/dev/null 2>&1; then exec {python} -m kenpo_plans "$@"; fi
if command -v kenpo-plans >/dev/null 2>&1; then exec kenpo-plans "$@"; fi
exec python3 -m kenpo_plans "$@"
"""


def _write_driver_launcher(root: Path) -> Path:
    """.git/kenpo-plans-driver: survives a moved or rebuilt virtual environment (never committed: inside .git)."""
    import shlex
    import stat
    import sys

    from . import gitrepo

    git_dir = Path(gitrepo.git_dir(root))
    launcher = git_dir / "kenpo-plans-driver"
    write_atomic(launcher, DRIVER_LAUNCHER.format(python=shlex.quote(sys.executable)))
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return launcher


def git_diff_driver(args: tuple[str, ...]) -> str:
    """git's external diff: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE."""
    if len(args) < 7:
        raise UsageError(_("git-diff is called by git with 7 arguments; run kenpo-plans git-setup to configure it."))
    path, old_file, new_file = args[0], args[1], args[4]
    header = f"kenpo-plans diff {path}\n"
    from .results.loader import is_results_path

    if is_results_path(path):
        return header + _results_diff(old_file, new_file, path)
    try:
        old_plan = _plan_or_none(old_file, path)
        new_plan = _plan_or_none(new_file, path)
    except KenpoError as exc:
        notice = _("(not a valid plan on one side, so a plain diff follows: {error})").format(error=exc)
        return header + notice + "\n" + _plain_diff(old_file, new_file, path)
    if old_plan is None or new_plan is None:
        plan = new_plan or old_plan
        verb = "新規作成" if old_plan is None else "削除"
        return header + f"{verb}: {plan.title}（施策 {sum(1 for _ in plan.walk_measures())}件）\n"
    return header + format_diff(diff_plans(old_plan, new_plan), "text", color=False)


def _plan_or_none(file: str, label: str):
    if file == "/dev/null" or not Path(file).is_file():
        return None
    from .loader import decode_plan_bytes
    from .validate import load_plan_text

    from .loader import read_limited

    text = decode_plan_bytes(read_limited(Path(file)), label)
    plan, _warnings = load_plan_text(text, label)
    return plan


def _plain_diff(old_file: str, new_file: str, label: str) -> str:
    import difflib

    def lines(file: str) -> list[str]:
        if file == "/dev/null" or not Path(file).is_file():
            return []
        return _text_or_notice(file).splitlines(keepends=True)

    return "".join(difflib.unified_diff(lines(old_file), lines(new_file), f"a/{label}", f"b/{label}"))


def _results_outline_or_text(file: str, label: str) -> list[str]:
    if file == "/dev/null" or not Path(file).is_file():
        return []
    from .results.outline import results_outline
    from .results.validate import read_results_file

    results, problems = read_results_file(Path(file))
    if results is None or any(p.severity == "error" for p in problems):
        return _text_or_notice(file).splitlines(keepends=True)
    return results_outline(results).splitlines(keepends=True)


def _results_diff(old_file: str, new_file: str, label: str) -> str:
    """Results files compare as outlines (one KPI or measure a line), keyed by id."""
    import difflib

    old, new = _results_outline_or_text(old_file, label), _results_outline_or_text(new_file, label)
    return "".join(difflib.unified_diff(old, new, f"a/{label}", f"b/{label}", n=1)) or "内容の変更なし\n"


def textconv(file: str) -> str:
    """A plan (or results file) as its outline (what `git log -p` compares); raw text when not valid."""
    from .results.loader import is_results_path

    if is_results_path(file):
        return "".join(_results_outline_or_text(file, file))
    path = Path(file)
    try:
        plan, _warnings = load_plan(path)
    except KenpoError:
        return _text_or_notice(file)
    return outline(plan)


def _text_or_notice(file: str) -> str:
    """A file's text for a plain diff; a notice instead of a file too large or too strange to read."""
    from .loader import read_limited

    try:
        return read_limited(Path(file)).decode("utf-8", errors="replace")
    except KenpoError as exc:
        return f"(kenpo-plans: {exc})\n"


# --- results and progress: evaluated against the plan's own KPIs ---------------------------

RESULTS_FORMATS = ("pdf", "html", "text", "json")


class EvaluatedReport(dict):
    """The evaluated report (the JSON contract) that also knows which files it was read from."""

    def __init__(self, data: dict, sources: tuple[str, ...] = (), every_report=None):
        super().__init__(data)
        self.sources = sources  # outputs never replace these
        self._every_report = every_report  # a callable: only a workbook needs every report of the year

    @property
    def every_report(self) -> list[dict]:
        if callable(self._every_report):
            self._every_report = self._every_report()
        return self._every_report or [dict(self)]


def load_results(year, branch: str, plans_dir=None, period: str | None = None, encoding: str | None = None):
    """The evaluated report (plain data, the JSON contract) of one branch and year; latest report by default."""
    from .results.evaluate import evaluate
    from .results.validate import check_results_file, previous_year_results

    store = PlanStore(resolve_plans_dir(plans_dir))
    fiscal_year = parse_year(year)
    plan_path = store.path_for(branch, fiscal_year)
    path = store.results_path(branch, fiscal_year)
    if not path.is_file():
        have = [p.name for p in store.results_paths() if p.parent.name == branch]
        raise PlanNotFound(_("no results for {branch} {year}: {path} does not exist. "
                             "Results files of {branch}: {files} "
                             "(the format is in docs/results-format.md).").format(
                                 branch=branch, year=fiscal_year, path=path, files=listing(have) or _("none")))
    plan, _warnings = load_plan(plan_path, encoding)
    results, problems = check_results_file(path, lambda _p: (plan, True), encoding)
    if results is None or any(p.severity == "error" for p in problems):
        from .errors import ValidationFailed

        raise ValidationFailed(problems)
    report = results.latest() if period is None else results.report(period)
    if report is None:
        shown = listing(f"{r.period} ({r.id})" for r in results.reports)
        raise UsageError(_("{path} has no report for period '{period}'; it has: {shown}.").format(
            path=path, period=period, shown=shown))
    previous = previous_year_results(path, fiscal_year, encoding)
    return EvaluatedReport(evaluate(plan, results, report, previous), sources=(str(plan_path), str(path)),
                           every_report=lambda: [evaluate(plan, results, each, previous) for each in results.reports])


def default_results_name(evaluated: dict, fmt: str) -> str:
    report = evaluated["report"]
    return f"{evaluated['branch']['id']}_{evaluated['fiscal_year']}_{report['period']}_results.{EXTENSIONS[fmt]}"


def produce_results(evaluated: dict, request: OutputRequest) -> str | bytes:
    from .results import text as results_text

    if request.fmt == "json":
        return json.dumps(evaluated, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if request.fmt == "text":
        return results_text.to_text(evaluated, color=request.color)
    if request.fmt == "xlsx":
        from .office.results_office import results_workbook

        return results_workbook(getattr(evaluated, "every_report", [evaluated]))
    if request.fmt == "docx":
        from .office.results_office import results_document

        return results_document(evaluated, request.font, request.landscape)
    from .fonts import choose_font
    from .results.render import render_results_document

    return render_results_document(evaluated, request.fmt, choose_font(request.font), request.landscape,
                                   request.monochrome, request.template_dir, request.renderer)


def write_results(evaluated: dict, request: OutputRequest) -> DiffOutcome:
    """Print text/JSON, or write the 事業実施結果 document (PDF by default) atomically."""
    return _deliver(DiffOutcome(), produce_results(evaluated, request), request,
                    default_results_name(evaluated, request.fmt), getattr(evaluated, "sources", ()))


# --- KPI history and branch comparison -----------------------------------------------------

KPI_FORMATS = ("html", "pdf", "text", "json", "svg", "png", "xlsx")


def kpi_view(kpi_id: str | None, branch: str | None, all_branches: bool = False, year=None,
             plans_dir=None) -> dict:
    """One branch's KPIs across years, or one KPI across branches in one year (the JSON contract)."""
    from .history.collect import branch_history, branch_ranking, require_view

    store = PlanStore(resolve_plans_dir(plans_dir))
    fiscal_year = parse_year(year) if year is not None else None
    if require_view(branch, all_branches, kpi_id, fiscal_year) == "branches":
        return branch_ranking(store, kpi_id, fiscal_year)
    return branch_history(store, branch, kpi_id)


def default_kpi_name(view: dict, fmt: str) -> str:
    ext = {"text": "txt"}.get(fmt, fmt)
    if view["view"] == "branch":
        only = f"_{view['kpis'][0]['id']}" if len(view["kpis"]) == 1 else ""
        return f"{view['branch']['id']}{only}_kpi.{ext}"
    return f"{view['kpi']['id']}_{view['fiscal_year']}_branches.{ext}"


def write_kpi(view: dict, request: OutputRequest) -> DiffOutcome:
    """text/json to the terminal; html, pdf, svg and png to a file (atomically)."""
    from .history import render as history

    outcome = DiffOutcome()
    if request.fmt == "json":
        data: str | bytes = json.dumps(view, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    elif request.fmt == "text":
        data = history.to_text(view)
    elif request.fmt == "xlsx":
        from .office.kpi_office import kpi_workbook

        data = kpi_workbook(view)
    else:
        from .fonts import choose_font

        font = choose_font(request.font)
        if request.fmt in ("svg", "png"):
            if view["view"] == "branch" and len(view["kpis"]) != 1:
                raise UsageError(_("--format {format} draws one chart: name one KPI, e.g. kenpo-plans kpi "
                                   "{kpi} --branch {branch} -f {format}.").format(
                                       format=request.fmt, kpi=view["kpis"][0]["id"] if view["kpis"] else "KPI_ID",
                                       branch=view["branch"]["id"]))
            data = history.render_chart(view, request.fmt, _gothic(font))
        else:
            data = history.render_document(view, request.fmt, font, request.template_dir)
    return _deliver(outcome, data, request, default_kpi_name(view, request.fmt), ())


def _gothic(font: str) -> str:
    """Charts read best in Gothic where it is installed."""
    from .fonts import japanese_families

    return next((f for f in ("IPAexGothic", "Noto Sans CJK JP", "IPAGothic") if f in japanese_families()), font)
