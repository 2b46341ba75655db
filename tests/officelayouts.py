"""More ways offices type a plan in Word, unseen by the importer's first tests (issue 31); a plan's shape to compare.

Layouts:
  group_table  a table per section, 施策 | 担当グループ: the whole measure in the left cell, its groups in the right
               one, one per paragraph and without brackets (業務G)
  word_styles  見出し 1/2/3 (Heading 1/2/3) for sections, measures and sub-measures; ○ items in Word's own List Bullet
               (the bullet a Symbol-font U+F0B7 from numbering.xml), their ・ in List Bullet 2
  kpi_table    a table per measure, 施策・担当 | 取組内容 | ＫＰＩ, a row for the measure and one per sub-measure
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Pt, Twips

import officedocs

STEP = Pt(10.5)  # one character of indent, as offices indent what belongs to the line above

LAYOUTS = ("group_table", "word_styles", "kpi_table")


def _title_lines(document, plan) -> None:
    if plan.document.number:
        document.add_paragraph(plan.document.number)
    document.add_paragraph(plan.title + ("（案）" if plan.is_draft else ""))


def _heading(measure, groups: bool = True) -> str:
    goals = f"〈{'、'.join(measure.goals)}〉" if measure.goals else ""
    tags = f"【{'・'.join(measure.groups)}】" if measure.groups and groups else ""
    return measure.label + measure.title + goals + tags


def _fill(cell, lines) -> None:
    lines = [line[1] if isinstance(line, tuple) else line for line in lines] or [""]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _section_lines(section):
    for block in section.blocks:
        if block.heading:
            yield block.heading
        for item in block.items:
            yield from officedocs._item_lines(item, False)


def _item_body(item, pad: int):
    """(depth, kind, text) of an item: its ・ points beside it, its ＜…＞ blocks one step in."""
    yield pad, "item", item
    for child in item.items:
        yield from _item_body(child, pad + 1)
    for block in item.blocks:
        if block.heading:
            yield pad + 1, "line", block.heading
        for child in block.items:
            yield from _item_body(child, pad + 1)


def _body(measure, pad: int = 0):
    """(depth, kind, text) under a measure's heading; a sub-measure and all it holds one step in."""
    for target in measure.targets:
        for line in officedocs._target_lines(target):
            yield pad, "line", line
    for block in measure.blocks:
        if block.heading:
            yield pad, "line", block.heading
        for item in block.items:
            yield from _item_body(item, pad)
    for child in measure.measures:
        yield pad + 1, "sub", child
        yield from _body(child, pad + 1)
    if measure.kpis:
        yield pad, "line", "《ＫＰＩ》"
        for kpi in measure.kpis:
            yield pad, "line", _kpi_line(kpi)
            for note in kpi.notes:
                yield pad, "line", note


def _kpi_line(kpi) -> str:
    """①… or （保険証回収）　…: a full-width space after a bracketed label, as offices type it."""
    return kpi.label + ("\u3000" if kpi.label[:1] in "（(" else "") + kpi.text


def _typed(kind: str, value) -> str:
    if kind == "item":
        return (value.marker + (" " if value.marker in ("○", "◯", "●") else "") if value.marker else "") + value.text
    return _heading(value) if kind == "sub" else value


def _section_head(document, section) -> None:
    document.add_paragraph(section.label + section.title)
    for line in _section_lines(section):
        document.add_paragraph(line)


def _group_table(document, plan) -> None:
    _title_lines(document, plan)
    for section in plan.sections:
        _section_head(document, section)
        if not section.measures:
            continue
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text = "施策"
        table.rows[0].cells[1].text = "担当グループ"
        for measure in section.measures:
            row = table.add_row()
            cell = row.cells[0]
            cell.paragraphs[0].text = _heading(measure, groups=False)
            for pad, kind, value in _body(measure):
                cell.add_paragraph(_typed(kind, value)).paragraph_format.left_indent = STEP * pad
            _fill(row.cells[1], measure.groups or ["－"])


def _kpi_rows(table, measure) -> None:
    row = table.add_row()
    body = [line for target in measure.targets for line in officedocs._target_lines(target)]
    for block in measure.blocks:
        body += [block.heading] if block.heading else []
        body += [text for item in block.items for text in officedocs._item_lines(item, False)]
    _fill(row.cells[0], [_heading(measure)])
    _fill(row.cells[1], body)
    _fill(row.cells[2], [line for kpi in measure.kpis for line in [_kpi_line(kpi)] + list(kpi.notes)] or ["－"])
    for child in measure.measures:
        _kpi_rows(table, child)


def _kpi_table(document, plan) -> None:
    _title_lines(document, plan)
    for section in plan.sections:
        _section_head(document, section)
        for measure in section.measures:
            table = document.add_table(rows=1, cols=3)
            for cell, word in zip(table.rows[0].cells, ("施策・担当", "取組内容", "ＫＰＩ")):
                cell.text = word
            _kpi_rows(table, measure)


def _styled(document, pad: int, kind: str, value, level: int) -> None:
    """○ items in List Bullet and their ・ in List Bullet 2 (Word's bullets), sub-measures in 見出し 3."""
    if kind == "sub":
        paragraph = document.add_paragraph(_heading(value), style=f"Heading {level + 1}")
    elif kind == "item" and (value.marker, bool(pad)) in (("○", False), ("・", True)):
        paragraph = document.add_paragraph(value.text, style="List Bullet 2" if pad else "List Bullet")
        if pad:  # the bullet hangs; the text starts where a typed line of this depth would
            paragraph.paragraph_format.left_indent = STEP * pad + Twips(360)
            paragraph.paragraph_format.first_line_indent = -Twips(360)
        return
    else:
        paragraph = document.add_paragraph(_typed(kind, value))
    if pad:
        paragraph.paragraph_format.left_indent = STEP * pad


def _styled_measure(document, measure) -> None:
    document.add_paragraph(_heading(measure), style="Heading 2")
    for pad, kind, value in _body(measure):
        _styled(document, pad, kind, value, 2)


def _word_styles(document, plan) -> None:
    _title_lines(document, plan)
    for section in plan.sections:
        document.add_paragraph(section.label + section.title, style="Heading 1")
        for block in section.blocks:
            if block.heading:
                document.add_paragraph(block.heading)
            for item in block.items:
                for pad, kind, value in _item_body(item, 0):
                    _styled(document, pad, kind, value, 1)
        for measure in section.measures:
            _styled_measure(document, measure)


def build(plan, layout: str, path: Path) -> Path:
    document = Document()
    {"group_table": _group_table, "kpi_table": _kpi_table, "word_styles": _word_styles}[layout](document, plan)
    document.save(str(path))
    return path


# --- the plan's shape: what a reader sees, ids and the file's own notes left out -------------------------


def _items(items) -> list:
    return [(item.marker, item.text, _items(item.items), _blocks(item.blocks)) for item in items]


def _blocks(blocks) -> list:
    """Blocks as printed: a block without a heading after another block reads as more of the same."""
    printed: list = []
    for block in blocks:
        if block.heading is None and printed:
            printed[-1] = (printed[-1][0], printed[-1][1] + _items(block.items))
        else:
            printed.append((block.heading, _items(block.items)))
    return printed


def _targets(targets) -> list:
    return [(target.marker, target.text, _targets(target.breakdown)) for target in targets]


def _measures(measures) -> list:
    return [{"label": m.label, "title": m.title, "groups": m.groups, "goals": m.goals, "targets": _targets(m.targets),
             "blocks": _blocks(m.blocks), "measures": _measures(m.measures),
             "kpis": [(k.label, k.text, k.notes) for k in m.kpis]} for m in measures]


def shape(plan) -> list:
    return [(s.label, s.title, _blocks(s.blocks), _measures(s.measures)) for s in plan.sections]
