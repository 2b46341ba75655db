"""A rendered report's HTML as a Word document: the same headings, paragraphs and tables, cell for cell.

The PDF prints this HTML; translating the very same HTML (rather than building Word from the data a second
way) means the Word document cannot hold less than the PDF: every heading, footnote, legend, date and figure
as printed, every rowspan and colspan. Word's own rules are applied on the way: header rows (<thead>)
repeat on each page (w:tblHeader) and no row breaks across pages (w:cantSplit).

Only the markup our templates write is understood: block elements become paragraphs, spans are runs, and the
few spans the stylesheet shows as blocks (``display: block``) start a line of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...textsafety import columns
from . import word

# spans the stylesheet displays as blocks: each starts a line in Word too
BLOCK_SPANS = frozenset({"prev", "asof", "basis", "flag", "meaning", "measure-title", "subtitle-item", "carried",
                         "plan-item"})
BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "li", "section", "header", "table", "ul", "ol"})
BOLD_CLASSES = frozenset({"kpi-tag", "legend-name", "item-title", "block-heading", "mark", "measure-title"})
SMALL_CLASSES = {"fine": 7.5, "prev": 7.5, "asof": 7.5, "basis": 6.5, "flag": 6.5, "note": 7.5, "meaning": 7.0,
                 "subtitle-item": 8.0}
HEADING_SIZES = {"h1": 13.0, "h2": 11.0, "h3": 9.5, "h4": 9.0, "h5": 9.0}
CENTRED_CELLS = frozenset({"rating", "computed"})
RIGHT_CELLS = frozenset({"num", "rank"})
TABLE_SIZE = 8.0
NOWRAP_CELLS = frozenset({"num", "rank", "rating", "computed", "groups"})
CM_PER_COLUMN = TABLE_SIZE / 2 * 2.54 / 72 * 1.15  # a half-width character of the table's text, as fonts set it
PADDING_CM = 0.45  # Word's cell margins and a border
TEXT_SIZE = 9.0


@dataclass
class Run:
    text: str
    bold: bool = False
    size: float | None = None


@dataclass
class Line:
    runs: list[Run] = field(default_factory=list)
    classes: frozenset = frozenset()

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def _classes(element) -> frozenset:
    return frozenset((element.get("class") or "").split())


def _starts_line(element) -> bool:
    return element.tag in BLOCK_TAGS or (element.tag == "span" and bool(_classes(element) & BLOCK_SPANS))


def _style(element, bold: bool, size: float | None) -> tuple[bool, float | None]:
    classes = _classes(element)
    bold = bold or element.tag in ("b", "strong", "th") or element.tag in HEADING_SIZES or bool(classes & BOLD_CLASSES)
    for name, small in SMALL_CLASSES.items():
        if name in classes:
            size = small
    return bold, size


def lines_of(element, bold: bool = False, size: float | None = None) -> list[Line]:
    """An element's text as lines of runs: block children start new lines, inline ones continue the line."""
    lines = [Line(classes=_classes(element))]
    bold, size = _style(element, bold, size)

    def add(text: str | None, line_bold: bool, line_size: float | None) -> None:
        text = re.sub(r"\s*\n\s*", "", text or "")
        if text:
            lines[-1].runs.append(Run(text, line_bold, line_size))

    add(element.text, bold, size)
    for child in element:
        if not isinstance(child.tag, str):  # a comment
            add(child.tail, bold, size)
            continue
        if child.tag == "br":
            lines.append(Line(classes=lines[-1].classes))
        elif _starts_line(child):
            inner = lines_of(child, bold, size)
            if lines[-1].runs:
                lines.extend(inner)
            else:
                lines[-1:] = inner
            lines.append(Line(classes=lines[0].classes))
        else:
            for index, part in enumerate(lines_of(child, bold, size)):
                if index:
                    lines.append(Line(classes=part.classes))
                lines[-1].runs.extend(part.runs)
        add(child.tail, bold, size)
    return [line for line in lines if line.text.strip()]


# --- paragraphs -------------------------------------------------------------------------------------------


def _write_line(paragraph, line: Line, base_size: float) -> None:
    from docx.shared import Pt

    for run in line.runs:
        added = word.add_run(paragraph, run.text, bold=run.bold)
        added.font.size = Pt(run.size or base_size)
    classes = line.classes
    if "activity" in classes:
        paragraph.paragraph_format.left_indent = Pt(base_size * 1.2)
        paragraph.paragraph_format.first_line_indent = Pt(-base_size * 1.2)
    level = next((int(c[6:]) for c in classes if re.fullmatch(r"level-\d", c)), 0)
    if level:
        paragraph.paragraph_format.left_indent = Pt(base_size * level)


def _heading(document, element) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for line in lines_of(element):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6 if element.tag != "h1" else 10)
        paragraph.paragraph_format.space_after = Pt(2)
        if element.tag == "h1":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write_line(paragraph, line, HEADING_SIZES[element.tag])


def _paragraphs(document, element) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    classes = _classes(element)
    for line in lines_of(element):
        paragraph = document.add_paragraph()
        if "subtitle" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if "doc-number" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            word.box(paragraph)
        _write_line(paragraph, line, TEXT_SIZE)


def _has_blocks(element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in element)


def _blocks(document, element, width_cm: float) -> None:
    for child in element:
        if not isinstance(child.tag, str) or child.tag in ("style", "script", "head", "title", "meta"):
            continue
        if child.tag in HEADING_SIZES:
            _heading(document, child)
        elif child.tag == "table":
            _table(document, child, width_cm)
        elif child.tag in ("section", "header", "div", "body", "ul", "ol") and _has_blocks(child):
            _blocks(document, child, width_cm)
        else:
            _paragraphs(document, child)


# --- tables -----------------------------------------------------------------------------------------------


@dataclass
class Cell:
    element: object
    row: int
    column: int
    rowspan: int
    colspan: int
    header: bool


def _span(element, name: str) -> int:
    try:
        return max(1, int(element.get(name) or 1))
    except ValueError:
        return 1


def layout_grid(rows: list[tuple[list, bool]]) -> tuple[list[Cell], int]:
    """Cells placed on the table's grid as a browser places them (rowspan and colspan), and the column count."""
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for r, (elements, header) in enumerate(rows):
        c = 0
        for element in elements:
            while (r, c) in taken:
                c += 1
            cell = Cell(element, r, c, min(_span(element, "rowspan"), len(rows) - r), _span(element, "colspan"), header)
            cells.append(cell)
            taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
            c += cell.colspan
    columns = max((c + 1 for _r, c in taken), default=1)
    return cells, columns


def _extent(cell: Cell) -> tuple[float, float]:
    """The narrowest and the widest a cell's column may be, in cm: a cell the stylesheet keeps on one line
    (headers, figures, marks) needs its whole line; other text wraps, down to a few characters."""
    widths = [columns(line.text) for line in lines_of(cell.element)] or [0]
    widest = max(widths) * CM_PER_COLUMN + PADDING_CM
    whole = cell.header or bool(_classes(cell.element) & NOWRAP_CELLS)
    return (widest if whole else min(widest, 4 * CM_PER_COLUMN + PADDING_CM)), widest


def column_widths(cells: list[Cell], count: int, total_cm: float) -> list[float]:
    """Widths as a browser's automatic table layout shares them out: each column gets its narrowest, then
    what is left goes to the columns in proportion to how much more their text would take."""
    narrowest, widest = [PADDING_CM] * count, [PADDING_CM] * count
    for cell in cells:
        if cell.colspan == 1 and cell.element is not None:
            low, high = _extent(cell)
            narrowest[cell.column] = max(narrowest[cell.column], low)
            widest[cell.column] = max(widest[cell.column], high)
    if sum(narrowest) >= total_cm:
        return [total_cm * n / sum(narrowest) for n in narrowest]
    spare = total_cm - sum(narrowest)
    extra = [w - n for n, w in zip(narrowest, widest)]
    if sum(extra) <= spare:  # everything fits on one line: the rest shared like the text
        return [w + (total_cm - sum(widest)) * w / sum(widest) for w in widest]
    return [n + spare * e / sum(extra) for n, e in zip(narrowest, extra)]


def _table_rows(element) -> list[tuple[list, bool]]:
    rows = []
    for part in element:
        if not isinstance(part.tag, str):
            continue
        trs = [part] if part.tag == "tr" else [tr for tr in part if tr.tag == "tr"]
        for tr in trs:
            rows.append(([td for td in tr if td.tag in ("td", "th")], part.tag == "thead"))
    return rows


def _cell_properties(tc, width_cm: float, colspan: int, merge: str | None, shade: str | None) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    properties = tc.get_or_add_tcPr()
    width = OxmlElement("w:tcW")
    width.set(qn("w:w"), str(int(Cm(width_cm).twips)))
    width.set(qn("w:type"), "dxa")
    properties.append(width)
    if colspan > 1:
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), str(colspan))
        properties.append(span)
    if merge:
        vmerge = OxmlElement("w:vMerge")
        if merge == "restart":
            vmerge.set(qn("w:val"), "restart")
        properties.append(vmerge)
    if shade:
        fill = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", shade)):
            fill.set(qn(key), value)
        properties.append(fill)


def _fill_cell(cell, element, header: bool, legend: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    classes = _classes(element)
    alignment = (WD_ALIGN_PARAGRAPH.CENTER if (header and not legend) or classes & CENTRED_CELLS
                 else WD_ALIGN_PARAGRAPH.RIGHT if classes & RIGHT_CELLS else None)
    lines = lines_of(element)
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        if alignment is not None:
            paragraph.alignment = alignment
        _write_line(paragraph, line, 10.0 if "rating" in classes and not header else TABLE_SIZE)


def _table(document, element, total_cm: float) -> None:
    from docx.oxml import OxmlElement
    from docx.table import _Cell

    rows = _table_rows(element)
    if not rows:
        return
    cells, columns = layout_grid(rows)
    widths = column_widths(cells, columns, total_cm)
    grid, _cm = word.table(document, columns, widths)
    starts = {(cell.row, cell.column): cell for cell in cells}
    covering: dict[tuple[int, int], Cell] = {}
    for cell in cells:
        for i in range(1, cell.rowspan):
            covering[(cell.row + i, cell.column)] = cell
    for r, (_elements, header) in enumerate(rows):
        tr = OxmlElement("w:tr")
        grid._tbl.append(tr)
        c = 0
        while c < columns:
            cell, merge = starts.get((r, c)), None
            if cell is None and (r, c) in covering:
                cell, merge = covering[(r, c)], "continue"
            if cell is None:  # a short row: an empty cell keeps the grid whole
                cell = Cell(None, r, c, 1, 1, header)
            elif merge is None and cell.rowspan > 1:
                merge = "restart"
            tc = OxmlElement("w:tc")
            tr.append(tc)
            legend = cell.element is not None and "legend-row" in _classes(cell.element.getparent())
            _cell_properties(tc, sum(widths[c:c + cell.colspan]), cell.colspan, merge,
                             "E9E9E9" if header and not legend else None)
            tc.append(OxmlElement("w:p"))
            if cell.element is not None and merge != "continue":
                _fill_cell(_Cell(tc, grid), cell.element, header, legend)
            c += cell.colspan
        row = grid.rows[r]
        word.keep_row_together(row)
        if header:
            word.repeat_as_header(row)
    document.add_paragraph()


# --- the document -----------------------------------------------------------------------------------------


def html_to_docx(html: str, font: str | None, landscape: bool) -> bytes:
    """The document as Word: A4 (landscape when asked), the title and author from the HTML's head."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    title = (root.findtext(".//title") or "").strip()
    author = next((m.get("content") or "" for m in root.iter("meta") if m.get("name") == "author"), "")
    document = word.new_document(font, landscape, title, author)
    section = document.sections[0]
    width_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    _page_numbers(section)
    _blocks(document, root.find("body"), width_cm)
    return word.to_bytes(document)


def _page_numbers(section) -> None:
    """「1 / 6」 centred under each page, as the PDF prints it (fields Word and LibreOffice fill in)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, field in enumerate(("PAGE", "NUMPAGES")):
        if index:
            paragraph.add_run(" / ").font.size = Pt(8)
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        simple.append(run)
        paragraph._p.append(simple)


__all__ = ["html_to_docx", "layout_grid", "lines_of"]
