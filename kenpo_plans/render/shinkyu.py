"""新旧対照表 rendering in three steps: diff → template context → HTML → PDF.

``build_context`` is a pure function of the diff result and the options;
the jinja2 templates (autoescape on) own every piece of markup; WeasyPrint
turns the HTML into PDF with a URL fetcher that reads nothing outside the
template directory and nothing from the network.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..diff import tags, textdiff
from ..diff.result import ChangeKind, DiffResult, Entry, NodeKind, PlanInfo
from ..diff.target_change import TargetDirection
from ..git.repo import describe_revision
from ..labels import (DIRECTION_LABELS, KIND_LABELS, METADATA_LABELS, OLD_WORD, REMARK_LABELS, STATUS_MARKS,
                      direction_label)
from ..plan.targets import extract_figures, format_number
from .flow import flow_rewritten_lists
from .pdf import render_pdf
from .shinkyu_text import WHOLE_NOTICE, describe_target, metadata_value, signed_delta
from .templates import render_html


@dataclass(frozen=True)
class RenderOptions:
    old_left: bool = False  # the real tables put 新 on the left
    old_word: str = OLD_WORD  # or 現 (labels.OLD_WORDS)
    monochrome: bool = False  # underline only, no tint: for printing
    changes_only: bool = False  # unchanged measures collapse to （略）
    landscape: bool = False
    font_family: str = "IPAexMincho"
    title_kind: str = "新旧対照表"
    summary: str = "end"  # 変更の概要 after the table (as the originals: the table first), start, or none
    remarks: bool = False  # a 備考 column: the kinds of change, as the convention writes them, and the plan's note


# --- context ----------------------------------------------------------------------


def _column_year(info: PlanInfo) -> str:
    """平成31年度 / 令和7年度 in the column header 新（令和7年度）: with the era, so a page read alone says which."""
    return info.year_label


def document_title(result: DiffResult, options: RenderOptions) -> str:
    draft = "（案）" if result.new.status == "draft" and not _same_year(result) else ""
    return f"{result.new.title}{options.title_kind}{draft}"


# A page header is one line in a margin box that cannot wrap: a title past this many characters is cut with …
RUNNING_HEAD_MOST = 80


def _running_head(result: DiffResult, options: RenderOptions) -> str:
    head = f"{result.new.branch_name}　{document_title(result, options)}"
    return head if len(head) <= RUNNING_HEAD_MOST else head[:RUNNING_HEAD_MOST - 1] + "…"


def _same_year(result: DiffResult) -> bool:
    """Two versions of one year's plan (drafts in git) rather than two years."""
    return result.old.fiscal_year == result.new.fiscal_year


def build_context(result: DiffResult, options: RenderOptions = RenderOptions()) -> dict:
    """Everything the template shows, as plain data. No markup, no I/O."""
    if _same_year(result):
        options = replace(options, title_kind="変更対照表")
        new_header = f"新（{describe_revision(result.new.revision)}）"
        old_header = f"{options.old_word}（{describe_revision(result.old.revision)}）"
    else:
        new_header = f"新（{_column_year(result.new)}）"
        old_header = f"{options.old_word}（{_column_year(result.old)}）"
    columns = [{"side": "old", "header": old_header}, {"side": "new", "header": new_header}]
    if not options.old_left:
        columns.reverse()
    if options.remarks:
        columns.append({"side": "remarks", "header": "備考"})
    rows = _rows(result, options)
    return {
        "title": document_title(result, options),
        "running_head": _running_head(result, options),
        "subject": f"{result.new.branch_name} {result.new.year_label}事業計画と{result.old.year_label}事業計画の比較",
        "author": result.new.branch_name,
        "document_number": result.new.document_number,
        "columns": columns,
        "rows": rows,
        "summary": _summary(result),
        "old": _plan_brief(result.old),
        "new": _plan_brief(result.new),
        "options": {"monochrome": options.monochrome, "landscape": options.landscape,
                    "changes_only": options.changes_only, "old_left": options.old_left, "remarks": options.remarks,
                    "summary": options.summary,
                    "font_family": options.font_family, "exact": result.exact},
    }


def _plan_brief(info: PlanInfo) -> dict:
    revision = info.revision or {}
    return {"title": info.title, "year_label": info.year_label, "status": info.status,
            "revision": describe_revision(info.revision) if info.revision else None,
            "commit": revision.get("commit"), "subject": revision.get("subject"), "source": info.source}


def _summary(result: DiffResult) -> dict:
    summary = result.summary
    kinds = [{"kind": str(k), "label": KIND_LABELS[k], "count": n} for k, n in summary.by_kind.items()
             if n and k != ChangeKind.FORMATTING]
    targets = []
    for entry in result.entries:
        if not entry.target_moved:
            continue
        change = entry.target
        delta = ""
        if change.delta is not None:
            sign = "+" if change.delta > 0 else ""
            delta = f"{sign}{format_number(change.delta)} {change.delta_unit or ''}".strip()
        kpi_id = entry.new_id or entry.old_id
        actual = result.old_actuals.get(entry.old_id or "") if entry.old_id else None
        targets.append({
            "id": kpi_id,
            "actual": actual.text if actual else None,
            "below_achieved": change.below_achieved(actual),
            "measure": _measure_of(entry),
            "kpi": entry.new_text or entry.old_text,
            "old": describe_target(change.old),
            "new": describe_target(change.new),
            "direction": str(change.direction),
            "direction_label": direction_label(change.direction, change.stricter),
            "delta": delta,
            "stricter": change.stricter,
        })
    targets += _plan_target_rows(result)
    return {"total": summary.changes, "kinds": kinds, "kpi_targets": targets, "particulars": _particulars(result),
            "with_actuals": bool(result.old_actuals),
            "warnings": [w.message for w in result.warnings],
            "kpi_counts": [{"direction": str(k), "label": DIRECTION_LABELS[k], "count": n}
                           for k, n in summary.kpi_targets.items()],
            "formatting_hidden": summary.formatting_only_hidden}


def _particulars(result: DiffResult) -> list[dict]:
    """The plan's particulars that changed, where they are news: a title reworded beyond its year always; status,
    資料番号 and date only between two versions of one year's plan (between years they always differ)."""
    same_year = result.old.fiscal_year == result.new.fiscal_year
    return [{"label": METADATA_LABELS.get(field, field), "old": metadata_value(field, change.old),
             "new": metadata_value(field, change.new)}
            for field, change in result.metadata.items() if field == "title" or same_year]


def _plan_target_rows(result: DiffResult) -> list[dict]:
    """Every numeric plan target (数値目標) whose figures moved, one row each, after the KPIs."""
    rows = []
    for entry in result.entries:
        if entry.node != NodeKind.TARGET or not entry.numbers or not (entry.present_old and entry.present_new):
            continue
        deltas = [n.delta for n in entry.numbers]
        direction = (TargetDirection.RAISED if all(d > 0 for d in deltas)
                     else TargetDirection.LOWERED if all(d < 0 for d in deltas) else TargetDirection.CHANGED)
        rows.append({"id": entry.new_id, "actual": None, "below_achieved": None, "measure": _measure_of(entry),
                     "kpi": f"数値目標: {entry.new_text}",
                     "old": "、".join(f"{n.old_text}{n.unit or ''}" for n in entry.numbers),
                     "new": "、".join(f"{n.new_text}{n.unit or ''}" for n in entry.numbers),
                     "direction": str(direction), "direction_label": DIRECTION_LABELS[direction],
                     "delta": "、".join(signed_delta(n) for n in entry.numbers), "stricter": None})
    return rows


def _measure_of(entry: Entry) -> str:
    return entry.path[-1].heading if entry.path else ""


# rows


def _parts(segments: list[textdiff.Segment] | None, text: str | None, side: str, whole: str | None,
           exact: bool) -> list[dict]:
    """Text of one side as [{text, cls}]: cls ins/del marks what changed, fmt a width-only change."""
    if text is None:
        return []
    if whole:
        return _join_parts([{"text": text, "cls": whole}])  # figures kept whole in an added or removed line too
    if not segments:
        return [{"text": text, "cls": None}]
    keep = textdiff.INSERT if side == "new" else textdiff.DELETE
    mark = "ins" if side == "new" else "del"
    parts = []
    for seg in segments:
        if seg.op == textdiff.EQUAL:
            parts.append({"text": seg.text, "cls": None})
        elif seg.op == keep:
            parts.append({"text": seg.text, "cls": mark if (exact or not seg.formatting) else "fmt"})
    return _join_parts(parts)


def _join_parts(parts: list[dict]) -> list[dict]:
    joined: list[dict] = []
    for part in parts:
        if joined and joined[-1]["cls"] == part["cls"]:
            joined[-1] = {"text": joined[-1]["text"] + part["text"], "cls": part["cls"]}
        else:
            joined.append(part)
    return _glue_closing_punctuation([piece for part in joined for piece in _split_figures(part)])


_CLOSING = "。、，．）」』】〉》！？"


def _glue_closing_punctuation(parts: list[dict]) -> list[dict]:
    """Keep 「。」 and other closing marks on the line of the character before them.

    Line-breaking rules (禁則) apply inside one run of text only; where the mark starts a
    differently marked part (an inserted 「。」), the two are grouped so the line cannot break there.
    """
    out: list[dict] = []
    for part in parts:
        if out and part["text"][:1] in _CLOSING and "group" not in out[-1] and len(out[-1]["text"]) >= 1:
            before = out.pop()
            # a figure (200人) goes whole with the mark after it: a line never breaks inside a figure
            head, last = ("", before["text"]) if before.get("num") else (before["text"][:-1], before["text"][-1])
            if head:
                out.append({**before, "text": head})
            marks = len(part["text"]) - len(part["text"].lstrip(_CLOSING))
            # only the marks join the group: a long insertion after 「。」 must still break (a URL, #27)
            group = [{**before, "text": last}, {**part, "text": part["text"][:marks]}]
            out.append({"group": group, "text": last + part["text"][:marks], "cls": None})
            if part["text"][marks:]:
                out.append({**part, "text": part["text"][marks:]})
        else:
            out.append(part)
    return out

def _split_figures(part: dict) -> list[dict]:
    """Figures (4,890人, 95.4％) become their own parts marked num, so a line never breaks inside one."""
    pieces, pos, text = [], 0, part["text"]
    for figure in extract_figures(text):
        if figure.start > pos:
            pieces.append({"text": text[pos:figure.start], "cls": part["cls"]})
        pieces.append({"text": text[figure.start:figure.unit_end], "cls": part["cls"], "num": True})
        pos = figure.unit_end
    if pos < len(text):
        pieces.append({"text": text[pos:], "cls": part["cls"]})
    return pieces or [part]


def _cell(entry: Entry, side: str, exact: bool) -> dict:
    present = entry.present_new if side == "new" else entry.present_old
    if not present:
        return {"present": False}
    whole = None
    if ChangeKind.ADDED in entry.kinds:
        whole = "ins"
    elif ChangeKind.REMOVED in entry.kinds:
        whole = "del"
    label = entry.new_label if side == "new" else entry.old_label
    title = entry.new_title if side == "new" else entry.old_title
    text = entry.new_text if side == "new" else entry.old_text
    cell: dict = {
        "present": True,
        "mark": STATUS_MARKS.get(entry.kind) if entry.node in (NodeKind.SECTION, NodeKind.MEASURE) else None,
        "label": label or "",
        "label_cls": "renum" if ChangeKind.RENUMBERED in entry.kinds else None,
        "marker": (entry.new_marker if side == "new" else entry.old_marker) or "",
        "title": _parts(entry.title_segments, title, side, whole, exact),
        "text": _parts(entry.text_segments, text, side, whole, exact),
        "whole_notice": WHOLE_NOTICE if entry.whole_replaced and side == "new" else None,
    }
    if entry.node == NodeKind.MEASURE:
        cell["tags"] = _tag_parts(entry, side, whole)
    if entry.node == NodeKind.KPI:
        notes = entry.new_notes if side == "new" else entry.old_notes
        cell["notes"] = _note_parts(entry, notes, side, whole, exact)
        cell["target"] = _target_badge(entry, side)
    return cell


def _tag_parts(entry: Entry, side: str, whole: str | None) -> list[dict]:
    """〈Ⅰ、Ⅱ〉【企画総務G・保健G】 with only the goals or groups the other side lacks marked (「・保健G」).

    A measure added or removed as a whole is marked by its title; its tags are shown plain, as before.
    """
    other_side = "old" if side == "new" else "new"
    mark = "ins" if side == "new" else "del"
    parts = []
    for field in ("goals", "groups"):
        mine, other = getattr(entry, f"{side}_{field}"), getattr(entry, f"{other_side}_{field}")
        pieces = [(tags.tag_text(field, mine), False)] if whole else tags.tag_pieces(field, mine, other)
        for text, marked in pieces:
            cls = mark if marked else None
            if parts and parts[-1]["cls"] == cls:
                parts[-1] = {"text": parts[-1]["text"] + text, "cls": cls}
            elif text:
                parts.append({"text": text, "cls": cls})
    return parts


def _note_parts(entry: Entry, notes: list[str], side: str, whole: str | None, exact: bool) -> list[list[dict]]:
    if whole or not entry.notes_segments:
        return [[{"text": n, "cls": whole}] for n in notes]
    out = []
    for segments in entry.notes_segments:
        text = textdiff.new_text(segments) if side == "new" else textdiff.old_text(segments)
        if text:
            out.append(_parts(segments, text, side, None, exact))
    return out


def _target_badge(entry: Entry, side: str) -> dict | None:
    """The 目標 band, only for a target the plan holds apart from the KPI's wording (熊本: a name, then
    68.2％以上 in its own column): there the band is how the target shows.  Where the sentence states
    its target (鹿児島: 「…を95.4％以上とする。」) the sentence and its underlines say it already."""
    printed = entry.new_target_text if side == "new" else entry.old_target_text
    if not printed:
        return None
    moved = entry.target is not None and entry.target.moved
    direction = str(entry.target.direction) if moved else None
    return {"text": printed, "direction": direction,
            "label": DIRECTION_LABELS.get(direction, "") if moved and side == "new" else ""}


def shown_kinds(entry: Entry, exact: bool) -> list[ChangeKind]:
    """The row's kinds of change a reader is shown: width-only differences only with --exact."""
    return [k for k in entry.kinds if exact or k != ChangeKind.FORMATTING]


def _status(entry: Entry, exact: bool) -> str:
    kinds = shown_kinds(entry, exact)
    if not kinds:
        return "unchanged"
    if ChangeKind.ADDED in kinds:
        return "added"
    if ChangeKind.REMOVED in kinds:
        return "removed"
    return "changed"


def _rows(result: DiffResult, options: RenderOptions) -> list[dict]:
    rows: list[dict] = []
    entries = result.entries
    skip_below: int | None = None
    for index, entry in enumerate(entries):
        if skip_below is not None:
            if entry.depth > skip_below and entry.node != NodeKind.SECTION:
                continue
            skip_below = None
        if entry.node == NodeKind.KPI and (index == 0 or entries[index - 1].node != NodeKind.KPI
                                           or entries[index - 1].path != entry.path):
            rows.append(_kpi_heading(entries, index))
        rows.append(_row(entry, result.exact))
        if options.changes_only and entry.node == NodeKind.MEASURE and not _subtree_changed(entries, index, result.exact):
            rows.append({"node": "omitted", "depth": entry.depth + 1, "status": "unchanged", "parent": (),
                         "remarks": [],
                         "cells": {side: {"present": True, "node": "omitted", "depth": entry.depth + 1}
                                   for side in ("new", "old")}})
            skip_below = entry.depth
    return flow_rewritten_lists(rows)


def _row(entry: Entry, exact: bool) -> dict:
    cells = {side: {**_cell(entry, side, exact), "node": str(entry.node), "depth": entry.depth}
             for side in ("new", "old")}
    return {"node": str(entry.node), "depth": entry.depth, "status": _status(entry, exact),
            "kinds": [KIND_LABELS[k] for k in shown_kinds(entry, exact)],
            "remarks": remarks(entry, exact), "parent": _container(entry), "cells": cells}


def remarks(entry: Entry, exact: bool) -> list[str]:
    """（新設）（修正）（番号変更）…, once each, then the reason staff gave the element (its ``note:``)."""
    kinds = shown_kinds(entry, exact)
    if not kinds and entry.target and entry.target.moved:
        kinds = [ChangeKind.MODIFIED]  # a target printed apart from the KPI's wording (熊本) changed, came or went
    out = list(dict.fromkeys(REMARK_LABELS[k] for k in kinds))
    note = entry.new_note if entry.present_new else entry.old_note
    return out + [note] if note else out


def _container(entry: Entry) -> tuple:
    """The section or measure a row belongs to; block headings inside it do not count."""
    return tuple((step.label, step.title) for step in entry.path if step.label)


def _kpi_heading(entries: list[Entry], index: int) -> dict:
    run = []
    for entry in entries[index:]:
        if entry.node != NodeKind.KPI or entry.path != entries[index].path:
            break
        run.append(entry)
    new_present = any(e.present_new for e in run)
    old_present = any(e.present_old for e in run)
    status = "added" if not old_present else ("removed" if not new_present else "unchanged")
    return {"node": "kpi-heading", "depth": entries[index].depth, "status": status, "parent": (), "remarks": [],
            "cells": {"new": {"present": new_present, "node": "kpi-heading", "depth": entries[index].depth},
                      "old": {"present": old_present, "node": "kpi-heading", "depth": entries[index].depth}}}


def _subtree_changed(entries: list[Entry], index: int, exact: bool) -> bool:
    depth = entries[index].depth
    for entry in entries[index:]:
        if entry is not entries[index] and (entry.depth <= depth or entry.node == NodeKind.SECTION):
            break
        if _status(entry, exact) != "unchanged":
            return True
    return False


def render_document(result: DiffResult, fmt: str, options: RenderOptions, folder: Path) -> str | bytes:
    """The 新旧対照表 as standalone HTML text or PDF bytes."""
    context = build_context(result, options)
    html = render_html(context, folder)
    return html if fmt == "html" else render_pdf(html, folder)
