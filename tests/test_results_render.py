"""The 事業実施結果 / progress documents: context by layout, HTML, PDF, a real browser."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from browser import CHROMIUM, visit
from kenpo_plans.render.results import build_context, layout_of, render_results_html
from kenpo_plans.render.templates import template_dir
from test_results import RESULTS, with_results  # noqa: F401  (fixture)


def evaluated(run, plans, *args):
    import json

    result = run("results", "2019", "-b", "kagoshima", "--plans-dir", plans, "-f", "json", *args)
    assert result.code == 0, result
    return json.loads(result.out)


def test_layout_follows_what_the_report_rates(run, with_results):
    year = evaluated(run, with_results)
    assert layout_of(year) == "status"  # one ◎○× scale for KPIs and measures
    assert layout_of(evaluated(run, with_results, "--period", "q1")) == "progress"
    graded = {**year, "scales": {**year["scales"], "measure": year["scales"]["kpi"]}}
    assert layout_of(graded) == "grade"


def test_status_context_puts_each_measures_kpis_then_its_activities(run, with_results):
    context = build_context(evaluated(run, with_results))
    assert context["layout"] == "status" and context["legends"][0]["name"] == "達成状況"
    blocks = [b for s in context["sections"] for b in s["blocks"]]
    receipt = next(b for b in blocks if b["title"] == "効果的なレセプト点検の推進")
    kinds = [r["kind"] for r in receipt["rows"]]
    assert kinds == ["kpi", "activity"]  # its KPI row, then its activity row
    activity = receipt["rows"][-1]
    assert activity["rating"] == "○" and activity["activities"][0]["text"] == "システムを活用した効率的な点検の実施"
    assert [r["k"]["id"] for r in receipt["rows"] if r["kind"] == "kpi"] == ["satei-ritsu"]
    cells = {r["k"]["id"]: r["k"] for b in blocks for r in b["rows"] if r["kind"] == "kpi"}
    assert cells["tabui-hinkai-wariai"]["achievement"]["cls"] == "ng"
    assert cells["satei-ritsu"]["target_resolved"] == "前年度実績 0.29%"
    assert cells["yusoka-ritsu"]["disagrees"] and cells["yusoka-ritsu"]["rating_basis"] == "支部の判断による評価"
    # one rating printed for two adjacent KPIs spans both rows
    joint = [cells["seikatsu-kenshin-ritsu"], cells["jigyosha-kenshin-data-ritsu"]]
    assert [c.get("rating_rowspan") for c in joint] in ([2, 0], [None, None])


def test_html_escapes_text_and_shows_ratings_and_computed_results(run, with_results):
    path = with_results / "kagoshima" / "2019.results.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "システムを活用した効率的な点検の実施", "<script>alert(1)</script>&"), encoding="utf-8")
    html = render_results_html(build_context(evaluated(run, with_results), computed="inline"),
                               template_dir(None, "results.html.j2"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in html
    row = re.search(r'<tr class="kpi-row[^"]*" data-kpi="tabui-hinkai-wariai">.*?</tr>', html, re.S).group(0)
    assert "0.95%" in row and "×" in row and "未達成" in row
    assert 'class="kpi-row disagrees" data-kpi="yusoka-ritsu"' in html
    assert "目標を大きく上回る" in html


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_pdf_embeds_a_japanese_font_and_reads_in_table_order(run, with_results, tmp_path):
    out = tmp_path / "r.pdf"
    result = run("results", "2019", "-b", "kagoshima", "--plans-dir", with_results, "-o", out)
    assert result.code == 0, result
    fonts = subprocess.run(["pdffonts", out], capture_output=True, text=True, check=True).stdout
    assert re.search(r"IPAex(Mincho|Gothic)\S*\s+CID TrueType\s+Identity-H\s+yes", fonts)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-layout", out, "-"], capture_output=True, text=True,
                                             check=True).stdout)
    assert "事業実施結果" in text and "達成2、未達成3、判定なし5" in text
    assert text.index("0.300%") < text.index("99.99%")  # plan order: レセプト点検 before サービス水準
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_results_html_opens_in_a_browser_with_no_requests_and_no_errors(run, with_results, tmp_path):
    page = tmp_path / "r.html"
    assert run("results", "2019", "-b", "kagoshima", "--plans-dir", with_results, "-f", "html", "-o", page).code == 0
    seen = visit(page, tmp_path)
    assert seen.returncode == 0 and seen.page_requests == [] and seen.console == []


def test_progress_rows_put_each_action_beside_its_policy_as_seed_001_prints_them():
    from kenpo_plans.commands import results as api
    from conftest import PLANS

    context = build_context(api.load_results(2021, "yamaguchi", PLANS, "q1"))
    assert context["layout"] == "progress"
    parts = context["sections"][0]["parts"]
    assert parts[0]["type"] == "heading" and parts[0]["title"] == "サービス水準の向上"
    assert [k["actual"] for k in parts[1]["cells"]] == ["100%", "93.0%"]
    rows = parts[2]["rows"]
    first = rows[0]
    assert first["policy"]["text"].startswith("お客様満足度調査結果の活用") and first["policy_rowspan"] == 5
    assert first["action"]["text"].startswith("お客様満足度PT会議の方針") and first["result"]["activities"][0]["marker"] == "◆"
    assert [r["policy_rowspan"] for r in rows[1:5]] == [0, 0, 0, 0]
    assert [line["text"] for line in first["action_lines"]][1] == "朝礼時に唱和を実施する。"
