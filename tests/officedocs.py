"""Word files typed the way branch offices type their plans, built from the plans in plans/ (for import tests).

Independent of the tool's own renderers on purpose: these stand for documents the tool did not write.
Styles:
  typed      plain paragraphs, markers typed (○, ①, 《ＫＰＩ》), some sentences broken by a manual line break
  numbered   sections and measures numbered by Word's list numbering (numbering.xml), ○ as a Word bullet
  table      each measure a table row: title in the left cell, its items and KPIs in the right cell
  fullwidth  indented with full-width spaces, 【業務Ｇ】 with a full-width Ｇ, a full-width space after markers
  shinkyu    a 2-column 新旧 table: 新 on the left, the old plan's measure on the right
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

STYLES = ("typed", "numbered", "table", "fullwidth", "shinkyu")


def _measure_heading(measure, full: bool, with_label: bool = True) -> str:
    goals = f"〈{'、'.join(measure.goals)}〉" if measure.goals else ""
    groups = f"【{'・'.join(measure.groups)}】" if measure.groups else ""
    if full:
        groups = groups.replace("G", "Ｇ")
    return (measure.label if with_label else "") + measure.title + goals + groups


def _target_lines(target, depth=0):
    marker = target.marker
    yield ("　" * depth) + (marker + " " if marker else "") + target.text
    for child in target.breakdown:
        yield from _target_lines(child, depth + 1)


def _item_lines(item, full: bool, pad: str = ""):
    space = "　" if full else (" " if item.marker not in ("・", "") else "")
    yield pad + (item.marker + space if item.marker else "") + item.text
    for child in item.items:
        yield from _item_lines(child, full, pad + ("　" if full else ""))
    for block in item.blocks:
        if block.heading:
            yield pad + block.heading
        for child in block.items:
            yield from _item_lines(child, full, pad + ("　" if full else ""))


def measure_body(measure, full: bool = False):
    """Lines under a measure's heading: targets, blocks, sub-measures, KPIs."""
    pad = "　" if full else ""
    for target in measure.targets:
        yield from _target_lines(target)
    for block in measure.blocks:
        if block.heading:
            yield pad + block.heading
        for item in block.items:
            yield from _item_lines(item, full, pad)
    for child in measure.measures:
        yield ("heading", _measure_heading(child, full))
        yield from measure_body(child, full)
    if measure.kpis:
        yield pad + ("《ＫＰＩ》" if not full else "　《ＫＰＩ》")
        for kpi in measure.kpis:
            yield pad + kpi.label + kpi.text
            for note in kpi.notes:
                yield pad + note


def plan_lines(plan, full: bool = False):
    """(kind, text): kind is section / measure / heading (sub-measure) / line."""
    yield "line", plan.document.number or ""
    yield "line", plan.title + ("（案）" if plan.is_draft else "")
    for section in plan.sections:
        yield "section", section.label + section.title
        for block in section.blocks:
            if block.heading:
                yield "line", block.heading
            for item in block.items:
                for text in _item_lines(item, full):
                    yield "line", text
        for measure in section.measures:
            yield "measure", _measure_heading(measure, full)
            for line in measure_body(measure, full):
                yield ("measure", line[1]) if isinstance(line, tuple) else ("line", line)


def _break_line(paragraph, text: str) -> None:
    """Type a long sentence as Word users do when they press Shift+Enter mid-sentence."""
    cut = len(text) // 2
    if len(text) > 40 and "。" not in text[cut - 1:cut + 1]:
        run = paragraph.add_run(text[:cut])
        run.add_break()
        paragraph.add_run(text[cut:])
    else:
        paragraph.add_run(text)


def build(plan, style: str, path: Path, old_plan=None) -> Path:
    document = Document()
    if style == "numbered":
        _numbered(document, plan)
    elif style == "table":
        _table(document, plan)
    elif style == "shinkyu":
        _shinkyu(document, plan, old_plan)
    else:
        full = style == "fullwidth"
        for n, (kind, text) in enumerate(plan_lines(plan, full)):
            if not text:
                continue
            paragraph = document.add_paragraph()
            if style == "typed" and kind == "line" and n % 3 == 0:
                _break_line(paragraph, text)
            else:
                paragraph.add_run(("　" if full and kind == "line" and not text.startswith("　") else "") + text)
    document.save(str(path))
    return path


# --- Word list numbering ------------------------------------------------------

_FORMATS = {"circled": ("decimalEnclosedCircle", "%{n}"), "paren": ("decimal", "（%{n}）")}


def _family(label: str) -> str | None:
    if label and label[0] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return "circled"
    if label.startswith("（") and label.endswith("）") and label[1:-1].isdigit():
        return "paren"
    return None


def _add_numbering(document, levels: list[tuple[str, str]], bullet_level: int | None = None) -> str:
    """An abstractNum with the given (numFmt, lvlText) levels, and a num pointing at it; returns the numId."""
    numbering = document.part.numbering_part.element
    abstract_id = str(90 + len(numbering.findall(qn("w:abstractNum"))))
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), abstract_id)
    for ilvl, (fmt, text) in enumerate(levels):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            node = OxmlElement(tag)
            node.set(qn("w:val"), value)
            lvl.append(node)
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num_id = str(90 + len(numbering.findall(qn("w:num"))))
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), num_id)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), abstract_id)
    num.append(ref)
    numbering.append(num)
    return num_id


def _numbered_paragraph(document, text: str, num_id: str, level: int):
    paragraph = document.add_paragraph(text, style="List Paragraph")
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), num_id)
    num_pr.append(ilvl)
    num_pr.append(nid)
    ppr.append(num_pr)
    return paragraph


def _numbered(document, plan) -> None:
    families = {_family(s.label) for s in plan.sections} | {_family(m.label) for s in plan.sections for m in s.measures}
    if None in families or len({_family(s.label) for s in plan.sections}) != 1:
        for kind, text in plan_lines(plan):
            if text:
                document.add_paragraph(text)
        return
    section_family = _family(plan.sections[0].label)
    measure_family = "circled" if section_family == "paren" else "paren"
    levels = [tuple(x.replace("{n}", str(i + 1)) for x in _FORMATS[f]) for i, f in
              enumerate((section_family, measure_family))]
    num_id = _add_numbering(document, levels)
    bullet_id = _add_numbering(document, [("bullet", "○")])
    for kind, text in plan_lines(plan):
        if not text:
            continue
        if kind == "section":
            _numbered_paragraph(document, text[len(_label_of(text)):], num_id, 0)
        elif kind == "measure" and _family(_label_of(text)) == measure_family:
            _numbered_paragraph(document, text[len(_label_of(text)):], num_id, 1)
        elif text.startswith("○ "):
            _numbered_paragraph(document, text[2:], bullet_id, 0)
        else:
            document.add_paragraph(text)


def _label_of(text: str) -> str:
    if text[:1] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return text[0]
    if text.startswith("（") and "）" in text[:4] and text[1:text.index("）")].isdigit():
        return text[: text.index("）") + 1]
    return ""


# --- tables ----------------------------------------------------------------------


def _cell_lines(cell, lines) -> None:
    first = True
    for line in lines:
        text = line[1] if isinstance(line, tuple) else line
        if first:
            cell.paragraphs[0].text = text
            first = False
        else:
            cell.add_paragraph(text)


def _table(document, plan) -> None:
    document.add_paragraph(plan.document.number or "")
    document.add_paragraph(plan.title + ("（案）" if plan.is_draft else ""))
    for section in plan.sections:
        document.add_paragraph(section.label + section.title)
        for block in section.blocks:
            if block.heading:
                document.add_paragraph(block.heading)
            for item in block.items:
                for text in _item_lines(item, False):
                    document.add_paragraph(text)
        if not section.measures:
            continue
        table = document.add_table(rows=0, cols=2)
        for measure in section.measures:
            row = table.add_row()
            row.cells[0].text = _measure_heading(measure, False)
            _cell_lines(row.cells[1], list(measure_body(measure)) or [""])


def _shinkyu(document, plan, old_plan) -> None:
    document.add_paragraph(plan.document.number or "")
    document.add_paragraph(plan.title + "新旧対照表" + ("（案）" if plan.is_draft else ""))
    old_measures = {m.id: m for m in old_plan.walk_measures()} if old_plan else {}
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = f"新（{plan.year_label}）"
    table.rows[0].cells[1].text = f"旧（{old_plan.year_label}）" if old_plan else "旧"
    for section in plan.sections:
        row = table.add_row()
        lines = [section.label + section.title]
        for block in section.blocks:
            lines += [block.heading] if block.heading else []
            lines += [t for item in block.items for t in _item_lines(item, False)]
        _cell_lines(row.cells[0], lines)
        _cell_lines(row.cells[1], [section.label + section.title])
        for measure in section.measures:
            row = table.add_row()
            _cell_lines(row.cells[0], [_measure_heading(measure, False)] + list(measure_body(measure)))
            old = old_measures.get(measure.id)
            _cell_lines(row.cells[1], [_measure_heading(old, False)] + list(measure_body(old)) if old else [""])
