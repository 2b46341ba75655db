"""KPI history (one branch, every year) and branch comparison (one KPI, one year), with charts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import jsonschema
import pytest

from browser import CHROMIUM, visit
from conftest import FIXTURES, PLANS, ROOT

CONTRACT = json.loads((ROOT / "schemas" / "kpi.schema.json").read_text(encoding="utf-8"))


def view(run, *args):
    result = run("kpi", *args, "--plans-dir", PLANS, "-f", "json")
    assert result.code == 0, result
    data = json.loads(result.out)
    jsonschema.Draft202012Validator(CONTRACT).validate(data)
    return data


def series(data, kpi_id):
    return next(k for k in data["kpis"] if k["id"] == kpi_id)["years"]


def test_one_kpi_across_the_years_of_a_branch(run):
    years = series(view(run, "-b", "kumamoto"), "seikatsu-kenshin-ritsu")
    assert [y["fiscal_year"] for y in years] == [2021, 2023, 2024]
    assert [y["target"]["value"] for y in years] == [63.0, 66.5, 68.2]
    assert [y["actual"]["value"] for y in years] == [61.1, 69.4, 65.8]
    assert [y["achieved"] for y in years] == [False, True, False]
    assert [y["rank"] for y in years] == [None, 13, 14]
    assert years[0]["national_average"]["value"] == 53.6


def test_the_series_breaks_where_the_definition_changed(run):
    years = series(view(run, "-b", "kumamoto", "satei-ritsu"), "satei-ritsu")
    assert [y["segment"] for y in years] == [0, 0, 1]
    assert years[2]["definition_changed"].startswith("当該項目（査定率")
    assert years[1]["target_unknown"] and years[1]["achieved"] is None


def test_a_branch_with_targets_and_no_results(run):
    data = view(run, "-b", "kagoshima", "hokensho-kaishu-ritsu")
    years = series(data, "hokensho-kaishu-ritsu")
    assert [(y["target"]["value"], y["actual"]) for y in years] == [(95.0, None), (95.4, None)]


def test_one_kpi_across_branches_with_the_national_figure(run):
    data = view(run, "seikatsu-kenshin-ritsu", "--all-branches", "--year", "令和3年度")
    assert [r["branch"]["id"] for r in data["rows"]] == ["kumamoto", "yamaguchi"]
    assert data["rows"][0]["actual"]["text"] == "61.1%" and data["rows"][0]["achieved"] is False
    assert data["rows"][1]["achieved_reason"] == "interim"
    assert data["national"]["target"] == {"relation": "ge", "value": 58.5, "unit": "%", "basis": "absolute"}
    assert data["national"]["actual"]["value"] == 21.5


def test_usage_errors_say_what_to_type(run):
    for args, fragment in ((("kpi",), "which branch?"), (("kpi", "x", "--all-branches"), "needs a KPI and a year"),
                           (("kpi", "-b", "kumamoto", "-f", "svg"), "draws one chart"),
                           (("kpi", "seikatsu-kenshin-ritu", "-b", "kumamoto"), "Did you mean 'seikatsu-kenshin-ritsu'?")):
        result = run(*args, "--plans-dir", PLANS)
        assert result.code == 1 and fragment in result.err and "Traceback" not in result.err, result


def test_html_has_a_chart_per_kpi_with_figures_in_two_years_and_says_so_otherwise(run, tmp_path):
    out = tmp_path / "k.html"
    assert run("kpi", "-b", "kumamoto", "--plans-dir", PLANS, "-f", "html", "-o", out).code == 0
    html = out.read_text(encoding="utf-8")
    sections = re.findall(r'<section class="kpi" data-kpi="([^"]+)">(.*?)</section>', html, re.S)
    charts = {kpi_id for kpi_id, body in sections if "<svg" in body}
    notes = {kpi_id for kpi_id, body in sections if "グラフは省略しました" in body}
    assert "seikatsu-kenshin-ritsu" in charts and "tabui-hinkai-wariai" in notes
    assert charts | notes == {kpi_id for kpi_id, _ in sections} and not charts & notes
    assert "<script" not in html and 'font-family="IPAex' in html


def test_plan_text_in_a_chart_is_escaped(run, plans_copy, tmp_path):
    plan = plans_copy / "kumamoto" / "2024.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "text: 生活習慣病予防健診実施率\n" in text
    plan.write_text(text.replace("text: 生活習慣病予防健診実施率\n", "text: '<script>alert(1)</script>実施率'\n", 1),
                    encoding="utf-8")
    out = tmp_path / "k.svg"
    assert run("kpi", "seikatsu-kenshin-ritsu", "-b", "kumamoto", "--plans-dir", plans_copy, "-f", "svg",
               "-o", out).code == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<script" not in svg and "&lt;script&gt;" in svg


def test_png_and_svg_of_one_chart(run, tmp_path):
    for fmt, magic in (("svg", b"<svg"), ("png", b"\x89PNG")):
        out = tmp_path / f"c.{fmt}"
        assert run("kpi", "generic-shiyo-wariai", "-b", "kumamoto", "--plans-dir", PLANS, "-f", fmt, "-o", out).code == 0
        assert out.read_bytes().startswith(magic)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_pdf_embeds_the_japanese_font_for_tables_and_charts(run, tmp_path):
    out = tmp_path / "k.pdf"
    assert run("kpi", "seikatsu-kenshin-ritsu", "--all-branches", "--year", "2021", "--plans-dir", PLANS,
               "-f", "pdf", "-o", out).code == 0
    fonts = subprocess.run(["pdffonts", out], capture_output=True, text=True, check=True).stdout
    assert re.search(r"IPAex\w+\S*\s+CID TrueType\s+Identity-H\s+yes", fonts)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout)
    assert "熊本支部" in text and "61.1%" in text and "協会全体" in text


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_kpi_html_opens_in_a_browser_with_no_requests(run, tmp_path):
    page = tmp_path / "k.html"
    assert run("kpi", "-b", "kumamoto", "--plans-dir", PLANS, "-f", "html", "-o", page).code == 0
    seen = visit(page, tmp_path)
    assert seen.returncode == 0 and seen.page_requests == [] and seen.console == []


def test_commands_that_draw_no_chart_do_not_load_the_chart_library():
    code = ("import sys; from kenpo_plans.cli import main; "
            f"main(['diff', '2018', '2019', '-b', 'kagoshima', '--plans-dir', {str(PLANS)!r}, '-f', 'json']); "
            "main(['--help']) if False else None; print('vl_convert' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.strip().splitlines()[-1] == "False False"


def test_the_shinkyu_table_shows_what_the_old_year_achieved(run, plans_copy, tmp_path):
    shutil.copy(FIXTURES / "results" / "kagoshima_2018.results.yaml", plans_copy / "kagoshima" / "2018.results.yaml")
    data = json.loads(run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans_copy, "-f", "json").out)
    assert data["old_actuals"]["hokensho-kaishu-ritsu"]["text"] == "95.6％"
    out = tmp_path / "k.html"
    assert run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans_copy, "-f", "html", "-o", out).code == 0
    html = out.read_text(encoding="utf-8")
    row = re.search(r'<tr class="raised below-achieved">.*?</tr>', html, re.S).group(0)
    assert "95.6％" in row and "新目標は実績以下" in row and "95.4%以上" in row
    assert "<th>平成30年度実績</th>" in html
    yusoka = next(r for r in re.findall(r"<tr class=\"raised[^\"]*\">.*?</tr>", html, re.S) if "郵送化率" in r)
    assert "88.5％" in yusoka and "新目標は実績以下" not in yusoka
    text = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans_copy, "-f", "text").out
    assert "平成30年度実績 95.6％（新目標は実績以下）" in text
