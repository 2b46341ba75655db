"""Loading a plan: read it (plan/reading), check it as `validate` does (plan/validate), and hand back the model.

The one door for every caller that wants a plan it can trust: an invalid file never becomes a ``Plan``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, ValidationFailed
from .model import Plan
from .validate import check_file, check_text


def load_plan(path: Path, encoding: str | None = None) -> tuple[Plan, list[Problem]]:
    """A valid plan and its warnings; raises ``ValidationFailed`` listing every error."""
    report = check_file(path, encoding)
    if not report.ok or report.plan is None:
        raise ValidationFailed(report.problems)
    return report.plan, report.warnings


def load_plan_text(text: str, file: str | None = None) -> tuple[Plan, list[Problem]]:
    """The same for text already in hand (a plan as it was at a git revision, an imported document)."""
    report = check_text(text, file)
    if not report.ok or report.plan is None:
        raise ValidationFailed(report.problems)
    return report.plan, report.warnings
