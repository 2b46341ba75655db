"""The 新旧対照表 as a Word document a clerk can keep editing.

Built from the same template context as the HTML and PDF (render.build_context), so the rows, the
（新設）（削除）（略） marks and the underlined spans are the same: changed wording underlined as runs,
renumbered labels double-underlined, one table row per aligned row, the 新/旧 header row repeated on
every page, the branch and title in every page's header, and the summary after the table (or before it,
or none: --summary).
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from . import word

INDENT_CM = 0.35  # per hierarchy level, as the PDF indents


def _underline(cls: str | None) -> str | None:
    return "single" if cls in ("ins", "del") else None


def _parts(paragraph, parts: list[dict], bold: bool = False, font: str | None = None) -> None:
    for part in parts:
        if part.get("group"):  # a closing mark glued to the character before it: each keeps its own mark
            _parts(paragraph, part["group"], bold, font)
        else:
            word.add_run(paragraph, part["text"], _underline(part.get("cls")), bold=bold, font=font)


def _paragraph(cell, depth: int, first: bool):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.paragraph_format.left_indent = Cm(INDENT_CM * depth)
    return paragraph


def fill_cell(cell, body: dict, gothic: str, first: bool = True) -> None:
    """One side of one row, as the template's cell_body macro lays it out."""
    if not body.get("present"):
        return
    if body["node"] == "flow":  # a rewritten list: each side's items one after another
        for index, item in enumerate(body["stack"]):
            fill_cell(cell, item, gothic, first=first and index == 0)
        return
    node, depth = body["node"], body.get("depth", 0)
    paragraph = _paragraph(cell, depth, first)
    if node == "omitted":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        word.add_run(paragraph, "（略）")
    elif node in ("section", "measure"):
        word.add_run(paragraph, body["label"], "double" if body.get("label_cls") == "renum" else None, bold=True,
                     font=gothic)
        _parts(paragraph, body["title"], bold=True, font=gothic)
        _parts(paragraph, body.get("tags") or [])
        if body.get("mark"):
            word.add_run(paragraph, body["mark"], bold=True)
    elif node == "block":
        _parts(paragraph, body["text"], bold=True, font=gothic)
    elif node == "kpi-heading":
        word.add_run(paragraph, "《ＫＰＩ》", bold=True, font=gothic)
    elif node == "kpi":
        _parts(paragraph, body["text"])
        for note in body.get("notes") or []:
            _parts(_paragraph(cell, depth + 1, False), note)
        target = body.get("target")
        if target:
            label = f"（{target['label']}）" if target.get("label") else ""
            word.add_run(_paragraph(cell, depth + 1, False), f"目標 {target['text']}{label}", bold=True)
    else:
        if body.get("marker"):
            word.add_run(paragraph, body["marker"] + " ")
            paragraph.paragraph_format.first_line_indent = Cm(-0.4)
            paragraph.paragraph_format.left_indent = Cm(INDENT_CM * depth + 0.4)
        _parts(paragraph, body["text"])
    if body.get("whole_notice"):
        word.add_run(_paragraph(cell, depth + 1, False), body["whole_notice"])


def build(context: dict, font: str | None, landscape: bool) -> bytes:
    gothic = word.GOTHIC_FONT if not font else font
    document = word.new_document(font, landscape, context["title"], context["author"])
    word.title_block(document, context["document_number"], context["title"], gothic, 13, 8, 6)
    place = context["options"].get("summary", "end")
    if place == "start":
        _summary(document, context, gothic, landscape)
    _table(document, context, gothic, landscape)
    if place == "end":
        document.add_paragraph()
        _summary(document, context, gothic, landscape)
    word.page_header(document, context["running_head"])
    return word.to_bytes(document)


def _summary(document, context: dict, gothic: str, landscape: bool) -> None:
    summary = context["summary"]
    heading = document.add_paragraph()
    word.add_run(heading, "変更の概要", bold=True, font=gothic)
    counts = document.add_paragraph()
    if summary["total"]:
        word.add_run(counts, f"変更 {summary['total']}件　" + "　".join(f"{k['label']} {k['count']}"
                                                                 for k in summary["kinds"]))
    elif not summary.get("particulars"):
        word.add_run(counts, "変更なし")
    for particular in summary.get("particulars") or []:
        word.add_run(document.add_paragraph(), f"{particular['label']}: {particular['old']} → {particular['new']}")
    for warning in summary.get("warnings") or []:
        word.add_run(document.add_paragraph(), f"警告: {warning}", bold=True)
    if summary["formatting_hidden"]:
        word.add_run(document.add_paragraph(),
                     f"表記のみの違い（全角・半角等） {summary['formatting_hidden']}件は傍線を付けていません。")
    targets = summary["kpi_targets"]
    if targets:
        with_actuals = summary.get("with_actuals")
        width = 27.0 if landscape else 18.0
        # the year columns hold 平成30年度 and 「17.0%、4,931人」 on one line each
        widths = [width * f for f in ((0.15, 0.27, 0.19, 0.19, 0.20) if not with_actuals else
                                      (0.13, 0.23, 0.17, 0.17, 0.13, 0.17))]
        grid, cm = word.table(document, len(widths), widths)
        head = word.add_row(grid, cm)
        labels = ["施策", "ＫＰＩ・数値目標", context["old"]["year_label"], context["new"]["year_label"], "増減"]
        if with_actuals:
            labels.append(f"{context['old']['year_label']}実績")
        for cell, label in zip(head.cells, labels):
            word.add_run(cell.paragraphs[0], label, bold=True, font=gothic)
            word.shade(cell, "EEEEEE")
        word.repeat_as_header(head)
        for t in targets:
            row = word.add_row(grid, cm)
            word.keep_row_together(row)
            values = [t["measure"], t["kpi"], t["old"], t["new"],
                      t["direction_label"] + (f" {t['delta']}" if t["delta"] else "")]
            if with_actuals:
                values.append((t["actual"] or "—") + ("（新目標は実績以下）" if t["below_achieved"] else ""))
            for cell, value in zip(row.cells, values):
                word.add_run(cell.paragraphs[0], value)
    legend = document.add_paragraph()
    legend.paragraph_format.space_after = Pt(6)
    word.add_run(legend, "新たに加えた文言・削除した文言に傍線、番号の変更は")
    word.add_run(legend, "二重傍線", "double")
    word.add_run(legend, "。")


REMARKS_SHARE = 0.14  # of the table's width, as the PDF's 備考 column


def _table(document, context: dict, gothic: str, landscape: bool) -> None:
    total = 27.0 if landscape else 18.0
    sides = sum(1 for column in context["columns"] if column["side"] != "remarks")
    remarks = total * REMARKS_SHARE if sides < len(context["columns"]) else 0.0
    widths = [remarks if column["side"] == "remarks" else (total - remarks) / sides for column in context["columns"]]
    grid, cm = word.table(document, len(widths), widths)
    head = word.add_row(grid, cm)
    for cell, column in zip(head.cells, context["columns"]):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        word.add_run(paragraph, column["header"], bold=True, font=gothic)
        word.shade(cell, "F0F0F0")
    word.repeat_as_header(head)
    for row in context["rows"]:
        cells = word.add_row(grid, cm).cells
        for cell, column in zip(cells, context["columns"]):
            if column["side"] == "remarks":
                for index, remark in enumerate(row.get("remarks") or []):
                    word.add_run(cell.paragraphs[0] if index == 0 else cell.add_paragraph(), remark).font.size = Pt(8)
            else:
                fill_cell(cell, row["cells"][column["side"]], gothic)
