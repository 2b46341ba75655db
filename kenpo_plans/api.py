"""One function per command: what the CLI calls, usable from Python too."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import PlanNotFound
from .model import plan_to_dict
from .outline import catalog, catalog_text, outline
from .store import PlanStore, parse_year, resolve_plans_dir
from .validate import FileReport, check_file


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
