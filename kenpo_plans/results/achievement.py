"""Whether an actual figure met the target the plan itself set.

Arithmetic is exact on the printed decimals (82.8 ≥ 82.8 holds; no float
ever decides).  Where no honest answer exists the result is ``None`` with
the reason, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..plan.model import Kpi
from ..plan.targets import Target
from .model import Printed

# achieved_basis: what the actual was compared with.
BASIS_TARGET = "target"
BASIS_PREVIOUS_RESULTS = "previous_year_results"  # the previous year's results file
BASIS_PREVIOUS_QUOTED = "previous_year_quoted"  # the figure the KPI quotes: 対前年度（0.359%）以上
BASIS_PREVIOUS_PRINTED = "previous_year_printed"  # the previous actual the report prints

# achieved_reason: why there is no answer.
REASONS = ("qualitative", "per_branch", "compound", "no_target", "no_actual", "pending", "no_previous",
           "unit_mismatch", "interim")

_COMPARE = {
    "ge": lambda a, t: a >= t,
    "gt": lambda a, t: a > t,
    "le": lambda a, t: a <= t,
    "lt": lambda a, t: a < t,
    "eq": lambda a, t: a == t,
}


@dataclass(frozen=True)
class Judgement:
    achieved: bool | None
    basis: str | None = None  # one of the BASIS_* values when a comparison was made
    reason: str | None = None  # one of REASONS when achieved is None
    relation: str | None = None  # the relation actually applied (eq read through direction)
    threshold: Decimal | None = None
    unit: str | None = None
    provisional: bool | None = None  # interim figure of an accumulating KPI: where it stands now (暫定)

    def to_dict(self) -> dict:
        return {"achieved": self.achieved, "basis": self.basis, "reason": self.reason,
                "relation": self.relation, "threshold": json_number(self.threshold), "unit": self.unit,
                "provisional": self.provisional}


def json_number(value: Decimal | None) -> int | float | None:
    """An exact decimal as JSON would carry it: 1915 stays an integer, 0.359 a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)


def target_decimal(value: int | float) -> Decimal:
    # repr of a float is the shortest text that reads back as it, i.e. the figure as it was printed.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def same_unit(a: str | None, b: str | None) -> bool:
    return (a or "").replace("％", "%") == (b or "").replace("％", "%")


def applied_relation(target: Target, kpi: Kpi) -> str:
    """A bare figure (「2,930事業所」) is read in the KPI's direction; with none it must be met exactly."""
    if target.relation != "eq":
        return target.relation
    return {"higher": "ge", "lower": "le"}.get(kpi.direction or "", "eq")


def judge(kpi: Kpi, actual: Printed | None, *, interim: bool = False, pending: bool = False,
          previous_results: Printed | None = None, previous_printed: Printed | None = None) -> Judgement:
    """Judge one KPI's actual against the plan's target.

    ``previous_results`` is the previous year's actual from its own results file,
    ``previous_printed`` the previous actual this report prints; both serve 対前年度 targets.
    """
    for flag in ("qualitative", "per_branch", "compound"):
        if getattr(kpi, flag):
            return Judgement(None, reason=flag)
    target = None if kpi.target_unknown else kpi.target
    if target is None:
        return Judgement(None, reason="no_target")
    if actual is None or actual.value is None:
        return Judgement(None, reason="pending" if pending else "no_actual")
    threshold, unit, basis = _threshold(target, previous_results, previous_printed)
    if threshold is None:
        return Judgement(None, reason="no_previous")
    if not same_unit(unit, actual.unit):
        return Judgement(None, basis=basis, reason="unit_mismatch", threshold=threshold, unit=unit)
    relation = applied_relation(target, kpi)
    met = _COMPARE[relation](actual.value, threshold)
    if interim and kpi.accumulates:
        return Judgement(None, basis, "interim", relation, threshold, unit, provisional=met)
    return Judgement(met, basis, None, relation, threshold, unit)


def _threshold(target: Target, previous_results: Printed | None,
               previous_printed: Printed | None) -> tuple[Decimal | None, str | None, str]:
    if target.basis != "previous_year":
        return (None if target.value is None else target_decimal(target.value)), target.unit, BASIS_TARGET
    if previous_results is not None and previous_results.value is not None:
        return previous_results.value, previous_results.unit, BASIS_PREVIOUS_RESULTS
    if target.value is not None:
        return target_decimal(target.value), target.unit, BASIS_PREVIOUS_QUOTED
    if previous_printed is not None and previous_printed.value is not None:
        return previous_printed.value, previous_printed.unit, BASIS_PREVIOUS_PRINTED
    return None, None, BASIS_PREVIOUS_QUOTED


def joint_achieved(judgements: list[Judgement]) -> bool | None:
    """One rating over several KPIs stands for all of them: met only when every one is met."""
    if any(j.achieved is False for j in judgements):
        return False
    if judgements and all(j.achieved is True for j in judgements):
        return True
    return None
