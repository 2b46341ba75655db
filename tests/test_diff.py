"""The diff engine on the real Kagoshima pair, on golden fixtures, and under random edits."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kenpo_plans.diff.plans import diff_plans
from kenpo_plans.diff.result import ChangeKind, ListFieldChange, NumberChange, PathStep
from kenpo_plans.diff.target_change import TargetDirection
from kenpo_plans.plan.model import Item
from kenpo_plans.diff.textdiff import INSERT, new_text, old_text
from kenpo_plans.plan.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "diff"
PLANS = ROOT / "plans"
DIFF_SCHEMA = json.loads((ROOT / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def kagoshima_diff(kagoshima):
    return diff_plans(kagoshima[2018], kagoshima[2019])


def entry(result, node, new_id=None, old_id=None):
    for e in result.entries:
        if e.node == node and (new_id is None or e.new_id == new_id) and (old_id is None or e.old_id == old_id):
            return e
    raise AssertionError(f"no {node} {new_id or old_id}")


# --- what a reader of seed 003 sees ------------------------------------------------


def test_new_measure_added_and_the_measures_after_it_renumbered(kagoshima_diff):
    anma = entry(kagoshima_diff, "measure", "anma-shinkyu")
    assert anma.kinds == ["added"]
    assert anma.new_title == "あんまマッサージ指圧・鍼灸施術療養費の適正化の推進"
    renumbered = [(e.new_id, e.old_label, e.new_label) for e in kagoshima_diff.changes
                  if e.node == "measure" and "renumbered" in e.kinds]
    assert renumbered == [
        ("hennokin-saiken", "④", "⑤"), ("service-suijun", "⑤", "⑥"), ("gendogaku-ninteisho", "⑥", "⑦"),
        ("hifuyosha-kakunin", "⑦", "⑧"), ("online-shikaku", "⑧", "⑨"),
    ]


def test_section_3_renamed(kagoshima_diff):
    soshiki = entry(kagoshima_diff, "section", "soshiki")
    assert soshiki.kinds == ["renamed"]
    assert (soshiki.old_title, soshiki.new_title) == ("組織体制関係", "組織・運営体制関係")
    assert [s.text for s in soshiki.title_segments if s.op == INSERT] == ["・運営"]


def test_measures_added_to_section_3_and_elsewhere(kagoshima_diff):
    added = [e.new_id for e in kagoshima_diff.changes if e.node == "measure" and e.kinds == ["added"]]
    assert added == ["anma-shinkyu", "iken-hasshin-taisei", "iryohi-data-bunseki", "gaibu-iken-hasshin",
                     "compliance", "risk-kanri"]
    assert entry(kagoshima_diff, "measure", "compliance").path == [PathStep("（3）", "組織・運営体制関係")]


def test_renamed_measures(kagoshima_diff):
    renamed = {e.new_id: (e.old_title, e.new_title) for e in kagoshima_diff.changes
               if e.node == "measure" and "renamed" in e.kinds}
    assert renamed == {
        "jigyosho-data": ("事業所単位での健康・医療データ提供", "事業所単位での健康・医療データ提供等"),
        "hoken-shido": ("特定保健指導の実施率の向上及び平成30年度からの制度見直しへの対応", "特定保健指導の実施率の向上"),
        "collabo-health": ("健康経営（コラボヘルスの推進）", "コラボヘルスの推進"),
        "iryo-teikyo-taisei": ("医療データの分析に基づく地域の医療提供体制への働きかけ", "地域の医療提供体制への働きかけ"),
        "jinzai-ikusei": ("人材育成等", "ＯＪＴを中心とした人材育成"),
        "shinchoku-kanri": ("支部業績評価に向けた事業進捗管理", "事業の進捗管理の徹底"),
    }


# KPI targets as printed in seed 003: 旧（30年度） → 新（31年度）
SEED_TARGET_CHANGES = {
    "hokensho-kaishu-ritsu": (95.0, 95.4),
    "yusoka-ritsu": (87.0, 90.0),
    "gendogaku-shiyo-wariai": (83.0, 84.0),
    "online-riyo-ritsu": (38.0, 43.3),
    "jigyosha-kenshin-data-ritsu": (10.6, 11.0),
    "hoken-shido-ritsu": (24.0, 24.2),
    "jushin-kansho-jushin-wariai": (11.5, 12.0),
    "kenko-hoken-iin-wariai": (37.5, 41.3),
    "generic-shiyo-wariai": (80.2, 83.0),
    "chiiki-iryo-sanka-ritsu": (79.8, 83.7),
}


def test_every_kpi_target_change_with_its_direction(kagoshima_diff):
    kpis = [e for e in kagoshima_diff.entries if e.node == "kpi"]
    raised = {e.new_id: (e.target.old.value, e.target.new.value) for e in kpis
              if e.target and e.target.direction == TargetDirection.RAISED}
    assert raised == SEED_TARGET_CHANGES
    for e in kpis:
        if e.new_id in SEED_TARGET_CHANGES:
            old, new = SEED_TARGET_CHANGES[e.new_id]
            assert e.target.delta == pytest.approx(new - old)
            assert e.target.delta_unit == "pt" and e.target.stricter is True
    assert kagoshima_diff.summary.kpi_targets == {
        "raised": 10, "lowered": 0, "unchanged": 9, "changed": 0, "added": 1, "removed": 0}
    assert entry(kagoshima_diff, "kpi", "issha-osatsu-wariai").kinds == ["added"]


def test_merged_bullets_in_gaisho_tenken(kagoshima_diff):
    rows = [e for e in kagoshima_diff.entries if e.node == "item"
            and e.path[-1] == PathStep("", "【外傷点検】")]
    kinds = [e.kinds for e in rows]
    assert kinds == [[], ["removed"], ["modified"]]
    merged = rows[2]
    assert merged.old_text.startswith("支払遅延の損保会社") and merged.new_text.startswith("第三者行為届未提出者および")


def test_numbers_inside_targets_are_listed(kagoshima_diff):
    target = next(e for e in kagoshima_diff.entries if e.node == "target" and e.new_text.startswith("被保険者（40歳以上）"))
    assert target.numbers == [NumberChange(old=228013, new=237452, unit="人", delta=9439,
                                           old_text="228,013", new_text="237,452")]


def test_json_matches_the_schema(kagoshima_diff):
    data = json.loads(json.dumps(kagoshima_diff.to_dict(), ensure_ascii=False))
    jsonschema.validate(data, DIFF_SCHEMA, cls=jsonschema.Draft202012Validator)
    kpi = next(c for c in data["changes"] if c["new_id"] == "hokensho-kaishu-ritsu")
    assert kpi["target"]["old"] == {"relation": "ge", "value": 95.0, "unit": "%", "basis": "absolute"}
    assert kpi["path"][-1] == {"label": "⑤", "title": "返納金債権の発生防止のための保険証回収強化、債権回収業務の推進"}


def test_every_node_of_both_plans_has_a_row(kagoshima, kagoshima_diff):
    for year, side in ((2018, "old"), (2019, "new")):
        plan = kagoshima[year]
        texts = [getattr(e, f"{side}_text") for e in kagoshima_diff.entries if e.node in ("item", "target", "kpi")]
        expected = [i.text for m in plan.walk_measures() for i in m.own_items()]
        expected += [t.text for m in plan.walk_measures() for t in m.own_targets()]
        expected += [k.text for _, k in plan.walk_kpis()]
        expected += [i.text for s in plan.sections for b in s.blocks for i in b.walk_items()]
        assert sorted(t for t in texts if t is not None) == sorted(expected)


# --- golden fixtures --------------------------------------------------------------------


def project(result) -> list[dict]:
    out = []
    for e in result.changes:
        row = {"kinds": e.kinds, "node": e.node}
        if e.node in ("section", "measure", "kpi"):
            row["id"] = e.new_id or e.old_id
            if e.old_id and e.new_id and e.old_id != e.new_id:
                row["old_id"] = e.old_id
        else:
            row["text"] = e.new_text if e.new_text is not None else e.old_text
        if e.node == "kpi" and e.target:
            row["direction"] = e.target.direction
            if e.target.delta is not None:
                row["delta"] = e.target.delta
        out.append(row)
    return out


@pytest.mark.parametrize("case", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_golden_fixture(case):
    folder = FIXTURES / case
    old, _ = load_plan(folder / "old.yaml")
    new, _ = load_plan(folder / "new.yaml")
    expected = YAML(typ="safe").load((folder / "expected.yaml").read_text(encoding="utf-8"))
    assert project(diff_plans(old, new)) == expected


def test_width_only_shows_with_exact():
    folder = FIXTURES / "width_only_is_hidden"
    old, _ = load_plan(folder / "old.yaml")
    new, _ = load_plan(folder / "new.yaml")
    normal = diff_plans(old, new)
    assert normal.summary.formatting_only_hidden == 1
    exact = diff_plans(old, new, exact=True)
    assert project(exact) == [{"kinds": ["modified"], "node": "kpi", "id": "kaishu-ritsu", "direction": "unchanged"}]


# --- properties -------------------------------------------------------------------------


def test_diff_of_a_plan_with_itself_is_empty(kagoshima):
    for plan in kagoshima.values():
        result = diff_plans(plan, plan)
        assert result.changes == [] and not result.has_changes
        assert result.summary.changes == 0


def _mirror_kinds(kinds):
    swap = {"added": "removed", "removed": "added"}
    return sorted(swap.get(k, k) for k in kinds)


def test_diff_b_a_mirrors_diff_a_b(kagoshima):
    forward = diff_plans(kagoshima[2018], kagoshima[2019])
    backward = diff_plans(kagoshima[2019], kagoshima[2018])
    f_summary, b_summary = forward.summary, backward.summary
    assert f_summary.changes == b_summary.changes
    assert f_summary.by_kind[ChangeKind.ADDED] == b_summary.by_kind[ChangeKind.REMOVED]
    assert f_summary.by_kind[ChangeKind.REMOVED] == b_summary.by_kind[ChangeKind.ADDED]
    assert f_summary.kpi_targets[TargetDirection.RAISED] == b_summary.kpi_targets[TargetDirection.LOWERED]
    forward_rows = sorted((e.node, e.old_id or "", e.new_id or "", tuple(_mirror_kinds(e.kinds)),
                           e.old_text or "", e.new_text or "") for e in forward.changes)
    backward_rows = sorted((e.node, e.new_id or "", e.old_id or "", tuple(sorted(e.kinds)),
                            e.new_text or "", e.old_text or "") for e in backward.changes)
    assert forward_rows == backward_rows
    for f in forward.changes:
        if f.text_segments:
            b = next(x for x in backward.changes if x.node == f.node and x.old_text == f.new_text
                     and x.new_text == f.old_text)
            assert new_text(b.text_segments) == old_text(f.text_segments)


def _measures_with_items(plan):
    return [m for m in plan.walk_measures() if len(m.own_items()) >= 2]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_edit_is_reported_as_exactly_that(kagoshima, data):
    base = kagoshima[2019]
    plan = copy.deepcopy(base)
    measures = _measures_with_items(plan)
    measure = measures[data.draw(st.integers(0, len(measures) - 1), label="measure index")]
    edit = data.draw(st.sampled_from(["number", "insert", "delete", "rename", "renumber", "swap"]))
    block = next(b for b in measure.blocks if len(b.items) >= 1)
    if edit == "number":
        kpis = [k for _, k in plan.walk_kpis()
                if k.target and isinstance(k.target.value, float) and f"{k.target.value:.1f}" in k.text]
        kpi = kpis[data.draw(st.integers(0, len(kpis) - 1), label="kpi index")]
        bump = data.draw(st.sampled_from([0.1, 0.5, 2.0, -0.3]))
        old_value = kpi.target.value
        new_value = round(old_value + bump, 1)
        kpi.text = kpi.text.replace(f"{old_value:.1f}", f"{new_value:.1f}", 1)
        result = diff_plans(base, plan)
        (change,) = result.changes
        assert change.node == "kpi" and change.kinds == ["modified"] and change.new_id == kpi.id
        assert change.target.direction == (TargetDirection.RAISED if bump > 0 else TargetDirection.LOWERED)
        assert change.target.delta == pytest.approx(bump)
        return
    if edit == "insert":
        position = data.draw(st.integers(0, len(block.items)))
        text = "新たに加入者向けの説明会を年2回開催する。"
        block.items.insert(position, Item(text=text))
        (change,) = diff_plans(base, plan).changes
        assert change.kinds == ["added"] and change.new_text == text
    elif edit == "delete":
        plain = [i for i, item in enumerate(block.items) if not item.items and not item.blocks]
        if not plain:
            return
        position = plain[data.draw(st.integers(0, len(plain) - 1))]
        removed = block.items.pop(position)
        changes = diff_plans(base, plan).changes
        assert [(c.kinds, c.old_text) for c in changes] == [(["removed"], removed.text)]
    elif edit == "rename":
        measure.title = measure.title + "の強化"
        (change,) = diff_plans(base, plan).changes
        assert change.kinds == ["renamed"] and change.new_id == measure.id
        assert [s.text for s in change.title_segments if s.op == INSERT] == ["の強化"]
    elif edit == "renumber":
        measure.label = "⑳"
        (change,) = diff_plans(base, plan).changes
        assert change.kinds == ["renumbered"] and change.new_id == measure.id
    elif edit == "swap":
        items = [i for b in measure.blocks for i in b.items]
        swappable = [b for b in measure.blocks if len(b.items) >= 2 and b.items[0].text != b.items[1].text]
        if not swappable:
            return
        target = swappable[0]
        target.items[0], target.items[1] = target.items[1], target.items[0]
        changes = diff_plans(base, plan).changes
        assert sorted(c.kinds[0] for c in changes) == ["added", "removed"]
        assert changes[0].new_text == changes[1].old_text or changes[0].old_text == changes[1].new_text
        assert len(items) >= 2


def test_group_change_names_the_added_group():
    folder = FIXTURES / "groups_changed"
    result = diff_plans(load_plan(folder / "old.yaml")[0], load_plan(folder / "new.yaml")[0])
    (change,) = result.changes
    assert change.fields == {"groups": ListFieldChange(old=["業務G"], new=["業務G", "保健G"], added=["保健G"], removed=[],
                                                       text="担当: 業務G → 業務G・保健G（保健G を追加）")}


def test_a_group_change_is_said_in_words_in_text_and_json():
    """熊本 2023 → 2024: コラボヘルスの推進 gained 保健G; said as the plans write groups, never a Python list."""
    import json as _json

    from kenpo_plans.render.shinkyu_text import to_json, to_text

    result = diff_plans(load_plan(PLANS / "kumamoto" / "2023.yaml")[0], load_plan(PLANS / "kumamoto" / "2024.yaml")[0])
    said = "担当: 企画総務G → 保健G・企画総務G（保健G を追加）"
    text = to_text(result)
    assert said in text and "['" not in text
    (change,) = [c for c in _json.loads(to_json(result))["changes"] if c.get("fields")]
    assert change["fields"]["groups"]["text"] == said


def test_only_the_added_group_of_a_tag_is_marked():
    """〈Ⅰ、Ⅱ、Ⅲ〉【企画総務G】 → 〈Ⅰ、Ⅱ、Ⅲ〉【企画総務G・保健G】: 「・保健G」 alone is marked, on the new side only."""
    from kenpo_plans.render.shinkyu import build_context

    folder = FIXTURES / "groups_changed"
    old, new = load_plan(folder / "old.yaml")[0], load_plan(folder / "new.yaml")[0]
    for plan, groups in ((old, ["企画総務G"]), (new, ["企画総務G", "保健G"])):
        measure = plan.sections[0].measures[0]
        measure.goals, measure.groups = ["Ⅰ", "Ⅱ", "Ⅲ"], groups
    cells = [cell for cell in _cells(build_context(diff_plans(old, new))) if cell.get("tags")]
    tags = {side: [(p["text"], p["cls"]) for p in cell["tags"]] for side, cell in zip(("new", "old"), cells)}
    assert tags == {"new": [("〈Ⅰ、Ⅱ、Ⅲ〉【企画総務G", None), ("・保健G", "ins"), ("】", None)],
                    "old": [("〈Ⅰ、Ⅱ、Ⅲ〉【企画総務G】", None)]}


def _cells(node):
    """Every side cell of a rendering context, new before old as the table reads."""
    if isinstance(node, dict):
        if "tags" in node or ("present" in node and "node" in node):
            yield node
        for value in node.values():
            yield from _cells(value)
    elif isinstance(node, list):
        for value in node:
            yield from _cells(value)


def test_an_id_reused_for_an_unrelated_measure_is_a_warning_not_a_silent_rename(run, plans_copy):
    import json as _json

    plan = plans_copy / "kagoshima" / "2019.yaml"
    text = plan.read_text(encoding="utf-8")
    # the id of 限度額認定証の利用促進 now names a measure about something else entirely
    old_item = "事業主や健康保険委員等に対してチラシやリーフレットによる広報を実施するとともに、地域の医療機関や市町村と連携し、医療機関の窓口に申請書を配置するなど利用促進を図る。"
    assert "title: 限度額認定証の利用促進\n" in text and old_item in text
    plan.write_text(text.replace("title: 限度額認定証の利用促進\n", "title: ＩＴ機器の更新\n", 1)
                    .replace(old_item, "サーバを入替える。", 1), encoding="utf-8")
    data = _json.loads(run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans_copy, "-f", "json").out)
    reused = [w for w in data["warnings"] if w["kind"] == "reused_id"]
    assert [(w["node"], w["old"], w["new"]) for w in reused] == [("measure", "限度額認定証の利用促進", "ＩＴ機器の更新")]
    assert "警告: id" in run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans_copy, "-f", "text").out
    checked = run("validate", "--plans-dir", plans_copy)
    assert "named an unrelated measure in 平成30年度" in checked.out


def test_the_real_plans_reuse_no_id():
    from kenpo_plans.diff.across_years import reused_id_warnings
    from kenpo_plans.plan.loader import load_plan
    from conftest import PLANS

    old, _ = load_plan(PLANS / "kagoshima" / "2018.yaml")
    new, _ = load_plan(PLANS / "kagoshima" / "2019.yaml")
    assert reused_id_warnings(old, new) == []


def test_ordinals_and_labels_are_not_figure_changes():
    """第２期→第３期, 第3回→第4回, 2年目→3年目 are labels; 1,000人→1,500人 beside them is a figure."""
    from kenpo_plans.render.shinkyu_text import to_text

    folder = FIXTURES / "groups_changed"
    old, new = load_plan(folder / "old.yaml")[0], load_plan(folder / "new.yaml")[0]
    texts = [(old, "第２期保健事業実施計画（データヘルス計画）の2年目として、第3回の研修に1,000人が参加する。"),
             (new, "第３期保健事業実施計画（データヘルス計画）の3年目として、第4回の研修に1,500人が参加する。")]
    for plan, text in texts:
        plan.sections[0].measures[0].blocks[0].items[0].text = text
    result = diff_plans(old, new)
    (item,) = [e for e in result.changes if e.node == "item"]
    assert [(n.old_text, n.new_text, n.unit) for n in item.numbers] == [("1,000", "1,500", "人")]
    assert "数値: ２ → ３" not in to_text(result) and "数値: 1,000人 → 1,500人（+500人）" in to_text(result)
