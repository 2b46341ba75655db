"""A table laid out on a PDF page (施策・担当 | 取組内容 | ＫＰＩ, 施策 | 担当グループ) → its cells, read as Word's are.

A PDF keeps no table, only characters where the table put them.  A row whose words are all header words (the
words a Word table's header row is read by) gives the columns: each starts a little left of its header word.
Below it, every line whose pieces each stand inside one column belongs to the table; a line that runs across a
column's edge (a paragraph between two tables) ends it.  A table row starts where the 施策 column and another
column both start a paragraph on the same line, or where the page draws a line between two lines (a table with
borders, whose paragraphs have no space between them).  Inside a cell a paragraph starts after a gap wider than a
line, at a mark (○, ①, 【…】), after 。, or after a line that stops short of the column's edge; the lines between
are joined, so a cell reads as the paragraphs Word had.  A table that runs on to the next page keeps its columns
there until a line leaves them.  The import's report says how each table's columns were read.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from ..labels import PLACE_PAGE_LINE, PLACE_TABLE_CELL
from .conventions import HEADER_ROLES, PAGE_NUMBER, table_reading
from .lines import Line, tidy
from .pdf_source import chars_of, rows_of, runs_of, text_of

# What starts a paragraph in a cell: a bullet, a circled or listed number, a note, a block heading (【資格点検】,
# 《ＫＰＩ》, ＜被保険者＞) — except, in a 施策 cell, the goals and group tags that close a title (TITLE_TAGS).
PARAGRAPH_MARK = re.compile(r"^[○◯●◎・◆◇■□※＊*①-⑳]|^[（(]※|^[0-9０-９]{1,2}[.．](?![0-9０-９])|^[0-9０-９]{1,2}[)）]"
                            r"|^[ⅰ-ⅹ]+[)）]|^[ivx]{1,4}[)）]")
BLOCK_MARK = re.compile(r"^[【《＜]")
# goals and groups closing a title, perhaps cut by the line's end: 〈Ⅰ、Ⅱ、Ⅲ〉【企画総務 / G】
TITLE_TAGS = re.compile(r"[〈<＜]\s*[ⅠⅡⅢⅣⅤ]|【[^】]*(?:[GＧ]\s*】|$)")
MAX_COLUMNS = 12  # a plan's table has a handful; a row of dozens of header words is no header
FIGURE_START = re.compile(r"^[0-9０-９.．]")


@dataclass
class Column:
    left: float  # where the column starts on the page
    role: str
    word: str  # its header, as printed


@dataclass(frozen=True)
class CellLine:
    middle: float  # height on the page
    size: float
    text: str
    short: bool  # ends well before its column's right edge: the last line of a paragraph


@dataclass
class TableState:
    """What carries from page to page: the open table's columns, how many tables and rows so far."""

    columns: list[Column] | None = None
    tables: int = 0
    rows: int = 0
    row_page: int = 0  # the page the open row started on
    pages: dict[int, int] = field(default_factory=dict)  # column → the page of its last line
    cells: dict[int, list[CellLine]] = field(default_factory=dict)  # column → its lines in the open row


def _header(runs) -> list[Column] | None:
    words = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", text_of(run))) for run in runs]
    if not 2 <= len(runs) <= MAX_COLUMNS or not all(word in HEADER_ROLES for word in words):
        return None
    roles = [HEADER_ROLES[word] for word in words]
    if not {"title", "items", "kpi"} & set(roles):
        return None
    return [Column(run[0].x0 - max(run[0].size, 1.0) * 0.8, role, text_of(run).strip())
            for run, role in zip(runs, roles)]


def _column_at(char, lefts: list[float]) -> int | None:
    """The column a character stands in, by bisection over where the columns start (a hostile header may name
    thousands)."""
    index = bisect.bisect_right(lefts, (char.x0 + char.x1) / 2) - 1
    return index if index >= 0 else None


def _spaced(before: str, after: str) -> bool:
    """Two pieces of a paragraph broken between two Latin words or figures keep a space; Japanese joins closed."""
    return before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() and after[:1].isalnum()


def _starts_paragraph(before: CellLine | None, line: CellLine, title: bool, same_page: bool = True) -> bool:
    """After a gap, at a mark, or after a line that ends a sentence or stops short of the column's edge; in a 施策 cell
    a group tag or goals (【業務G】, 〈Ⅰ、Ⅱ〉) go on with the title before them."""
    if before is None:
        return True
    text = line.text.strip(" \u3000")
    if title and TITLE_TAGS.match(text):
        return False
    gap = same_page and before.middle - line.middle > line.size * 1.9
    marked = PARAGRAPH_MARK.match(text) or BLOCK_MARK.match(text)
    # a figure is never broken, so a line may stop short before one (「人口 1万対」 / 「10.4→9.0人」) and go on
    short = before.short and not FIGURE_START.match(text)
    ended = before.text.endswith("。") and not text.startswith(("（", "(")) or short  # 「…勧奨。（無料）」 goes on
    return bool(gap or marked or ended)


def _paragraphs(lines: list[CellLine], title: bool) -> list[tuple[float, str]]:
    """(where it starts, text) of each paragraph of a cell; the pieces are gathered and joined once, so a cell of
    thousands of lines costs their length, not its square."""
    paragraphs: list[tuple[float, list[str]]] = []
    before = None
    for line in lines:
        if _starts_paragraph(before, line, title):
            paragraphs.append((line.middle, [line.text]))
        else:
            pieces = paragraphs[-1][1]
            if _spaced(pieces[-1], line.text):
                pieces.append(" ")
            pieces.append(line.text)
        before = line
    return [(middle, "".join(pieces)) for middle, pieces in paragraphs]


def _flush(state: TableState, table_ends: bool = False) -> list[Line]:
    """The open table row's cells as lines, column by column, as Word's cells are read; a row that ran on to the
    next page is one row, its paragraphs joined across the page break, placed on the page it started on.

    When the table ends there, what stands in the first column below every other column's last line (a section
    heading between two tables, which a PDF sets where the first column is) follows as lines of its own."""
    if not state.cells or state.columns is None:
        state.cells, state.pages = {}, {}
        return []
    state.rows += 1
    cells = {index: _paragraphs(state.cells[index], state.columns[index].role == "title") for index in state.cells}
    after: list[tuple[float, str]] = []
    others = [cells[index][-1][0] for index in cells if index != 0]
    if table_ends and others and 0 in cells:
        lowest = min(others)
        while len(cells[0]) > 1 and cells[0][-1][0] < lowest:
            after.insert(0, cells[0].pop())
    lines = []
    for index in sorted(cells):
        role = state.columns[index].role
        place = f"{state.row_page}頁 " + PLACE_TABLE_CELL.format(t=state.tables, r=state.rows, c=index + 1)
        for number, (_middle, paragraph) in enumerate(cells[index]):
            text = tidy(paragraph)
            if text:
                lines.append(Line(text, place, extracted=True, role=role if number == 0 or role != "title" else "body"))
    lines += [Line(tidy(text), f"{state.row_page}頁", extracted=True) for _middle, text in after if tidy(text)]
    state.cells, state.pages = {}, {}
    return lines


def _row_starts(state: TableState, placed: dict[int, CellLine], page: int) -> bool:
    """The 施策 column and another both start a paragraph here: a new table row.  Across a page break no gap tells
    (a row split by the page goes on at the top of the next), so there a mark must; a 担当 cell holds one short list,
    so its first line on a new page starts one (業務G under the last row's レセプトG, a page later)."""
    def starts(index: int) -> bool:
        earlier = state.cells.get(index)
        role = state.columns[index].role
        same_page = state.pages.get(index) == page
        if not earlier or not same_page and role == "groups":
            return True
        return _starts_paragraph(earlier[-1], placed[index], role == "title", same_page)

    return 0 in placed and starts(0) and any(starts(i) for i in placed if i != 0)


def page_table_lines(page, page_number: int, state: TableState) -> list[Line] | None:
    """The page's lines with its tables read cell by cell; None for a page with no table, read as it was."""
    rows = rows_of(chars_of(page))
    headers = [_header(runs_of(chars)) for _middle, chars in rows]
    if state.columns is None and not any(headers):
        return None
    lines: list[Line] = []
    rules = _rules(page)
    right = max((char.x1 for _middle, chars in rows for char in chars), default=0.0)
    above = None  # the last line on this page, for a cell border drawn between it and the next
    lefts = [column.left for column in state.columns or []]
    for number, ((middle, chars), header) in enumerate(zip(rows, headers), start=1):
        ruled = above is not None and bisect.bisect_right(rules, middle) < bisect.bisect_left(rules, above)
        above = middle
        if header is not None:
            lines += _flush(state, table_ends=True)
            state.columns, state.tables, state.rows = header, state.tables + 1, 0
            lefts = [column.left for column in header]
            reading = table_reading(state.tables, [(column.word, column.role) for column in header])
            lines.append(Line(reading, f"{page_number}頁 " + PLACE_TABLE_CELL.format(
                t=state.tables, r=1, c=1), column="table"))
            continue
        if state.columns and PAGE_NUMBER.match(text_of(chars).strip()):
            continue  # a page's number printed inside the table's columns is no cell's
        placed = _placed(chars, state.columns, lefts, right) if state.columns else None
        if placed is None:
            lines += _flush(state, table_ends=True)
            state.columns = None
            text = tidy(text_of(chars))
            if text:
                lines.append(Line(text, PLACE_PAGE_LINE.format(page=page_number, line=number), wrapped=True,
                                  extracted=True))
            continue
        if ruled or _row_starts(state, placed, page_number):
            lines += _flush(state)
        if not state.cells:
            state.row_page = page_number
        for index, cell_line in placed.items():
            state.cells.setdefault(index, []).append(cell_line)
            state.pages[index] = page_number
    return lines


def _rules(page) -> list[float]:
    """Where the page draws a horizontal line (a bordered table's row edges): a row of a table with borders and
    no space between paragraphs ends there.  A border at a page's top (a row split by the page) starts nothing:
    only a line between two lines of the same page counts."""
    from pdfminer.layout import LTCurve, LTLine, LTRect

    return sorted((shape.y0 + shape.y1) / 2 for shape in page
                  if isinstance(shape, (LTLine, LTRect, LTCurve)) and shape.height < 2 and shape.width > 20)


def finish(state: TableState) -> list[Line]:
    """The last row of a table the document ends in."""
    return _flush(state)


def _placed(chars, columns: list[Column], lefts: list[float], right: float) -> dict[int, CellLine] | None:
    """A line's characters by column; None when the line is no table's: it starts left of the table, or its words
    run on across a column's edge without the gap two cells leave between them.  ``right`` is where the page's text
    ends, the last column's edge."""
    placed: dict[int, list] = {}
    previous, previous_index = None, None
    for char in chars:
        index = _column_at(char, lefts)
        if index is None:
            return None
        if previous is not None and index != previous_index and char.x0 - previous.x1 < max(char.size, 1.0) * 0.5:
            return None
        placed.setdefault(index, []).append(char)
        previous, previous_index = char, index
    lines = {}
    for index, cell in placed.items():
        size = max(cell[0].size, 1.0)
        edge = columns[index + 1].left if index + 1 < len(columns) else right
        lines[index] = CellLine((cell[0].y0 + cell[0].y1) / 2, size, text_of(cell), cell[-1].x1 < edge - size * 2.5)
    return lines
