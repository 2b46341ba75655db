"""An Excel sheet of KPI results (KPI / 目標 / 実績 / 全国平均 / 順位 / 評価) → one report of a results file.

The header row is found among the first rows by its words in their usual variants (ＫＰＩ名, 指標, R6実績,
全国順位, 達成度, …); each row's KPI is matched to the plan by id, else by wording (the same similarity
as ``diff``, and the shared vocabulary); rows that match no KPI are returned with their row number, not
guessed.  Figures are written as the sheet shows them (0.658 formatted as 0.0% → 65.8%).
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..diff.align import similarity
from ..errors import KenpoError
from ..i18n import _
from ..plan import vocabulary
from ..plan.model import Plan
from .guard import open_workbook, reading

MATCH_THRESHOLD = 0.6  # as diff pairs a KPI whose wording changed
HEADER_ROWS = 15  # a title and a date or two may stand above the header

COLUMNS = {  # column → words its header starts with (after NFKC, spaces removed)
    "id": ("id", "kpiid"),
    "kpi": ("kpi", "指標", "項目", "評価指標", "kpi名"),
    "target": ("目標",),
    "actual": ("実績", "結果"),
    "national_average": ("全国平均",),
    "rank": ("順位", "全国順位"),
    "rating": ("評価", "達成度", "kpi達成度", "判定"),
}
COLUMN_WORDS = {"id": "ID", "kpi": "ＫＰＩ", "target": "目標", "actual": "実績", "national_average": "全国平均",
                "rank": "順位", "rating": "評価"}  # each column as a message names it (the sheet's own words vary)
_YEAR_PREFIX = re.compile(r"^(?:r|h|令和|平成)?[0-9]{1,2}(?:年度)?")
# Ratings offices use, and whether each says the target was met; the legend is the sheet's to give.
KNOWN_MARKS = {"◎": True, "○": True, "〇": True, "△": False, "×": False, "A": True, "B": True, "C": False,
               "a": True, "b": True, "c": False, "達成": True, "未達成": False}


class SheetError(KenpoError):
    """Raised when a workbook has no sheet whose header names a KPI column and a 実績 column."""


@dataclass
class SheetRow:
    row: int
    values: dict[str, object]


@dataclass
class SheetResults:
    sheet: str
    kpis: list[dict] = field(default_factory=list)
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (row number, what the row says)
    ratings: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    unreadable: list[tuple[int, str, str]] = field(default_factory=list)
    left_aside: list[tuple[str, str]] = field(default_factory=list)


def _key(text: object) -> str:
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).lower()
    return _YEAR_PREFIX.sub("", flat)


def column_of(header: object) -> str | None:
    key = _key(header)
    if not key or key.startswith(("前年", "前年度")):
        return None
    found = [(len(word), column) for column, words in COLUMNS.items() for word in words if key.startswith(word)]
    return max(found)[1] if found else None  # the longest word wins: KPI達成度 is a rating, not a KPI


def _printed(cell) -> str | None:
    """The cell's value as the sheet shows it; ``Unreadable`` for what no figure can be (a date, 1e309)."""
    value = cell.value
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise Unreadable(_("a date or time ({value})").format(value=value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise Unreadable(_("a number no figure can be ({value})").format(value=value))
        fmt = cell.number_format or ""
        if "%" in fmt:
            decimals = len(fmt.split(".")[1].split("%")[0]) if "." in fmt else 0
            return f"{value * 100:.{min(decimals, 10)}f}%"
        if "." in fmt:
            decimals = len(re.sub(r"[^0#]", "", fmt.split(".")[1]))
            return f"{value:,.{min(decimals, 10)}f}"
        return f"{value:,}" if float(value).is_integer() and abs(value) >= 1000 else str(value)
    return str(value).strip()


class Unreadable(ValueError):
    """A cell that holds something other than a figure or text: what it holds, in the user's words."""


@dataclass
class Header:
    row: int
    columns: dict[int, str]  # column number → the field read from it, one column a field
    left_aside: list[tuple[str, str]]  # (header, field) of the other columns that name a field already read


def _header(sheet) -> Header | None:
    for number, row in enumerate(sheet.iter_rows(min_row=1, max_row=HEADER_ROWS), start=1):
        named = [(index, cell.value, column_of(cell.value)) for index, cell in enumerate(row, start=1)]
        named = [(index, str(header).strip(), column) for index, header, column in named if column]
        fields = {column for _index, _header_text, column in named}
        if ("kpi" in fields or "id" in fields) and "actual" in fields:
            return _one_column_a_field(number, named)
    return None


def _one_column_a_field(row: int, named: list[tuple[int, str, str]]) -> Header:
    """評価 beside 評価の根拠, 実績 beside 実績（記載）: the header that is the field's word itself is read, else the
    leftmost; the others are named in the import's summary, so a wrong choice shows."""
    def rank(entry: tuple[int, str, str]) -> tuple[bool, int]:
        index, header, column = entry
        return _key(header) not in COLUMNS[column], index

    chosen: dict[str, tuple[int, str, str]] = {}
    for entry in sorted(named, key=rank):
        chosen.setdefault(entry[2], entry)
    kept = {index for index, _header_text, _column in chosen.values()}
    return Header(row, {index: column for index, _header_text, column in chosen.values()},
                  [(header, column) for index, header, column in named if index not in kept])


@dataclass
class Sheet:
    title: str
    rows: list[SheetRow]
    hidden: list[str] = field(default_factory=list)  # hidden sheets that also have a results header, not read
    unreadable: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column's header word, what)
    left_aside: list[tuple[str, str]] = field(default_factory=list)  # (header, field) of columns not read


def read_sheet(path: Path) -> Sheet:
    """The first visible sheet whose header names a KPI column and a 実績 column; hidden ones are named, not read."""
    workbook = open_workbook(path)
    try:
        with reading(path, "xlsx"):
            found = [(sheet, _header(sheet)) for sheet in workbook.worksheets]
            found = [(sheet, header) for sheet, header in found if header is not None]
            visible = [(sheet, header) for sheet, header in found if sheet.sheet_state == "visible"]
            hidden = [sheet.title for sheet, _header_row in found if sheet.sheet_state != "visible"]
            if not visible and hidden:
                raise SheetError(_("{path}: the only sheet with a KPI results header, 「{sheet}」, is hidden in "
                                   "Excel, so whoever checks the workbook never sees its figures. Unhide it if its "
                                   "figures are the current ones, and import again.").format(path=path,
                                                                                             sheet=hidden[0]))
            if not visible:
                raise SheetError(_("{path}: found no sheet with a header naming the KPI (KPI, 指標, 項目) and its "
                                   "result (実績) in its first {rows} rows.").format(path=path, rows=HEADER_ROWS))
            sheet, header = visible[0]
            out = Sheet(sheet.title, [], hidden, left_aside=header.left_aside)
            _read_rows(sheet, header.row, header.columns, out)
            return out
    finally:
        workbook.close()


def _read_rows(sheet, header_row: int, columns: dict[int, str], out: Sheet) -> None:
    if hasattr(sheet, "reset_dimensions"):  # a stray cell at F1048576 must not make a million rows
        sheet.reset_dimensions()
    for number, row in enumerate(sheet.iter_rows(min_row=header_row + 1, max_col=max(columns)),
                                 start=header_row + 1):
        values = {}
        for index, cell in enumerate(row, start=1):
            if index not in columns:
                continue
            try:
                values[columns[index]] = _printed(cell)
            except Unreadable as exc:
                out.unreadable.append((number, COLUMN_WORDS[columns[index]], str(exc)))
        if any(values.values()):
            out.rows.append(SheetRow(number, values))


def _match(values: dict, plan: Plan) -> str | None:
    kpis = {kpi.id: kpi for _measure, kpi in plan.walk_kpis()}
    given = str(values.get("id") or "").strip()
    if given in kpis:
        return given
    wording = str(values.get("kpi") or "").strip()
    if not wording:
        return None
    if wording in kpis:
        return wording
    flat = _key(wording)
    exact = [kpi_id for kpi_id, kpi in kpis.items() if _key(kpi.text) == flat]
    if exact:
        return exact[0]
    shared = vocabulary.shared_id_for(wording)
    if shared in kpis:
        return shared
    scored = sorted(((similarity(flat, _key(kpi.text)), kpi_id) for kpi_id, kpi in kpis.items()), reverse=True)
    contained = [kpi_id for kpi_id, kpi in kpis.items() if flat and flat in _key(kpi.text)]
    if len(contained) == 1:
        return contained[0]
    return scored[0][1] if scored and scored[0][0] >= MATCH_THRESHOLD else None


def _rank(text: str | None) -> int | None:
    match = re.search(r"[0-9]+", unicodedata.normalize("NFKC", text or ""))
    return int(match.group()) if match and 1 <= int(match.group()) <= 47 else None


def sheet_results(path: Path, plan: Plan) -> SheetResults:
    sheet = read_sheet(path)
    out = SheetResults(sheet.title, hidden=sheet.hidden, unreadable=sheet.unreadable, left_aside=sheet.left_aside)
    seen: set[str] = set()
    for row in sheet.rows:
        kpi_id = _match(row.values, plan)
        if kpi_id is None or kpi_id in seen:
            out.unmatched.append((row.row, " / ".join(str(v) for v in row.values.values() if v)))
            continue
        seen.add(kpi_id)
        entry: dict = {"id": kpi_id}
        if row.values.get("actual"):
            entry["actual"] = row.values["actual"]
        if row.values.get("national_average"):
            entry["national_average"] = row.values["national_average"]
        if _rank(row.values.get("rank")) is not None:
            entry["rank"] = _rank(row.values.get("rank"))
        if row.values.get("rating"):
            entry["rating"] = row.values["rating"]
            out.ratings.append(row.values["rating"])
        out.kpis.append(entry)
    return out


def scale_for(ratings: list[str], existing: dict | None) -> dict | None:
    """The report's rating scale: the results file's own where it has one, else the marks the sheet uses."""
    if not ratings:
        return None
    if existing:
        return existing
    marks = []
    for mark in dict.fromkeys(ratings):
        achieved = KNOWN_MARKS.get(unicodedata.normalize("NFKC", mark))
        if achieved is None:
            return None
        marks.append({"mark": mark, "meaning": "（Excel の評価欄の記号。凡例を確かめてください）", "achieved": achieved})
    return {"name": "評価", "marks": marks}
