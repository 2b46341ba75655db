"""One document → one plan file's text: read the lines, recognise the plan, give it ids, write it out.

The fiscal year and the branch's name come from the command line when given, else from the document's
title (平成31年度 事業計画（鹿児島支部）); ids come from the earlier plan the caller found, if any.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KenpoError
from ..i18n import _
from ..plan import era
from ..labels import PLACE_UNDER
from ..plan.model import Plan
from ..plan.store import PlanStore
from .guard import reading, seconds_for, time_budget
from .ids import assign_ids
from .kinds import PLAN, RESULTS, SHINKYU, document_kind, head_title, take_side
from .lines import Line, Unplaced
from .recognize import recognize
from .sources import read_lines
from .writer import TODO_NAME, TODO_TITLE, plan_yaml


class ImportFailed(KenpoError):
    """Raised when a document holds nothing that reads as a plan."""


@dataclass
class Imported:
    text: str  # the plan file
    fiscal_year: int
    branch_name: str
    unplaced: list[Unplaced] = field(default_factory=list)
    lines: int = 0
    ids: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    doubts: list[Unplaced] = field(default_factory=list)  # lines placed on a guess
    tables: list[str] = field(default_factory=list)  # how each table's columns were read
    kind: str = PLAN
    sections: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # (section, its counts)
    to_fill: list[dict] = field(default_factory=list)  # KPIs whose target the document does not show: {id, earlier}


def year_of(title: str | None) -> int | None:
    if not title:
        return None
    try:
        return era.parse_fiscal_year(title)
    except era.EraError:
        return None


def branch_name_of(title: str | None) -> str | None:
    """「…事業計画（鹿児島支部）」, 「令和3年度 熊本支部事業計画」, 「…全国健康保険協会事業計画」 → the name."""
    match = re.search(r"[（(]([^（）()]*支部)[）)]", title or "") or \
        re.search(r"年度\s*([^\s（）()年]+?(?:支部|協会))\s*の?事業計画", title or "")
    return match.group(1) if match else None


SIDES = ("new", "old", "both")
_ERA_YEAR = re.compile(r"(?:令和|平成)\s*[0-9０-９元]+\s*年度")


def read_document(path: Path) -> tuple[list[Line], str]:
    """The document's lines and what kind of document it is; a results report is refused by name."""
    path = Path(path)
    with time_budget(path, seconds_for(path) if path.is_file() else 0):
        with reading(path, path.suffix.lower().lstrip(".")):
            lines = read_lines(path)
    kind = document_kind(lines)
    if kind == RESULTS:
        raise ImportFailed(_("{path} is a results report (「{title}」), not a plan: import the plan it reports on "
                             "instead, or its Excel results sheet with --period.").format(
            path=path, title=head_title(lines)))
    return lines, kind


def import_document(path: Path, branch_id: str, fiscal_year: int | None = None, branch_name: str | None = None,
                    earlier: Plan | None = None, side: str = "new", lines: list[Line] | None = None,
                    find_earlier: Callable[[int], Plan | None] | None = None) -> Imported:
    """One side of the document as a plan file; ``find_earlier`` gives the plan whose ids continue once the
    year is known (from the option or the title alike)."""
    if lines is None:
        lines, kind = read_document(path)
    else:
        kind = document_kind(lines)
    if side != "new" and not any(line.column == "new" for line in lines):
        raise ImportFailed(_("{path}: --side {side} needs a 新旧対照表 in Word, whose table tells its 新 and 旧 columns "
                             "apart; this document has no such table. Import it without --side.").format(
            path=path, side=side))
    path = Path(path)
    with time_budget(path, seconds_for(path) if path.is_file() else 0):
        recognized = recognize(take_side(lines, side) if kind == SHINKYU else lines)
    plan = recognized.plan
    if not plan["sections"]:
        raise ImportFailed(_("{path}: found no section heading such as （1）, 1. or Ⅰ, so nothing reads as a plan. "
                             "Is this a 事業計画?").format(path=path))
    year = fiscal_year or (_old_side_year(lines, plan["title"]) if side == "old" else year_of(plan["title"]))
    if year is None:
        raise ImportFailed(_("{path}: the document does not say its fiscal year; give it with --year.").format(
            path=path))
    if earlier is None and find_earlier is not None:
        earlier = find_earlier(year)
    name = branch_name or (earlier.branch_name if earlier else None) or branch_name_of(plan["title"]) or TODO_NAME
    if side == "old":
        _as_old_plan(plan, year)
    if not plan["title"]:
        plan["title"] = f"{TODO_TITLE} {era.format_fiscal_year(year)} 事業計画（{name}）"
    to_fill: list[dict] = []
    ids = assign_ids(plan, earlier, to_fill)
    unplaced = recognized.unplaced + drop_wordless(plan)
    text = plan_yaml(plan, branch_id, name, year, Path(path).name, unplaced)
    return Imported(text, year, name, unplaced, recognized.lines, ids, _counts(plan), recognized.doubts,
                    recognized.tables, kind, _section_counts(plan), to_fill)


def _old_side_year(lines: list[Line], title: str | None) -> int | None:
    """The 旧 column's year from its header (旧（平成30年度）), else the year before the title's."""
    for line in lines:
        if line.column == "old" and line.text.startswith(("旧", "現")) and year_of(line.text):
            return year_of(line.text)
    year = year_of(title)
    return year - 1 if year else None


def _as_old_plan(plan: dict, year: int) -> None:
    """The 旧 column is the plan in force before this one: its own year in the title, adopted, no 資料番号 of its own."""
    if plan["title"]:
        plan["title"] = _ERA_YEAR.sub(era.format_fiscal_year(year), plan["title"], count=1)
    plan["status"], plan["document"] = "final", {}


def _section_counts(plan: dict) -> list[tuple[str, dict[str, int]]]:
    return [(f"{section['label']} {section['title']}".strip(), _counts({"sections": [section]}))
            for section in plan["sections"]]


_CHILDREN = ("sections", "measures", "blocks", "items", "kpis", "targets", "breakdown")
WORDLESS = "記号・番号だけで本文がない"  # the reason shown beside the line, in the document's language


def drop_wordless(plan: dict) -> list[Unplaced]:
    """Items, KPIs and titles with no words (an Enter pressed in a ①② list, a line of only ○ or （1）) taken out
    of the plan and reported where they stood: whatever read them, a plan never holds an empty text."""
    found: list[Unplaced] = []

    def words(node: dict) -> str:
        return str(node.get("text") or node.get("title") or node.get("raw_title") or "").strip()

    def walk(node: dict, above: str) -> None:
        here = words(node)[:40] or above
        for key in _CHILDREN:
            if not isinstance(node.get(key), list):
                continue
            kept = []
            for child in node[key]:
                if isinstance(child, dict):
                    walk(child, here)
                if isinstance(child, dict) and _wordless(child):
                    mark = str(child.get("marker") or child.get("label") or "").strip()
                    found.append(Unplaced(mark, PLACE_UNDER.format(title=here) if here else "", WORDLESS))
                else:
                    kept.append(child)
            node[key] = kept

    walk(plan, "")
    return found


def _wordless(node: dict) -> bool:
    has_words = any(key in node for key in ("text", "title", "raw_title"))
    empty = not str(node.get("text") or node.get("title") or node.get("raw_title") or "").strip()
    return has_words and empty and not any(node.get(key) for key in _CHILDREN)


def _counts(plan: dict) -> dict[str, int]:
    counts = {"sections": 0, "measures": 0, "items": 0, "kpis": 0}

    def items(node: dict) -> int:
        total = 0
        for block in node.get("blocks", []):
            for item in block.get("items", []):
                total += 1 + items(item) + len(item.get("items", []))
        return total

    def measures(nodes: list[dict]) -> None:
        for measure in nodes:
            counts["measures"] += 1
            counts["kpis"] += len(measure.get("kpis", []))
            counts["items"] += items(measure)
            measures(measure.get("measures", []))

    for section in plan["sections"]:
        counts["sections"] += 1
        counts["items"] += items(section)
        measures(section.get("measures", []))
    return counts


def import_for_branch(file: Path, store: PlanStore, branch: str, year: int | None, side: str = "new",
                      name: str | None = None) -> Imported | list[Imported]:
    """The plan (or, with side "both", the new and the old plan) of a document for a branch of ``store``: its ids
    continue the earlier plan's, found alike from the year given or the year the title names."""
    lines, _kind = read_document(Path(file))
    name = name or store.known_name(branch)
    imports = [import_document(Path(file), branch, year if one == "new" else None, name, side=one, lines=lines,
                               find_earlier=lambda found: store.earlier_plan(branch, found))
               for one in (("new", "old") if side == "both" else (side,))]
    return imports if side == "both" else imports[0]
