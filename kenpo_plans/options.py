"""The options commands share, each declared once (one decorator, one help text), what the shell completes
for them, and ``gathered``, which hands a command one frozen request built from its options.

Completion reads the plans directory when the shell asks, never when a command runs, so its imports
stay inside the functions.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
from pathlib import Path

import click

from .commands.outputs import formats_for
from .commands.requests import OutputRequest
from .i18n import N_
from .labels import PERIOD_LABELS


def plans_dir_option(func):
    return click.option(
        "--plans-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="KENPO_PLANS_DIR",
        help=N_("Directory holding <branch>/<year>.yaml (default ./plans; env KENPO_PLANS_DIR)."),
    )(func)


def complete_branch(ctx, param, incomplete: str):
    """Shell completion: the branch folders of the plans directory."""
    from .plan.store import resolve_plans_dir

    root = resolve_plans_dir(ctx.params.get("plans_dir"))
    names = sorted(p.name for p in root.glob("*/") if p.is_dir()) if root.is_dir() else []
    return [name for name in names if name.startswith(incomplete)]


def complete_year(ctx, param, incomplete: str):
    """Shell completion: the fiscal years that have a plan (of the branch, when it is already given)."""
    from .plan.store import resolve_plans_dir

    root = resolve_plans_dir(ctx.params.get("plans_dir"))
    branch = ctx.params.get("branch")
    pattern = f"{branch}/*.yaml" if branch else "*/*.yaml"
    years = sorted({p.stem for p in root.glob(pattern) if p.stem.isdigit()}) if root.is_dir() else []
    return [year for year in years if year.startswith(incomplete)]


def complete_kpi(ctx, param, incomplete: str):
    """Shell completion: the KPI ids of the branch's plans (of every plan when no branch is given yet) and the
    shared ids of the vocabulary."""
    from .errors import KenpoError
    from .plan.store import resolve_plans_dir
    from .plan.loader import load_plan
    from .plan.vocabulary import shared_ids

    ids = set(shared_ids())
    root = resolve_plans_dir(ctx.params.get("plans_dir"))
    branch = ctx.params.get("branch")
    paths = sorted(root.glob(f"{branch}/[0-9]*.yaml" if branch else "*/[0-9]*.yaml")) if root.is_dir() else []
    for path in paths:
        if path.stem.isdigit():
            try:
                ids.update(kpi.id for _measure, kpi in load_plan(path)[0].walk_kpis())
            except KenpoError:
                continue
    return sorted(i for i in ids if i.startswith(incomplete))


def branch_option(func):
    return click.option("--branch", "-b", required=True, help=N_("Branch slug, e.g. kagoshima."),
                        shell_complete=complete_branch)(func)


def encoding_option(func):
    return click.option(
        "--encoding", default=None, help=N_("Read plan files in this encoding (e.g. cp932) instead of UTF-8.")
    )(func)


def format_option(document: str | None = None, choices: tuple[str, ...] = ()):
    """--format: the formats the registry says ``document`` offers (or ``choices``), its default first."""
    choices = formats_for(document) if document else choices

    def decorate(func):
        return click.option(
            "--format", "-f", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
            help=N_("Output format."),
        )(func)
    return decorate


def output_option(func=None, *, folder: bool = False, default: Path | None = None, help_text: str | None = None):
    """-o: a file by default (``@output_option``); ``@output_option(folder=True, …)`` for a command that writes a
    folder (the site)."""
    def decorate(command):
        return click.option("--output", "-o", type=click.Path(path_type=Path, file_okay=not folder), default=default,
                            show_default=default is not None,
                            help=help_text or N_("Write to this file instead of the default name shown above (a "
                                                 "directory: that name inside it)."))(command)
    return decorate(func) if func is not None else decorate


def font_option(func):
    return click.option("--font", help=N_("Font family for Japanese text (default: IPAex Mincho, Noto CJK, … as "
                                          "installed; for docx ＭＳ 明朝, which Japanese offices have)."))(func)


def color_option(func):
    return click.option("--color/--no-color", default=None,
                        help=N_("Colour the text output (default: when a terminal)."))(func)


def landscape_option(func):
    return click.option("--landscape", is_flag=True, help=N_("A4 landscape instead of portrait."))(func)


def monochrome_option(func):
    return click.option("--monochrome", is_flag=True,
                        help=N_("Underline only, no tint: for black-and-white printing."))(func)


def period_option(required: bool = False):
    def decorate(func):
        return click.option("--period", "-p", type=click.Choice(tuple(PERIOD_LABELS)), required=required,
                            help=N_("Which report of the year: q1, q2, q3 (quarterly progress), h1 (half year) or "
                                    "year (year-end results)."))(func)
    return decorate


def layout_option(func):
    return click.option("--layout", type=click.Choice(["grade", "status", "progress"]),
                        help=N_("Table layout of the PDF/HTML: grade (KPI達成度 and 計画達成度 by group), status (◎○× by "
                                "section) or progress (施策 / 取り組み / 実績) (default: chosen by what the document "
                                "rates)."))(func)


def computed_option(func):
    return click.option("--computed", type=click.Choice(["annex", "inline", "none"]),
                        help=N_("Where the judgements computed from the plan's targets go: annex (after the "
                                "original's tables, the default), inline (a 達成（計算） column in them) or none."))(func)


def color_default() -> bool:
    """Colour on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def gathered(request_type):
    """The command receives one frozen ``request_type`` built from its options: those naming an OutputRequest
    field go into its ``rendering``, the others into the request itself (a tuple argument stays a tuple)."""
    shaping = {f.name for f in dataclasses.fields(OutputRequest)}

    def decorate(func):
        @functools.wraps(func)
        def command(**options):
            rendering = {name: options.pop(name) for name in list(options) if name in shaping}
            if "color" in rendering:  # a command without --color prints plan text, made visible, never coloured
                rendering["color"] = color_default() if rendering["color"] is None else bool(rendering["color"])
            return func(request_type(rendering=OutputRequest(**rendering), **options))
        return command
    return decorate


def template_dir_option(func):
    return click.option("--template-dir", type=click.Path(file_okay=False, path_type=Path),
                        help=N_("Use this office's own templates (a copy of templates/)."))(func)


def debug_option(func):
    """--debug is read by main() wherever it stands; each command accepts it so it may follow the command."""
    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                        help=N_("Show the full traceback when something fails."))(func)
