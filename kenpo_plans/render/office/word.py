"""Shared Word building blocks: page set-up, fonts a Japanese office has, runs with underlines.

python-docx writes the package; the few settings it has no API for (East-Asian font, repeated header
rows, paragraph borders) are set on the XML it exposes, each in one small function.
"""

from __future__ import annotations

import io

from ...textsafety import visible

DEFAULT_FONT = "ＭＳ 明朝"  # what Japanese Windows offices have; LibreOffice substitutes a Mincho elsewhere
GOTHIC_FONT = "ＭＳ ゴシック"
A4 = (21.0, 29.7)  # cm


def new_document(font: str | None, landscape: bool, title: str, author: str):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Cm(width), Cm(height)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.6)
    normal = document.styles["Normal"]
    normal.font.size = Pt(9.5)
    set_fonts(normal, font or DEFAULT_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    document.core_properties.title = _property(visible(title))
    document.core_properties.author = _property(visible(author))
    document.core_properties.comments = "kenpo-plans"
    return document


def set_fonts(style_or_run, family: str) -> None:
    """The East-Asian font as well as the Latin one: Word picks glyphs for kana and kanji from eastAsia."""
    from docx.oxml.ns import qn

    family = visible(family)  # --font is typed text too
    style_or_run.font.name = family
    rpr = style_or_run.element.get_or_add_rPr() if hasattr(style_or_run.element, "get_or_add_rPr") else \
        style_or_run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), family)


def repeat_as_header(row) -> None:
    """The row repeats at the top of every page the table runs onto."""
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    properties.append(header)


def keep_row_together(row) -> None:
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(properties.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))


def box(paragraph) -> None:
    """A thin border around a paragraph (the 資料番号 box)."""
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    borders = properties.makeelement(qn("w:pBdr"), {})
    for side in ("top", "left", "bottom", "right"):
        borders.append(borders.makeelement(qn(f"w:{side}"), {qn("w:val"): "single", qn("w:sz"): "6",
                                                             qn("w:space"): "2", qn("w:color"): "000000"}))
    properties.append(borders)


def add_run(paragraph, text: str, underline: str | None = None, bold: bool = False, font: str | None = None):
    """One run; ``underline`` is 'single' or 'double' (傍線 and 二重傍線 of the printed tables)."""
    from docx.enum.text import WD_UNDERLINE

    run = paragraph.add_run(visible(text))  # XML cannot hold a control character or U+FFFE
    if underline == "single":
        run.font.underline = WD_UNDERLINE.SINGLE
    elif underline == "double":
        run.font.underline = WD_UNDERLINE.DOUBLE
    if bold:
        run.bold = True
    if font:
        set_fonts(run, font)
    return run


def shade(cell, fill: str) -> None:
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    properties.append(properties.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto",
                                                           qn("w:fill"): fill}))


def _property(text: str) -> str:
    """A document property holds at most 255 characters (python-docx refuses more); a title that long is cut."""
    return text if len(text) <= 255 else text[:254] + "…"


def table(document, columns: int, widths_cm: list[float], style: str = "Table Grid"):
    from docx.shared import Cm

    grid = document.add_table(rows=0, cols=columns)
    grid.style = style
    grid.autofit = False
    fixed_layout(grid)
    for index, width in enumerate(widths_cm):
        grid.columns[index].width = Cm(width)  # the table grid, which LibreOffice and Word lay out by
    return grid, [Cm(w) for w in widths_cm]


def headed_table(document, names: list[str], widths_cm: list[float], font: str | None = None):
    """A table whose shaded header row repeats on every page."""
    grid, widths = table(document, len(names), widths_cm)
    head = add_row(grid, widths)
    for cell, name in zip(head.cells, names):
        add_run(cell.paragraphs[0], name, bold=True, font=font)
        shade(cell, "E9E9E9")
    repeat_as_header(head)
    return grid, widths


def fixed_layout(grid) -> None:
    from docx.oxml.ns import qn

    properties = grid._tbl.tblPr
    # python-docx's autofit=False already writes one: a second w:tblLayout is a schema error Word may repair
    if properties.find(qn("w:tblLayout")) is None:
        properties.append(properties.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"}))
    else:
        properties.find(qn("w:tblLayout")).set(qn("w:type"), "fixed")


def add_row(grid, widths) -> list:
    row = grid.add_row()
    for cell, width in zip(row.cells, widths):
        cell.width = width
    return row


def to_bytes(document) -> bytes:
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def title_block(document, number: str | None, title: str, font: str, size: float, space_before: float,
                space_after: float) -> None:
    """A document's head as offices print it: the 資料番号 boxed on the right, then the title centred in bold."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if number:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_run(paragraph, number)
        box(paragraph)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(space_before)
    heading.paragraph_format.space_after = Pt(space_after)
    add_run(heading, title, bold=True, font=font).font.size = Pt(size)


def page_header(document, text: str) -> None:
    """Small text at the top right of every page (the branch and the title): pages get handed round alone."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.sections[0].header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_run(paragraph, text).font.size = Pt(7.5)
