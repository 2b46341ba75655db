"""The file-name rule of a planning repository, in one place: which file is a plan, which holds results.

``plans/<branch>/<year>.yaml`` is a plan and ``<year>.results.yaml`` beside it holds its results;
``.yml`` is accepted wherever ``.yaml`` is.  Everything that lists, validates, protects or pairs these
files asks this module, so a second spelling of the rule cannot drift from the first.
"""

from __future__ import annotations

import re
from pathlib import Path

RESULTS_SUFFIX = ".results.yaml"  # plans/<branch>/<year>.results.yaml, beside the plan
RESULTS_SUFFIXES = (".results.yaml", ".results.yml")
PLAN_FILE = re.compile(r"^(\d{4})\.ya?ml$")  # the same rule everywhere: .yaml or .yml
RESULTS_FILE = re.compile(r"^(\d{4})\.results\.ya?ml$")


def is_kept_file(name: str) -> bool:
    """A plan or results file by its name: what an output must never overwrite."""
    return bool(PLAN_FILE.match(name) or RESULTS_FILE.match(name))


def plan_files_in(folder: Path) -> list[Path]:
    """<year>.yaml and <year>.results.yaml anywhere under ``folder``: not a tool's own YAML
    (.pre-commit-config.yaml), nothing in hidden folders (.git, the backups of ``new --force``)."""
    return sorted(p for p in folder.rglob("*") if is_kept_file(p.name)
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def plan_file(folder: Path, fiscal_year: int) -> Path:
    """<year>.yaml, or <year>.yml where only that exists."""
    preferred = folder / f"{fiscal_year}.yaml"
    other = folder / f"{fiscal_year}.yml"
    return other if not preferred.exists() and not preferred.is_symlink() and other.exists() else preferred


def is_results_path(path: str | Path) -> bool:
    return str(path).endswith(RESULTS_SUFFIXES)


def _year_of(results_path: Path) -> str:
    name = results_path.name
    return next(name[: -len(suffix)] for suffix in RESULTS_SUFFIXES if name.endswith(suffix))


def plan_path_for(results_path: Path) -> Path:
    """plans/kumamoto/2024.results.yaml → plans/kumamoto/2024.yaml (or .yml where that is the plan)."""
    year = _year_of(results_path)
    return plan_file(results_path.parent, int(year)) if year.isdigit() else results_path.with_name(year + ".yaml")


def results_path_for(plan_path: Path) -> Path:
    """The results beside a plan: <year>.results.yaml, or <year>.results.yml where only that exists."""
    preferred = plan_path.with_name(plan_path.stem + RESULTS_SUFFIX)
    other = plan_path.with_name(plan_path.stem + ".results.yml")
    return other if not preferred.exists() and other.exists() else preferred
