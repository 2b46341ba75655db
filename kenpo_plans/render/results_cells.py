"""One KPI row of a results report as the cells a table prints: target, actual, rank, rating, computed."""

from __future__ import annotations

import re
from decimal import Decimal

from ..labels import ACHIEVED, BASIS_LABELS, PROVISIONAL, REASON_LABELS
from .results_text import printed_date, target_text


def _achievement(row: dict) -> dict:
    reason = row["achieved_reason"]
    if reason == "interim":
        reached = row["comparison"]["provisional"]
        return {"label": PROVISIONAL, "detail": "到達" if reached else "未到達", "cls": "provisional"}
    if row["achieved"] is True:
        return {"label": ACHIEVED[True], "detail": BASIS_LABELS.get(row["achieved_basis"], ""), "cls": "ok"}
    if row["achieved"] is False:
        return {"label": ACHIEVED[False], "detail": BASIS_LABELS.get(row["achieved_basis"], ""), "cls": "ng"}
    if not row["reported"]:
        return {"label": "", "detail": "", "cls": "none"}
    return {"label": ACHIEVED[None], "detail": REASON_LABELS.get(reason, ""), "cls": "none"}


def _threshold_text(row: dict) -> str | None:
    """The figure a 対前年度 target resolved to: 「前年度実績 37.5％」."""
    comparison = row["comparison"]
    if row["target"] and row["target"]["basis"] == "previous_year" and comparison["threshold"] is not None:
        figure = _as_printed(row, comparison["threshold"]) or f"{comparison['threshold']:,}"
        return f"前年度実績 {figure}{comparison['unit'] or ''}"
    return None


def _as_printed(row: dict, value) -> str | None:
    """The threshold as the KPI or the report prints it (95.10, not 95.1), when one of them does."""
    printed = [row.get("target_text") or "", row["text"], ((row["previous"] or {}).get("actual") or {}).get("text") or ""]
    for text in printed:
        for figure in re.findall(r"[0-9][0-9,]*(?:\.[0-9]+)?", text):
            try:
                if Decimal(figure.replace(",", "")) == Decimal(str(value)):
                    return figure
            except ArithmeticError:
                continue
    return None


def parenthesized(text: str | None) -> str | None:
    """（53.6%） as the documents print a figure beside another; left alone when already in brackets."""
    if not text:
        return text
    return text if text[:1] in "（(" else f"（{text}）"


def kpi_cells(row: dict) -> dict:
    previous = row["previous"] or {}
    actual = row["actual"]
    return {
        "id": row["id"],
        "measure": row["measure"]["title"],
        "section": row["section"]["title"],
        "label": row["label"],
        "text": row["text"],
        "target": target_text(row),
        "target_printed": row["target_text"],
        "target_resolved": _threshold_text(row),
        "previous_target": previous.get("target"),
        "actual": actual["text"] if actual else None,
        "actual_as_of": actual["as_of"] if actual else None,
        "previous_actual": (previous.get("actual") or {}).get("text"),
        "same_point": previous.get("same_point"),
        "rank": f"{row['rank']}位" if row["rank"] else None,
        "previous_rank": f"{previous['rank']}位" if previous.get("rank") else None,
        "national_average": parenthesized((row["national_average"] or {}).get("text")),
        "rating": row["rating_printed"],
        "rating_meaning": (row["rating_meaning"] or {}).get("meaning"),
        "rating_basis": {"rank": "全国順位による評価", "judgement": "支部の判断による評価"}.get(row["rating_basis"] or ""),
        "joint": bool(row["rating_joint_with"]),
        "achievement": _achievement(row),
        "disagrees": row["rating_agrees"] is False,
        "notes": row["notes"],
        "plan_notes": row.get("plan_notes", []),
        "pending": row["pending"],
        "branches_achieved": row["branches_achieved_text"] or (
            f"{row['branches_achieved']}支部" if row["branches_achieved"] is not None else None),
        # printed in the cell unless a note already says it (the document's ※1 under the table)
        "definition_changed": None if any(row["definition_changed"] and n.endswith(row["definition_changed"])
                                          for n in row["notes"]) else row["definition_changed"],
        "commentary": row["commentary"],
        "reported": row["reported"],
    }


def _span_joint_ratings(cells: list[dict], rows: list[dict]) -> None:
    """A rating printed once for adjacent KPIs spans their rows, as the document prints it."""
    i = 0
    while i < len(rows):
        together = set(rows[i]["rating_joint_with"])
        j = i + 1
        while j < len(rows) and rows[j]["id"] in together:
            j += 1
        cells[i]["rating_rowspan"] = j - i
        for k in range(i + 1, j):
            cells[k]["rating_rowspan"] = 0
        i = j


def kpi_table(rows: list[dict]) -> list[dict]:
    cells = [kpi_cells(row) for row in rows]
    _span_joint_ratings(cells, rows)
    previous = previous_section = None
    for cell in cells:
        cell["measure_first"] = cell["measure"] != previous
        cell["section_first"] = cell["section"] != previous_section
        previous, previous_section = cell["measure"], cell["section"]
    return cells


# a figure with its counter or unit, which a line must never split (約9億円, 10日間, （118件）, 95.10%)
_NUMBER = (r"[0-9０-９][0-9０-９,，.．]*(?:[万億千百]+)?"
           r"(?:[%％円件人名社回位点]|日間|日|か月|ヶ月|事業所|機関|支部|会場|薬局|年|月)?")
_FIGURE = re.compile(rf"[約▲+＋-]?(?:[（(]{_NUMBER}[）)]|{_NUMBER})")
_FIGURE_KEYS = {"text", "title", "actual", "national_average", "notes", "plan_notes", "target", "previous_actual",
                "previous_target", "pending", "lines"}


def _figure_markup(text: str):
    from markupsafe import Markup, escape

    out, last = [], 0
    for match in _FIGURE.finditer(text):
        if len(match.group(0)) < 2:
            continue
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<span class="fig">') + escape(match.group(0)) + Markup("</span>"))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def keep_figures_whole(value, key: str | None = None):
    """A copy of the context where the printed texts keep each figure and its counter on one line."""
    if isinstance(value, dict):
        return {k: keep_figures_whole(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [keep_figures_whole(v, key) for v in value]
    if isinstance(value, str) and key in _FIGURE_KEYS:
        return _figure_markup(value)
    return value


def detail_blocks(cells: list[dict], shown_notes: set[str] = frozenset()) -> list[dict]:
    """KPI explanations, one block per run of KPIs that share their explanation (printed once for ①②, as the
    document does), each note once: those already printed under the table are left out."""
    blocks: list[dict] = []
    for cell in cells:
        if not (cell["commentary"] or cell["notes"]):
            continue
        notes = [n for n in cell["notes"] if n not in shown_notes]
        last = blocks[-1] if blocks else None
        if last and cell["commentary"] and last["commentary"] == cell["commentary"]:
            last["kpis"].append(cell)
            last["notes"] += [n for n in notes if n not in last["notes"]]
            continue
        blocks.append({"kpis": [cell], "commentary": cell["commentary"], "notes": notes, "id": cell["id"]})
    return blocks


def table_notes(cells: list[dict]) -> list[str]:
    """Notes several KPIs of one table share: the table's own footnotes, printed once under it."""
    seen: list[str] = []
    for cell in cells:
        for note in cell["notes"]:
            if note not in seen and sum(note in other["notes"] for other in cells) > 1:
                seen.append(note)
    return seen


def table_columns(cells: list[dict]) -> dict:
    """The columns a KPI table prints: only those some row of this table fills."""
    def some(key: str) -> bool:
        return any(cell.get(key) for cell in cells)
    return {"previous_target": some("previous_target"), "previous_actual": some("previous_actual"),
            "previous_rank": some("previous_rank"), "national_average": some("national_average"),
            "rank": some("rank") or some("previous_rank"), "branches_achieved": some("branches_achieved"),
            "rating": some("rating"), "target": some("target_printed")}


__all__ = ["detail_blocks", "keep_figures_whole", "table_notes", "table_columns", "kpi_cells", "kpi_table", "parenthesized", "printed_date"]
