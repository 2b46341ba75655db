"""Outputs under hostile plans (#27 point 5): long unbroken strings stay inside the page and their cell in every
PDF table, and a plan too large to print in time is refused with a message, quickly, writing nothing."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import hostile

LONG = "A" * 600
URL = "https://www.kyoukaikenpo.or.jp/" + "x" * 590


def _lengthen(plans_copy):
    path = plans_copy / "kagoshima" / "2019.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: 平成31年度 事業計画（鹿児島支部）", f"title: 平成31年度 事業計画（鹿児島支部）{LONG}", 1)
    text = text.replace("text: 社会保険診療報酬支払基金と合算したレセプト点検の査定率について対前年度以上とする。",
                        f"text: 社会保険診療報酬支払基金と合算したレセプト点検の査定率について対前年度以上とする。{URL}", 1)
    text = text.replace("title: 現金給付の適正化の推進", f"title: 現金給付の適正化の推進{LONG}", 1)
    path.write_text(text, encoding="utf-8")


def _overflow(pdf: Path) -> list[str]:
    """Characters printed beyond the page's edges."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer

    def chars(node):
        if isinstance(node, LTChar):
            yield node
        elif isinstance(node, LTContainer):
            for child in node:
                yield from chars(child)

    out = []
    for page in extract_pages(str(pdf)):
        out += [c.get_text() for c in chars(page) if c.x1 > page.width + 1 or c.x0 < -1]
    return out


@pytest.mark.slow  # two whole PDFs of a lengthened plan
@pytest.mark.parametrize("args", [("show", "2019"), ("diff", "2018", "2019")])
def test_long_unbroken_strings_stay_on_the_page(run, plans_copy, tmp_path, args):
    _lengthen(plans_copy)
    out = tmp_path / "out.pdf"
    result = run(*args, "-b", "kagoshima", "-f", "pdf", "-o", out, "--plans-dir", plans_copy)
    assert result.code == 0, result
    assert _overflow(out) == []


def test_every_stylesheet_breaks_long_words():
    from conftest import ROOT

    for css in (ROOT / "templates").glob("*.css"):
        assert re.search(r"overflow-wrap:\s*anywhere", css.read_text(encoding="utf-8")), css.name


@pytest.mark.slow  # builds the whole site, renders a large PDF or times a large input
def test_a_plan_too_large_to_print_is_refused_quickly(run, tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from bench_scaling import write_plans

    plans = tmp_path / "plans"
    write_plans(plans, 8)
    out = tmp_path / "big.pdf"
    result, seconds = hostile.timed(run, "diff", "2018", "2019", "-b", "intact8", "-f", "pdf", "-o", out,
                                    "--plans-dir", plans)
    assert result.code == 1 and "--format html" in result.err and "internal error" not in result.err, result
    assert seconds < 10 and not out.exists()
    assert run("diff", "2018", "2019", "-b", "intact8", "-f", "html", "-o", tmp_path / "big.html",
               "--plans-dir", plans).code == 0


@pytest.mark.parametrize("args", [("show", "2019"), ("diff", "2018", "2019")])
def test_every_word_table_has_a_fixed_layout_so_long_strings_wrap_in_their_cell(run, plans_copy, tmp_path, args):
    import zipfile

    _lengthen(plans_copy)
    out = tmp_path / "out.docx"
    assert run(*args, "-b", "kagoshima", "-f", "docx", "-o", out, "--plans-dir", plans_copy).code == 0
    body = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert LONG[:100] in body and "x" * 100 in body
    tables = len(re.findall(r"<w:tbl[ >]", body))
    assert body.count('<w:tblLayout w:type="fixed"/>') == tables


@pytest.mark.slow
def test_long_strings_stay_on_the_page_when_libreoffice_prints_the_word_file(run, plans_copy, tmp_path):
    import subprocess

    _lengthen(plans_copy)
    out = tmp_path / "out.docx"
    assert run("diff", "2018", "2019", "-b", "kagoshima", "-f", "docx", "-o", out, "--plans-dir", plans_copy).code == 0
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=240)
    assert _overflow(tmp_path / "out.pdf") == []
