"""What kind of document an import was given: a plan, a 新旧対照表, a progress report, a results report, or none.

Named from the words an office puts at its head (「…事業計画（案）」, 「…新旧対照表」, 「…事業計画の進捗について」,
「…事業実施結果」) and from its tables (新 | 旧 columns, a 実績 column), so a results report is never read as a plan
without a word, and a 新旧対照表 can give either of its plans.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from .lines import Line

PLAN = "plan"
SHINKYU = "shinkyu"
PROGRESS = "progress"  # 施策 | 取組 | 実績 rows: the plan's columns can be read, the 実績 column is not the plan
RESULTS = "results"  # 実施結果, 実績評価: figures and ratings, no plan to read
KIND_NAMES = {PLAN: "事業計画", SHINKYU: "新旧対照表", PROGRESS: "進捗・実施状況の報告", RESULTS: "実施結果（実績）の報告"}

_HEAD_LINES = 12  # the title stands among the first lines, before the first section
_RESULTS_TITLE = re.compile(r"(?:実施結果|事業結果|実績報告|実績評価|結果報告|事業報告)")
_PROGRESS_TITLE = re.compile(r"(?:進捗|実施状況|取組状況)")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def head_title(lines: list[Line]) -> str:
    """The line that names the document: the first of its head lines naming a plan, a report or a table."""
    for line in lines[:_HEAD_LINES]:
        flat = _flat(line.text)
        if "事業計画" in flat or _RESULTS_TITLE.search(flat) or "新旧対照表" in flat:
            return line.text
    return ""


def document_kind(lines: list[Line]) -> str:
    title = _flat(head_title(lines))
    if "新旧対照表" in title or any(line.column in ("old", "new") for line in lines):
        return SHINKYU
    if _RESULTS_TITLE.search(title) and "事業計画" not in title.replace("事業計画の", ""):
        return RESULTS
    if _PROGRESS_TITLE.search(title) or any(line.column == "results" for line in lines):
        return PROGRESS
    return PLAN


def take_side(lines: list[Line], side: str) -> list[Line]:
    """The lines of one side (new or old) of a 新旧対照表; the other column's lines stay marked, reported, not imported."""
    keep, other = ("new", "old") if side == "new" else ("old", "new")
    return [replace(line, column="") if line.column == keep else
            replace(line, column=other) if line.column == other else line for line in lines]
