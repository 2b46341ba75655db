"""The 新旧対照表 as one text with revisions: the new plan's lines, each difference from the old a revision.

A reviewer's word processor accepts or rejects revisions one by one; accepting all of them must give
exactly the new plan's lines and rejecting all of them exactly the old plan's, in order.  So every line
is placed twice: where it stands in the new plan (the diff's order) and where it stood in the old one
(``Entry.old_position``).  Lines whose relative order both plans share stay in place, edited within
(the longest increasing run of old places along the new order); the other paired lines, and every line
of a measure or KPI the diff calls moved, are moves: taken from their old place, put at their new one.

Plain data out (``Paragraph``); render/office/shinkyu_revisions.py writes it as Word XML.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from ..diff import textdiff
from ..diff.result import ChangeKind, DiffResult, Entry, NodeKind
from ..labels import KPI_HEADING, STATUS_LABELS

SPACED_MARKERS = ("○", "◯", "●", "◆")  # a bullet is followed by a space, as offices type it
TARGET_PREFIX = "目標　"  # a KPI's target printed apart from its wording (熊本: 68.2％以上)
EQUAL, DELETE, INSERT = textdiff.EQUAL, textdiff.DELETE, textdiff.INSERT


@dataclass
class Line:
    """One printed line of either plan or of both: its parts say which text belongs to which side."""

    node: str
    depth: int
    parts: list[tuple[str, str]]  # (equal | delete | insert, text)
    old_key: tuple | None  # its place in the old plan; None when only the new plan has it
    in_new: bool
    moved: bool = False  # its measure or KPI moved: shown as a move whatever the order says

    @property
    def old_text(self) -> str:
        return "".join(text for op, text in self.parts if op != INSERT)

    @property
    def new_text(self) -> str:
        return "".join(text for op, text in self.parts if op != DELETE)

    @property
    def paired(self) -> bool:
        return self.old_key is not None and self.in_new


@dataclass
class Paragraph:
    node: str
    depth: int
    runs: list[tuple[str, str | None]]  # (text, None | ins | del | moveFrom | moveTo)
    mark: str | None = None  # the paragraph itself inserted, deleted or moved
    move: int | None = None  # a moveFrom and its moveTo share the number


def _pair(old: str | None, new: str | None, segments=None) -> list[tuple[str, str]]:
    """The parts of one piece of text: lossless segments when the diff has them, else replaced whole."""
    if old is None or new is None:
        text = new if old is None else old
        return [(INSERT if old is None else DELETE, text)] if text else []
    if segments and textdiff.old_text(segments) == old and textdiff.new_text(segments) == new:
        return [(s.op, s.text) for s in segments if s.text]
    if old == new:
        return [(EQUAL, old)] if old else []
    return [(op, text) for op, text in ((DELETE, old), (INSERT, new)) if text]


def _field(entry: Entry, name: str, segments=None, shape=lambda value: value) -> list[tuple[str, str]]:
    """The parts of one field (label, title, text, marker…) of both sides, ``shape``d as printed."""
    old = shape(getattr(entry, f"old_{name}")) if entry.present_old else None
    new = shape(getattr(entry, f"new_{name}")) if entry.present_new else None
    return _pair(old, new, segments)


def _marker(marker: str | None) -> str | None:
    if marker is None:
        return None
    return marker + (" " if marker in SPACED_MARKERS else "")


def _kpi_label(label: str | None) -> str | None:
    if label is None:
        return None
    return label + ("\u3000" if label[:1] in "（(" else "")  # （保険証回収）　…: where the label ends


def _tags(goals: list[str], groups: list[str]) -> str:
    return (f"〈{'、'.join(goals)}〉" if goals else "") + (f"【{'・'.join(groups)}】" if groups else "")


def _line(entry: Entry, node: str, parts: list, sub: int, in_old: bool | None = None,
          in_new: bool | None = None) -> Line:
    """``sub`` orders the lines of one entry (a KPI, its notes, its target) within its old place."""
    in_old = entry.present_old if in_old is None else in_old
    in_new = entry.present_new if in_new is None else in_new
    key = (entry.old_position, sub) if in_old and entry.old_position is not None else None
    return Line(node, entry.depth, parts, key, in_new)


def _heading_parts(entry: Entry) -> list[tuple[str, str]]:
    parts = _field(entry, "label") + _field(entry, "title", entry.title_segments)
    if entry.node == NodeKind.MEASURE:
        parts += _pair(_tags(entry.old_goals, entry.old_groups) if entry.present_old else None,
                       _tags(entry.new_goals, entry.new_groups) if entry.present_new else None)
    return parts


def entry_lines(entry: Entry) -> list[Line]:
    """The printed lines of one aligned entry: a heading or item is one, a KPI also its notes and target."""
    if entry.node in (NodeKind.SECTION, NodeKind.MEASURE):
        return [_line(entry, entry.node, _heading_parts(entry), 0)]
    if entry.node != NodeKind.KPI:
        return [_line(entry, entry.node, _field(entry, "marker", shape=_marker)
                      + _field(entry, "text", entry.text_segments), 0)]
    lines = [_line(entry, "kpi", _field(entry, "label", shape=_kpi_label)
                   + _field(entry, "text", entry.text_segments), 0)]
    return lines + _note_lines(entry) + _target_lines(entry)


def _target_lines(entry: Entry) -> list[Line]:
    old = entry.old_target_text if entry.present_old else None
    new = entry.new_target_text if entry.present_new else None
    if not (old or new):
        return []
    old, new = old and TARGET_PREFIX + old, new and TARGET_PREFIX + new
    segments = textdiff.inline_diff(old, new, exact=True) if old and new else None
    return [_line(entry, "kpi-target", _pair(old, new, segments), 10_000, in_old=bool(old), in_new=bool(new))]


def _note_lines(entry: Entry) -> list[Line]:
    if not (entry.present_old and entry.present_new) or not entry.notes_segments:
        notes = entry.old_notes if entry.present_old else entry.new_notes
        return [_line(entry, "note", _pair(n if entry.present_old else None, n if entry.present_new else None), 1 + i)
                for i, n in enumerate(notes)]
    lines, old_index = [], 0
    for segments in entry.notes_segments:
        old_note, new_note = textdiff.old_text(segments), textdiff.new_text(segments)
        lines.append(_line(entry, "note", _pair(old_note or None, new_note or None, segments), 1 + old_index,
                           in_old=bool(old_note), in_new=bool(new_note)))
        old_index += bool(old_note)
    return lines


def _kpi_runs(entries: list[Entry]) -> list[tuple[int, int]]:
    """(start, end) of each run of KPI entries under one measure, in the diff's order."""
    runs, index = [], 0
    while index < len(entries):
        if entries[index].node != NodeKind.KPI:
            index += 1
            continue
        end = index
        while end < len(entries) and entries[end].node == NodeKind.KPI and entries[end].path == entries[index].path:
            end += 1
        runs.append((index, end))
        index = end
    return runs


def _kpi_headings(entries: list[Entry], forced: list[bool]) -> tuple[dict[int, Line], list[Line]]:
    """《ＫＰＩ》 before each measure's KPIs, on each side where the measure has KPIs.

    Returns the heading to put before the entry at an index, and the old headings of measures whose
    KPIs all went elsewhere (shown deleted where they stood)."""
    first_old: dict[str, int] = {}
    for entry in entries:
        if entry.node == NodeKind.KPI and entry.present_old and entry.old_position is not None:
            first_old[entry.old_parent] = min(first_old.get(entry.old_parent, entry.old_position), entry.old_position)
    headings: dict[int, Line] = {}
    for start, end in _kpi_runs(entries):
        run = entries[start:end]
        owner = next((e.old_parent for e in run if e.present_old and ChangeKind.MOVED not in e.kinds), None)
        in_new = any(e.present_new for e in run)
        old_key = (first_old.pop(owner), -1) if owner in first_old else None
        if in_new or old_key:
            parts = [(EQUAL if in_new and old_key else (INSERT if in_new else DELETE), KPI_HEADING)]
            headings[start] = Line("kpi-heading", run[0].depth, parts, old_key, in_new,
                                   moved=any(forced[start:end]))
    orphans = [Line("kpi-heading", 0, [(DELETE, KPI_HEADING)], (position, -1), False)
               for position in first_old.values()]
    return headings, orphans


def _forced_moves(entries: list[Entry]) -> list[bool]:
    """Every entry of a moved measure's or KPI's subtree moves with it."""
    forced, depth = [], None
    for entry in entries:
        if depth is not None and (entry.depth <= depth or entry.node == NodeKind.SECTION):
            depth = None
        moved = ChangeKind.MOVED in entry.kinds and entry.present_old and entry.present_new
        if moved and depth is None:
            depth = entry.depth
        forced.append(depth is not None)
    return forced


def plan_lines(result: DiffResult) -> list[Line]:
    """Every line of both plans, in the new plan's order (lines only the old plan has where they stood)."""
    entries = result.entries
    forced = _forced_moves(entries)
    headings, orphans = _kpi_headings(entries, forced)
    lines: list[Line] = []
    for index, entry in enumerate(entries):
        if index in headings:
            lines.append(headings[index])
        for line in entry_lines(entry):
            line.moved = forced[index]
            lines.append(line)
    return lines + orphans


def _anchors(lines: list[Line]) -> set[int]:
    """The paired lines that keep their place: the longest run whose old places rise along the new order."""
    candidates = [i for i, line in enumerate(lines) if line.paired and not line.moved]
    tails: list[tuple] = []
    tail_index: list[int] = []
    previous: dict[int, int | None] = {}
    for i in candidates:
        key = lines[i].old_key
        at = bisect_left(tails, key)
        previous[i] = tail_index[at - 1] if at else None
        if at == len(tails):
            tails.append(key)
            tail_index.append(i)
        else:
            tails[at], tail_index[at] = key, i
    keep, i = set(), tail_index[-1] if tail_index else None
    while i is not None:
        keep.add(i)
        i = previous[i]
    return keep


def _in_place(line: Line) -> Paragraph:
    changes = {EQUAL: None, INSERT: "ins", DELETE: "del"}
    return Paragraph(line.node, line.depth, [(text, changes[op]) for op, text in line.parts])


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """The merged document: old-only lines and moves' origins where they stood, the rest in the new order."""
    anchors = _anchors(lines)
    old_order = sorted((i for i, line in enumerate(lines) if line.old_key is not None), key=lambda i: lines[i].old_key)
    out: list[Paragraph] = []
    done: set[int] = set()
    moves: dict[int, int] = {}
    cursor = 0

    def drain(limit: tuple | None, inclusive: bool) -> None:
        nonlocal cursor
        while cursor < len(old_order):
            i = old_order[cursor]
            line = lines[i]
            if i in done:
                cursor += 1
                continue
            if i in anchors or (limit is not None and (line.old_key > limit or (line.old_key == limit and not inclusive))):
                return
            if line.in_new:  # the origin of a move
                number = moves.setdefault(i, len(moves) + 1)
                out.append(Paragraph(line.node, line.depth, [(line.old_text, "moveFrom")], "moveFrom", number))
            else:
                out.append(Paragraph(line.node, line.depth, [(line.old_text, "del")], "del"))
            done.add(i)
            cursor += 1

    for i, line in enumerate(lines):
        if i in anchors:
            drain(line.old_key, inclusive=False)
            out.append(_in_place(line))
            done.add(i)
        elif not line.in_new:
            drain(line.old_key, inclusive=True)
        elif line.old_key is None:
            out.append(Paragraph(line.node, line.depth, [(line.new_text, "ins")], "ins"))
        else:
            number = moves.setdefault(i, len(moves) + 1)
            out.append(Paragraph(line.node, line.depth, [(line.new_text, "moveTo")], "moveTo", number))
    drain(None, inclusive=True)
    return [p for p in out if any(text for text, _change in p.runs)]


def _head_lines(result: DiffResult) -> list[Line]:
    """The 資料番号 and the title (（案） for a draft, as the plan prints it): revisions like any line."""
    def title(info) -> str:
        return info.title + (f"（{STATUS_LABELS['draft']}）" if info.status == "draft" else "")

    old_title, new_title = title(result.old), title(result.new)
    lines = [Line("title", 0, _pair(old_title, new_title, textdiff.inline_diff(old_title, new_title, exact=True)),
                  (-1,), True)]
    old_number, new_number = result.old.document_number, result.new.document_number
    if old_number or new_number:
        parts = _pair(old_number, new_number) if old_number and new_number else \
            [(DELETE, old_number)] if old_number else [(INSERT, new_number)]
        lines.insert(0, Line("number", 0, parts, (-2,) if old_number else None, bool(new_number)))
    return lines


def revision_paragraphs(result: DiffResult) -> list[Paragraph]:
    """The whole document: 資料番号, title, then every line of the plans."""
    return paragraphs(_head_lines(result) + plan_lines(result))
