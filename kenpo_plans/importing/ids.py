"""Ids for an imported plan: the earlier plan's where a node continues, the shared vocabulary's, else readable ones.

Continuing nodes are paired with the same matcher as ``diff`` (``diff.align.match_keyed``: sections by
title, measures by title and then, for those left, by title and items together, KPIs by wording), so an imported plan diffs against the earlier
one exactly as a hand-typed plan would.  A KPI that continues keeps its id; a new KPI of the national
set gets its vocabulary id; anything else gets an id from where it stands (s2-m3, s2-m3-2, s2-m3-kpi1),
readable in a file and stable until the office renames it.  A measure renamed where it stands (same
number under the same parent, its title still related) keeps its id too, as a reviewer would judge.
"""

from __future__ import annotations

from ..diff.align import match_keyed, similarity
from ..diff.index import index_kpis, index_measures, measure_text
from ..plan import vocabulary
from ..plan.model import Plan
from ..plan.targets import parse_target
from .naming import readable_id


def _items_text(node: dict) -> list[str]:
    out = []
    for block in node.get("blocks", []):
        for item in block.get("items", []):
            out.append(item["text"])
            out += [child["text"] for child in item.get("items", [])]
    return out


def _measure_dict_text(measure: dict) -> str:
    return measure["title"] + "\n" + "\n".join(_items_text(measure))


def _walk(measures: list[dict], parent_key: str):
    for index, measure in enumerate(measures, start=1):
        key = f"{parent_key}-{index}" if "-m" in parent_key else f"{parent_key}-m{index}"
        yield key, measure
        yield from _walk(measure.get("measures", []), key)


def assign_ids(plan: dict, earlier: Plan | None, to_fill: list[dict] | None = None) -> dict[str, int]:
    """Give every section, measure and KPI of ``plan`` an id; returns how many came from where.  KPIs whose
    earlier target the document does not repeat go to ``to_fill`` ({id, earlier}): a target is never carried."""
    counts = {"earlier": 0, "vocabulary": 0, "new": 0}
    sections = {f"s{i}": s for i, s in enumerate(plan.get("sections", []), start=1)}
    measures = {key: m for skey, s in sections.items() for key, m in _walk(s.get("measures", []), skey)}
    kpis = {f"{key}-kpi{i}": k for key, m in measures.items() for i, k in enumerate(m.get("kpis", []), start=1)}
    section_ids = measure_ids = kpi_ids = {}
    old_kpis: dict = {}
    if earlier is not None:
        section_ids = _pairs({s.id: s.title for s in earlier.sections}, {k: s["title"] for k, s in sections.items()})
        old_measures, _parents = index_measures(earlier)
        measure_ids = _pairs({k: m.title for k, m in old_measures.items()}, {k: m["title"] for k, m in measures.items()})
        left_old = {k: measure_text(m) for k, m in old_measures.items() if k not in measure_ids.values()}
        measure_ids.update(_pairs(left_old, {k: _measure_dict_text(m) for k, m in measures.items()
                                             if k not in measure_ids}))
        measure_ids.update(_same_place(old_measures, _parents, measures, {**section_ids, **measure_ids}))
        old_kpis, _owners = index_kpis(earlier)
        kpi_ids = _pairs({k: v.text for k, v in old_kpis.items()}, {k: v["text"] for k, v in kpis.items()})
    if earlier is not None:
        _item_ids(plan, earlier)
    used: set[str] = set()
    for table, found in ((sections, section_ids), (measures, measure_ids), (kpis, kpi_ids)):
        for key, node in table.items():
            if key in found:
                node_id, source = found[key], "earlier"
            elif table is kpis and vocabulary.shared_id_for(node["text"]):
                node_id, source = vocabulary.shared_id_for(node["text"]), "vocabulary"
            else:
                text = node["text"] if table is kpis else node.get("title", "")
                node_id, source = readable_id(text, kpi=table is kpis) or key, "new"
            node_id = _unique(node_id, used)
            counts[source] += 1
            node["id"] = node_id
            if table is kpis:
                fill = _carry_properties(node, old_kpis.get(node_id) if source == "earlier" else None)
                if fill is not None and to_fill is not None:
                    to_fill.append(fill)
    return counts


INDICATOR_PROPERTIES = ("accumulates", "direction")  # of what is measured: they hold whatever the wording
SENTENCE_PROPERTIES = ("qualitative", "compound", "per_branch")  # how the same sentence reads, whatever the year
# never carried: a target, its printed column, the year's reason for having none, a checked figure — they
# belong to their year (Kumamoto 2024's 郵送化率 is 92.3%以上, not 2023's 96.0％以上)


def _carry_properties(node: dict, earlier) -> dict | None:
    """What a printed plan does not show of a KPI: from the earlier plan's KPI it continues (its sentence
    properties only while the sentence is the same), else what the vocabulary knows of a shared KPI.
    Returns the KPI's place to fill when the earlier plan had a target the document does not show."""
    if earlier is None:
        known = vocabulary.implied_properties(node["id"])
    else:
        known = {key: getattr(earlier, key) for key in INDICATOR_PROPERTIES if getattr(earlier, key)}
        if earlier.text == node["text"]:  # the earlier plan's reading of the same sentence beats a guess
            for key in SENTENCE_PROPERTIES:
                node.pop(key, None)
            known |= {key: getattr(earlier, key) for key in SENTENCE_PROPERTIES if getattr(earlier, key)}
    for key in ("target", "target_text", "target_unknown", "confirmed"):
        known.pop(key, None)
    for key, value in known.items():
        node.setdefault(key, value)
    shown = node.get("target_text") or node.get("target_unknown") or parse_target(node["text"]) is not None
    if earlier is not None and not shown and (earlier.target_text or earlier.declared_target):
        return {"id": node["id"], "earlier": earlier.target_text or earlier.declared_target.describe()}
    return None


def _item_tree(items: list[dict]):
    for item in items:
        yield item
        yield from _item_tree(item.get("items", []))
        for block in item.get("blocks", []):
            yield from _item_tree(block.get("items", []))


def _dict_items(nodes: list[dict]):
    """Every item of the plan tree: in blocks of sections and measures, and the items and blocks of items."""
    for node in nodes:
        for block in node.get("blocks", []):
            yield from _item_tree(block.get("items", []))
        yield from _dict_items(node.get("measures", []))


def _item_ids(plan: dict, earlier: Plan) -> None:
    """Items the earlier plan named (Yamaguchi's 施策 rows) keep their ids where their wording continues."""
    named = {item.id: item.text for _owner, item in earlier.walk_items() if item.id}
    if not named:
        return
    items = {f"i{n}": item for n, item in enumerate(_dict_items(plan.get("sections", [])))}
    for key, item_id in _pairs(named, {k: item["text"] for k, item in items.items()}).items():
        items[key]["id"] = item_id


PLACE_THRESHOLD = 0.3  # a measure renamed in place shares less of its title: 人材育成等 → ＯＪＴを中心とした人材育成


def _same_place(old_measures: dict, old_parents: dict[str, str], measures: dict[str, dict],
                paired: dict[str, str]) -> dict[str, str]:
    """Measures still unpaired that keep their number under the same (paired) parent, titles still related."""
    taken = set(paired.values())
    found = {}
    for key, measure in measures.items():
        parent = paired.get(key.rsplit("-", 1)[0])
        if key in paired or parent is None:
            continue
        for old_id, old in old_measures.items():
            if old_id not in taken and old_parents.get(old_id) == parent and old.label == measure["label"] \
                    and similarity(old.title, measure["title"]) >= PLACE_THRESHOLD:
                found[key] = old_id
                taken.add(old_id)
                break
    return found


def _pairs(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """new key → old id, for the nodes that continue."""
    old_to_new, _how = match_keyed(old, {"\0" + k: v for k, v in new.items()}, lambda text: text)
    return {new_key[1:]: old_id for old_id, new_key in old_to_new.items()}


def _unique(node_id: str, used: set[str]) -> str:
    candidate, n = node_id, 2
    while candidate in used:
        candidate = f"{node_id}-{n}"
        n += 1
    used.add(candidate)
    return candidate
