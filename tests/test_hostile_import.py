"""Hostile and damaged Word, PDF and text documents given to `import` (#27, root causes A and D).

Each must end in one located message of ours (exit 1), never in an internal error (exit 3) or a hang, in
under 10 seconds, and nothing may be written.
"""

from __future__ import annotations

import os

import pytest

import hostile
from kenpo_plans.importing import guard

LIMIT_SECONDS = 10


@pytest.fixture
def importing(run, tmp_path):
    """Import a document into a scratch -o; returns (result, seconds) and checks the common promises."""

    def invoke(document, *extra):
        out = tmp_path / "out.yaml"
        result, seconds = hostile.timed(run, "import", document, "-b", "kagoshima", "-y", "2019", "-o", out,
                                        "--plans-dir", tmp_path / "plans", *extra)
        assert result.code in (0, 1, 2), result
        assert "internal error" not in result.err and "Traceback" not in result.err, result
        assert seconds < LIMIT_SECONDS, (seconds, result)
        if result.code and "keep me" not in (out.read_text(encoding="utf-8") if out.is_file() else ""):
            assert not out.exists(), result
            assert str(document) in result.err or document.name in result.err, result
        return result

    return invoke


@pytest.fixture
def clean_docx(tmp_path):
    return hostile.plan_docx(tmp_path / "clean.docx")


def test_the_clean_document_imports(importing, clean_docx):
    assert importing(clean_docx).code == 0


def _body(clean_docx) -> bytes:
    return hostile.part(clean_docx, "word/document.xml")


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
                  + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10)
                             for i in range(9))
                  + b"]>")


@pytest.mark.parametrize("damage", ["billion_laughs", "unclosed_t", "control_char_ref", "nested_tables",
                                    "huge_text_node"])
def test_damaged_word_xml_is_a_located_message(importing, clean_docx, tmp_path, damage):
    body = _body(clean_docx)
    if damage == "billion_laughs":
        body = BILLION_LAUGHS + body.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&j;", 1)
    elif damage == "unclosed_t":
        body = body.replace(b"</w:t>", b"", 1)
    elif damage == "control_char_ref":
        body = body.replace(b"<w:t>", b"<w:t>&#1;", 1)
    elif damage == "nested_tables":
        cell = b"<w:tbl><w:tr><w:tc>%s<w:p/></w:tc></w:tr></w:tbl>"
        nested = b"<w:p/>"
        for _ in range(300):
            nested = cell % nested
        body = body.replace(b"<w:body>", b"<w:body>" + nested, 1)
    else:
        body = body.replace(b"<w:t>", b"<w:t>" + "あ".encode() * (4 * 1024 * 1024), 1)
    damaged = hostile.rezip(clean_docx, tmp_path / f"{damage}.docx", {"word/document.xml": body})
    result = importing(damaged)
    assert result.code == 1, result


def test_a_flipped_byte_in_the_deflate_data_is_named_as_damage(importing, clean_docx, tmp_path):
    big = hostile.plan_docx(tmp_path / "big.docx", hostile.PLAN_LINES + [f"○ 取組 {n} を実施する。" for n in range(400)])
    damaged = hostile.flip_deflate_byte(big, "word/document.xml", tmp_path / "flipped.docx")
    result = importing(damaged)
    assert result.code == 1 and "damaged" in result.err, result


def test_a_part_that_inflates_past_the_budget_is_refused_before_reading(importing, clean_docx, tmp_path):
    hostile.zeros_part(clean_docx, "word/media/image1.png", guard.MAX_PART_BYTES + 1024 * 1024)
    assert clean_docx.stat().st_size < 1024 * 1024
    result = importing(clean_docx)
    assert result.code == 1 and "word/media/image1.png" in result.err and "MB" in result.err, result


def test_parts_that_inflate_past_the_budget_together_are_refused(importing, clean_docx, monkeypatch):
    monkeypatch.setattr(guard, "MAX_ZIP_BYTES", 3 * 1024 * 1024)
    for n in range(4):
        hostile.zeros_part(clean_docx, f"word/media/image{n}.png", 1024 * 1024)
    result = importing(clean_docx)
    assert result.code == 1 and "together" in result.err, result


def test_a_password_protected_word_file_says_so(importing, tmp_path):
    protected = tmp_path / "protected.docx"
    protected.write_bytes(guard.CFB_MAGIC + b"\0" * 4096)
    result = importing(protected)
    assert result.code == 1 and "password" in result.err, result


def test_not_a_zip_at_all(importing, tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_text("just text", encoding="utf-8")
    result = importing(fake)
    assert result.code == 1 and "Word" in result.err, result


# --- PDF ---------------------------------------------------------------------------------------------------


def test_a_clean_pdf_imports(importing, tmp_path):
    document = tmp_path / "clean.pdf"
    document.write_bytes(hostile.text_pdf(b"BT /F1 12 Tf 50 800 Td (1. Section) Tj ET"))
    assert importing(document).code == 0


def test_a_pdf_stream_bomb_is_refused_before_pdfminer_inflates_it(importing, tmp_path):
    document = tmp_path / "bomb.pdf"
    document.write_bytes(hostile.text_pdf(b" " * (guard.MAX_STREAM_BYTES + 1024 * 1024), flate=True))
    assert document.stat().st_size < 1024 * 1024
    result = importing(document)
    assert result.code == 1 and "inflates" in result.err, result


@pytest.mark.parametrize("objects", [
    [b"<< /Type /Catalog /Pages 2 0 R >>", b"2 0 R"],
    [b"<< /Type /Catalog /Pages 2 0 R >>", b"3 0 R", b"2 0 R"],
])
def test_a_self_referencing_pdf_object_is_found_not_followed_for_ever(importing, tmp_path, objects):
    document = tmp_path / "loop.pdf"
    document.write_bytes(hostile.pdf(objects))
    result = importing(document)
    assert result.code == 1 and "refers only to itself" in result.err, result


def test_a_pdf_that_stalls_the_reader_is_stopped_by_the_time_budget(importing, tmp_path, monkeypatch):
    import pdfminer.high_level

    def stall(*_args, **_kwargs):
        while True:
            yield from ()

    monkeypatch.setattr(guard, "READ_SECONDS", 0.5)
    monkeypatch.setattr(pdfminer.high_level, "extract_pages", stall)
    document = tmp_path / "stall.pdf"
    document.write_bytes(hostile.text_pdf(b"BT ET"))
    result = importing(document)
    assert result.code == 1 and "seconds" in result.err, result


def test_an_encrypted_pdf_says_password_in_japanese_and_english(importing, tmp_path, monkeypatch):
    document = tmp_path / "locked.pdf"
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32)
    document.write_bytes(hostile.pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                      b"<< /Type /Pages /Kids [] /Count 0 >>", encrypt],
                                     trailer=b"/Root 1 0 R /Encrypt 3 0 R /ID [<%s> <%s>]" % (b"ab" * 16, b"ab" * 16)))
    result = importing(document)
    assert result.code == 1 and "password" in result.err and "()" not in result.err, result
    monkeypatch.setenv("LANGUAGE", "ja")
    assert "パスワード付きの PDF です。保護のないコピーを保存してください" in importing(document).err


@pytest.mark.parametrize("data", [b"%PDF-1.4\n" + os.urandom(2000), b"%PDF-1.4\n1 0 obj << /Type", b""])
def test_garbage_and_truncated_pdfs(importing, tmp_path, data):
    document = tmp_path / "garbage.pdf"
    document.write_bytes(data)
    assert importing(document).code == 1


def test_characters_above_a_shinkyu_header_are_split_in_linear_time():
    from pdfminer.layout import LTChar

    from kenpo_plans.importing.pdf_source import page_lines

    def char(x, y):
        made = LTChar.__new__(LTChar)
        made.x0, made.x1, made.y0, made.y1, made.size, made._text = x, x + 5, y, y + 10, 10.0, "あ"
        return made

    class Page:
        _objs = [char(10 + (n % 100) * 5, 800 - (n // 100) * 12) for n in range(20_000)] + \
                [char(10 + (n % 100) * 5, 100 - (n // 100) * 0.01) for n in range(20_000)]

    lines, seconds = hostile.timed(page_lines, Page(), (300.0, "right", 400.0), True)
    assert seconds < 3, seconds
    assert sum(len(text) for text, _column in lines) >= 40_000


# --- text -------------------------------------------------------------------------------------------------


@pytest.mark.slow  # builds the whole site, renders a large PDF or times a large input
def test_forty_thousand_unclosed_brackets_do_not_backtrack(importing, tmp_path):
    document = tmp_path / "brackets.txt"
    document.write_text("\n".join(hostile.PLAN_LINES[:2]) + "\n①施策" + "【" * 40_000 + "\n", encoding="utf-8")
    importing(document)


# --- C: check, then write ---------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["○", "・", "①", "Ⅰ", "（1）", "1.", "i）"])
def test_a_line_of_only_a_marker_is_reported_never_an_empty_text(importing, tmp_path, run, marker):
    document = tmp_path / "plan.txt"
    document.write_text("\n".join(hostile.PLAN_LINES + ["○", marker, "○ 二つ目の取組を行う。", marker]) + "\n",
                        encoding="utf-8")
    result = importing(document)
    written = tmp_path / "out.yaml"
    if result.code == 0:
        assert run("validate", written, "--plans-dir", tmp_path).code == 0
        assert "記号・番号だけで本文がない" in result.out and "text: ''" not in written.read_text(encoding="utf-8")
    else:
        assert "not written" in result.err, result


def test_an_empty_numbered_word_paragraph_is_reported(importing, tmp_path, run):
    from docx import Document

    document = Document()
    for line in hostile.PLAN_LINES[:3]:
        document.add_paragraph(line)
    for text in ("", "併給調整を確実に実施する。", ""):
        document.add_paragraph(text, style="List Number")
    path = tmp_path / "enter.docx"
    document.save(path)
    result = importing(path)
    assert result.code == 0, result
    assert run("validate", tmp_path / "out.yaml", "--plans-dir", tmp_path).code == 0


@pytest.mark.parametrize("force", [(), ("--force",)])
def test_a_plan_over_the_size_limit_is_never_written(importing, tmp_path, force):
    document = tmp_path / "huge.txt"
    document.write_text("\n".join(hostile.PLAN_LINES) + "\n○ " + "あ" * 1_000_000 + "。\n", encoding="utf-8")
    (tmp_path / "out.yaml").write_text("keep me", encoding="utf-8") if force else None
    result = importing(document, *force)
    assert result.code == 1 and "MB" in result.err and "not written" in result.err, result
    if force:
        assert (tmp_path / "out.yaml").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("filler", [b"<<", b"7", b"stream\n", b"1 0 obj 2 0 R endobj "])
def test_the_guard_itself_is_linear_in_the_file(importing, tmp_path, filler):
    document = tmp_path / "filler.pdf"
    document.write_bytes(b"%PDF-1.4\n<< /Filter /FlateDecode >>\n" + filler * (4 * 1024 * 1024 // len(filler)))
    assert importing(document).code == 1


def test_an_xml_part_past_its_own_budget_is_refused_before_lxml_builds_its_tree(importing, clean_docx, tmp_path):
    body = _body(clean_docx).replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * (guard.MAX_XML_PART_BYTES // 6 + 1), 1)
    damaged = hostile.rezip(clean_docx, tmp_path / "tall.docx", {"word/document.xml": body})
    result = importing(damaged)
    assert result.code == 1 and "word/document.xml" in result.err, result
