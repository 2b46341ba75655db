"""`kenpo-plans validate`, `list` and `show`: what is in the plans directory, and whether it is right."""

from __future__ import annotations

from pathlib import Path

from ..checks.catalog import catalog
from ..checks.files import ValidationResult, check_files
from ..errors import PlanNotFound
from ..i18n import _
from ..plan.files import plan_files_in
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..render.catalog import catalog_json, catalog_text
from .outputs import Outcome, check_request, write
from .requests import OutputRequest, PlanRequest


def validate(paths, plans_dir=None, encoding: str | None = None) -> ValidationResult:
    """Validate the given files, the plan and results files found in given folders, or every plan in the store."""
    files: list[Path] = []
    for path in map(Path, paths):
        files += plan_files_in(path) if path.is_dir() else [path]
    if not paths:
        files = PlanStore(resolve_plans_dir(plans_dir)).all_paths()
        if not files:
            raise PlanNotFound(_("no plans (*/*.yaml) found in {folder}.").format(folder=resolve_plans_dir(plans_dir)))
    return check_files(files, encoding)


def list_plans(plans_dir=None, fmt: str = "text") -> str:
    rows = catalog(PlanStore(resolve_plans_dir(plans_dir)))
    return catalog_json(rows) if fmt == "json" else catalog_text(rows)


def show(year, branch: str, plans_dir=None, fmt: str = "text", encoding: str | None = None) -> str:
    """The plan as an outline (text) or the parsed model (json), as printed."""
    return show_plan(PlanRequest(str(year), branch, plans_dir, encoding, OutputRequest(fmt=fmt))).stdout


def show_plan(request: PlanRequest) -> Outcome:
    """The plan printed (text, json) or published as a document (pdf, html, docx), like every other output."""
    check_request(request.rendering, "plan")
    plan = PlanStore(resolve_plans_dir(request.plans_dir)).load(request.branch, parse_year(request.year),
                                                                request.encoding)
    return write("plan", plan, request.rendering)
