"""Results and KPI history as Excel workbooks a clerk can sum and filter.

Figures are numbers with number formats (0.0% on the fraction, #,##0"事業所"), never text, unless their
unit is more than letters (then the figure and its unit are text, so no unit ever acts as format code); every text
cell is stored as text, so plan wording that looks like a formula (「=1+1」, 「@SUM(…)」) stays words.
Achievement is a word and a fill that stays distinct on a black-and-white printer (a light fill
for 達成, a hatched one for 未達成).
"""

from __future__ import annotations

import io
import math
import re
from decimal import Decimal

from ...textsafety import columns, visible

HEADER_FILL = "DDDDDD"
ACHIEVED_FILL = ("solid", "E2EFDA")  # prints as a light grey
MISSED_FILL = ("lightUp", "808080")  # prints as a hatch
LINE_HEIGHT = 14.0  # points: one line of the default 11-point font
WIDE_SHARE = 0.85
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _decimals(value) -> int:
    text = format(Decimal(str(value)), "f")
    return len(text.split(".")[1]) if "." in text else 0


# A unit goes inside a number format (quoted) only when it is letters alone (事業所, 円, pt): a quote,
# a backslash, a % or a ; would end the quoted text and turn the rest into format code (×100, another section).
PLAIN_UNIT = re.compile(r"[^\W\d_]+")


def number_cell(sheet, row: int, column: int, figure: dict | None) -> None:
    """A printed figure as a number: 65.8％ → 0.658 shown 65.8%, 3,325事業所 → 3325 shown 3,325事業所;
    with a unit that cannot be a format safely, the figure and its unit as the text they are (93.5件"%)."""
    if not figure or figure.get("value") is None:
        return
    value, unit = figure["value"], (figure.get("unit") or "").replace("％", "%")
    places = _decimals(value)
    cell = sheet.cell(row=row, column=column)
    if unit == "%":
        cell.value = float(Decimal(str(value)) / 100)
        cell.number_format = "0" + ("." + "0" * places if places else "") + "%"
    elif unit and not PLAIN_UNIT.fullmatch(unit):
        text_cell(sheet, row, column, f"{format(Decimal(str(value)), ',f')}{unit}")
    else:
        cell.value = value
        base = "#,##0" + ("." + "0" * places if places else "")
        cell.number_format = base + (f'"{unit}"' if unit else "")


def text_cell(sheet, row: int, column: int, text, wrap: bool = False) -> None:
    """Text stays text: never a formula, whatever it starts with."""
    if text is None or text == "":
        return
    from openpyxl.styles import Alignment

    cell = sheet.cell(row=row, column=column)
    cell.value = visible(str(text))  # XML cannot hold a control character or U+FFFE
    cell.data_type = "s"
    if str(text).startswith(FORMULA_START):
        cell.quotePrefix = True  # Excel and LibreOffice show it as typed and never evaluate it
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")


def header(sheet, names: list[tuple[str, int]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for column, (name, width) in enumerate(names, 1):
        cell = sheet.cell(row=1, column=column)
        text_cell(sheet, 1, column, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def achievement_cell(sheet, row: int, column: int, achieved: bool | None, label: str) -> None:
    from openpyxl.styles import PatternFill

    text_cell(sheet, row, column, label)
    if achieved is True:
        sheet.cell(row=row, column=column).fill = PatternFill(ACHIEVED_FILL[0], fgColor=ACHIEVED_FILL[1])
    elif achieved is False:
        sheet.cell(row=row, column=column).fill = PatternFill(MISSED_FILL[0], fgColor=MISSED_FILL[1],
                                                              bgColor="FFFFFF")


def _lines(sheet, cell) -> int:
    """How many lines a wrapped cell takes (offices do not size rows for wrapped text when they open a file)."""
    if cell.value is None:
        return 1
    width = sheet.column_dimensions[cell.column_letter].width or 8.43
    # a column's width counts characters of the default font; a kanji takes less than two of them
    return sum(max(1, math.ceil(columns(part) * WIDE_SHARE / max(width - 0.5, 1)))
               for part in str(cell.value).split("\n"))


def finish(sheet, rows: int, columns: int, title: str | None = None) -> None:
    """A sheet that prints as a document: A4 landscape fit to the page's width (as many pages tall as it
    takes), the header row on every page, text wrapped in its column, gridlines as the table's rules, the
    print area the table, the sheet's title and page numbers in the margins. The data stays as it is."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    last = f"{get_column_letter(columns)}{rows + 1}"
    if rows >= 1:
        sheet.auto_filter.ref = f"A1:{last}"
    for line in sheet.iter_rows(min_row=1, max_row=rows + 1, max_col=columns):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical=cell.alignment.vertical or "top",
                                       horizontal=cell.alignment.horizontal)
        sheet.row_dimensions[line[0].row].height = LINE_HEIGHT * max(_lines(sheet, cell) for cell in line)
    sheet.print_area = f"A1:{last}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.25
    sheet.oddHeader.center.text = visible(title or sheet.title)
    sheet.oddFooter.center.text = "&P / &N"


def save(workbook) -> bytes:
    if workbook.properties.title:
        workbook.properties.title = visible(workbook.properties.title)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


class SheetNames:
    """Sheet names: at most 31 characters, none of []:*?/\\ , unique; each name costs constant time however
    many sheets share a title (a counter per title, not a search through the names taken)."""

    def __init__(self):
        self.used: set[str] = set()
        self.next: dict[str, int] = {}

    def __call__(self, title: str) -> str:
        cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28] or "sheet"
        name = cleaned
        while name in self.used:
            n = self.next.get(cleaned, 2)
            self.next[cleaned] = n + 1
            name = f"{cleaned[:26]}_{n}"
        self.used.add(name)
        return name
