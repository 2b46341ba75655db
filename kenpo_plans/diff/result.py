"""What a plan diff produces: the aligned entries, the plans' particulars, and the summary counts.

Plain data that every renderer reads (text, JSON, the 新旧対照表 in HTML, PDF and Word), kept apart from
the aligner that builds it so that a renderer never needs the diff machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..plan.model import Plan
from . import textdiff

KINDS = ("added", "removed", "moved", "renamed", "modified", "punctuation", "renumbered", "formatting", "not_in_old",
         "not_in_new")
# A plan rebuilt from a results document (``excerpt``) shows only part of the plan: what it lacks is
# "not in that document" (not_in_old / not_in_new), never a deletion or an addition.
NODES = ("section", "measure", "block", "item", "target", "kpi")


@dataclass
class PlanInfo:
    branch: str
    branch_name: str
    fiscal_year: int
    year_label: str
    title: str
    status: str
    document_number: str | None
    source: str | None
    revision: dict | None
    era: str | None = None  # the plan's era choice for a year two eras share

    @classmethod
    def of(cls, plan: Plan) -> "PlanInfo":
        return cls(plan.branch_id, plan.branch_name, plan.fiscal_year, plan.year_label, plan.title, plan.status,
                   plan.document.number, plan.source, plan.revision, plan.era)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Entry:
    """One aligned row: a node of the old plan, of the new plan, or both."""

    node: str
    depth: int
    kinds: list[str]
    path: list[dict]
    old_id: str | None = None
    new_id: str | None = None
    old_label: str | None = None
    new_label: str | None = None
    old_title: str | None = None
    new_title: str | None = None
    old_text: str | None = None
    new_text: str | None = None
    old_marker: str | None = None
    new_marker: str | None = None
    title_segments: list[textdiff.Segment] | None = None
    text_segments: list[textdiff.Segment] | None = None
    old_notes: list[str] = field(default_factory=list)
    new_notes: list[str] = field(default_factory=list)
    notes_segments: list[list[textdiff.Segment]] = field(default_factory=list)
    target: dict | None = None
    numbers: list[dict] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    old_groups: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)
    old_goals: list[str] = field(default_factory=list)
    new_goals: list[str] = field(default_factory=list)
    matched_by: str | None = None
    old_parent: str | None = None  # a KPI's measure, a moved measure's section or measure
    new_parent: str | None = None
    old_position: int | None = None  # the node's place in the old plan's document order
    old_note: str | None = None  # the reason staff typed for a change (the plan's ``note:``)
    new_note: str | None = None
    old_target_text: str | None = None  # a KPI's target printed apart from its wording (68.2％以上)
    new_target_text: str | None = None

    @property
    def whole_replaced(self) -> bool:
        """A text too long to compare within the budget, shown replaced as a whole."""
        return any(textdiff.is_whole(s) for s in (self.title_segments, self.text_segments, *self.notes_segments))

    @property
    def kind(self) -> str | None:
        return next((k for k in KINDS if k in self.kinds), None)

    @property
    def present_old(self) -> bool:
        return "added" not in self.kinds and "not_in_old" not in self.kinds

    @property
    def present_new(self) -> bool:
        return "removed" not in self.kinds and "not_in_new" not in self.kinds

    def to_dict(self) -> dict:
        data: dict = {
            "kind": self.kind,
            "kinds": list(self.kinds),
            "node": self.node,
            "old_id": self.old_id,
            "new_id": self.new_id,
            "path": self.path,
            "old": _side(self.old_label, self.old_title, self.old_text, self.present_old,
                         note=self.old_note, target_text=self.old_target_text),
            "new": _side(self.new_label, self.new_title, self.new_text, self.present_new,
                         note=self.new_note, target_text=self.new_target_text),
        }
        segments = {}
        if self.title_segments and textdiff.has_changes(self.title_segments, True):
            segments["title"] = [s.to_dict() for s in self.title_segments]
        if self.text_segments and textdiff.has_changes(self.text_segments, True):
            segments["text"] = [s.to_dict() for s in self.text_segments]
        if any(textdiff.has_changes(n, True) for n in self.notes_segments):
            segments["notes"] = [[s.to_dict() for s in n] for n in self.notes_segments]
        if segments:
            data["segments"] = segments
        if self.whole_replaced:
            data["inline"] = "whole"
        if self.node == "kpi":
            data["target"] = self.target
        if self.numbers:
            data["numbers"] = self.numbers
        if self.fields:
            data["fields"] = self.fields
        if self.matched_by == "similarity":
            data["matched_by"] = self.matched_by
        if "moved" in self.kinds:
            data["old_parent"], data["new_parent"] = self.old_parent, self.new_parent
        return data


def _side(label, title, text, present, **optional) -> dict | None:
    """One side of a row; a note (the reason staff typed) and a target printed apart only where the plan has them."""
    if not present:
        return None
    return {"label": label, "title": title, "text": text, **{k: v for k, v in optional.items() if v}}


@dataclass
class DiffResult:
    old: PlanInfo
    new: PlanInfo
    entries: list[Entry]
    metadata: dict
    exact: bool = False
    warnings: list[dict] = field(default_factory=list)  # e.g. an id reused for an unrelated measure
    old_actuals: dict = field(default_factory=dict)  # KPI id → the old year's year-end actual, where results exist

    @property
    def branch(self) -> str:
        return self.new.branch

    @cached_property
    def changes(self) -> list[Entry]:
        return [e for e in self.entries if e.kinds and (self.exact or e.kinds != ["formatting"])]

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or bool(self.metadata)

    @cached_property
    def summary(self) -> dict:
        return summarize(self)

    def to_dict(self) -> dict:
        return {
            "branch": {"id": self.new.branch, "name": self.new.branch_name},
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "exact": self.exact,
            "metadata": self.metadata,
            "summary": self.summary,
            "changes": [e.to_dict() for e in self.changes],
            "warnings": list(self.warnings),
            "old_actuals": dict(self.old_actuals),
        }


# --- summary -----------------------------------------------------------------------


def target_below_achieved(change: dict | None, actual: dict | None) -> bool | None:
    """Whether a new target is already met by what the old year achieved (「95.4％以上」 after 95.6％)."""
    if not change or not actual or not change.get("new") or actual.get("value") is None:
        return None
    new = change["new"]
    if new["basis"] != "absolute" or new["value"] is None or (new["unit"] or "") != (actual.get("unit") or ""):
        return None
    if new["relation"] in ("ge", "gt"):
        return new["value"] < actual["value"] or (new["relation"] == "ge" and new["value"] == actual["value"])
    if new["relation"] in ("le", "lt"):
        return new["value"] > actual["value"] or (new["relation"] == "le" and new["value"] == actual["value"])
    return None


def summarize(result: DiffResult) -> dict:
    by_kind = {kind: 0 for kind in KINDS}
    by_node = {node: {kind: 0 for kind in KINDS} for node in NODES}
    for entry in result.changes:
        for kind in entry.kinds:
            by_kind[kind] += 1
            by_node[entry.node][kind] += 1
    targets = {"raised": 0, "lowered": 0, "unchanged": 0, "changed": 0, "added": 0, "removed": 0}
    for entry in result.entries:
        if entry.node == "kpi" and entry.target and entry.target["direction"]:
            targets[entry.target["direction"]] += 1
    hidden = sum(1 for e in result.entries if e.kinds == ["formatting"]) if not result.exact else 0
    return {
        "changes": len(result.changes),
        "by_kind": by_kind,
        "by_node": by_node,
        "kpi_targets": targets,
        "formatting_only_hidden": hidden,
        "unchanged": sum(1 for e in result.entries if not e.kinds),
    }
