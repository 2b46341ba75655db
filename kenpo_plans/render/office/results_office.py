"""事業実施結果 as a workbook (one sheet per report, and the legend); Word is made from the PDF's HTML (html_docx)."""

from __future__ import annotations

import re

from ...labels import ACHIEVED, BASIS_LABELS, PROVISIONAL, RATING_BASIS_LABELS, REASON_LABELS
from ..results_text import target_text
from . import workbook

# widths (in characters) that together fit an A4 landscape page at a readable size; text wraps in its column,
# a figure does not (57,000事業所 needs its whole width)
KPI_COLUMNS = [("区分", 8), ("施策", 14), ("番号", 4), ("ＫＰＩ", 30), ("目標（記載）", 11), ("目標値", 15),
               ("実績", 12), ("実績（記載）", 10), ("時点", 9), ("全国平均", 8), ("順位", 5),
               ("前年度目標", 11), ("前年度実績", 9), ("前年度順位", 6), ("評価", 5), ("評価の根拠", 8),
               ("達成（計算）", 8), ("判定の根拠・理由", 14)]
MEASURE_COLUMNS = [("区分", 12), ("施策", 20), ("番号", 5), ("事業計画・取組", 45), ("評価", 5), ("実施状況", 60)]


def _achieved_label(row: dict) -> str:
    if row["achieved"] is not None:
        return ACHIEVED[row["achieved"]]
    return PROVISIONAL if row["achieved_reason"] == "interim" else (ACHIEVED[None] if row["reported"] else "")


def _reason(row: dict) -> str:
    if row["achieved"] is not None:
        return BASIS_LABELS.get(row["achieved_basis"], "")
    return REASON_LABELS.get(row["achieved_reason"], "") if row["reported"] else ""


def printed_number(sheet, row: int, column: int, figure: dict | None) -> None:
    """A figure as a number shown with the decimals it was printed with (95.10% stays 95.10%, 0.320% stays 0.320%)."""
    workbook.number_cell(sheet, row, column, figure)
    if not figure or figure.get("value") is None:
        return
    match = re.search(r"[0-9０-９][0-9０-９,，]*[.．]([0-9０-９]+)", figure.get("text") or "")
    if match:
        cell = sheet.cell(row=row, column=column)
        places = len(match.group(1))
        cell.number_format = re.sub(r"0(?:\.0+)?(?=%|\"|$)", "0." + "0" * places, cell.number_format, count=1)


def _sheet_title(evaluated: dict, part: str) -> str:
    return f"{evaluated['report']['title']}（{evaluated['branch']['name']}　{evaluated['report']['period_label']}）{part}"


def plan_rows(evaluated: dict) -> list[dict]:
    """Every measure and plan item in the plan's order, each with its result where the report has one."""
    results = {m["id"]: m for m in evaluated["measures"]}
    section = measure = ""
    rows = []
    for node in evaluated["outline"]:
        if node["kind"] == "section":
            section = f"{node['label']}{node['title']}"
            entry = results.get(node["id"])
            if entry:
                rows.append({"section": section, "measure": "", "label": "", "text": "", "entry": entry})
            continue
        if node["kind"] == "measure":
            measure = f"{node['label']} {node['title']}".strip()
            rows.append({"section": section, "measure": measure, "label": "", "text": "",
                         "entry": results.get(node["id"])})
        elif node["kind"] in ("item", "heading"):
            rows.append({"section": section, "measure": measure, "label": node.get("marker") or "",
                         "text": "　" * node.get("level", 0) + node["text"], "entry": results.get(node["id"])})
    return rows


def kpi_sheet(sheet, evaluated: dict) -> None:
    workbook.header(sheet, KPI_COLUMNS)
    rows = [row for row in evaluated["kpis"]]
    for r, row in enumerate(rows, 2):
        target = row["target"] or {}
        previous = row["previous"] or {}
        cells = {1: row["section"]["title"], 2: row["measure"]["title"], 3: row["label"], 4: row["text"],
                 5: target_text(row), 8: (row["actual"] or {}).get("text"), 9: (row["actual"] or {}).get("as_of"),
                 12: previous.get("target"), 15: row["rating_printed"],
                 16: RATING_BASIS_LABELS.get(row["rating_basis"] or "", ""), 18: _reason(row)}
        for column, text in cells.items():
            workbook.text_cell(sheet, r, column, text)
        if target.get("basis") == "absolute":
            printed_number(sheet, r, 6, {"value": target.get("value"), "unit": target.get("unit"),
                                         "text": target_text(row)})
        printed_number(sheet, r, 7, row["actual"])
        printed_number(sheet, r, 10, row["national_average"])
        if row["rank"]:
            sheet.cell(row=r, column=11, value=row["rank"]).number_format = '0"位"'
        printed_number(sheet, r, 13, previous.get("actual"))
        if previous.get("rank"):
            sheet.cell(row=r, column=14, value=previous["rank"]).number_format = '0"位"'
        workbook.achievement_cell(sheet, r, 17, row["achieved"], _achieved_label(row))
    workbook.finish(sheet, len(rows), len(KPI_COLUMNS), _sheet_title(evaluated, "ＫＰＩ"))


def measure_sheet(sheet, evaluated: dict) -> None:
    workbook.header(sheet, MEASURE_COLUMNS)
    rows = plan_rows(evaluated)
    for r, row in enumerate(rows, 2):
        entry = row["entry"] or {}
        activities = "\n".join(f"{line['marker']}{line['text']}" for line in entry.get("activities", []))
        for column, text in {1: row["section"], 2: row["measure"], 3: row["label"], 4: row["text"],
                             5: entry.get("rating_printed")}.items():
            workbook.text_cell(sheet, r, column, text)
        workbook.text_cell(sheet, r, 6, activities, wrap=True)
    workbook.finish(sheet, len(rows), len(MEASURE_COLUMNS), _sheet_title(evaluated, "施策"))


def legend_sheet(sheet, reports: list[dict]) -> None:
    from openpyxl.styles import Font

    r = 1
    workbook.text_cell(sheet, r, 1, "凡例")
    sheet.cell(row=r, column=1).font = Font(bold=True)
    r += 1
    seen = set()
    for evaluated in reports:
        for scale in (evaluated["scales"]["kpi"], evaluated["scales"]["measure"]):
            if not scale or scale["name"] in seen:
                continue
            seen.add(scale["name"])
            r += 1
            workbook.text_cell(sheet, r, 1, scale["name"])
            sheet.cell(row=r, column=1).font = Font(bold=True)
            for mark in scale["marks"]:
                r += 1
                workbook.text_cell(sheet, r, 1, mark["printed"])
                workbook.text_cell(sheet, r, 2, mark["meaning"])
            if scale["note"]:
                r += 1
                workbook.text_cell(sheet, r, 2, scale["note"])
    r += 2
    workbook.text_cell(sheet, r, 1, "達成（計算）")
    sheet.cell(row=r, column=1).font = Font(bold=True)
    for achieved, label, meaning in ((True, ACHIEVED[True], "計画の目標を実績が満たした（淡い地）"),
                                     (False, ACHIEVED[False], "満たさなかった（斜線の地）"),
                                     (None, f"{ACHIEVED[None]}・{PROVISIONAL}", "数値で判定できない、または年度途中")):
        r += 1
        workbook.achievement_cell(sheet, r, 1, achieved, label)
        workbook.text_cell(sheet, r, 2, meaning)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 60


def results_workbook(reports: list[dict]) -> bytes:
    """Every report of the year: a KPI sheet each (and a measures sheet where it rates or reports any), the legend."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    names = workbook.SheetNames()
    for evaluated in reports:
        report = evaluated["report"]
        kpi_sheet(book.create_sheet(names(f"{report['period_label']}_ＫＰＩ")), evaluated)
        if evaluated["outline"]:
            measure_sheet(book.create_sheet(names(f"{report['period_label']}_施策")), evaluated)
    legend_sheet(book.create_sheet(names("凡例")), reports)
    first = reports[0]
    book.properties.title = f"{first['report']['title']}（{first['branch']['name']}）"
    book.properties.creator = "kenpo-plans"
    return workbook.save(book)
