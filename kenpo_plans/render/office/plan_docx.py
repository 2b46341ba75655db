"""The plan itself as a Word document (show --format docx), from the rows of render.plan_document.

Sections, measures, sub-measures and block headings (【資格点検】) are Word headings (見出し 1-4), so the navigation pane lists
them and ``kenpo-plans import`` reads the file back to the same plan; markers (○, ・, ①) are typed,
as offices type them, and each line is indented by its depth.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from . import word

HEADING_LEVELS = {"section": 1, "measure": 2, "sub-measure": 3, "block": 4}
INDENT_CM = 0.45  # one step of depth: about one and a half characters of 10pt text
HEADING_SIZES = {1: 11.5, 2: 10.5, 3: 10.0, 4: 10.0}


def _heading_styles(document, gothic: str) -> None:
    for level, size in HEADING_SIZES.items():
        style = document.styles[f"Heading {level}"]
        word.set_fonts(style, gothic)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(8 if level == 1 else 5)
        style.paragraph_format.space_after = Pt(2)
        style.paragraph_format.keep_with_next = True


def _line(row: dict) -> str:
    if row["kind"] in HEADING_LEVELS:
        return row["label"] + row["text"] + row["tags"]  # a block's heading has neither
    if row["kind"] in ("item", "target"):
        marker = row["marker"]
        return (marker + (" " if marker in ("○", "◯", "●", "◆") else "") if marker else "") + row["text"]
    if row["kind"] == "kpi" and row["label"] and row["label"][0] in "（(":
        return row["label"] + "\u3000" + row["text"]  # （保険証回収）　…: the space says where the label ends
    return row["label"] + row["text"]


def build(context: dict, font: str | None, landscape: bool) -> bytes:
    gothic = font or word.GOTHIC_FONT
    document = word.new_document(font, landscape, context["title"], context["author"])
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    _heading_styles(document, gothic)
    word.title_block(document, context["document_number"], context["title"], gothic, 14, 10, 8)
    if context["document_date"]:
        date = document.add_paragraph()
        date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        word.add_run(date, context["document_date"])
    for row in context["rows"]:
        level = HEADING_LEVELS.get(row["kind"])
        paragraph = document.add_paragraph(style=f"Heading {level}" if level else None)
        paragraph.paragraph_format.left_indent = Cm(INDENT_CM * row["depth"])
        if row["kind"] in ("item", "target") and row["marker"]:
            paragraph.paragraph_format.first_line_indent = Cm(-INDENT_CM)
            paragraph.paragraph_format.left_indent = Cm(INDENT_CM * (row["depth"] + 1))
        bold = row["kind"] in ("block", "kpi-heading")
        word.add_run(paragraph, _line(row), bold=bold, font=gothic if bold else None)
    return word.to_bytes(document)
