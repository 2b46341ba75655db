"""The template context and the HTML of the Kagoshima 新旧対照表."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kenpo_plans.diff import diff_plans
from kenpo_plans.render import RenderOptions, build_context, render_html, template_dir

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "render"


@pytest.fixture(scope="module")
def result(kagoshima):
    return diff_plans(kagoshima[2018], kagoshima[2019])


@pytest.fixture(scope="module")
def context(result):
    return build_context(result, RenderOptions(font_family="IPAexMincho"))


def cell_text(cell) -> str:
    return "".join(p["text"] for key in ("title", "text") for p in cell.get(key, []))


def test_title_header_and_number_as_in_seed_003(context):
    assert context["title"] == "平成31年度 事業計画（鹿児島支部）新旧対照表（案）"
    assert context["document_number"] == "資料 2-3"
    assert [c["header"] for c in context["columns"]] == ["新（31年度）", "旧（30年度）"]


def test_old_left_and_old_word(result):
    context = build_context(result, RenderOptions(old_left=True, old_word="現"))
    assert [c["header"] for c in context["columns"]] == ["現（30年度）", "新（31年度）"]


def test_final_plan_has_no_draft_mark(result):
    final_new = type(result.new)(**{**result.new.__dict__, "status": "final"})
    final = type(result)(result.old, final_new, result.entries, result.metadata)
    assert build_context(final)["title"] == "平成31年度 事業計画（鹿児島支部）新旧対照表"


def test_every_text_of_both_plans_is_in_a_row(context, kagoshima):
    texts = {"new": [], "old": []}
    for row in context["rows"]:
        for side in ("new", "old"):
            cell = row["cells"][side]
            if cell.get("present"):
                texts[side].append(cell_text(cell))
                texts[side] += ["".join(p["text"] for p in note) for note in cell.get("notes", [])]
    for year, side in ((2019, "new"), (2018, "old")):
        plan = kagoshima[year]
        expected = [i.text for m in plan.walk_measures() for i in m.own_items()]
        expected += [k.text for _, k in plan.walk_kpis()] + [n for _, k in plan.walk_kpis() for n in k.notes]
        expected += [m.title for m in plan.walk_measures()] + [s.title for s in plan.sections]
        for text in expected:
            assert text in texts[side], (side, text)


def _row_with(context, side, text):
    return next(r for r in context["rows"] if r["cells"][side].get("present") and text in cell_text(r["cells"][side]))


def test_inserted_wording_is_marked_in_the_new_column_only(context):
    row = _row_with(context, "new", "傷病手当金と障害年金等との併給調整")
    assert [p for p in row["cells"]["new"]["text"] if p["cls"] == "ins"] == [{"text": "等と", "cls": "ins"}]
    assert all(p["cls"] is None for p in row["cells"]["old"]["text"])


def test_deleted_wording_is_marked_in_the_old_column(context):
    row = _row_with(context, "old", "保険証回収率を95.0％以上とする")
    assert {"text": "95.0", "cls": "del", "num": True} in row["cells"]["old"]["text"]
    assert {"text": "95.4", "cls": "ins", "num": True} in row["cells"]["new"]["text"]
    assert row["cells"]["new"]["target"]["direction"] == "raised"


def test_added_measure_is_marked_and_has_an_empty_old_cell(context):
    row = _row_with(context, "new", "あんまマッサージ指圧・鍼灸施術療養費の適正化の推進")
    assert row["cells"]["new"]["mark"] == "（新設）"
    assert row["cells"]["old"] == {"present": False, "node": "measure", "depth": 1}


def test_renumbered_label_is_marked_on_both_sides(context):
    row = _row_with(context, "new", "返納金債権の発生防止のための保険証回収強化")
    assert (row["cells"]["new"]["label"], row["cells"]["old"]["label"]) == ("⑤", "④")
    assert row["cells"]["new"]["label_cls"] == row["cells"]["old"]["label_cls"] == "renum"


def test_replaced_bullets_share_a_row(context):
    row = _row_with(context, "old", "事業主や加入者に対して、資格喪失後")
    assert row["status"] == "replaced"
    assert cell_text(row["cells"]["new"]).startswith("日本年金機構の資格喪失処理後２週間以内に")


def test_summary_lists_every_kpi_target_change(context):
    targets = [t for t in context["summary"]["kpi_targets"] if not t["kpi"].startswith("数値目標")]
    assert len(targets) == 11
    first = targets[0]
    assert (first["old"], first["new"], first["direction"], first["delta"]) == ("95.0%以上", "95.4%以上", "raised", "+0.4 pt")
    assert targets[-1]["direction"] == "added" and targets[-1]["new"] == "対前年度以下"


def test_changes_only_collapses_unchanged_measures():
    from kenpo_plans.validate import load_plan

    folder = Path(__file__).resolve().parent / "fixtures" / "diff" / "kpi_target_raised"
    result = diff_plans(load_plan(folder / "old.yaml")[0], load_plan(folder / "new.yaml")[0])
    full = build_context(result)
    short = build_context(result, RenderOptions(changes_only=True))
    headings = [cell_text(short["rows"][i - 1]["cells"]["new"]) for i, r in enumerate(short["rows"])
                if r["node"] == "omitted"]
    assert headings == ["現金給付の適正化の推進", "人材育成等"]
    texts = [cell_text(r["cells"]["new"]) for r in short["rows"] if r["cells"]["new"].get("present")]
    assert "傷病手当金と障害年金の併給調整について、確実に実施する。" not in texts
    assert "資格喪失後１か月以内の保険証回収率を95.4％以上とする。" in texts
    items = lambda ctx: [r for r in ctx["rows"] if r["node"] == "item"]  # noqa: E731
    assert len(items(short)) < len(items(full))


def test_every_kagoshima_measure_changed_so_changes_only_keeps_them_all(result):
    short = build_context(result, RenderOptions(changes_only=True))
    assert not [r for r in short["rows"] if r["node"] == "omitted"]


def normalize(html: str) -> str:
    return re.sub(r'font-family: "[^"]*"', 'font-family: "FONT"', html)


def test_html_golden(context):
    html = normalize(render_html(context, template_dir(None)))
    golden = GOLDEN / "kagoshima_2018_2019.html"
    if os.environ.get("KENPO_UPDATE_GOLDEN") == "1":
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_plan_text_is_escaped(result):
    entry = next(e for e in result.entries if e.node == "item" and e.new_text)
    hostile = type(entry)(**{**entry.__dict__, "new_text": "<script>alert(1)</script>{{ 7*7 }}", "kinds": ["added"],
                             "text_segments": None})
    evil = type(result)(result.old, result.new, [hostile], {})
    html = render_html(build_context(evil), template_dir(None))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in html
