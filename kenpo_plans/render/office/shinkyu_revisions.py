"""The 新旧対照表 as a Word document with revisions (diff -f docx --track-changes).

The document is the new plan; every difference from the old one is a Word revision with an author and a
date: inserted and deleted wording (w:ins, w:del), whole lines inserted or deleted with their paragraph
mark, and lines that changed place as moves (w:moveFrom / w:moveTo, named pairs).  A reviewer accepts
or rejects them one by one; accepting all gives the new plan, rejecting all the old (render.revisions
decides what is which).  Revision tracking is left on so further edits are tracked too.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ...textsafety import visible
from ..revisions import Paragraph
from . import word

INDENT_CM = 0.45  # one step of depth, as the plan itself is printed (show -f docx)
HEADINGS = {"section": 11.0, "measure": 10.5, "block": 10.0, "kpi-heading": 10.0, "title": 13.0}
WRAPPERS = {"ins": "w:ins", "del": "w:del", "moveFrom": "w:moveFrom", "moveTo": "w:moveTo"}


class _Revisions:
    """Numbers every revision mark (Word wants each w:id unique) and stamps author and date on it."""

    def __init__(self, author: str, date: str):
        self.author, self.date, self.next_id = visible(author), date, 1

    def mark(self, tag: str, **attributes: str):
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        if not tag.endswith("RangeEnd"):
            element.set(qn("w:author"), self.author)
            element.set(qn("w:date"), self.date)
        for name, value in attributes.items():
            element.set(qn(f"w:{name}"), value)
        return element


def _run(text: str, change: str | None, bold: bool, font: str | None, size: float | None):
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    if font:
        fonts = OxmlElement("w:rFonts")
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), visible(font))
        properties.append(fonts)
    if bold:
        properties.append(OxmlElement("w:b"))
    if size:
        for tag in ("w:sz", "w:szCs"):
            element = OxmlElement(tag)
            element.set(qn("w:val"), str(round(size * 2)))
            properties.append(element)
    if len(properties):
        run.append(properties)
    text_element = OxmlElement("w:delText" if change == "del" else "w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = visible(text)
    run.append(text_element)
    return run


def _mark_paragraph(p, change: str, revisions: _Revisions) -> None:
    """The paragraph mark itself inserted, deleted or moved: accepting or rejecting removes the line whole."""
    properties = p.get_or_add_pPr()
    run_properties = properties.find(qn("w:rPr"))
    if run_properties is None:
        run_properties = OxmlElement("w:rPr")
        properties.append(run_properties)
    run_properties.append(revisions.mark(WRAPPERS[change]))


def paragraph_marks(paragraphs: list[Paragraph]) -> list[str | None]:
    """Which paragraph marks are inserted or deleted, as Word itself records it.

    Lines inserted after a line are the break at the end of that line and the lines' own breaks but the
    last (Enter typed at the end of a line, then the new text); deleted lines likewise.  Marking each new
    line's own break says the same to Word, but LibreOffice then joins the line before them to the line
    after them when it rejects (or accepts) the change.  A run of such lines after a line that is itself
    changed keeps its own breaks: one break cannot carry two revisions."""
    marks = [p.mark for p in paragraphs]
    start = 0
    while start < len(paragraphs):
        kind = paragraphs[start].mark
        end = start
        while end + 1 < len(paragraphs) and paragraphs[end + 1].mark == kind:
            end += 1
        if kind in ("ins", "del") and start > 0 and paragraphs[start - 1].mark is None:
            marks[start - 1], marks[end] = kind, None
        start = end + 1
    return marks


def _fill(p, paragraph: Paragraph, mark: str | None, revisions: _Revisions, gothic: str) -> None:
    heading = paragraph.node in HEADINGS
    font, size = (gothic, HEADINGS[paragraph.node]) if heading else (None, None)
    if mark:
        _mark_paragraph(p, mark, revisions)
    move_range = None
    if paragraph.mark in ("moveFrom", "moveTo"):
        move_range = revisions.mark(f"w:{paragraph.mark}RangeStart", name=f"move{paragraph.move}")
        p.append(move_range)
    for text, change in paragraph.runs:
        run = _run(text, change, heading, font, size)
        if change:
            wrapper = revisions.mark(WRAPPERS[change])
            wrapper.append(run)
            run = wrapper
        p.append(run)
    if move_range is not None:
        end = OxmlElement(f"w:{paragraph.mark}RangeEnd")
        end.set(qn("w:id"), move_range.get(qn("w:id")))
        p.append(end)


def _layout(document_paragraph, paragraph: Paragraph) -> None:
    layout = document_paragraph.paragraph_format
    layout.left_indent = Cm(INDENT_CM * paragraph.depth)
    if paragraph.node == "title":
        document_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        layout.space_before, layout.space_after = Pt(8), Pt(8)
    elif paragraph.node == "number":
        document_paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif paragraph.node in ("section", "measure"):
        layout.space_before = Pt(6 if paragraph.node == "section" else 4)
        layout.keep_with_next = True


def _track_further_edits(document) -> None:
    """Word records the reviewer's own edits as revisions too."""
    settings = document.settings.element
    track = OxmlElement("w:trackRevisions")
    later = settings.find(qn("w:defaultTabStop"))
    if later is not None:
        later.addprevious(track)
    else:
        settings.append(track)


def build(paragraphs: list[Paragraph], title: str, header: str, author: str, date: str, font: str | None,
          landscape: bool) -> bytes:
    """``date`` is ISO 8601 in UTC (2026-12-07T09:00:00Z), as Word writes revision dates."""
    gothic = font or word.GOTHIC_FONT
    document = word.new_document(font, landscape, title, author)
    document.styles["Normal"].font.size = Pt(10)
    body = document.element.body
    for stray in list(body.iterchildren(qn("w:p"))):  # python-docx's template may open with an empty paragraph
        body.remove(stray)
    revisions = _Revisions(author, date)
    for paragraph, mark in zip(paragraphs, paragraph_marks(paragraphs)):
        document_paragraph = document.add_paragraph()
        _layout(document_paragraph, paragraph)
        _fill(document_paragraph._p, paragraph, mark, revisions, gothic)
    word.page_header(document, header)
    _track_further_edits(document)
    return word.to_bytes(document)
