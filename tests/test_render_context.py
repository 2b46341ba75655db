"""The template context and the HTML of the Kagoshima 新旧対照表."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape  # as the template escapes (jinja2 autoescape)

from kenpo_plans.diff.plans import diff_plans
from kenpo_plans.render.shinkyu import RenderOptions, build_context
from kenpo_plans.render.templates import render_html, template_dir

@pytest.fixture(scope="module")
def result(kagoshima):
    return diff_plans(kagoshima[2018], kagoshima[2019])


@pytest.fixture(scope="module")
def context(result):
    return build_context(result, RenderOptions(font_family="IPAexMincho"))


def leaves(cell) -> list[dict]:
    """The cells a row shows on one side: a rewritten list (``flow``) shows several, one after another."""
    return cell["stack"] if cell.get("node") == "flow" and cell.get("present") else [cell]


def cell_text(cell) -> str:
    return "".join(p["text"] for leaf in leaves(cell) for key in ("title", "text") for p in leaf.get(key, []))


def test_title_header_and_number_as_in_seed_003(context):
    assert context["title"] == "平成31年度 事業計画（鹿児島支部）新旧対照表（案）"
    assert context["document_number"] == "資料 2-3"
    # the era in the heads (issue 32): a page read alone says which 31年度
    assert [c["header"] for c in context["columns"]] == ["新（平成31年度）", "旧（平成30年度）"]


def test_old_left_and_old_word(result):
    context = build_context(result, RenderOptions(old_left=True, old_word="現"))
    assert [c["header"] for c in context["columns"]] == ["現（平成30年度）", "新（平成31年度）"]


def test_final_plan_has_no_draft_mark(result):
    final_new = type(result.new)(**{**result.new.__dict__, "status": "final"})
    final = type(result)(result.old, final_new, result.entries, result.metadata)
    assert build_context(final)["title"] == "平成31年度 事業計画（鹿児島支部）新旧対照表"


def test_every_text_of_both_plans_is_in_a_row(context, kagoshima):
    texts = {"new": [], "old": []}
    for row in context["rows"]:
        for side in ("new", "old"):
            cell = row["cells"][side]
            for leaf in leaves(cell) if cell.get("present") else []:
                texts[side].append(cell_text(leaf))
                texts[side] += ["".join(p["text"] for p in note) for note in leaf.get("notes", [])]
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
    assert row["cells"]["new"]["target"] is None  # the sentence states its target: no 目標 band repeating it


def test_added_measure_is_marked_and_has_an_empty_old_cell(context):
    row = _row_with(context, "new", "あんまマッサージ指圧・鍼灸施術療養費の適正化の推進")
    assert row["cells"]["new"]["mark"] == "（新設）"
    assert row["cells"]["old"] == {"present": False, "node": "measure", "depth": 1}


def test_renumbered_label_is_marked_on_both_sides(context):
    row = _row_with(context, "new", "返納金債権の発生防止のための保険証回収強化")
    assert (row["cells"]["new"]["label"], row["cells"]["old"]["label"]) == ("⑤", "④")
    assert row["cells"]["new"]["label_cls"] == row["cells"]["old"]["label_cls"] == "renum"


def _texts(row, side):
    cell = row["cells"][side]
    return [cell_text(leaf) for leaf in leaves(cell)] if cell.get("present") else []


def _starts(row, side):
    return [text[:8] for text in _texts(row, side)]


def test_a_rewritten_list_flows_as_two_continuous_runs(context):
    # (2)⑤ of 2019 rewrote nine bullets as two: they stand side by side in one row, nothing paired.
    row = _row_with(context, "old", "事業主や加入者に対して、資格喪失後")
    assert row["node"] == "flow" and row["status"] == "replaced"
    assert _starts(row, "new") == ["日本年金機構の資", "発生した債権の早"]
    assert len(_texts(row, "old")) == 9 and _texts(row, "old")[-1].startswith("過年度債権回収業務")


def test_two_old_bullets_merged_into_one_sit_beside_it(context):
    # 【外傷点検】: the 2019 bullet merges the two 催告 bullets of 2018; the unchanged first bullet keeps its row.
    row = _row_with(context, "new", "第三者行為届未提出者および支払遅延の損保会社")
    assert _starts(row, "old") == ["第三者行為届未提", "支払遅延の損保会"]
    kept = _row_with(context, "new", "負傷原因届の提出勧奨強化")
    assert kept["node"] == "item" and kept["status"] == "unchanged"


def test_an_edited_bullet_keeps_its_row_and_the_unrelated_rest_flows(context):
    # 【内容点検】: 「システムを活用した…」 became 「…システムを最大限活用した…」; the rest is unrelated.
    edited = _row_with(context, "old", "システムを活用した効果的なレセプト点検")
    assert edited["node"] == "item" and edited["status"] == "changed"
    rest = context["rows"][context["rows"].index(edited) + 1]
    assert _starts(rest, "new") == ["勉強会の実施およ"]
    assert _starts(rest, "old") == ["点検員の査定事例", "委託業者の査定事", "支払基金一次審査", "支払基金との医療"]


def test_headings_of_a_rewritten_block_flow_with_their_items(context):
    # i）: three new tiers (＜被保険者＞＜被扶養者＞＜その他＞) against three other old ones, all rewritten.
    row = _row_with(context, "new", "＜その他＞")
    new, old = _texts(row, "new"), _texts(row, "old")
    assert [t for t in new if t.startswith("＜")] == ["＜被保険者＞", "＜被扶養者＞", "＜その他＞"]
    assert new[new.index("＜その他＞") + 1].startswith("社労士会、労働局、医師会")
    assert [t for t in old if t.startswith("＜")] == ["＜生活習慣病予防健診＞", "＜事業者健診データ取得＞",
                                                      "＜特定健康診査の実施率の向上＞"]
    # ii）: the one bullet that really was edited (健康経営 → 健康宣言) reads inside the run, marks and all,
    # rather than opening a hole in the shorter column
    row = _row_with(context, "old", "＜協会けんぽ保健師等による保健指導＞")
    new, old = _texts(row, "new"), _texts(row, "old")
    assert new[0] == "＜被保険者＞" and "＜その他＞" in new
    assert new[new.index("＜その他＞") + 1].startswith("被扶養者への健診・保健指導の周知強化")
    assert any(t.startswith("健康宣言、コラボヘルス") for t in new)
    assert any(t.startswith("健康経営・コラボヘルス") for t in old)


def test_no_list_has_a_hole_in_either_column(context):
    """Within the bullets, targets and headings of one measure, each column's cells are one unbroken run."""
    runs: list[list[dict]] = []
    for row in context["rows"]:
        listed = row["node"] in ("item", "target", "block", "flow")
        if listed and runs and runs[-1] and runs[-1][-1]["parent"] == row["parent"]:
            runs[-1].append(row)
        else:
            runs.append([row] if listed else [])
    checked = 0
    for run in filter(None, runs):
        for side in ("new", "old"):
            present = "".join("x" if row["cells"][side].get("present") else "." for row in run)
            assert "x.x" not in present.replace("..", "."), (side, [_starts(row, side) for row in run])
            checked += 1
    assert checked > 50


def test_a_bullet_only_one_side_has_never_pushes_a_shared_heading_down():
    from kenpo_plans.render.flow import flow_rewritten_lists

    def row(node, status, new=None, old=None):
        cell = lambda text: {"present": True, "node": node, "depth": 3, "text": [{"text": text, "cls": None}]}  # noqa: E731
        absent = {"present": False, "node": node, "depth": 3}
        return {"node": node, "depth": 3, "status": status, "kinds": [], "parent": (("②", "m"),),
                "cells": {"new": cell(new) if new else absent, "old": cell(old) if old else absent}}

    rows = [row("block", "unchanged", "【外傷点検】", "【外傷点検】"), row("item", "removed", old="届出の催告を行う。"),
            row("block", "unchanged", "【内容点検】", "【内容点検】"), row("item", "unchanged", "点検する。", "点検する。")]
    out = flow_rewritten_lists(rows)
    assert [r["node"] for r in out] == ["flow", "block", "item"]
    assert _starts(out[0], "old") == ["【外傷点検】", "届出の催告を行う"] and _starts(out[0], "new") == ["【外傷点検】"]


def test_summary_lists_every_kpi_target_change(context):
    targets = [t for t in context["summary"]["kpi_targets"] if not t["kpi"].startswith("数値目標")]
    assert len(targets) == 11
    first = targets[0]
    assert (first["old"], first["new"], first["direction"], first["delta"]) == ("95.0%以上", "95.4%以上", "raised", "+0.4 pt")
    assert targets[-1]["direction"] == "added" and targets[-1]["new"] == "対前年度以下"


def test_changes_only_collapses_unchanged_measures():
    from kenpo_plans.plan.loader import load_plan

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


def marked_parts(node) -> list[dict]:
    """Every part of the context that the template marks (傍線 for ins/del, 二重傍線 for renumbered)."""
    if isinstance(node, dict):
        own = [node] if node.get("cls") and "text" in node else []
        return own + [p for value in node.values() for p in marked_parts(value)]
    if isinstance(node, list):
        return [p for value in node for p in marked_parts(value)]
    return []


@pytest.fixture(scope="module")
def html(context):
    return render_html(context, template_dir(None))


def test_the_html_is_one_sealed_file_in_the_chosen_font(html, context):
    assert "default-src 'none'" in html  # the CSP: nothing is fetched, not even by a browser
    assert not re.search(r"<link|<script| src=", html)
    assert f"<title>{context['title']}</title>" in html
    assert 'font-family: "IPAexMincho"' in html


def test_the_html_has_one_row_per_context_row_in_order(html, context):
    rows = re.findall(r'<tr class="row ([^" ]+) ([^"]+)">', html)
    assert rows == [(row["node"], row["status"]) for row in context["rows"]]
    headers = re.findall(r'<th class="side-(new|old)">([^<]+)</th>', html)
    assert headers == [("new", "新（平成31年度）"), ("old", "旧（平成30年度）")]


def test_every_changed_wording_is_marked_in_the_html(html, context):
    parts = marked_parts(context["rows"])
    assert {p["cls"] for p in parts} >= {"ins", "del"}
    for part in parts:
        classes = " ".join(c for c in (part["cls"], "num" if part.get("num") else "") if c)
        assert f'<span class="{classes}">{escape(part["text"])}</span>' in html, part
    legend = 1  # the legend under the summary shows one of each
    for cls in ("ins", "del"):
        assert html.count(f'<span class="{cls}') == legend + sum(1 for p in parts if p["cls"] == cls)


def test_plan_text_is_escaped(result):
    entry = next(e for e in result.entries if e.node == "item" and e.new_text)
    hostile = type(entry)(**{**entry.__dict__, "new_text": "<script>alert(1)</script>{{ 7*7 }}", "kinds": ["added"],
                             "text_segments": None})
    evil = type(result)(result.old, result.new, [hostile], {})
    html = render_html(build_context(evil), template_dir(None))
    assert "<script>alert(1)</script>" not in html
    text = re.sub(r"</?span[^>]*>", "", html)  # the figures (1, 7) are spans of their own, kept on one line
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in text


def test_flowing_keeps_every_cell_once_and_in_order():
    """Whatever the mix of kept, edited, added and removed rows, each column shows every one of its cells
    exactly once and in the plan's order; rows outside lists are never merged."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kenpo_plans.render.flow import flow_rewritten_lists

    kinds = st.sampled_from(["unchanged", "changed", "added", "removed"])
    nodes = st.sampled_from(["item", "item", "item", "block", "target", "kpi"])
    parents = st.sampled_from([(("①", "a"),), (("②", "b"),)])

    def make(index, node, status, parent):
        def cell(side):
            present = not (status == "added" and side == "old" or status == "removed" and side == "new")
            text = [{"text": f"{side}{index} " + "計画の取組" * (index % 3), "cls": None}]
            return {"present": present, "node": node, "depth": 2 + index % 2, "text": text} if present else \
                {"present": False, "node": node, "depth": 2}
        return {"node": node, "depth": 2, "status": status, "kinds": [], "parent": parent,
                "cells": {"new": cell("new"), "old": cell("old")}}

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(nodes, kinds, parents), max_size=25))
    def check(spec):
        rows = [make(i, node, status, parent) for i, (node, status, parent) in enumerate(spec)]
        out = flow_rewritten_lists(rows)
        for side in ("new", "old"):
            before = [cell_text(r["cells"][side]) for r in rows if r["cells"][side]["present"]]
            after = [cell_text(leaf) for r in out if r["cells"][side].get("present") for leaf in leaves(r["cells"][side])]
            assert after == before
        assert [r for r in out if r["node"] == "kpi"] == [r for r in rows if r["node"] == "kpi"]
        for row in out:
            if row["node"] == "flow":
                assert all(leaf["node"] in ("item", "block", "target") for side in ("new", "old")
                           for leaf in leaves(row["cells"][side]))

    check()


def test_the_summary_names_a_reworded_title_and_a_revision_s_particulars(kagoshima):
    """A draft compared with itself at an earlier revision, retitled and made final: the table's summary says so
    instead of 「変更なし」; between two years, whose status and title's year always differ, it stays quiet."""
    import dataclasses

    draft = kagoshima[2019]
    final = dataclasses.replace(draft, title=draft.title + "（修正）", status="final")
    summary = build_context(diff_plans(draft, final))["summary"]
    assert [(p["label"], p["old"], p["new"]) for p in summary["particulars"]] == [
        ("表題", draft.title, final.title), ("状態", "案", "確定")]
    html = render_html(build_context(diff_plans(draft, final)), template_dir(None))
    assert "変更なし" not in html and f"表題: {escape(draft.title)} → {escape(final.title)}" in html
    assert build_context(diff_plans(kagoshima[2018], kagoshima[2019]))["summary"]["particulars"] == []
