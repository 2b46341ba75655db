"""The plans directory: ``<root>/<branch>/<fiscal_year>.yaml``.

Finds plans by branch and year and, when one is missing, says what does
exist (with a did-you-mean), so a typo never ends in a bare traceback.
"""

from __future__ import annotations

import difflib
import re
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import KenpoError, PlanNotFound, UsageError
from ..i18n import _, listing
from . import era
from .files import PLAN_FILE, RESULTS_FILE, is_results_path, plan_file, plan_files_in, results_path_for
from .reading import read_limited
from .model import Plan
from .loader import load_plan

ENV_VAR = "KENPO_PLANS_DIR"


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


def plans_dir_note(option: str | os.PathLike | None) -> str | None:
    """Which plans folder is used, said when it is not ./plans (found above this folder, or from the environment):
    a planner running in a folder with plans of its own must know which ones were read."""
    if option:
        return None
    folder = resolve_plans_dir(None)
    if folder == Path("plans") or not folder.is_dir():
        return None
    return _("using the plans folder {folder}").format(folder=folder)


def parse_year(text: str | int) -> int:
    """'2019', '２０１９', '平成31年度', 'H31', '令和元年度' → 2019."""
    if isinstance(text, int):
        return text
    try:
        year = era.parse_fiscal_year(str(text))
    except era.EraError as exc:
        raise UsageError(f"{text!r}: {exc}") from exc
    if year is None:
        raise UsageError(_("{text!r} is not a fiscal year; write 2019, 平成31年度 or R1.").format(text=text))
    return year


_BRANCH_NAME = re.compile(r"^branch:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*(.+)$", re.MULTILINE)


class PlanStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _require_root(self) -> None:
        if not self.root.is_dir():
            raise PlanNotFound(
                _("plans directory {root} does not exist. Run from your planning repository, "
                  "or point to it with --plans-dir DIR or {env_var}=DIR.").format(root=self.root, env_var=ENV_VAR)
            )

    def refs(self) -> list[PlanRef]:
        self._require_root()
        nested = [p for p in self.root.glob("*/*") if PLAN_FILE.match(p.name)]
        if not nested and any(PLAN_FILE.match(p.name) for p in self.root.glob("*")):
            raise PlanNotFound(_("{root} holds year files itself, so it looks like one branch's folder; the "
                                 "plans directory is the folder above it: --plans-dir {parent}.").format(
                root=self.root, parent=self.root.resolve().parent))
        found: dict[tuple[str, int], PlanRef] = {}
        for path in sorted(nested, key=lambda p: (p.parent.name, p.name)):
            key = (path.parent.name, int(PLAN_FILE.match(path.name).group(1)))
            if key not in found or path.suffix == ".yaml":  # 2019.yaml wins over a stray 2019.yml
                found[key] = PlanRef(key[0], key[1], path)
        return sorted(found.values(), key=lambda ref: (ref.branch, ref.fiscal_year))

    def branches(self) -> list[str]:
        return sorted({ref.branch for ref in self.refs()})

    def years(self, branch: str) -> list[int]:
        return sorted(ref.fiscal_year for ref in self.refs() if ref.branch == branch)

    def path_for(self, branch: str, fiscal_year: int) -> Path:
        self._require_root()
        branches = self.branches()
        if branch not in branches:
            named = self.slug_named(branch)
            if named:
                raise PlanNotFound(_("'{branch}' is the name of the branch whose folder is {slug}; --branch takes "
                                     "the folder's name: --branch {slug}.").format(branch=branch, slug=named))
            close = difflib.get_close_matches(branch, branches, n=1, cutoff=0.5)
            hint = _(" Did you mean '{choice}'?").format(choice=close[0]) if close else ""
            listed = listing(branches) or _("none")
            raise PlanNotFound(_("no branch '{branch}' in {root}.{hint} Branches: {listed}.").format(
                branch=branch, root=self.root, hint=hint, listed=listed))
        path = plan_file(self.root / branch, fiscal_year)
        if not path.exists() and not path.is_symlink():  # a FIFO or device is reported by the loader
            years = self.years(branch)
            shown = listing(f"{y} ({era.format_fiscal_year(y)})" for y in years) or _("none")
            nearest = min(years, key=lambda y: abs(y - fiscal_year)) if years else None
            hint = _(" Did you mean {year}?").format(year=nearest) if nearest is not None else ""
            raise PlanNotFound(
                _("no plan for {branch} in fiscal year {fiscal_year} ({year_label}): "
                  "{path} does not exist.{hint} Years for {branch}: {shown}.").format(
                    branch=branch, fiscal_year=fiscal_year, year_label=era.format_fiscal_year(fiscal_year),
                    path=path, hint=hint, shown=shown)
            )
        return path

    def slug_named(self, name: str) -> str | None:
        """The branch folder whose plans name the branch ``name`` (福岡支部, or 福岡 without 支部), if one does."""
        wanted = name.strip().removesuffix("支部")
        if not wanted:
            return None
        for ref in self.refs():
            try:
                head = read_limited(ref.path)[:4096].decode("utf-8", errors="replace")
            except KenpoError:
                continue
            match = _BRANCH_NAME.search(head)
            if match and match.group(1).strip().strip("'\"").removesuffix("支部") == wanted:
                return ref.branch
        return None

    def earlier_plan(self, branch: str, year: int | None) -> Plan | None:
        """The plan whose ids an imported plan continues: this year's (a re-import), else the latest before it (a
        year without a plan file, such as Kumamoto's 2022, does not break the ids); None without any."""
        if year is None:
            return None
        folder = self.root / branch
        before = sorted((int(path.name[:4]) for path in plan_files_in(folder) if not is_results_path(path)
                         and path.parent == folder and int(path.name[:4]) < year), reverse=True) \
            if folder.is_dir() else []
        for candidate in [year] + before:
            path = plan_file(folder, candidate)
            if path.is_file():
                try:
                    plan, _problems = load_plan(path)
                except KenpoError:  # an invalid earlier plan only costs its ids
                    continue
                return plan
        return None

    def known_name(self, branch: str) -> str | None:
        """The branch's name as its newest valid plan spells it (鹿児島支部), so a diff never shows it renamed."""
        if not (self.root / branch).is_dir():
            return None
        for path in sorted(plan_files_in(self.root / branch), reverse=True):
            if is_results_path(path):
                continue
            try:
                plan, _problems = load_plan(path)
            except KenpoError:
                continue
            return plan.branch_name
        return None

    def expected_path(self, branch: str, fiscal_year: int) -> Path:
        """Where the plan lives (or lived, at a git revision); nothing is checked."""
        return plan_file(self.root / branch, fiscal_year)

    def load(self, branch: str, fiscal_year: int, encoding: str | None = None) -> Plan:
        plan, _warnings = load_plan(self.path_for(branch, fiscal_year), encoding)
        return plan

    def all_paths(self) -> list[Path]:
        """Every plan file, then every results file beside one."""
        return [ref.path for ref in self.refs()] + self.results_paths()

    def results_paths(self) -> list[Path]:
        self._require_root()
        return sorted(path for path in self.root.glob("*/*.results.y*ml") if RESULTS_FILE.match(path.name))

    def results_path(self, branch: str, fiscal_year: int) -> Path:
        """Where a plan's results live; the plan itself must exist."""
        return results_path_for(self.path_for(branch, fiscal_year))
