"""Plan diff: two plans → aligned entries, the changes among them, and a summary.

The result keeps every aligned row (unchanged ones too, ``kinds == []``),
because the 新旧対照表 shows the whole plan side by side; ``changes`` is the
subset a reviewer must look at.  Rows come in document order: the new
plan's order, with removed nodes where they stood in the old plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..plan import era
from ..plan.model import Block, Kpi, Measure, Plan, PlanTarget, Section
from ..plan.targets import extract_figures, round_delta, unit_at
from . import tags, textdiff
from .across_years import reused_id_warnings
from .align import MatchedBy, align_sequence, match_keyed
from .index import document_order, index_kpis, index_measures, measure_text
from .result import (ChangeKind, DiffResult, Entry, FieldChange, ListFieldChange, NodeKind, NumberChange, PathStep,
                     PlanInfo)
from .target_change import TargetDirection, compare_targets

# --- the diff ------------------------------------------------------------------------


def diff_plans(old: Plan, new: Plan, exact: bool = False) -> DiffResult:
    """Diff two loaded plans (normally two fiscal years of one branch)."""
    result = _Differ(old, new, exact).run()
    if old.excerpt or new.excerpt:
        _soften_excerpt_gaps(result, old_partial=old.excerpt is not None, new_partial=new.excerpt is not None)
    return result


def _soften_excerpt_gaps(result: DiffResult, old_partial: bool, new_partial: bool) -> None:
    """What an excerpt does not show was not added or removed: say only that its document lacks it."""
    for entry in result.entries:
        if old_partial and ChangeKind.ADDED in entry.kinds:
            entry.kinds = [ChangeKind.NOT_IN_OLD if k == ChangeKind.ADDED else k for k in entry.kinds]
        elif new_partial and ChangeKind.REMOVED in entry.kinds:
            entry.kinds = [ChangeKind.NOT_IN_NEW if k == ChangeKind.REMOVED else k for k in entry.kinds]
        else:
            continue
        if entry.target and entry.target.direction in (TargetDirection.ADDED, TargetDirection.REMOVED):
            entry.target = None


class _Differ:
    def __init__(self, old: Plan, new: Plan, exact: bool):
        self.old, self.new, self.exact = old, new, exact
        self.entries: list[Entry] = []
        self.old_sections = {s.id: s for s in old.sections}
        new_sections = {s.id: s for s in new.sections}
        self.section_map, self.section_how = match_keyed(self.old_sections, new_sections, lambda s: s.title)
        self.old_measures, self.old_measure_parent = index_measures(old)
        self.new_measures, self.new_measure_parent = index_measures(new)
        self.measure_map, self.measure_how = match_keyed(self.old_measures, self.new_measures, measure_text)
        self.old_kpis, self.old_kpi_owner = index_kpis(old)
        self.new_kpis, self.new_kpi_owner = index_kpis(new)
        self.kpi_map, self.kpi_how = match_keyed(self.old_kpis, self.new_kpis, lambda k: k.text)
        self.measure_back, self.kpi_back = _inverse(self.measure_map), _inverse(self.kpi_map)
        self.parent_map = {**self.section_map, **self.measure_map}
        self.old_order = document_order(old)

    def run(self) -> DiffResult:
        for old, new in _merge_children(self.old.sections, self.new.sections, self.section_map,
                                        _inverse(self.section_map), self.old_sections):
            self._section(old, new)
        return DiffResult(PlanInfo.of(self.old), PlanInfo.of(self.new), self.entries,
                          _metadata_changes(self.old, self.new), self.exact, reused_id_warnings(self.old, self.new))

    # sections and measures

    def _section(self, old: Section | None, new: Section | None) -> None:
        entry = self._heading_entry(NodeKind.SECTION, 0, [], old, new, self.section_how)
        self.entries.append(entry)
        path = [_step(new or old)]
        self._blocks(old.blocks if old else [], new.blocks if new else [], 1, path)
        pairs = _merge_children(old.measures if old else [], new.measures if new else [], self.measure_map,
                                self.measure_back, self.old_measures)
        for old_m, new_m in pairs:
            self._measure(old_m, new_m, 1, path)

    def _measure(self, old: Measure | None, new: Measure | None, depth: int, path: list[PathStep]) -> None:
        entry = self._heading_entry(NodeKind.MEASURE, depth, path, old, new, self.measure_how)
        if old and new:
            self._moved(entry, self.old_measure_parent[old.id], self.new_measure_parent[new.id])
            fields = _list_field_changes({"groups": old.groups, "goals": old.goals},
                                         {"groups": new.groups, "goals": new.goals})
            if fields:
                entry.fields = fields
                entry.kinds.append(ChangeKind.MODIFIED)
        entry.old_groups, entry.new_groups = (old.groups if old else []), (new.groups if new else [])
        entry.old_goals, entry.new_goals = (old.goals if old else []), (new.goals if new else [])
        _order_kinds(entry)
        self.entries.append(entry)
        inner = path + [_step(new or old)]
        self._targets(old.targets if old else [], new.targets if new else [], depth + 1, inner)
        self._blocks(old.blocks if old else [], new.blocks if new else [], depth + 1, inner)
        for old_m, new_m in _merge_children(old.measures if old else [], new.measures if new else [],
                                            self.measure_map, self.measure_back, self.old_measures):
            self._measure(old_m, new_m, depth + 1, inner)
        for old_k, new_k in _merge_children(old.kpis if old else [], new.kpis if new else [], self.kpi_map,
                                            self.kpi_back, self.old_kpis):
            self._kpi(old_k, new_k, depth + 1, inner)

    def _heading_entry(self, node, depth, path, old, new, how: dict[str, MatchedBy]) -> Entry:
        entry = Entry(node=node, depth=depth, kinds=[], path=path, **_sides(old, new, "id", "label", "title", "note"))
        self._place(entry, old)
        if _one_sided(entry, old, new):
            return entry
        entry.matched_by = how.get(new.id, MatchedBy.ID)
        entry.title_segments = textdiff.inline_diff(old.title, new.title, self.exact)
        kind = _text_kind(old.title, new.title, entry.title_segments)
        if kind:
            entry.kinds.append(ChangeKind.RENAMED if kind == ChangeKind.MODIFIED else kind)
        if old.label != new.label:
            same_but_width = textdiff.same_but_width(old.label, new.label) and not self.exact
            entry.kinds.append(ChangeKind.FORMATTING if same_but_width else ChangeKind.RENUMBERED)
        return entry

    def _place(self, entry: Entry, old_node) -> None:
        entry.old_position = self.old_order.get(id(old_node)) if old_node is not None else None

    def _moved(self, entry: Entry, old_parent: str, new_parent: str) -> None:
        if self.parent_map.get(old_parent) != new_parent:
            entry.kinds.insert(0, ChangeKind.MOVED)
            entry.old_parent, entry.new_parent = old_parent, new_parent

    # KPIs

    def _kpi(self, old: Kpi | None, new: Kpi | None, depth: int, path: list[PathStep]) -> Entry:
        entry = Entry(node=NodeKind.KPI, depth=depth, kinds=[], path=path,
                      **_sides(old, new, "id", "label", "text", "note", "target_text"),
                      old_notes=list(old.notes) if old else [], new_notes=list(new.notes) if new else [])
        self._place(entry, old)
        entry.old_parent = self.old_kpi_owner[old.id] if old else None
        entry.new_parent = self.new_kpi_owner[new.id] if new else None
        entry.target = compare_targets(old.target if old else None, new.target if new else None)
        if _one_sided(entry, old, new):
            self.entries.append(entry)
            return entry
        entry.matched_by = self.kpi_how.get(new.id, MatchedBy.ID)
        self._moved(entry, self.old_kpi_owner[old.id], self.new_kpi_owner[new.id])
        entry.text_segments = textdiff.inline_diff(old.text, new.text, self.exact)
        kinds = [_text_kind(old.text, new.text, entry.text_segments)]
        for i, j, _ in align_sequence(old.notes, new.notes):
            segments = textdiff.inline_diff(old.notes[i] if i is not None else "",
                                            new.notes[j] if j is not None else "", self.exact)
            entry.notes_segments.append(segments)
            kinds.append(_text_kind(old.notes[i] if i is not None else "",
                                    new.notes[j] if j is not None else "", segments))
        entry.numbers = _number_changes(entry.text_segments)
        for kind in (ChangeKind.MODIFIED, ChangeKind.PUNCTUATION, ChangeKind.FORMATTING):
            if kind in kinds:
                entry.kinds.append(kind)
                break
        _order_kinds(entry)
        self.entries.append(entry)
        return entry

    # blocks, items and numeric targets: aligned as sequences inside their container

    def _blocks(self, old: list[Block], new: list[Block], depth: int, path: list[PathStep]) -> None:
        old_rows, new_rows = _flatten_blocks(old, depth), _flatten_blocks(new, depth)
        self._rows(old_rows, new_rows, path)

    def _targets(self, old: list[PlanTarget], new: list[PlanTarget], depth: int, path: list[PathStep]) -> None:
        self._rows(_flatten_targets(old, depth), _flatten_targets(new, depth), path)

    def _rows(self, old_rows: list["_Row"], new_rows: list["_Row"], path: list[PathStep]) -> None:
        old_keys = [row.key for row in old_rows]
        new_keys = [row.key for row in new_rows]
        for i, j, _score in align_sequence(old_keys, new_keys):
            self.entries.append(self._row_entry(old_rows[i] if i is not None else None,
                                                new_rows[j] if j is not None else None, path))

    def _row_entry(self, old: "_Row | None", new: "_Row | None", path: list[PathStep]) -> Entry:
        some = new or old
        entry = Entry(node=some.node, depth=some.depth, kinds=[], path=path + some.context,
                      **_sides(old, new, "id", "text", "marker", "note"))
        self._place(entry, old.source if old else None)
        if _one_sided(entry, old, new):
            return entry
        entry.matched_by = MatchedBy.SEQUENCE
        entry.text_segments = textdiff.inline_diff(old.text, new.text, self.exact)
        kind = _text_kind(old.text, new.text, entry.text_segments)
        if kind:
            entry.kinds.append(ChangeKind.RENAMED if kind == ChangeKind.MODIFIED and some.node == NodeKind.BLOCK
                               else kind)
        if old.marker != new.marker and old.marker and new.marker:
            entry.kinds.append(ChangeKind.RENUMBERED)
        entry.numbers = _number_changes(entry.text_segments)
        return entry


@dataclass
class _Row:
    node: NodeKind  # block (a heading) / item / target
    depth: int
    text: str
    marker: str | None
    id: str | None
    context: list[PathStep]  # headings above the row inside its container
    source: object = None  # the plan's Block, Item or PlanTarget
    note: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        # The node type is part of the key so a heading never pairs with a bullet.
        return (self.node, self.text)


def _flatten_blocks(blocks: list[Block], depth: int, context: list[PathStep] | None = None) -> list[_Row]:
    rows: list[_Row] = []
    context = context or []
    for block in blocks:
        inner = context
        item_depth = depth
        if block.heading:
            rows.append(_Row(NodeKind.BLOCK, depth, block.heading, None, None, context, block, block.note))
            inner = context + [PathStep("", block.heading)]
            item_depth = depth + 1
        for item in block.items:
            rows += _flatten_item(item, item_depth, inner)
    return rows


def _flatten_item(item, depth: int, context: list[PathStep]) -> list[_Row]:
    rows = [_Row(NodeKind.ITEM, depth, item.text, item.marker, item.id, context, item, item.note)]
    for child in item.items:
        rows += _flatten_item(child, depth + 1, context)
    rows += _flatten_blocks(item.blocks, depth + 1, context)
    return rows


def _flatten_targets(targets: list[PlanTarget], depth: int) -> list[_Row]:
    rows: list[_Row] = []
    for target in targets:
        rows.append(_Row(NodeKind.TARGET, depth, target.text, target.marker, target.id, [], target, target.note))
        rows += _flatten_targets(target.breakdown, depth + 1)
    return rows


def _merge_children(old: list, new: list, old_to_new: dict[str, str], new_to_old: dict[str, str],
                    old_nodes: dict) -> list[tuple]:
    """Pairs (old | None, new | None) for one parent, in the new order, removed ones where they stood.

    A child matched to a node under another parent is shown there (as moved), not here.
    """
    old_index = {child.id: i for i, child in enumerate(old)}
    removed = [child for child in old if child.id not in old_to_new]
    pairs: list[tuple] = []

    def flush(until: int) -> None:
        while removed and old_index[removed[0].id] < until:
            pairs.append((removed.pop(0), None))

    for child in new:
        old_id = new_to_old.get(child.id)
        if old_id in old_index:
            flush(old_index[old_id])
        pairs.append((old_nodes.get(old_id) if old_id is not None else None, child))
    flush(len(old))
    return pairs


def _sides(old, new, *fields: str) -> dict:
    """old_<field>=…, new_<field>=… keyword arguments for an Entry; None for a missing side."""
    values = {}
    for name in fields:
        values[f"old_{name}"] = getattr(old, name) if old is not None else None
        values[f"new_{name}"] = getattr(new, name) if new is not None else None
    return values


def _one_sided(entry: Entry, old, new) -> bool:
    """Mark a node present in one version only; True when there is nothing to compare."""
    if old is not None and new is not None:
        return False
    entry.kinds.append(ChangeKind.ADDED if old is None else ChangeKind.REMOVED)
    return True


def _inverse(mapping: dict[str, str]) -> dict[str, str]:
    return {value: key for key, value in mapping.items()}


def _step(node) -> PathStep:
    return PathStep(node.label, node.title)


_PUNCTUATION = re.compile(r"[。、，．,.・：:；;「」『』（）()\s]")


def _text_kind(old: str, new: str, segments: list[textdiff.Segment]) -> ChangeKind | None:
    """modified, punctuation (only 。、 and the like differ: shown, counted apart), formatting (width only)."""
    if old == new:
        return None
    if not textdiff.has_changes(segments):
        return ChangeKind.FORMATTING
    if _PUNCTUATION.sub("", old) == _PUNCTUATION.sub("", new):
        return ChangeKind.PUNCTUATION
    return ChangeKind.MODIFIED


def _order_kinds(entry: Entry) -> None:
    entry.kinds[:] = [k for k in ChangeKind if k in entry.kinds]


def _number_changes(segments: list[textdiff.Segment] | None) -> list[NumberChange]:
    """Figures replaced inside a text: 228,013人 → 237,452人.

    Only figures the plan measures, with their unit (％, 人, 件, 事業所, 円 …): an ordinal or a label
    (第２期 → 第３期, 第3回, 2年目) names which one, it is not a quantity that rose by one.
    """
    if not segments:
        return []
    changes = []
    for index, (before, after) in enumerate(zip(segments, segments[1:])):
        if before.op != textdiff.DELETE or after.op != textdiff.INSERT or before.formatting:
            continue
        old_figures, new_figures = extract_figures(before.text), extract_figures(after.text)
        for old_f, new_f in zip(old_figures, new_figures):
            if old_f.value == new_f.value or _ordinal(segments, index, before.text, old_f.start):
                continue
            unit = new_f.unit or old_f.unit or _unit_after(segments, after)
            if unit is None:
                continue
            delta = round_delta(old_f.value, new_f.value)
            changes.append(NumberChange(old_f.value, new_f.value, unit, delta, old_f.raw, new_f.raw))
    return changes


def _ordinal(segments: list[textdiff.Segment], index: int, text: str, start: int) -> bool:
    """Whether the figure at ``start`` of segment ``index`` follows 第 (第3回 has a unit but counts nothing)."""
    if start:
        return text[start - 1] == "第"
    previous = next((s.text for s in reversed(segments[:index]) if s.op != textdiff.INSERT and s.text), "")
    return previous.endswith("第")


def _unit_after(segments: list[textdiff.Segment], segment: textdiff.Segment) -> str | None:
    """The unit in the unchanged text after a replaced figure: 「[-228,013-]{+237,452+}人」 → 人."""
    index = segments.index(segment)
    for following in segments[index + 1:]:
        if following.op == textdiff.DELETE:
            continue  # the old side's text; the new side reads on (「55.5」 then 「%」 replacing 「％」)
        return unit_at(following.text, 0)[0]
    return None


def _list_field_changes(old: dict[str, list], new: dict[str, list]) -> dict[str, ListFieldChange]:
    """Changes of list fields (groups, goals) by field; order does not count.

    deepdiff compares the lists as multisets, so 【業務G・保健G】 → 【保健G・業務G】 is no change.
    """
    if all(sorted(old[key]) == sorted(new[key]) for key in old):
        return {}  # the common case; deepdiff is imported only when a list really differs
    from deepdiff import DeepDiff

    changes = {}
    for key in old:
        diff = DeepDiff(old[key], new[key], ignore_order=True)
        added = list(diff.get("iterable_item_added", {}).values())
        removed = list(diff.get("iterable_item_removed", {}).values())
        changed = diff.get("values_changed", {})
        removed += [change["old_value"] for change in changed.values()]
        added += [change["new_value"] for change in changed.values()]
        if added or removed:
            changes[key] = ListFieldChange(old[key], new[key], added, removed,
                                           tags.change_text(key, old[key], new[key]))
    return changes


def _metadata_changes(old: Plan, new: Plan) -> dict[str, FieldChange]:
    """The plans' particulars that differ, by field; the title only where it changed beyond the year it names."""
    def meta(plan: Plan) -> dict:
        return {"title": era.without_years(plan.title), "branch_name": plan.branch_name, "status": plan.status,
                "document_number": plan.document.number, "document_date": plan.document.date}

    before, after = meta(old), meta(new)
    shown = {"title": (old.title, new.title)}
    return {key: FieldChange(*shown.get(key, (before[key], after[key]))) for key in before
            if before[key] != after[key]}
