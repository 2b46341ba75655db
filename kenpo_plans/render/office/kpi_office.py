"""The KPI views as workbooks: one row per KPI and year (a branch), or per branch (one KPI, one year)."""

from __future__ import annotations

from ...labels import INTERIM, PERIOD_LABELS
from ..kpi import year_row
from . import workbook

HISTORY_COLUMNS = [("id", 22), ("ＫＰＩ", 40), ("年度", 11), ("目標", 16), ("目標値", 16), ("実績", 16),
                   ("実績（記載）", 14), ("全国平均", 10), ("順位", 6), ("評価", 6), ("達成（計算）", 12),
                   ("定義変更", 30)]
RANKING_COLUMNS = [("順", 5), ("支部", 14), ("目標", 16), ("目標値", 16), ("実績", 16), ("実績（記載）", 14),
                   ("全国平均", 10), ("全国順位", 8), ("評価", 6), ("達成（計算）", 12), ("期間", 11), ("時点", 10),
                   ("区分", 10)]
PERIOD_COLUMN = 11  # 期間, 時点, 区分 added after the columns of earlier versions, so their positions stay


def _target_figure(entry: dict) -> dict | None:
    target = entry["target"]
    if not target or target["basis"] != "absolute":
        return None
    return {"value": target["value"], "unit": target["unit"]}


def _common(sheet, r: int, entry: dict, first: int) -> None:
    """target, target value, actual, actual text, national average, rank, rating, achieved from column ``first``."""
    row = year_row(entry)
    workbook.text_cell(sheet, r, first, row["target_text"])
    workbook.number_cell(sheet, r, first + 1, _target_figure(entry))
    workbook.number_cell(sheet, r, first + 2, entry["actual"])
    workbook.text_cell(sheet, r, first + 3, row["actual"])
    workbook.number_cell(sheet, r, first + 4, entry["national_average"])
    if entry["rank"]:
        sheet.cell(row=r, column=first + 5, value=entry["rank"]).number_format = '0"位"'
    workbook.text_cell(sheet, r, first + 6, row["rating"])
    workbook.achievement_cell(sheet, r, first + 7, entry["achieved"], row["achieved"])


def _period(sheet, r: int, entry: dict) -> None:
    """期間 (年度実績, 第1四半期, …), 時点 as printed, 区分: 年度途中 for a figure before the year's end, shaded."""
    if not entry["period"]:
        return
    workbook.text_cell(sheet, r, PERIOD_COLUMN, PERIOD_LABELS[entry["period"]])
    workbook.text_cell(sheet, r, PERIOD_COLUMN + 1, (entry["actual"] or {}).get("as_of"))
    workbook.text_cell(sheet, r, PERIOD_COLUMN + 2, INTERIM if entry["interim"] else PERIOD_LABELS["year"])
    if entry["interim"]:
        from openpyxl.styles import PatternFill

        for column in range(1, len(RANKING_COLUMNS) + 1):
            sheet.cell(row=r, column=column).fill = PatternFill("solid", fgColor="FBF3E6")


def kpi_workbook(view: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if view["view"] == "branch":
        sheet.title = "ＫＰＩの推移"
        workbook.header(sheet, HISTORY_COLUMNS)
        r = 1
        for kpi in view["kpis"]:
            for entry in kpi["years"]:
                r += 1
                workbook.text_cell(sheet, r, 1, kpi["id"])
                workbook.text_cell(sheet, r, 2, f"{kpi['label']}{kpi['text']}")
                workbook.text_cell(sheet, r, 3, entry["fiscal_year_label"])
                _common(sheet, r, entry, 4)
                workbook.text_cell(sheet, r, 12, entry["definition_changed"])
        workbook.finish(sheet, r - 1, len(HISTORY_COLUMNS))
        book.properties.title = f"ＫＰＩの推移（{view['branch']['name']}）"
    else:
        sheet.title = "支部別"
        workbook.header(sheet, RANKING_COLUMNS)
        entries = list(view["rows"]) + ([view["national"]] if view["national"] else [])
        for r, entry in enumerate(entries, 2):
            is_national = entry is view["national"]
            if not is_national and entry.get("order"):
                sheet.cell(row=r, column=1, value=entry["order"])  # the place among figures of the same period
            workbook.text_cell(sheet, r, 2, "協会全体" if is_national else entry["branch"]["name"])
            _common(sheet, r, entry, 3)
            _period(sheet, r, entry)
        workbook.finish(sheet, len(entries), len(RANKING_COLUMNS))
        book.properties.title = f"{view['kpi']['name'] or view['kpi']['id']}（{view['fiscal_year_label']}）"
    book.properties.creator = "kenpo-plans"
    return workbook.save(book)
