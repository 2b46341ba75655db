"""Command line: parse options, call one library function, print.

Errors are not handled here: ``main`` catches ``KenpoError`` once and turns
it into a message and an exit code.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import KenpoError
from .helptext import TranslatedRange, localize_metavars
from .i18n import N_, _, use_catalog_for_click
from .labels import OLD_WORD, OLD_WORDS
from .commands.requests import SUMMARY_PLACES, DiffRequest, KpiRequest, PlanRequest, ResultsRequest
from .options import (branch_option, color_option, complete_branch, complete_kpi, complete_year, computed_option,
                      debug_option, encoding_option, font_option, format_option, gathered, landscape_option, layout_option,
                      monochrome_option, output_option, period_option, plans_dir_option, template_dir_option)
from .signals import Terminated, install_signal_handlers
from .textsafety import visible


def _command(name: str):
    """The module of one command (kenpo_plans.commands.NAME), imported on first use, so --help and --version
    start without the whole pipeline."""
    import importlib

    return importlib.import_module(f"kenpo_plans.commands.{name}")


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
N_("required")  # click translates the "[required]" mark of an option's help at run time, from a variable


@click.group(context_settings=CONTEXT, help=N_("kenpo-plans: 協会けんぽ支部事業計画の管理と新旧対照表.\n"
    "\n"
    "Plans live as YAML in plans/<branch>/<fiscal_year>.yaml."))
@click.version_option(__version__, prog_name="kenpo-plans")
@click.option("--debug", is_flag=True, help=N_("Show the full traceback when something fails."))
def cli(debug: bool) -> None:
    pass  # --debug is read by main() before click parses; the group only groups


@cli.command(help=N_("Check plan files (default: every plan in the plans directory).\n"
    "\n"
    "Every problem is reported as FILE:LINE:COLUMN with the path inside the\n"
    "document; the exit status is 1 when any file has an error."))
@debug_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@plans_dir_option
@encoding_option
@click.option("--strict", is_flag=True, help=N_("Treat warnings as errors."))
def validate(paths: tuple[Path, ...], plans_dir: Path | None, encoding: str | None, strict: bool) -> None:
    result = _command("check").validate(paths, plans_dir, encoding)
    ok = result.ok  # once: asked per printed line it made many problems cost their square
    for line in result.lines():
        click.echo(visible(line), err=not ok)
    if not ok or (strict and result.warning_count):
        sys.exit(1)


@cli.command("list", help=N_("List branches and fiscal years with title and status."))
@debug_option
@plans_dir_option
@format_option(choices=("text", "json"))
def list_plans(plans_dir: Path | None, fmt: str) -> None:
    click.echo(visible(_command("check").list_plans(plans_dir, fmt)), nl=False)


@cli.command(help=N_("Show one plan as an outline (or --format json: the parsed model with KPI targets), or publish\n"
    "it as a document (--format pdf|html|docx: <branch>_<year>_plan.pdf).\n"
    "\n"
    "YEAR may be 2019, 平成31年度, H31, 令和元年度 or R1."))
@debug_option
@click.argument("year", shell_complete=complete_year)
@branch_option
@plans_dir_option
@encoding_option
@format_option("plan")
@output_option
@landscape_option
@font_option
@template_dir_option
@gathered(PlanRequest)
def show(request) -> None:
    with _early_renderer(request.rendering.fmt == "pdf"):
        outcome = _command("check").show_plan(request)
    _report(outcome, color=False)


@cli.command(help=N_("Compare two versions of a plan and write the 新旧対照表 (PDF by default).\n"
    "\n"
    "\b\n"
    "kenpo-plans diff 2018 2019 --branch kagoshima            → kagoshima_2018-2019_shinkyu.pdf\n"
    "kenpo-plans diff 2018 2019 -b kagoshima --format text    → summary and changes in the terminal\n"
    "kenpo-plans diff old.yaml new.yaml --format json\n"
    "kenpo-plans diff old.docx new.docx                       → Word, PDF or text plans\n"
    "kenpo-plans diff 2018 2019 --all-branches -o out/\n"
    "kenpo-plans diff 2019 -b kagoshima --rev HEAD~3          → that draft against the working tree\n"
    "kenpo-plans diff 2019 -b kagoshima --rev v1..v2 -f text"))
@debug_option
@click.argument("versions", nargs=-1, required=True, shell_complete=complete_year)
@click.option("--branch", "-b", help=N_("Branch slug when comparing fiscal years, e.g. kagoshima."),
              shell_complete=complete_branch)
@click.option("--all-branches", is_flag=True, help=N_("Render every branch that has both years (-o DIR)."))
@plans_dir_option
@encoding_option
@format_option("diff")
@output_option
@click.option("--exact", is_flag=True, help=N_("Also show width-only differences (％/%, full-width digits)."))
@click.option("--exit-code", is_flag=True, help=N_("Exit 1 when there are differences, 0 when none, 2 on an error."))
@color_option
@landscape_option
@click.option("--old-left", is_flag=True, help=N_("Put the old year in the left column (default: 新 on the left)."))
@click.option("--old-word", type=click.Choice(OLD_WORDS), default=OLD_WORD, show_default=True,
              help=N_("Word heading the old column."))
@monochrome_option
@click.option("--changes-only", is_flag=True, help=N_("Collapse unchanged measures to （略）."))
@click.option("--remarks", is_flag=True, help=N_("Add a 備考 column: each row's kinds of change （新設）（削除）（修正）"
                                              "（番号変更） and the note the plan gives it."))
@click.option("--summary", type=click.Choice(SUMMARY_PLACES), default=SUMMARY_PLACES[0], show_default=True,
              help=N_("Where the summary of changes goes: after the table (as the originals), before it, or nowhere."))
@click.option("--track-changes", is_flag=True, help=N_("With --format docx: the new plan, its differences from the "
                                                    "old as Word revisions (accept all = new, reject all = old)."))
@font_option
@template_dir_option
@click.option("--jobs", "-j", type=TranslatedRange(1, 256), help=N_("Parallel renders with --all-branches (default: all cores)."))
@click.option("--rev", "-r", help=N_("Git revision: REV (against the working tree), A..B, or with two years both at REV."))
@click.option("--force", is_flag=True, help=N_("With --all-branches: render every branch, even those whose output is "
                                            "up to date."))
@gathered(DiffRequest)
def diff(request) -> None:
    command = _command("compare")
    with _early_renderer(request.rendering.fmt == "pdf" and not request.all_branches):
        if request.all_branches:
            outcome = _with_progress(lambda progress: command.compare(request, progress))
        else:
            outcome = command.compare(request)
    _report(outcome, request.rendering.color, written=not request.all_branches)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)


@cli.command("import", help=N_("Import a plan from Word (.docx), PDF or text, or results from Excel (.xlsx).\n"
    "\n"
    "\b\n"
    "kenpo-plans import 2019.docx --branch kagoshima --year 2019   → plans/kagoshima/2019.yaml\n"
    "kenpo-plans import plan.pdf -b kagoshima -y 2019 --dry-run    → print the plan file\n"
    "kenpo-plans import results.xlsx -b kumamoto -y 2024 --period year"))
@debug_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@branch_option
@click.option("--year", "-y", help=N_("Fiscal year of the plan (default: the year in the document's title)."))
@output_option
@click.option("--dry-run", is_flag=True, help=N_("Print what would be written; write nothing."))
@period_option()
@click.option("--force", is_flag=True, help=N_("Replace an existing file (a backup copy is kept)."))
@click.option("--side", type=click.Choice(["new", "old", "both"]), default="new", show_default=True,
              help=N_("Of a 新旧対照表: import the new plan, the old one, or both."))
@click.option("--name", help=N_("The branch's name (鹿児島支部) when neither its plans nor the document give it."))
@plans_dir_option
def import_command(file, branch, year, output, dry_run, period, force, side, name, plans_dir) -> None:
    outcome = _command("importing").import_into_plans(file, branch, year, output, dry_run, plans_dir, period, force,
                                                      side, name)
    _report(outcome, color=False)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)


@cli.command(help=N_("Results and progress of one year's plan, each KPI judged against the plan's own target\n"
    "(default: the latest report of the year: year-end results, else the latest progress).\n"
    "\n"
    "\b\n"
    "kenpo-plans results 2024 --branch kumamoto               → kumamoto_2024_year_results.pdf\n"
    "kenpo-plans results 2021 -b yamaguchi --period q1 -f text\n"
    "kenpo-plans results 2024 -b kumamoto --format json"))
@debug_option
@click.argument("year", shell_complete=complete_year)
@branch_option
@period_option()
@plans_dir_option
@encoding_option
@format_option("results")
@output_option
@color_option
@landscape_option
@monochrome_option
@font_option
@layout_option
@computed_option
@template_dir_option
@gathered(ResultsRequest)
def results(request) -> None:
    with _early_renderer(request.rendering.fmt == "pdf"):
        outcome = _command("results").write_results(request)
    _report(outcome, request.rendering.color)


@cli.command(help=N_("KPI history across years (one branch) or a ranking across branches (one year), with charts.\n"
    "\n"
    "\b\n"
    "kenpo-plans kpi --branch kumamoto                          → kumamoto_kpi.html\n"
    "kenpo-plans kpi seikatsu-kenshin-ritsu -b kumamoto -f svg  → one chart\n"
    "kenpo-plans kpi seikatsu-kenshin-ritsu --all-branches --year 2021 -f text"))
@debug_option
@click.argument("kpi_id", required=False, shell_complete=complete_kpi)
@click.option("--branch", "-b", help=N_("Branch slug: that branch's KPIs across every year."),
              shell_complete=complete_branch)
@click.option("--all-branches", is_flag=True, help=N_("One KPI across every branch (needs KPI_ID and --year)."))
@click.option("--year", "-y", help=N_("Fiscal year for --all-branches, e.g. 2024 or 令和6年度."))
@plans_dir_option
@format_option("kpi")
@output_option
@font_option
@template_dir_option
@gathered(KpiRequest)
def kpi(request) -> None:
    with _early_renderer(request.rendering.fmt == "pdf"):
        outcome = _command("kpi").write_kpi(request)
    _report(outcome, color=False)


@cli.command(help=N_("Start next year's draft from an existing plan (comments and layout kept, ids kept).\n"
    "\n"
    "\b\n"
    "kenpo-plans new 2020 --branch kagoshima            (copies 2019)\n"
    "kenpo-plans new 2026 --branch fukuoka --name 福岡支部  (a first plan, from the association-wide plan)"))
@debug_option
@click.argument("year", shell_complete=complete_year)
@branch_option
@click.option("--from", "from_year", help=N_("Year to copy (default: the latest year before YEAR)."))
@plans_dir_option
@click.option("--force", is_flag=True, help=N_("Replace an existing plan (a backup copy is kept)."))
@click.option("--name", help=N_("The branch's name (福岡支部), for its first plan, started from the association-wide plan."))
@click.option("--national", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("For a first plan: the association-wide plan file to start from (default: plans/national, "
                      "else the one shipped with kenpo-plans)."))
def new(year: str, branch: str, from_year: str | None, plans_dir: Path | None, force: bool, name: str | None,
        national: Path | None) -> None:
    click.echo(visible(_command("versioning").new(year, branch, from_year, plans_dir, force, name, national)),
               nl=False)


@cli.command("new-report", help=N_("Add one report's skeleton to <year>.results.yaml: every KPI and measure of the "
    "plan by id, with the figures left to fill in. A report that has figures is never replaced.\n"
    "\n"
    "\b\n"
    "kenpo-plans new-report 2026 --branch fukuoka --period q1"))
@debug_option
@click.argument("year", shell_complete=complete_year)
@branch_option
@period_option(required=True)
@plans_dir_option
def new_report(year: str, branch: str, period: str, plans_dir: Path | None) -> None:
    click.echo(visible(_command("report_skeleton").new_report(year, branch, period, plans_dir)), nl=False)


@cli.command(help=N_("The commits that changed one plan, newest first, each with a semantic summary."))
@debug_option
@click.argument("year", shell_complete=complete_year)
@branch_option
@plans_dir_option
def log(year: str, branch: str, plans_dir: Path | None) -> None:
    click.echo(visible(_command("versioning").log(year, branch, plans_dir)), nl=False)


@cli.command(help=N_("Set up a planning repository of one's own: plans/, schemas for editors, git diff driver, pre-commit.\n"
    "\n"
    "\b\n"
    "kenpo-plans init fukuoka-plans      (then: cd fukuoka-plans; kenpo-plans new 2026 -b fukuoka --name 福岡支部)"))
@debug_option
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--ci", multiple=True, type=click.Choice(["github", "gitlab"]),
              help=N_("Also write a CI pipeline (GitHub Actions or GitLab CI) that validates the plans, builds the "
                      "site and attaches the 新旧対照表 of each plan a merge request changes."))
def init(folder: Path, ci: tuple[str, ...]) -> None:
    for line in _command("ci").init_with_ci(folder, ci):
        click.echo(visible(line))


@cli.command(help=N_("Build a static site of every plan, 新旧対照表, results report and KPI view, with search.\n"
    "\n"
    "Only the pages whose plans, results or templates changed are made again.\n"
    "\n"
    "\b\n"
    "kenpo-plans site -o public      → public/index.html"))
@debug_option
@plans_dir_option
@output_option(folder=True, default=Path("public"), help_text=N_("Folder of the site."))
@click.option("--force", is_flag=True, help=N_("Make every page again, even those that are up to date."))
@click.option("--no-search", is_flag=True, help=N_("Leave the search index out (Pagefind not run)."))
@click.option("--no-documents", is_flag=True, help=N_("Pages only: no PDF, Word or Excel beside them (much faster)."))
def site(plans_dir: Path | None, output: Path, force: bool, no_search: bool, no_documents: bool) -> None:
    result = _with_progress(lambda progress: _command("site").build_site(output, plans_dir, force, not no_search,
                                                                          progress, not no_documents))
    click.echo(visible(result.summary()), nl=False)


@cli.command(help=N_("Preview the site while editing: rebuilt on every save, the open page reloaded.\n"
    "\n"
    "Listens on 127.0.0.1 only, unless --host says otherwise."))
@debug_option
@plans_dir_option
@click.option("--port", "-p", type=TranslatedRange(1, 65535), default=8000, show_default=True,
              help=N_("Port to listen on."))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=N_("Address to listen on; anything but 127.0.0.1 lets other computers read the plans."))
@output_option(folder=True, help_text=N_("Keep the preview's site in this folder (default: a temporary folder)."))
def serve(plans_dir: Path | None, port: int, host: str, output: Path | None) -> None:
    _command("serve").serve(plans_dir, output, host, port, echo=lambda line: click.echo(visible(line), err=True))


@cli.command("git-setup", help=N_("Make `git diff` / `git log -p` show plan changes semantically in this repository."))
@debug_option
@plans_dir_option
def git_setup(plans_dir: Path | None) -> None:
    click.echo(visible(_command("repository").git_setup(plans_dir)), nl=False)


@cli.command("git-diff", hidden=True, help=N_("External diff driver called by git (see git-setup)."))
@debug_option
@click.argument("args", nargs=-1)
def git_diff(args: tuple[str, ...]) -> None:
    repository = _command("repository")
    color = repository.git_wants_color()
    text = repository.git_diff_driver(args, color=color)
    click.echo(text if color else visible(text), nl=False, color=color)


@cli.command("merge-driver", hidden=True, help=N_("Merge driver called by git: %O %A %B %P (see git-setup)."))
@debug_option
@click.argument("base")
@click.argument("ours")
@click.argument("theirs")
@click.argument("path")
def merge_driver(base: str, ours: str, theirs: str, path: str) -> None:
    for notice in _command("merging").merge_driver(base, ours, theirs, path):
        click.echo(visible(notice), err=True)


@cli.command(hidden=True, help=N_("textconv filter called by git (see git-setup)."))
@debug_option
@click.argument("file")
def textconv(file: str) -> None:
    click.echo(visible(_command("repository").textconv(file)), nl=False)


def _report(outcome, color: bool, written: bool = True) -> None:
    """The command's text on stdout (control characters made visible unless it is our own colour), then
    where each file went on stderr (--all-branches lists its files in its summary instead)."""
    click.echo(outcome.stdout if color else visible(outcome.stdout), nl=False, color=color)
    for path in outcome.written if written else []:
        click.echo(visible(_("wrote {path}").format(path=path)), err=True)


@contextlib.contextmanager
def _early_renderer(wanted: bool):
    """For one PDF: the engine may start importing WeasyPrint while this process prepares the HTML."""
    if not wanted:
        yield
        return
    from .render.pdf import started_early

    with started_early():
        yield


def _with_progress(run):
    """A progress bar from the start on a terminal (stderr); one line per finished branch otherwise."""
    if not sys.stderr.isatty():
        def line(done: int, total: int, branch: str, status: str) -> None:
            if branch:
                click.echo(visible(f"[{done}/{total}] {branch}: {status}"), err=True)

        return run(line)

    def step(done: int, total: int, branch: str, status: str) -> None:
        width = 30
        filled = round(width * done / total) if total else width
        bar = "█" * filled + "░" * (width - filled)
        click.echo(f"\r{bar} {done}/{total} {visible(branch):<16}", nl=False, err=True)

    try:
        return run(step)
    finally:
        click.echo("", err=True)


def localize_help(command: click.Command) -> None:
    """Help texts are English msgids in the code (``N_``); each run shows them in the user's language.

    The English text is kept on the object, so a later run in another locale translates it afresh.
    """
    from .helptext import WideContext

    command.context_class = WideContext  # Japanese help measured in terminal columns
    localize_metavars(command)
    for thing in (command, *command.params):
        original = thing.__dict__.setdefault("msgid_help", getattr(thing, "help", None))
        if original:
            thing.help = _(original)
    for sub in getattr(command, "commands", {}).values():
        localize_help(sub)


EXIT_ERROR_WITH_EXIT_CODE = 2  # `diff --exit-code`: 0 no differences, 1 differences, 2 an error


def _wants_debug(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("KENPO_PLANS_DEBUG") == "1"


def _say_plans_dir(argv: list[str]) -> None:
    if not argv or argv[0] == "init" or {"--help", "-h", "--version"} & set(argv) \
            or any(a == "--plans-dir" or a.startswith("--plans-dir=") for a in argv):
        return
    from .plan.store import plans_dir_note

    note = plans_dir_note(None)
    if note:
        click.echo(visible("kenpo-plans: " + note), err=True)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = _wants_debug(argv)
    install_signal_handlers()
    use_catalog_for_click()
    localize_help(cli)
    try:
        _say_plans_dir(argv)
        cli.main(args=argv, prog_name="kenpo-plans", standalone_mode=False)
    except KenpoError as exc:
        if debug:
            raise
        click.echo(visible(f"kenpo-plans: {exc}"), err=True)
        # with --exit-code, 1 means "differences": an error must say something else
        return EXIT_ERROR_WITH_EXIT_CODE if "--exit-code" in argv else exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("kenpo-plans: " + _("interrupted"), err=True)
        return 130
    except Terminated as exc:
        click.echo("kenpo-plans: " + _("terminated"), err=True)
        return exc.code
    except click.ClickException as exc:
        import io

        shown = io.StringIO()
        exc.show(file=shown)  # the message may quote what was typed; it is shown, never obeyed
        click.echo(visible(shown.getvalue()), err=True, nl=False)
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception as exc:  # a bug: say so plainly; the traceback is for --debug
        if debug:
            raise
        click.echo(
            visible("kenpo-plans: " + _("internal error: {kind}: {error}\n"
                                        "Run again with --debug for the traceback, and report it with the input "
                                        "that caused it.").format(kind=type(exc).__name__, error=exc)),
            err=True,
        )
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
