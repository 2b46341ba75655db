"""How a KPI's numeric target moved between two versions of a plan: 95.0%以上 → 95.4%以上, raised by 0.4 pt."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

from ..plan.targets import Target, round_delta


class TargetDirection(StrEnum):
    """The summary counts them in this order."""

    RAISED = "raised"
    LOWERED = "lowered"
    UNCHANGED = "unchanged"
    CHANGED = "changed"  # the relation, basis or unit differs: no figure to compare
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class TargetChange:
    old: Target | None
    new: Target | None
    direction: TargetDirection
    delta: int | float | None = None
    delta_unit: str | None = None  # pt for a percentage
    stricter: bool | None = None  # whether the new target is harder to meet
    relation_changed: bool = False
    basis_changed: bool = False
    changed: tuple[str, ...] = ()  # the target's fields that differ, when both differences have one

    @property
    def moved(self) -> bool:
        """Anything a reader should see: the figure, the kind of target, or the target itself came or went."""
        return self.direction != TargetDirection.UNCHANGED

    def below_achieved(self, actual) -> bool | None:
        """Whether the new target is already met by what the old year achieved (「95.4％以上」 after 95.6％).

        ``actual`` is the old year's year-end actual (``YearEndActual``) or None."""
        new = self.new
        if new is None or actual is None or actual.value is None:
            return None
        if new.basis != "absolute" or new.value is None or (new.unit or "") != (actual.unit or ""):
            return None
        if new.relation in ("ge", "gt"):
            return new.value < actual.value or (new.relation == "ge" and new.value == actual.value)
        if new.relation in ("le", "lt"):
            return new.value > actual.value or (new.relation == "le" and new.value == actual.value)
        return None

    def to_dict(self) -> dict:
        data = {"old": self.old.to_dict() if self.old else None, "new": self.new.to_dict() if self.new else None,
                "direction": str(self.direction), "delta": self.delta, "delta_unit": self.delta_unit,
                "stricter": self.stricter, "relation_changed": self.relation_changed,
                "basis_changed": self.basis_changed}
        if self.old and self.new:
            data["changed"] = list(self.changed)
        return data


def compare_targets(old: Target | None, new: Target | None) -> TargetChange | None:
    """How a KPI target moved between two years.

    ``direction`` is raised / lowered / unchanged for the same kind of target, added / removed when one
    side has none, and changed when the relation, basis or unit differs (以上 → 以下, 95％以上 → 対前年度以上).
    """
    if old is None and new is None:
        return None
    if old is None or new is None:
        return TargetChange(old, new, TargetDirection.ADDED if old is None else TargetDirection.REMOVED)
    differences = {"relation_changed": old.relation != new.relation, "basis_changed": old.basis != new.basis,
                   "changed": tuple(sorted(f.name for f in fields(Target)
                                           if getattr(old, f.name) != getattr(new, f.name)))}
    other_unit = old.unit != new.unit and old.value is not None and new.value is not None
    if differences["relation_changed"] or differences["basis_changed"] or other_unit:
        return TargetChange(old, new, TargetDirection.CHANGED, **differences)
    if old.value is None or new.value is None or old.value == new.value:
        same = old.value == new.value
        return TargetChange(old, new, TargetDirection.UNCHANGED if same else TargetDirection.CHANGED, **differences)
    delta = round_delta(old.value, new.value)
    return TargetChange(old, new, TargetDirection.RAISED if delta > 0 else TargetDirection.LOWERED, delta,
                        "pt" if new.unit == "%" else new.unit, _stricter(new.relation, delta), **differences)


def _stricter(relation: str, delta: int | float) -> bool | None:
    """A higher floor (以上) or a lower ceiling (以下) asks more of the branch; an exact figure neither."""
    if relation in ("ge", "gt"):
        return delta > 0
    if relation in ("le", "lt"):
        return delta < 0
    return None
