"""The plan as plain data: what a branch's annual business plan (事業計画) contains.

Everything here is a frozen-ish dataclass with no behaviour beyond
navigation and conversion to JSON-ready dicts.  ``loader`` builds these
from YAML; every other stage reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from . import era
from .targets import Figure, Target, extract_figures, parse_target

@dataclass(frozen=True)
class Location:
    file: str | None
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file or '<input>'}:{self.line}:{self.column}"


@dataclass
class Item:
    text: str
    marker: str = "○"
    id: str | None = None
    groups: list[str] = field(default_factory=list)
    items: list["Item"] = field(default_factory=list)
    blocks: list["Block"] = field(default_factory=list)
    loc: Location | None = None

    def walk(self) -> Iterator["Item"]:
        yield self
        for child in self.items:
            yield from child.walk()
        for block in self.blocks:
            yield from block.walk_items()


@dataclass
class Block:
    heading: str | None = None
    items: list[Item] = field(default_factory=list)
    loc: Location | None = None

    def walk_items(self) -> Iterator[Item]:
        for item in self.items:
            yield from item.walk()


@dataclass
class PlanTarget:
    """A numeric plan target such as 健診全体の実施率目標 55.5%（168,420人）, with its breakdown."""

    text: str
    marker: str = ""
    id: str | None = None
    breakdown: list["PlanTarget"] = field(default_factory=list)
    loc: Location | None = None

    @property
    def figures(self) -> list[Figure]:
        return extract_figures(self.text)

    def walk(self) -> Iterator["PlanTarget"]:
        yield self
        for child in self.breakdown:
            yield from child.walk()


@dataclass
class Kpi:
    id: str
    text: str
    notes: list[str] = field(default_factory=list)
    declared_target: Target | None = None
    qualitative: bool = False
    confirmed: bool = False  # a quoted last-year figure was checked and kept
    label: str = ""  # ①, ② as printed
    target_text: str | None = None  # the target printed in its own column (68.2％以上)
    direction: str | None = None  # higher / lower: how a bare-figure target is read
    groups: list[str] = field(default_factory=list)
    definition_changed: str | None = None  # the document's words; the KPI's history breaks here
    accumulates: bool = False  # builds up over the year: an interim figure is provisional
    per_branch: bool = False  # target set branch by branch
    compound: bool = False  # several targets in one KPI
    target_unknown: str | None = None  # the document prints no target this year, and says why
    loc: Location | None = None
    text_loc: Location | None = None

    @property
    def parsed_target(self) -> Target | None:
        return parse_target(self.target_text if self.target_text else self.text)

    @property
    def target_source_text(self) -> str:
        """The words the target is read from: its own column when printed apart, else the KPI sentence."""
        return self.target_text or self.text

    @property
    def target(self) -> Target | None:
        """The declared target when the plan gives one, else the one read from the text."""
        return self.declared_target or self.parsed_target


@dataclass
class Measure:
    id: str
    label: str
    title: str
    groups: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    targets: list[PlanTarget] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    measures: list["Measure"] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    loc: Location | None = None

    def walk(self) -> Iterator["Measure"]:
        yield self
        for child in self.measures:
            yield from child.walk()

    def own_items(self) -> list[Item]:
        """Items in this measure's own blocks (nested ones included, sub-measures not)."""
        return [item for block in self.blocks for item in block.walk_items()]

    def own_targets(self) -> list[PlanTarget]:
        return [t for target in self.targets for t in target.walk()]


@dataclass
class Section:
    id: str
    label: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    loc: Location | None = None

    def walk_measures(self) -> Iterator[Measure]:
        for measure in self.measures:
            yield from measure.walk()


@dataclass
class Document:
    number: str | None = None  # 資料番号, e.g. 資料 2-3
    date: str | None = None


@dataclass
class Excerpt:
    """A plan rebuilt from a results or progress document: it holds only what that document shows."""

    source: str
    note: str | None = None


@dataclass
class Plan:
    branch_id: str
    branch_name: str
    fiscal_year: int
    title: str
    status: str
    era: str | None = None
    document: Document = field(default_factory=Document)
    sections: list[Section] = field(default_factory=list)
    source: str | None = None  # file the plan was read from
    revision: dict | None = None  # git revision the plan was read at: {rev, commit, short, date, …}
    excerpt: Excerpt | None = None
    loc: Location | None = None

    @property
    def year_label(self) -> str:
        """平成31年度 / 令和3年度."""
        return era.format_fiscal_year(self.fiscal_year, self.era)

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def walk_measures(self) -> Iterator[Measure]:
        for section in self.sections:
            yield from section.walk_measures()

    def walk_kpis(self) -> Iterator[tuple[Measure, Kpi]]:
        for measure in self.walk_measures():
            for kpi in measure.kpis:
                yield measure, kpi

    def walk_items(self) -> Iterator[tuple[Measure | Section, Item]]:
        for section in self.sections:
            for block in section.blocks:
                for item in block.walk_items():
                    yield section, item
            for measure in section.walk_measures():
                for item in measure.own_items():
                    yield measure, item


# --- JSON-ready form -------------------------------------------------------


def _target_dict(target: Target | None) -> dict | None:
    return None if target is None else target.to_dict()


def _figure_dicts(figures: list[Figure]) -> list[dict]:
    return [{"value": f.value, "unit": f.unit, "text": f.raw} for f in figures]


def _item_dict(item: Item) -> dict:
    data: dict = {"marker": item.marker, "text": item.text}
    if item.id:
        data["id"] = item.id
    if item.groups:
        data["groups"] = list(item.groups)
    if item.items:
        data["items"] = [_item_dict(child) for child in item.items]
    if item.blocks:
        data["blocks"] = [_block_dict(block) for block in item.blocks]
    return data


def _block_dict(block: Block) -> dict:
    return {"heading": block.heading, "items": [_item_dict(item) for item in block.items]}


def _plan_target_dict(target: PlanTarget) -> dict:
    data: dict = {"marker": target.marker, "text": target.text, "figures": _figure_dicts(target.figures)}
    if target.id:
        data["id"] = target.id
    if target.breakdown:
        data["breakdown"] = [_plan_target_dict(child) for child in target.breakdown]
    return data


def _kpi_dict(kpi: Kpi) -> dict:
    data = {
        "id": kpi.id,
        "text": kpi.text,
        "notes": list(kpi.notes),
        "qualitative": kpi.qualitative,
        "target": _target_dict(kpi.target),
        "target_source": "declared" if kpi.declared_target else ("text" if kpi.parsed_target else None),
    }
    optional = {"label": kpi.label, "target_text": kpi.target_text, "direction": kpi.direction,
                "groups": list(kpi.groups), "definition_changed": kpi.definition_changed,
                "accumulates": kpi.accumulates, "per_branch": kpi.per_branch, "compound": kpi.compound,
                "target_unknown": kpi.target_unknown}
    data.update({key: value for key, value in optional.items() if value})
    return data


def _measure_dict(measure: Measure) -> dict:
    return {
        "id": measure.id,
        "label": measure.label,
        "title": measure.title,
        "groups": list(measure.groups),
        "goals": list(measure.goals),
        "targets": [_plan_target_dict(t) for t in measure.targets],
        "blocks": [_block_dict(b) for b in measure.blocks],
        "measures": [_measure_dict(m) for m in measure.measures],
        "kpis": [_kpi_dict(k) for k in measure.kpis],
    }


def plan_to_dict(plan: Plan) -> dict:
    """The parsed plan, KPI targets included, as JSON-ready data."""
    return {
        "branch": {"id": plan.branch_id, "name": plan.branch_name},
        "fiscal_year": plan.fiscal_year,
        "fiscal_year_label": plan.year_label,
        "title": plan.title,
        "status": plan.status,
        "document": {"number": plan.document.number, "date": plan.document.date},
        "source": plan.source,
        "revision": plan.revision,
        "excerpt": {"source": plan.excerpt.source, "note": plan.excerpt.note} if plan.excerpt else None,
        "sections": [
            {
                "id": s.id,
                "label": s.label,
                "title": s.title,
                "blocks": [_block_dict(b) for b in s.blocks],
                "measures": [_measure_dict(m) for m in s.measures],
            }
            for s in plan.sections
        ],
    }
