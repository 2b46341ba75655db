"""The options several commands share, as decorators, and what the shell completes for them.

Completion reads the plans directory when the shell asks, never when a command runs, so its imports
stay inside the functions.
"""

from __future__ import annotations

from pathlib import Path

import click

from .i18n import N_


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
    from .plan.validate import load_plan
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


def format_option(*choices: str):
    def decorate(func):
        return click.option(
            "--format", "-f", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
            help=N_("Output format."),
        )(func)
    return decorate


def template_dir_option(func):
    return click.option("--template-dir", type=click.Path(file_okay=False, path_type=Path),
                        help=N_("Use this office's own templates (a copy of templates/)."))(func)


def debug_option(func):
    """--debug is read by main() wherever it stands; each command accepts it so it may follow the command."""
    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                        help=N_("Show the full traceback when something fails."))(func)
