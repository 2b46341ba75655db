"""Command line: parse options, call one library function, print.

Errors are not handled here: ``main`` catches ``KenpoError`` once and turns
it into a message and an exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, api
from .errors import KenpoError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def plans_dir_option(func):
    return click.option(
        "--plans-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="KENPO_PLANS_DIR",
        help="Directory holding <branch>/<year>.yaml (default ./plans; env KENPO_PLANS_DIR).",
    )(func)


def branch_option(func):
    return click.option("--branch", "-b", required=True, help="Branch slug, e.g. kagoshima.")(func)


def encoding_option(func):
    return click.option(
        "--encoding", default=None, help="Read plan files in this encoding (e.g. cp932) instead of UTF-8."
    )(func)


def format_option(*choices: str):
    def decorate(func):
        return click.option(
            "--format", "-f", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
            help="Output format.",
        )(func)
    return decorate


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="kenpo-plans")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
def cli(debug: bool) -> None:
    """kenpo-plans: 協会けんぽ支部事業計画の管理と新旧対照表.

    Plans live as YAML in plans/<branch>/<fiscal_year>.yaml.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@plans_dir_option
@encoding_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def validate(paths: tuple[Path, ...], plans_dir: Path | None, encoding: str | None, strict: bool) -> None:
    """Check plan files (default: every plan in the plans directory).

    Every problem is reported as FILE:LINE:COLUMN with the path inside the
    document; the exit status is 1 when any file has an error.
    """
    result = api.validate(paths, plans_dir, encoding)
    for line in result.lines():
        click.echo(line, err=not result.ok)
    if not result.ok or (strict and result.warning_count):
        sys.exit(1)


@cli.command("list")
@plans_dir_option
@format_option("text", "json")
def list_plans(plans_dir: Path | None, fmt: str) -> None:
    """List branches and fiscal years with title and status."""
    click.echo(api.list_plans(plans_dir, fmt), nl=False)


@cli.command()
@click.argument("year")
@branch_option
@plans_dir_option
@encoding_option
@format_option("text", "json")
def show(year: str, branch: str, plans_dir: Path | None, encoding: str | None, fmt: str) -> None:
    """Show one plan as an outline (or --format json: the parsed model with KPI targets).

    YEAR may be 2019, 平成31年度, H31, 令和元年度 or R1.
    """
    click.echo(api.show(year, branch, plans_dir, fmt, encoding), nl=False)


@cli.command()
@click.argument("versions", nargs=-1, required=True)
@click.option("--branch", "-b", help="Branch slug when comparing fiscal years, e.g. kagoshima.")
@plans_dir_option
@encoding_option
@format_option("text", "json")
@click.option("--exact", is_flag=True, help="Also show width-only differences (％/%, full-width digits).")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are differences, 0 when none.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when a terminal).")
def diff(versions: tuple[str, ...], branch: str | None, plans_dir: Path | None, encoding: str | None, fmt: str,
         exact: bool, exit_code: bool, color: bool | None) -> None:
    """Compare two versions of a plan: OLD NEW.

    \b
    kenpo-plans diff 2018 2019 --branch kagoshima
    kenpo-plans diff old.yaml new.yaml --format json
    """
    result = api.diff(versions, branch, plans_dir, exact, encoding)
    use_color = sys.stdout.isatty() if color is None else color
    click.echo(api.format_diff(result, fmt, use_color), nl=False, color=use_color)
    if exit_code and result.has_changes:
        sys.exit(1)


def _wants_debug(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("KENPO_PLANS_DEBUG") == "1"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = _wants_debug(argv)
    try:
        cli.main(args=argv, prog_name="kenpo-plans", standalone_mode=False)
    except KenpoError as exc:
        if debug:
            raise
        click.echo(f"kenpo-plans: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("kenpo-plans: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception as exc:  # a bug: say so plainly; the traceback is for --debug
        if debug:
            raise
        click.echo(
            f"kenpo-plans: internal error: {type(exc).__name__}: {exc}\n"
            "Run again with --debug for the traceback, and report it with the input that caused it.",
            err=True,
        )
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
