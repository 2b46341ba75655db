"""The 新旧対照表 as an Excel sheet (diff -f xlsx): one row per aligned pair, to filter and to print.

Each row is one line of the table as the diff pairs them: where it stands (区分・施策), what it is (取組, ＫＰＩ…),
the new and the old wording, the 備考 as the convention writes it, the kinds of change and both ids.  A filter on
every column (only 新設, only one 施策), the header row frozen and repeated on every printed page, A4 landscape
fitted to the width, long wording wrapped.
"""

from __future__ import annotations

from ...diff.result import DiffResult, Entry
from ...labels import KIND_LABELS, NODE_LABELS
from ..revisions import entry_lines
from ..shinkyu import remarks, shown_kinds
from . import workbook

COLUMNS = [("No.", 5), ("区分・施策", 24), ("種類", 8), ("新", 46), ("旧", 46), ("備考", 14), ("変更", 14),
           ("新 id", 18), ("旧 id", 18)]
WRAPPED = (2, 4, 5, 6)  # the columns whose text wraps (1-based)
LINE_POINTS = 13.5  # one wrapped line of 11 pt text


def _lines(text: str, width: float) -> int:
    """How many lines wrapped text takes: a Japanese character is two of Excel's width units."""
    per_line = max(1, int(width / 2))
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


def _height(values: list) -> float:
    """Excel and LibreOffice do not size a row to wrapped text they did not lay out: the sheet says it."""
    lines = max(_lines(values[c - 2], COLUMNS[c - 1][1]) for c in WRAPPED)
    return LINE_POINTS * lines + 2


def _place(entry: Entry) -> str:
    return " ＞ ".join(step.heading for step in entry.path if step.title)


def _sides(entry: Entry) -> tuple[str, str]:
    lines = entry_lines(entry)
    new = "\n".join(line.new_text for line in lines if line.in_new)
    old = "\n".join(line.old_text for line in lines if line.old_key is not None)
    return new, old


def row_values(entry: Entry, exact: bool) -> list:
    new, old = _sides(entry)
    kinds = [KIND_LABELS[k] for k in shown_kinds(entry, exact)]
    return [_place(entry), NODE_LABELS.get(entry.node, entry.node), new, old, "".join(remarks(entry, exact)),
            "・".join(kinds), entry.new_id or "", entry.old_id or ""]


def build(result: DiffResult, title: str, running_head: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    sheet = book.active
    sheet.title = "新旧対照表"
    book.properties.title = title
    book.properties.creator = result.new.branch_name
    names = list(COLUMNS)
    names[3] = (f"新（{result.new.year_label}）", names[3][1])
    names[4] = (f"旧（{result.old.year_label}）", names[4][1])
    workbook.header(sheet, names)
    for index, entry in enumerate(result.entries, 1):
        sheet.cell(row=index + 1, column=1, value=index).alignment = Alignment(vertical="top")
        values = row_values(entry, result.exact)
        for column, value in enumerate(values, 2):
            workbook.text_cell(sheet, index + 1, column, value, wrap=column in WRAPPED)
        sheet.row_dimensions[index + 1].height = _height(values)
    count = len(result.entries)
    workbook.finish(sheet, count, len(COLUMNS))
    sheet.print_area = f"A1:{sheet.cell(row=1, column=len(COLUMNS)).column_letter}{count + 1}"
    sheet.oddHeader.right.text = running_head.replace("&", "&&")  # & starts a header code (&P, &N)
    sheet.oddHeader.right.size = 8
    sheet.oddFooter.center.text = "&P / &N"
    return workbook.save(book)
