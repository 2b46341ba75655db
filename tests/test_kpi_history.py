"""KPI history (one branch, every year) and branch comparison (one KPI, one year), with charts."""

from __future__ import annotations

import html
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
# What the Vega-Lite charts drew for Kumamoto (marks by their aria labels), kept when the drawing moved to Python.
CHART_MARKS = json.loads((FIXTURES / "kpi" / "kumamoto_chart_marks.json").read_text(encoding="utf-8"))
CHART_ROLES = ("point", "line mark", "text mark", "bar", "tick", "rule")


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
                           (("kpi", "hokensho-kaishu-ritsu", "--all-branches", "--year", "2019", "-f", "svg"),
                            "no branch has a figure for hokensho-kaishu-ritsu"),
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


def _attributes(tag: str) -> dict:
    return {key: html.unescape(value) for key, value in re.findall(r'([\w:-]+)="([^"]*)"', tag)}


def _axis(label: str) -> tuple[str, str]:
    """An axis by what it shows: the x-axis by its years, the y-axis by its unit (its range is the drawer's)."""
    name = label.split(" ")[0]
    return name, label.split("values: ")[-1] if name == "X-axis" else label.split(" for ")[0]


def chart_marks(svg: str) -> list[tuple[str, str]]:
    """What a chart draws, whatever draws it: (role, aria-label) of every labelled mark, axes and legend by values."""
    found = []
    for tag in re.findall(r"<[a-z]+\b[^>]*aria-roledescription=[^>]*>", svg):
        attributes = _attributes(tag)
        role, label = attributes["aria-roledescription"], attributes.get("aria-label", "")
        if role == "axis":
            found.append(_axis(label))
        elif role == "legend":
            found.append(("legend", label.split("values: ")[-1]))
        elif role in CHART_ROLES:
            found.append((role, label))
    return sorted(found)


def marked(svg: str, role: str) -> list[dict]:
    return [_attributes(tag) for tag in re.findall(r"<[a-z]+\b[^>]*aria-roledescription=[^>]*>", svg)
            if _attributes(tag)["aria-roledescription"] == role]


def svg_text(svg: str) -> str:
    return "".join(html.unescape(t) for t in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg))


def kpi_sections(run, tmp_path, *args) -> dict[str, str]:
    out = tmp_path / "k.html"
    assert run("kpi", *args, "--plans-dir", PLANS, "-f", "html", "-o", out).code == 0
    page = out.read_text(encoding="utf-8")
    return dict(re.findall(r'<section class="kpi" data-kpi="([^"]+)">(.*?)</section>', page, re.S))


def test_the_charts_draw_the_same_series_points_and_breaks_as_the_vega_lite_charts(run, tmp_path):
    sections = kpi_sections(run, tmp_path, "-b", "kumamoto")
    drawn = {kpi_id: [list(mark) for mark in chart_marks(body)] for kpi_id, body in sections.items() if "<svg" in body}
    assert drawn == CHART_MARKS
    satei = sections["satei-ritsu"]
    lines = {m["aria-label"]: m for m in marked(satei, "line mark")}
    assert "stroke-dasharray" in lines["year: 令和3; %: 0.332; series: 全国平均"]
    assert not any("stroke-dasharray" in m for label, m in lines.items() if "実績" in label)
    floors = [m for m in marked(sections["seikatsu-kenshin-ritsu"], "point") if "triangle-up" in m["aria-label"]]
    assert len(floors) == 3 and all(m["d"].startswith("M0,-") for m in floors)  # ▲ drawn point up


def ranking_chart(run, tmp_path, *args, plans=PLANS) -> str:
    out = tmp_path / "r.svg"
    assert run("kpi", *args, "--all-branches", "--plans-dir", plans, "-f", "svg", "-o", out).code == 0
    return out.read_text(encoding="utf-8")


def test_the_ranking_axis_is_scaled_to_the_branch_figures_not_the_national_target(run, tmp_path):
    svg = ranking_chart(run, tmp_path, "kenko-sengen-jigyoshosu", "--year", "2021")
    y_axis = next(m["aria-label"] for m in marked(svg, "axis") if m["aria-label"].startswith("Y-axis"))
    low, high = (float(v.replace(",", "")) for v in re.search(r"values from ([\d,.]+) to ([\d,.]+)", y_axis).groups())
    assert low == 0 and 1915 <= high <= 2500, y_axis  # branches 1,915 and 597 (targets 1,800, 600); national 57,000
    assert "協会全体" in svg_text(svg) and "57,000事業所以上" in svg_text(svg)  # said, not drawn as the scale's top
    assert not any(m["aria-label"].startswith("value: 57000") for m in marked(svg, "rule"))


def test_a_national_target_inside_the_branch_range_is_drawn_as_a_dashed_rule(run, tmp_path):
    svg = ranking_chart(run, tmp_path, "seikatsu-kenshin-ritsu", "--year", "2021")
    rules = marked(svg, "rule")
    assert [m["aria-label"] for m in rules] == ["協会全体の目標; value: 58.5"] and "stroke-dasharray" in rules[0]


def test_every_ranking_figure_says_its_period_and_interim_figures_are_ranked_apart(run, plans_copy, tmp_path):
    results = plans_copy / "yamaguchi" / "2021.results.yaml"
    results.write_text(results.read_text(encoding="utf-8").replace("actual: 累計597社", "actual: 累計5,970社"),
                       encoding="utf-8")  # a first-quarter figure above the year-end one
    result = run("kpi", "kenko-sengen-jigyoshosu", "--all-branches", "--year", "2021", "--plans-dir", plans_copy,
                 "-f", "json")
    data = json.loads(result.out)
    jsonschema.Draft202012Validator(CONTRACT).validate(data)
    assert [(r["branch"]["id"], r["period_label"], r["interim"], r["ranked_among"], r["order"]) for r in data["rows"]] == [
        ("kumamoto", "年度実績", False, "year", 1), ("yamaguchi", "第1四半期", True, "q1", 1)]
    assert (data["national"]["period_label"], data["national"]["interim"]) == ("上期", True)
    assert [(p["period"], p["label"], p["interim"], p["rows"]) for p in data["periods"]] == [
        ("year", "年度実績", False, 1), ("q1", "第1四半期", True, 1)]
    text = run("kpi", "kenko-sengen-jigyoshosu", "--all-branches", "--year", "2021", "--plans-dir", plans_copy,
               "-f", "text").out
    rows = {line.split()[1]: line for line in text.splitlines() if line.split()[1:2] and line.split()[1].endswith("支部")}
    assert "年度実績" in rows["熊本支部"] and "第1四半期" in rows["山口支部"]
    assert text.index("熊本支部") < text.index("【第1四半期") < text.index("山口支部")
    assert "上期" in next(line for line in text.splitlines() if line.startswith("全国"))
    svg = ranking_chart(run, tmp_path, "kenko-sengen-jigyoshosu", "--year", "2021", plans=plans_copy)
    bars = {m["aria-label"].split(";")[0]: m for m in marked(svg, "bar")}
    assert bars["branch: 熊本支部"]["aria-label"].endswith("period: 年度実績")
    assert bars["branch: 山口支部"]["aria-label"].endswith("period: 第1四半期")
    assert "interim" in bars["branch: 山口支部"]["class"] and "interim" not in bars["branch: 熊本支部"]["class"]
    assert "（第1四半期）" in svg_text(svg)


def test_the_ranking_page_and_workbook_carry_each_row_s_period(run, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "r.html"
    args = ("kpi", "seikatsu-kenshin-ritsu", "--all-branches", "--year", "2021", "--plans-dir", PLANS)
    assert run(*args, "-f", "html", "-o", out).code == 0
    page = out.read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="([^"]*)"[^>]*>(.*?)</tr>', page, re.S)
    by_branch = {re.search(r"<td>([^<]*支部|協会全体)</td>", body).group(1): (cls, body) for cls, body in rows
                 if re.search(r"<td>([^<]*支部|協会全体)</td>", body)}
    assert "年度実績" in by_branch["熊本支部"][1] and "interim" not in by_branch["熊本支部"][0]
    assert "第1四半期" in by_branch["山口支部"][1] and "interim" in by_branch["山口支部"][0]
    assert "上期" in by_branch["協会全体"][1]
    xlsx = tmp_path / "r.xlsx"
    assert run(*args, "-f", "xlsx", "-o", xlsx).code == 0
    sheet = load_workbook(xlsx)["支部別"]
    header = [c.value for c in sheet[1]]
    period = header.index("期間") + 1
    branch = header.index("支部") + 1
    assert {sheet.cell(r, branch).value: sheet.cell(r, period).value for r in range(2, sheet.max_row + 1)} == {
        "熊本支部": "年度実績", "山口支部": "第1四半期", "協会全体": "上期"}
