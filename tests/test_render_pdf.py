"""The Kagoshima 新旧対照表 as a PDF and as standalone HTML, checked with poppler's tools."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kenpo_plans.render import fonts

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                   reason="poppler-utils (pdftotext, pdffonts) is not installed")
pytestmark = [pytest.mark.slow, needs_poppler]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def kagoshima_pdf(tmp_path_factory):
    from kenpo_plans.cli import main

    out = tmp_path_factory.mktemp("pdf") / "k.pdf"
    assert main(["diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", str(PLANS), "-o", str(out)]) == 0
    return out


def pdfinfo(path: Path) -> dict:
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def column_text(path: Path, side: str) -> str:
    """Text of one column of every page (A4 portrait at 72 dpi is 595 × 842)."""
    pages = int(pdfinfo(path)["Pages"])
    chunks = []
    for page in range(1, pages + 1):
        x = 0 if side == "left" else 298
        result = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-r", "72", "-x", str(x), "-y", "0",
                                 "-W", "297", "-H", "800", str(path), "-"], capture_output=True, text=True, check=True)
        chunks.append(result.stdout)
    text = "".join(chunks)
    return flat(re.sub(r"(新|旧)（3[01]年度）", "", text))


def test_a_japanese_font_is_embedded(kagoshima_pdf):
    output = subprocess.run(["pdffonts", str(kagoshima_pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in output.splitlines()[2:]]
    japanese = [r for r in rows if re.search(r"IPA|Noto|CJK|Mincho|Gothic", r[0])]
    assert japanese, output
    assert all(r[-5] == "yes" for r in japanese), "Japanese fonts must be embedded"


def test_metadata(kagoshima_pdf):
    info = pdfinfo(kagoshima_pdf)
    assert info["Title"].strip() == "平成31年度 事業計画（鹿児島支部）新旧対照表（案）"
    assert "鹿児島支部" in info["Subject"]
    assert "595" in info["Page size"] and "841" in info["Page size"]


def test_every_item_of_both_years_is_in_its_column(kagoshima_pdf, kagoshima):
    columns = {"new": column_text(kagoshima_pdf, "left"), "old": column_text(kagoshima_pdf, "right")}
    for year, side in ((2019, "new"), (2018, "old")):
        plan = kagoshima[year]
        texts = [i.text for m in plan.walk_measures() for i in m.own_items()]
        texts += [t.text for m in plan.walk_measures() for t in m.own_targets()]
        texts += [k.text for _, k in plan.walk_kpis()]
        texts += [m.title for m in plan.walk_measures()]
        # a text split by a page break has the footer and the repeated header in between
        column = re.sub(r"\d+/\d+", "", columns[side])
        missing = [t for t in texts if flat(t) not in column]
        assert missing == [], side


def test_every_page_has_header_and_page_number(kagoshima_pdf):
    pages = int(pdfinfo(kagoshima_pdf)["Pages"])
    assert pages > 5
    summary_started = False
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(kagoshima_pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        # the table comes first, as in the original; every page of it repeats its header; the summary follows it
        if not summary_started:
            assert "新（平成31年度）" in text and "旧（平成30年度）" in text, page
        summary_started = summary_started or "変更の概要" in text
        assert f"{page} / {pages}" in text
    assert summary_started


def test_no_page_is_left_half_empty(kagoshima_pdf):
    """A long rewritten list breaks across pages instead of leaving the page before it half blank."""
    words = subprocess.run(["pdftotext", "-bbox", str(kagoshima_pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    pages = words.split("<page ")[1:]
    height = float(re.search(r'height="([\d.]+)"', pages[0]).group(1))
    for number, page in enumerate(pages[:-1], start=1):
        words_on_page = re.findall(r'yMax="([\d.]+)">([^<]*)<', page)
        body = [float(y) for y, word in words_on_page if not re.fullmatch(r"\d+|/", word)]  # not the page number
        assert max(body) > 0.8 * height, f"page {number} ends at {max(body):.0f} of {height:.0f}"


def test_landscape(tmp_path, run):
    out = tmp_path / "wide.pdf"
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "--landscape", "--monochrome",
                 "-o", out)
    assert result.code == 0
    assert pdfinfo(out)["Page size"].split()[:3] == ["841.89", "x", "595.276"]


def test_standalone_html(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "--format", "html")
    assert result.code == 0
    html = (tmp_path / "kagoshima_2018-2019_shinkyu.html").read_text(encoding="utf-8")
    assert "<style>" in html and "新旧対照表（案）" in html
    assert not re.search(r"""(src|href)\s*=""", html)
    assert "url(" not in html and "@import" not in html


def test_no_japanese_font_stops_with_what_to_install(tmp_path, run, monkeypatch):
    fonts.japanese_families.cache_clear()
    monkeypatch.setattr(fonts, "japanese_families", lambda: ())
    out = tmp_path / "k.pdf"
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-o", out)
    assert result.code == 1
    assert "no font with Japanese glyphs" in result.err and "fonts-ipaexfont-mincho" in result.err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_unknown_font_lists_installed_ones(tmp_path, run):
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "--font", "Comic Sans",
                 "-o", tmp_path / "k.pdf")
    assert result.code == 1 and "font 'Comic Sans' is not an installed font" in result.err


def test_custom_template_dir(tmp_path, run):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "shinkyu.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1>{{ title }}</h1>", "<h1>{{ title }}【支部版】</h1>"),
                    encoding="utf-8")
    out = tmp_path / "k.html"
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "html",
                 "--template-dir", templates, "-o", out)
    assert result.code == 0 and "新旧対照表（案）【支部版】" in out.read_text(encoding="utf-8")


def test_failed_render_leaves_the_previous_output_intact(tmp_path, run):
    out = tmp_path / "k.html"
    out.write_text("previous version", encoding="utf-8")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "shinkyu.html.j2").write_text("{% for row in rows %}<p>{{ row.node }}</p>", encoding="utf-8")
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "html",
                 "--template-dir", templates, "-o", out)
    assert result.code == 1 and "template error" in result.err
    assert out.read_text(encoding="utf-8") == "previous version"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_missing_template_dir(tmp_path, run):
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "html",
                 "--template-dir", tmp_path, "-o", tmp_path / "k.html")
    assert result.code == 1 and "has no shinkyu.html.j2" in result.err


def test_all_branches_renders_each_and_reports_failures(tmp_path, run):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    twin = plans / "kagoshima2"
    shutil.copytree(plans / "kagoshima", twin)
    for year in (2018, 2019):
        path = twin / f"{year}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("id: kagoshima", "id: kagoshima2"), encoding="utf-8")
    broken = plans / "broken"
    shutil.copytree(twin, broken)
    (broken / "2018.yaml").write_text((twin / "2018.yaml").read_text(encoding="utf-8").replace(
        "id: kagoshima2", "id: broken"), encoding="utf-8")
    (broken / "2019.yaml").write_text("branch: [\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = run("diff", "2018", "2019", "--all-branches", "--plans-dir", plans, "-o", out, "-f", "html", "-j", "2")
    assert result.code == 1
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "kagoshima2_2018-2019_shinkyu.html", "kagoshima_2018-2019_shinkyu.html"]
    assert "3 branch(es): 2 rendered, 0 up to date, 1 failed" in result.out
    assert "FAILED broken:" in result.out and "YAML syntax error" in result.out


def test_page_one_is_never_blank_when_the_kpi_summary_runs_over_a_page(tmp_path, monkeypatch):
    """A plan six times Kagoshima's size has a KPI list longer than a page; page 1 still starts it (rendered past
    the print limit on purpose: the layout, not the time, is checked here)."""
    monkeypatch.setattr("kenpo_plans.render.pdf.MAX_PDF_HTML", 10**7)
    import sys

    from kenpo_plans.diff.plans import diff_plans
    from kenpo_plans.render.shinkyu import RenderOptions, render_document
    from kenpo_plans.render.templates import template_dir
    from kenpo_plans.plan.loader import load_plan

    sys.path.insert(0, str(PLANS.parent / "bench"))
    from bench_diff import scaled  # the large plan the benchmark measures

    old, _ = load_plan(PLANS / "kagoshima" / "2018.yaml")
    new, _ = load_plan(PLANS / "kagoshima" / "2019.yaml")
    result = diff_plans(scaled(old, 6), scaled(new, 6))
    assert len(result.summary.kpi_targets) and sum(result.summary.kpi_targets.values()) > 100
    pdf = tmp_path / "big.pdf"
    pdf.write_bytes(render_document(result, "pdf", RenderOptions(font_family=fonts.choose_font(), summary="start"),
                                    template_dir(None)))
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True).stdout
    assert "変更の概要" in first and "ＫＰＩ" in first and first.count("以上") > 5
