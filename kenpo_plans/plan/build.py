"""A YAML tree the schema has accepted → ``model.Plan``: the last of the loader's three steps.

Every node keeps the line and column the tree gave it, so problems found later (validation, the
diff's warnings) can name their place.
"""

from __future__ import annotations

from typing import Any

from .reading import RawPlan
from .model import Block, Document, Excerpt, Item, Kpi, Location, Measure, Plan, PlanTarget, Section
from .targets import Target


def build_plan(raw: RawPlan) -> Plan:
    return _Builder(raw).plan(raw.data)


class _Builder:
    def __init__(self, raw: RawPlan):
        self.raw = raw

    def loc(self, path: tuple) -> Location:
        return self.raw.location(path)

    def plan(self, data: dict) -> Plan:
        document = data.get("document") or {}
        return Plan(
            branch_id=data["branch"]["id"],
            branch_name=data["branch"]["name"],
            fiscal_year=data["fiscal_year"],
            title=data["title"],
            status=data["status"],
            era=data.get("era"),
            document=Document(number=document.get("number"), date=_as_text(document.get("date"))),
            sections=[self.section(s, ("sections", i)) for i, s in enumerate(data.get("sections", []))],
            source=self.raw.file,
            excerpt=Excerpt(data["excerpt"]["source"], data["excerpt"].get("note")) if data.get("excerpt") else None,
            loc=self.loc(()),
        )

    def section(self, data: dict, path: tuple) -> Section:
        return Section(
            id=data["id"],
            label=data.get("label", ""),
            title=data["title"],
            blocks=self.blocks(data, path),
            measures=[self.measure(m, path + ("measures", i)) for i, m in enumerate(data.get("measures", []))],
            note=data.get("note"),
            loc=self.loc(path),
        )

    def measure(self, data: dict, path: tuple) -> Measure:
        return Measure(
            id=data["id"],
            label=data.get("label", ""),
            title=data["title"],
            groups=list(data.get("groups", [])),
            goals=list(data.get("goals", [])),
            targets=[self.plan_target(t, path + ("targets", i)) for i, t in enumerate(data.get("targets", []))],
            blocks=self.blocks(data, path),
            measures=[self.measure(m, path + ("measures", i)) for i, m in enumerate(data.get("measures", []))],
            kpis=[self.kpi(k, path + ("kpis", i)) for i, k in enumerate(data.get("kpis", []))],
            note=data.get("note"),
            loc=self.loc(path),
        )

    def blocks(self, data: dict, path: tuple) -> list[Block]:
        return [self.block(b, path + ("blocks", i)) for i, b in enumerate(data.get("blocks", []))]

    def block(self, data: dict, path: tuple) -> Block:
        return Block(
            heading=data.get("heading"),
            items=[self.item(it, path + ("items", i)) for i, it in enumerate(data.get("items", []))],
            note=data.get("note"),
            loc=self.loc(path),
        )

    def item(self, data: dict, path: tuple) -> Item:
        return Item(
            text=data["text"],
            marker=data.get("marker", "○"),
            id=data.get("id"),
            groups=list(data.get("groups", [])),
            items=[self.item(it, path + ("items", i)) for i, it in enumerate(data.get("items", []))],
            blocks=self.blocks(data, path),
            note=data.get("note"),
            loc=self.loc(path),
        )

    def plan_target(self, data: dict, path: tuple) -> PlanTarget:
        return PlanTarget(
            text=data["text"],
            marker=data.get("marker", ""),
            id=data.get("id"),
            breakdown=[self.plan_target(t, path + ("breakdown", i)) for i, t in enumerate(data.get("breakdown", []))],
            note=data.get("note"),
            loc=self.loc(path),
        )

    def kpi(self, data: dict, path: tuple) -> Kpi:
        declared = data.get("target")
        return Kpi(
            id=data["id"],
            text=data["text"],
            notes=list(data.get("notes", [])),
            declared_target=Target.from_dict(declared) if declared else None,
            qualitative=bool(data.get("qualitative", False)),
            confirmed=bool(data.get("confirmed", False)),
            label=data.get("label", ""),
            target_text=data.get("target_text"),
            direction=data.get("direction"),
            groups=list(data.get("groups", [])),
            definition_changed=data.get("definition_changed"),
            accumulates=bool(data.get("accumulates", False)),
            per_branch=bool(data.get("per_branch", False)),
            compound=bool(data.get("compound", False)),
            target_unknown=data.get("target_unknown"),
            note=data.get("note"),
            loc=self.loc(path),
            text_loc=self.loc(path + ("target_text" if "target_text" in data else "text",)),
        )


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)
