"""The plans directory: ``<root>/<branch>/<fiscal_year>.yaml``.

Finds plans by branch and year and, when one is missing, says what does
exist (with a did-you-mean), so a typo never ends in a bare traceback.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from . import era
from .errors import PlanNotFound, UsageError
from .model import Plan
from .validate import load_plan

ENV_VAR = "KENPO_PLANS_DIR"
RESULTS_SUFFIX = ".results.yaml"  # plans/<branch>/<year>.results.yaml, beside the plan


@dataclass(frozen=True)
class PlanRef:
    branch: str
    fiscal_year: int
    path: Path


def resolve_plans_dir(option: str | os.PathLike | None) -> Path:
    """--plans-dir, else $KENPO_PLANS_DIR, else the nearest plans/ in this directory or one above it.

    Looking upward lets planners run the tool from any subdirectory of their repository.
    """
    chosen = option or os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen)
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "plans").is_dir():
            return folder / "plans" if folder != here else Path("plans")
        if (folder / ".git").exists():
            break
    return Path("plans")


def parse_year(text: str | int) -> int:
    """'2019', '２０１９', '平成31年度', 'H31', '令和元年度' → 2019."""
    if isinstance(text, int):
        return text
    try:
        year = era.parse_fiscal_year(str(text))
    except era.EraError as exc:
        raise UsageError(f"{text!r}: {exc}") from exc
    if year is None:
        raise UsageError(f"{text!r} is not a fiscal year; write 2019, 平成31年度 or R1.")
    return year


class PlanStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _require_root(self) -> None:
        if not self.root.is_dir():
            raise PlanNotFound(
                f"plans directory {self.root} does not exist. Run from your planning repository, "
                f"or point to it with --plans-dir DIR or {ENV_VAR}=DIR."
            )

    def refs(self) -> list[PlanRef]:
        self._require_root()
        if not any(self.root.glob("*/*.yaml")) and any(p.stem.isdigit() for p in self.root.glob("*.yaml")):
            raise PlanNotFound(f"{self.root} holds year files itself, so it looks like one branch's folder; the "
                               f"plans directory is the folder above it: --plans-dir {self.root.resolve().parent}.")
        found = []
        for path in sorted(self.root.glob("*/*.yaml")):
            if path.stem.isdigit():
                found.append(PlanRef(path.parent.name, int(path.stem), path))
        return found

    def branches(self) -> list[str]:
        return sorted({ref.branch for ref in self.refs()})

    def years(self, branch: str) -> list[int]:
        return sorted(ref.fiscal_year for ref in self.refs() if ref.branch == branch)

    def path_for(self, branch: str, fiscal_year: int) -> Path:
        self._require_root()
        branches = self.branches()
        if branch not in branches:
            close = difflib.get_close_matches(branch, branches, n=1, cutoff=0.5)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            listed = ", ".join(branches) or "none"
            raise PlanNotFound(f"no branch '{branch}' in {self.root}.{hint} Branches: {listed}.")
        path = self.root / branch / f"{fiscal_year}.yaml"
        if not path.exists() and not path.is_symlink():  # a FIFO or device is reported by the loader
            years = self.years(branch)
            shown = ", ".join(f"{y} ({era.format_fiscal_year(y)})" for y in years) or "none"
            nearest = min(years, key=lambda y: abs(y - fiscal_year)) if years else None
            hint = f" Did you mean {nearest}?" if nearest is not None else ""
            raise PlanNotFound(
                f"no plan for {branch} in fiscal year {fiscal_year} ({era.format_fiscal_year(fiscal_year)}): "
                f"{path} does not exist.{hint} Years for {branch}: {shown}."
            )
        return path

    def expected_path(self, branch: str, fiscal_year: int) -> Path:
        """Where the plan lives (or lived, at a git revision); nothing is checked."""
        return self.root / branch / f"{fiscal_year}.yaml"

    def load(self, branch: str, fiscal_year: int, encoding: str | None = None) -> Plan:
        plan, _warnings = load_plan(self.path_for(branch, fiscal_year), encoding)
        return plan

    def all_paths(self) -> list[Path]:
        """Every plan file, then every results file beside one."""
        return [ref.path for ref in self.refs()] + self.results_paths()

    def results_paths(self) -> list[Path]:
        self._require_root()
        return sorted(path for path in self.root.glob(f"*/*{RESULTS_SUFFIX}")
                      if path.name[: -len(RESULTS_SUFFIX)].isdigit())

    def results_path(self, branch: str, fiscal_year: int) -> Path:
        """Where a plan's results live; the plan itself must exist."""
        return self.path_for(branch, fiscal_year).with_name(f"{fiscal_year}{RESULTS_SUFFIX}")
