"""`kenpo-plans diff OLD NEW --all-branches`: every branch's 新旧対照表, in parallel, only where something changed.

Each branch goes through the one diff path (``commands.diff.diff`` and the format registry), so ``--rev``,
``--exact`` and ``--encoding`` mean for every branch what they mean for one.  A branch whose output is up
to date is skipped: beside each output a small hidden record keeps a hash of everything the output is
made from (the branch's whole request, the plans, the templates) and whether the plans differed, so
``--exit-code`` still knows about skipped branches.  One
broken branch (an invalid plan, a name the file system cannot hold) is reported and never stops the others.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from .. import __version__
from ..errors import KenpoError, OutputError, PlanNotFound, UsageError
from ..fileio import write_atomic
from ..git import repo as gitrepo
from ..git.revisions import split_range
from ..i18n import _, listing
from ..plan.files import results_path_for
from ..plan.reading import read_limited
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from .diff import diff
from .outputs import FORMATS, Outcome, file_name, write
from .requests import DiffRequest
from .writers import render_options, shinkyu_stem

RECORD_LIMIT = 256  # a record is one hash and one word; anything longer was not written by us


@dataclass(frozen=True)
class BranchJob:
    branch: str
    request: DiffRequest  # one branch's own request, its output the target file
    target: Path


def diff_all_branches(request: DiffRequest, progress=None) -> Outcome:
    """Render every branch that has both years, in parallel; failures are collected, not raised.

    A branch whose output is up to date (see ``source_fingerprint``) is not rendered again unless ``force``.
    ``progress(done, total, branch, status)`` is called once at the start and once per finished branch.
    """
    if len(request.versions) != 2:
        raise UsageError(_("--all-branches compares two fiscal years: kenpo-plans diff 2018 2019 --all-branches"))
    old_year, new_year = parse_year(request.versions[0]), parse_year(request.versions[1])
    if old_year == new_year:
        raise UsageError(_("both versions are fiscal year {year}; give two different years.").format(year=old_year))
    store = PlanStore(resolve_plans_dir(request.plans_dir))
    branches = [b for b in store.branches() if {old_year, new_year} <= set(store.years(b))]
    if not branches:
        raise PlanNotFound(_("no branch in {folder} has plans for both {old_year} and {new_year}.").format(
            folder=store.root, old_year=old_year, new_year=new_year))
    output = request.rendering
    folder = _output_folder(output.output)
    font = None
    if FORMATS[output.fmt].templated:
        from ..render.templates import template_dir

        output = replace(output, template_dir=template_dir(output.template_dir))
        font = render_options(output).font_family  # fail once, here, when no Japanese font is installed
    revisions = _resolved_revisions(store, request.rev)
    outcome = Outcome()
    total = len(branches)
    if progress:
        progress(0, total, "", "start")
    work, fingerprints = [], {}
    for branch in branches:
        target = folder / file_name(shinkyu_stem(branch, old_year, new_year), output.fmt)
        branch_request = replace(request, versions=(str(old_year), str(new_year)), branch=branch,
                                 plans_dir=store.root, all_branches=False, jobs=None, force=False,
                                 exit_code=False, rendering=replace(output, output=target))
        try:
            fingerprints[branch] = source_fingerprint(branch_request, font, revisions)
            recorded = None if request.force else _recorded(target, fingerprints[branch])
        except (KenpoError, OSError) as exc:
            outcome.failures.append((branch, _describe_failure(exc)))
            if progress:
                progress(len(outcome.up_to_date) + len(outcome.failures), total, branch, _("failed"))
            continue
        if recorded is not None:
            outcome.up_to_date.append(target)
            outcome.has_changes |= recorded
            if progress:
                progress(len(outcome.up_to_date) + len(outcome.failures), total, branch, _("up to date"))
            continue
        work.append(BranchJob(branch, branch_request, target))
    for branch, written, has_changes, error in _run_jobs(work, request.jobs):
        if error:
            outcome.failures.append((branch, error))
        else:
            outcome.written.append(Path(written))
            outcome.has_changes |= has_changes
            try:
                _write_record(Path(written), fingerprints[branch], has_changes)
            except KenpoError as exc:  # the output stands; only the next run's shortcut is lost
                outcome.failures.append((branch, str(exc)))
        if progress:
            done = len(outcome.written) + len(outcome.failures) + len(outcome.up_to_date)
            progress(done, total, branch, _("failed") if error else _("rendered"))
    outcome.written.sort()
    outcome.failures.sort()
    outcome.stdout = _summary(outcome, store, branches, old_year, new_year)
    return outcome


def _output_folder(output: Path | None) -> Path:
    folder = Path(output or ".")
    if not folder.exists():
        raise OutputError(_("{folder} does not exist; --all-branches -o takes a directory: create it first "
                            "(mkdir {folder}).").format(folder=folder))
    if not folder.is_dir():
        raise OutputError(_("{folder} is a file; --all-branches -o takes a directory.").format(folder=folder))
    return folder


def _summary(outcome: Outcome, store: PlanStore, branches: list[str], old_year: int, new_year: int) -> str:
    total = len(branches)
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
    return "\n".join(lines) + "\n"


def _describe_failure(exc: BaseException) -> str:
    if isinstance(exc, KenpoError):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return _("the output's file name is too long for the file system ({name}…); shorten the branch's "
                 "folder name.").format(name=str(exc.filename or "")[:40])
    if isinstance(exc, OSError):
        return _("cannot write the output: {reason}.").format(reason=exc.strerror or exc)
    return _("internal error: {type}: {error}").format(type=type(exc).__name__, error=exc)


def _branch_job(job: BranchJob) -> tuple[str, str | None, bool, str | None]:
    """One branch, in a worker process: (branch, written path, plans differ, error message)."""
    try:
        request = job.request
        result = diff(request.versions, request.branch, request.plans_dir, request.exact, request.encoding,
                      request.rev)
        write("diff", result, request.rendering)
        return job.branch, str(job.target), result.has_changes, None
    except Exception as exc:  # one broken branch must not stop the other 46
        return job.branch, None, False, _describe_failure(exc)


def _resolved_revisions(store: PlanStore, rev: str | None) -> tuple[str, ...]:
    """--rev as commit ids: a moved branch or tag changes the fingerprint even when the working tree does not."""
    if rev is None:
        return ()
    root = gitrepo.repo_root(store.root)
    return tuple(gitrepo.resolve(root, part).sha for part in split_range(rev) if part is not None)


def source_fingerprint(request: DiffRequest, font: str | None = None, revisions: tuple[str, ...] = ()) -> str:
    """A hash of everything one branch's output is made from: its whole request (every field, nested ones
    too), the font and revisions they resolve to, the plans, the old year's results, the template files,
    and the tool's version.

    Content, not timestamps or places: a checkout, a copy or `touch` changes nothing, the same plans or
    templates in another folder are the same; an edit anywhere renders again.
    """
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    add("version", __version__.encode())
    # a frozen dataclass: its repr names every field and its value; the folders count by their content
    by_content = replace(request, plans_dir=None, rendering=replace(request.rendering, template_dir=None))
    add("request", repr(by_content).encode())
    add("resolved", repr((font, revisions)).encode())
    store = PlanStore(resolve_plans_dir(request.plans_dir))
    old_year, new_year = (parse_year(version) for version in request.versions)
    for year in (old_year, new_year):
        add(f"plan {year}", _content(store.expected_path(request.branch, year)))
    add("results", _content(results_path_for(store.expected_path(request.branch, old_year))))
    for path in _template_files(request.rendering):
        add(f"template {path.name}", path.read_bytes())
    return digest.hexdigest()


def _template_files(rendering) -> list[Path]:
    """The files of the template folder a templated format is made from (the shipped one by default)."""
    if not FORMATS[rendering.fmt].templated:
        return []
    from ..render.templates import template_dir

    return sorted(path for path in template_dir(rendering.template_dir).iterdir() if path.is_file())


def _content(path: Path) -> bytes:
    return read_limited(path) if path.exists() else b""


def _record_file(output: Path) -> Path:
    """Kept beside the output, hidden: .kagoshima_2018-2019_shinkyu.pdf.source"""
    return output.with_name(f".{output.name}.source")


def _recorded(target: Path, fingerprint: str) -> bool | None:
    """Whether the plans differed, as recorded when ``target`` was rendered from exactly these sources;
    None when it must be rendered (no output, no record, another fingerprint, a record we did not write)."""
    if not target.is_file():
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(_record_file(target), flags)
    except OSError:
        return None  # missing, or a link planted in its place: render again
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            return None
        words = stream.read(RECORD_LIMIT + 1).decode("ascii", errors="replace").split()
    if len(words) != 2 or words[0] != fingerprint or words[1] not in ("changes", "same"):
        return None
    return words[1] == "changes"


def _write_record(output: Path, fingerprint: str, has_changes: bool) -> None:
    # follow_links=False: a link planted where the record goes is replaced, never written through
    write_atomic(_record_file(output), f"{fingerprint} {'changes' if has_changes else 'same'}\n", follow_links=False)


def _run_jobs(work: list[BranchJob], jobs: int | None):
    jobs = jobs or os.cpu_count() or 1
    if not work:
        return
    if jobs == 1 or len(work) == 1:
        yield from map(_branch_job, work)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from ..signals import worker_setup

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(work)), initializer=worker_setup)
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
