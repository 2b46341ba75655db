"""What a plan diff produces: the aligned entries, the plans' particulars, and the summary counts.

Typed records that every renderer reads (text, JSON, the 新旧対照表 in HTML, PDF and Word), kept apart from
the aligner that builds it so that a renderer never needs the diff machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from ..plan.model import Plan
from . import textdiff
from .align import MatchedBy
from .target_change import TargetChange, TargetDirection


class ChangeKind(StrEnum):
    """The kinds of change of one row, in the order a row lists them and the summary counts them."""

    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    RENAMED = "renamed"
    MODIFIED = "modified"
    PUNCTUATION = "punctuation"
    RENUMBERED = "renumbered"
    FORMATTING = "formatting"
    # A plan rebuilt from a results document (``excerpt``) shows only part of the plan: what it lacks is
    # "not in that document", never a deletion or an addition.
    NOT_IN_OLD = "not_in_old"
    NOT_IN_NEW = "not_in_new"


class NodeKind(StrEnum):
    SECTION = "section"
    MEASURE = "measure"
    BLOCK = "block"  # a heading inside a section or measure
    ITEM = "item"
    TARGET = "target"  # a numeric plan target (数値目標)
    KPI = "kpi"


@dataclass(frozen=True)
class PathStep:
    """A heading above a row: its section, its measure, a block heading (which has no label)."""

    label: str
    title: str

    @property
    def heading(self) -> str:
        """As printed: 「⑤返納金債権の発生防止…」."""
        return f"{self.label}{self.title}"

    def to_dict(self) -> dict:
        return {"label": self.label, "title": self.title}


@dataclass(frozen=True)
class NumberChange:
    """A figure replaced inside a text: 228,013人 → 237,452人."""

    old: int | float
    new: int | float
    unit: str
    delta: int | float
    old_text: str  # the figures as written (228,013)
    new_text: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class FieldChange:
    """One field of the plan's particulars (status, document number…) in both versions."""

    old: object
    new: object

    def to_dict(self) -> dict:
        return {"old": self.old, "new": self.new}


@dataclass(frozen=True)
class ListFieldChange:
    """A measure's groups or goals in both versions, what came and went, and one sentence saying so."""

    old: list[str]
    new: list[str]
    added: list[str]
    removed: list[str]
    text: str  # 「担当: 企画総務G → 企画総務G・保健G（保健G を追加）」

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class WarningKind(StrEnum):
    REUSED_ID = "reused_id"  # an id names something unrelated in the other version
    REVERSED_YEARS = "reversed_years"  # the old version is the later year
    READ_ON_A_GUESS = "read_on_a_guess"  # a document read on the fly left lines out or placed some on a guess


@dataclass(frozen=True)
class DiffWarning:
    """A warning printed in the 新旧対照表 itself (document text, Japanese)."""

    kind: WarningKind
    message: str
    node: NodeKind | None = None  # what a reused id names: measure or kpi
    id: str | None = None
    old: str | None = None  # the reused id's wording in each version
    new: str | None = None

    def to_dict(self) -> dict:
        reused = {"node": str(self.node), "id": self.id, "old": self.old, "new": self.new} if self.id else {}
        return {"kind": str(self.kind), **reused, "message": self.message}


@dataclass(frozen=True)
class YearEndActual:
    """What the old year achieved, from its year-end results report."""

    value: int | float
    unit: str | None
    text: str  # as the report prints it: 95.6％
    as_of: str | None
    report: str  # the report's title

    def to_dict(self) -> dict:
        return dict(self.__dict__)


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

    node: NodeKind
    depth: int
    kinds: list[ChangeKind]
    path: list[PathStep]
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
    target: TargetChange | None = None  # only a KPI has one
    numbers: list[NumberChange] = field(default_factory=list)
    fields: dict[str, ListFieldChange] = field(default_factory=dict)  # a measure's groups and goals
    old_groups: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)
    old_goals: list[str] = field(default_factory=list)
    new_goals: list[str] = field(default_factory=list)
    matched_by: MatchedBy | None = None
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
    def kind(self) -> ChangeKind | None:
        return next((k for k in ChangeKind if k in self.kinds), None)

    @property
    def present_old(self) -> bool:
        return ChangeKind.ADDED not in self.kinds and ChangeKind.NOT_IN_OLD not in self.kinds

    @property
    def present_new(self) -> bool:
        return ChangeKind.REMOVED not in self.kinds and ChangeKind.NOT_IN_NEW not in self.kinds

    @property
    def formatting_only(self) -> bool:
        """Only the width of characters differs (％/%, full-width digits): hidden unless --exact."""
        return self.kinds == [ChangeKind.FORMATTING]

    @property
    def target_moved(self) -> bool:
        """A KPI whose target moved, came or went."""
        return self.node == NodeKind.KPI and self.target is not None and self.target.moved

    def to_dict(self) -> dict:
        data: dict = {
            "kind": _plain(self.kind),
            "kinds": [str(k) for k in self.kinds],
            "node": str(self.node),
            "old_id": self.old_id,
            "new_id": self.new_id,
            "path": [step.to_dict() for step in self.path],
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
        if self.node == NodeKind.KPI:
            data["target"] = self.target.to_dict() if self.target else None
        if self.numbers:
            data["numbers"] = [n.to_dict() for n in self.numbers]
        if self.fields:
            data["fields"] = {name: change.to_dict() for name, change in self.fields.items()}
        if self.matched_by == MatchedBy.SIMILARITY:
            data["matched_by"] = str(self.matched_by)
        if ChangeKind.MOVED in self.kinds:
            data["old_parent"], data["new_parent"] = self.old_parent, self.new_parent
        return data


def _plain(kind: ChangeKind | None) -> str | None:
    return None if kind is None else str(kind)


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
    metadata: dict[str, FieldChange]  # the plans' particulars that differ: status, document number…
    exact: bool = False
    warnings: list[DiffWarning] = field(default_factory=list)  # e.g. an id reused for an unrelated measure
    old_actuals: dict[str, YearEndActual] = field(default_factory=dict)  # KPI id → where results exist

    @property
    def branch(self) -> str:
        return self.new.branch

    @cached_property
    def changes(self) -> list[Entry]:
        return [e for e in self.entries if e.kinds and (self.exact or not e.formatting_only)]

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or bool(self.metadata)

    @cached_property
    def summary(self) -> DiffSummary:
        return summarize(self)

    def to_dict(self) -> dict:
        return {
            "branch": {"id": self.new.branch, "name": self.new.branch_name},
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "exact": self.exact,
            "metadata": {name: change.to_dict() for name, change in self.metadata.items()},
            "summary": self.summary.to_dict(),
            "changes": [e.to_dict() for e in self.changes],
            "warnings": [w.to_dict() for w in self.warnings],
            "old_actuals": {kpi: actual.to_dict() for kpi, actual in self.old_actuals.items()},
        }


# --- summary -----------------------------------------------------------------------


@dataclass(frozen=True)
class DiffSummary:
    """The counts a reader sees first: changes by kind and by node, KPI targets by direction."""

    changes: int
    by_kind: dict[ChangeKind, int]
    by_node: dict[NodeKind, dict[ChangeKind, int]]
    kpi_targets: dict[TargetDirection, int]
    formatting_only_hidden: int  # rows whose only difference is width, left out unless --exact
    unchanged: int

    def to_dict(self) -> dict:
        return {"changes": self.changes, "by_kind": _plain_keys(self.by_kind),
                "by_node": {str(node): _plain_keys(counts) for node, counts in self.by_node.items()},
                "kpi_targets": _plain_keys(self.kpi_targets), "formatting_only_hidden": self.formatting_only_hidden,
                "unchanged": self.unchanged}


def _plain_keys(counts: dict) -> dict[str, int]:
    return {str(key): n for key, n in counts.items()}


def summarize(result: DiffResult) -> DiffSummary:
    by_kind = dict.fromkeys(ChangeKind, 0)
    by_node = {node: dict.fromkeys(ChangeKind, 0) for node in NodeKind}
    for entry in result.changes:
        for kind in entry.kinds:
            by_kind[kind] += 1
            by_node[entry.node][kind] += 1
    targets = dict.fromkeys(TargetDirection, 0)
    for entry in result.entries:
        if entry.node == NodeKind.KPI and entry.target:
            targets[entry.target.direction] += 1
    hidden = sum(1 for e in result.entries if e.formatting_only) if not result.exact else 0
    return DiffSummary(len(result.changes), by_kind, by_node, targets, hidden,
                       sum(1 for e in result.entries if not e.kinds))
