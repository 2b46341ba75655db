"""One function per command: what the CLI calls, usable from Python too."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .diff import DiffResult, diff_plans
from .errors import PlanNotFound, UsageError
from .model import plan_to_dict
from .outline import catalog, catalog_text, outline
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
