"""Word and Excel outputs, read back with python-docx and openpyxl and checked by a real office suite."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_UNDERLINE
from docx.oxml.ns import qn
from openpyxl import load_workbook

from conftest import PLANS

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install "
                                                          "libreoffice-writer-nogui libreoffice-calc-nogui); "
                                                          "dev.sh test installs it")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def shinkyu_docx(tmp_path_factory):
    from kenpo_plans.cli import main

    out = tmp_path_factory.mktemp("docx") / "k.docx"
    assert main(["diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", str(PLANS), "-f", "docx", "-o",
                 str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def context():
    from kenpo_plans.commands.compare import diff
    from kenpo_plans.render.shinkyu import RenderOptions, build_context

    return build_context(diff(["2018", "2019"], "kagoshima", PLANS), RenderOptions())


def converted(path: Path, tmp: Path, fmt: str = "pdf") -> Path:
    """The file as LibreOffice reads and prints it (a repair prompt or a broken file fails here), or saves it
    in its own format (``fmt`` odt)."""
    out = tmp / f"lo_{path.suffix[1:]}"
    out.mkdir(exist_ok=True)
    profile = tmp / "lo_profile"
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                             "--convert-to", fmt, "--outdir", out, path], capture_output=True, text=True,
                            timeout=240)
    pdf = out / (path.stem + "." + fmt)
    assert pdf.is_file(), result.stdout + result.stderr
    return pdf


def pdf_text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, pdf, "-"], capture_output=True, text=True, check=True).stdout


def _underlined(cell) -> tuple[str, str]:
    single = double = ""
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            if run.font.underline == WD_UNDERLINE.DOUBLE:
                double += run.text
            elif run.font.underline in (True, WD_UNDERLINE.SINGLE):
                single += run.text
    return single, double


def _expected(body: dict) -> tuple[str, str]:
    single = double = ""
    if not body.get("present"):
        return single, double
    if body["node"] == "flow":  # a rewritten list: the items of one side, one after another
        for item in body["stack"]:
            more = _expected(item)
            single, double = single + more[0], double + more[1]
        return single, double

    def walk(parts):
        nonlocal single
        for part in parts:
            if part.get("group"):
                walk(part["group"])
            elif part.get("cls") in ("ins", "del"):
                single += part["text"]

    if body.get("label_cls") == "renum":
        double += body["label"]
    for key in ("title", "text", "tags"):
        walk(body.get(key) or [])
    for note in body.get("notes") or []:
        walk(note)
    return single, double


def shinkyu_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text.startswith("新（"))


def test_exactly_the_changed_characters_are_underlined(shinkyu_docx, context):
    table = shinkyu_table(Document(shinkyu_docx))
    rows = table.rows[1:]
    assert len(rows) == len(context["rows"])
    sides = [c["side"] for c in context["columns"]]
    checked = 0
    for row, expected in zip(rows, context["rows"]):
        for cell, side in zip(row.cells, sides):
            assert _underlined(cell) == _expected(expected["cells"][side])
            checked += bool(_expected(expected["cells"][side])[0])
    assert checked > 100  # the Kagoshima table has many underlined cells


def test_only_the_added_group_is_underlined_in_word(tmp_path):
    """熊本 2023 → 2024: コラボヘルスの推進【企画総務G】 gained 保健G; 「保健G・」 alone is underlined."""
    from kenpo_plans.cli import main

    out = tmp_path / "kumamoto.docx"
    assert main(["diff", "2023", "2024", "-b", "kumamoto", "--plans-dir", str(PLANS), "-f", "docx", "-o",
                 str(out)]) == 0
    cells = [c for row in shinkyu_table(Document(out)).rows for c in row.cells if "コラボヘルスの推進【" in c.text]
    assert [(flat(c.text), _underlined(c)) for c in cells] == [
        ("コラボヘルスの推進【保健G・企画総務G】", ("保健G・", "")), ("コラボヘルスの推進【企画総務G】", ("", ""))]


def test_the_header_row_repeats_and_the_page_is_a4(shinkyu_docx):
    document = Document(shinkyu_docx)
    header = shinkyu_table(document).rows[0]
    assert [c.text for c in header.cells] == ["新（平成31年度）", "旧（平成30年度）"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "ＭＳ 明朝"
    assert document.paragraphs[0].text == "資料 2-3"


def test_landscape_and_another_font(run, tmp_path):
    out = tmp_path / "k.docx"
    assert run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "docx", "--landscape",
               "--font", "游明朝", "-o", out).code == 0
    document = Document(out)
    assert round(document.sections[0].page_width.cm, 1) == 29.7
    assert document.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "游明朝"


@needs_office
@pytest.mark.slow
def test_libreoffice_reads_the_docx_and_prints_every_row_in_its_column(shinkyu_docx, context, tmp_path, kagoshima):
    pdf = converted(shinkyu_docx, tmp_path)
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True).stdout
    assert re.search(r"IPA|Noto|CJK", fonts), fonts  # Japanese glyphs, whichever Mincho or Gothic stood in
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True,
                                                               text=True).stdout).group(1))
    columns = {"left": "", "right": ""}
    for page in range(1, pages + 1):
        for side, x in (("left", 0), ("right", 298)):
            columns[side] += pdf_text(pdf, "-f", str(page), "-l", str(page), "-x", str(x), "-y", "0", "-W", "297",
                                      "-H", "842")
    left, right = flat(columns["left"]), flat(columns["right"])
    for year, column in ((2019, left), (2018, right)):
        position = 0
        for measure in kagoshima[year].walk_measures():
            needle = flat(measure.title)[:10]
            found = column.find(needle, position)
            assert found >= 0, (year, measure.title)
            position = found


@pytest.fixture(scope="module")
def results_book(tmp_path_factory):
    from kenpo_plans.cli import main

    out = tmp_path_factory.mktemp("xlsx") / "r.xlsx"
    assert main(["results", "2024", "-b", "kumamoto", "--plans-dir", str(PLANS), "-f", "xlsx", "-o", str(out)]) == 0
    return out


def test_results_workbook_holds_numbers_a_clerk_can_sum(results_book):
    book = load_workbook(results_book)
    assert book.sheetnames == ["年度実績_ＫＰＩ", "年度実績_施策", "凡例"]
    sheet = book["年度実績_ＫＰＩ"]
    headers = [c.value for c in sheet[1]]
    rows = {sheet.cell(r, 4).value: r for r in range(2, sheet.max_row + 1)}
    health = rows["生活習慣病予防健診実施率"]
    actual = sheet.cell(health, headers.index("実績") + 1)
    assert actual.data_type == "n" and abs(actual.value - 0.658) < 1e-12 and actual.number_format == "0.0%"
    target = sheet.cell(health, headers.index("目標値") + 1)
    assert abs(target.value - 0.682) < 1e-12 and target.number_format == "0.0%"
    offices = sheet.cell(rows["健康宣言事業所数"], headers.index("実績") + 1)
    assert offices.value == 3325 and offices.number_format == '#,##0"事業所"'
    rank = sheet.cell(health, headers.index("順位") + 1)
    assert rank.value == 14 and rank.number_format == '0"位"'
    assert sheet.cell(rows["協会のレセプト点検の査定率"], headers.index("実績") + 1).number_format == "0.000%"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    achieved = sheet.cell(health, headers.index("達成（計算）") + 1)
    assert achieved.value == "未達成" and achieved.fill.fill_type == "lightUp"
    met = sheet.cell(rows["健康宣言事業所数"], headers.index("達成（計算）") + 1)
    assert met.value == "達成" and met.fill.fill_type == "solid"
    legend = [c.value for c in book["凡例"]["A"] if c.value]
    assert "ＫＰＩ達成度" in legend and "計画達成度" in legend and "未達成" in legend


def test_text_that_looks_like_a_formula_stays_text(run, plans_copy, tmp_path):
    path = plans_copy / "kumamoto" / "2024.results.yaml"
    text = path.read_text(encoding="utf-8")
    original = "{marker: ・, text: 引き続き日々の進捗管理の徹底を行いKPIの達成を目指す。}"
    assert original in text
    path.write_text(text.replace(original, "{marker: '', text: '=1+1'}", 1), encoding="utf-8")
    plan = plans_copy / "kumamoto" / "2024.yaml"
    plan_text = plan.read_text(encoding="utf-8")
    assert "text: 生活習慣病予防健診実施率\n" in plan_text
    assert "text: 事務処理体制の強化と生産性の向上\n" in plan_text
    plan.write_text(plan_text.replace("text: 生活習慣病予防健診実施率\n", "text: '@SUM(A1:A9)'\n", 1)
                    .replace("text: 事務処理体制の強化と生産性の向上\n", "text: '+CMD|calc'\n", 1), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    assert run("results", "2024", "-b", "kumamoto", "--plans-dir", plans_copy, "-f", "xlsx", "-o", out).code == 0
    sheet = load_workbook(out)["年度実績_ＫＰＩ"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "@SUM(A1:A9)"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    measures = load_workbook(out)["年度実績_施策"]
    cells += [c for row in measures.iter_rows() for c in row if c.value == "+CMD|calc"]
    assert len(cells) == 2 and all(c.data_type == "s" and c.quotePrefix for c in cells)
    book = load_workbook(out)
    formulas = [c for name in book.sheetnames for row in book[name].iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


@needs_office
@pytest.mark.slow
def test_libreoffice_prints_the_workbook_rows_in_order(results_book, tmp_path):
    pdf = converted(results_book, tmp_path)
    text = flat(pdf_text(pdf, "-layout"))
    order = ["サービススタンダード", "郵送化率", "協会のレセプト点検の査定率", "生活習慣病予防健診実施率",
             "健康宣言事業所数", "一般競争入札"]
    positions = [text.find(flat(word)) for word in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    assert "65.8%" in text and "3,325事業所" in text  # numbers printed with their formats


@needs_office
@pytest.mark.slow
def test_results_docx_and_kpi_workbook_open_in_libreoffice(run, tmp_path):
    docx_out, xlsx_out = tmp_path / "r.docx", tmp_path / "k.xlsx"
    assert run("results", "2021", "-b", "kumamoto", "--plans-dir", PLANS, "-f", "docx", "-o", docx_out).code == 0
    assert run("kpi", "-b", "kumamoto", "--plans-dir", PLANS, "-f", "xlsx", "-o", xlsx_out).code == 0
    text = flat(pdf_text(converted(docx_out, tmp_path)))
    assert "令和3年度熊本支部事業実施結果" in text and "サービススタンダード" in text and "未達成" in text
    book = load_workbook(xlsx_out)["ＫＰＩの推移"]
    years = [book.cell(r, 3).value for r in range(2, book.max_row + 1) if book.cell(r, 1).value == "seikatsu-kenshin-ritsu"]
    assert years == ["令和3年度", "令和5年度", "令和6年度"]
    assert "61.1%" in flat(pdf_text(converted(xlsx_out, tmp_path), "-layout"))


def test_office_outputs_are_written_atomically_and_never_over_a_plan(run, plans_copy):
    plan = plans_copy / "kumamoto" / "2024.yaml"
    before = plan.read_bytes()
    result = run("results", "2024", "-b", "kumamoto", "--plans-dir", plans_copy, "-f", "xlsx", "-o", plan)
    assert result.code == 1 and plan.read_bytes() == before
    assert json.loads(run("results", "2024", "-b", "kumamoto", "--plans-dir", plans_copy, "-f", "json").out)
