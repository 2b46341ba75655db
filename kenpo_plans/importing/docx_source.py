"""A Word document's body → lines: paragraphs with their list labels, tables with their header rows read as headers.

What Word shows is what is read: a list number or bullet from numbering.xml becomes the label or marker a
reader sees (①, （1）, i）, ○, ・), never the private-use character of a Symbol-font bullet; text Word hides
(``w:vanish``) is not shown to a reviewer, so it is never taken into the plan but reported with its place; a
header row of a table (施策 | 担当グループ, 施策・担当 | 取組内容 | ＫＰＩ) says what each of its columns holds and
is never content itself.  Tracked changes (変更履歴) are read accepted, as "accept all" shows the document:
inserted and moved-in text is read, deleted and moved-away text is not, a deleted paragraph mark joins its paragraph
to the next; one line says how many revisions were accepted, so the import can say it read them so.
"""

from __future__ import annotations

import re
import unicodedata

from ..labels import PLACE_PARAGRAPH, PLACE_TABLE_CELL, REVISIONS_ACCEPTED
from .conventions import HEADER_ROLES, table_reading
from .lines import Line, tidy
from .numbering import Numbering, is_private_use, w

_NEW = ("新", "改正後", "変更後")
_OLD = ("旧", "現", "改正前", "変更前")


def document_lines(document) -> list[Line]:
    """Every line of the body in reading order; hidden text, unreadable numbering and header rows as marked lines."""
    numbering = Numbering(document)
    lines: list[Line] = []
    paragraph_number = table_number = 0
    revisions = Revisions()
    joined = ""  # the text of paragraphs whose mark was deleted, which accepting joins to the next
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph_number += 1
            place = PLACE_PARAGRAPH.format(n=paragraph_number)
            revisions.count(child, place)
            if _mark_removed(child):
                joined += "".join(_runs_text(child, numbering)[0])
                continue
            lines += paragraph_lines(child, numbering, place, joined=joined)
            joined = ""
        elif tag == "tbl":
            table_number += 1
            revisions.count(child, PLACE_TABLE_CELL.format(t=table_number, r=1, c=1))
            lines += table_lines(child, numbering, table_number)
    return [Line(text, place, column="numbering") for text, place in numbering.problems] + revisions.lines() + lines


REMOVED = ("del", "moveFrom")  # what accepting every revision takes out of the document
KINDS = {"ins": "inserted", "del": "deleted", "moveFrom": "moved", "moveTo": ""}  # a move counts once


class Revisions:
    """How many tracked changes the body holds, and where the first one is."""

    def __init__(self) -> None:
        self.counts = {"inserted": 0, "deleted": 0, "moved": 0}
        self.first: str | None = None

    def count(self, element, place: str) -> None:
        for node in element.iter(*(w(tag) for tag in KINDS)):
            kind = KINDS[node.tag.rsplit("}", 1)[-1]]
            if kind:
                self.counts[kind] += 1
                self.first = self.first or place

    def lines(self) -> list[Line]:
        if self.first is None:
            return []
        return [Line(REVISIONS_ACCEPTED.format(**self.counts), self.first, column="revisions")]


def _mark_removed(p) -> bool:
    marks = p.find(f"{w('pPr')}/{w('rPr')}")
    return marks is not None and any(marks.find(w(tag)) is not None for tag in REMOVED)


def _removed(run) -> bool:
    """Inside a deletion or a move away (perhaps through a hyperlink or a smart tag), up to its paragraph."""
    for ancestor in run.iterancestors():
        tag = ancestor.tag.rsplit("}", 1)[-1]
        if tag in REMOVED:
            return True
        if tag == "p":
            return False
    return False


def _hidden(run, numbering: Numbering) -> bool:
    rpr = run.find(w("rPr"))
    if rpr is None:
        return False
    vanish = rpr.find(w("vanish"))
    if vanish is not None:
        return vanish.get(w("val"), "true") not in ("0", "false", "off")
    style = rpr.find(w("rStyle"))
    return style is not None and style.get(w("val")) in numbering.hidden_styles


def _runs_text(p, numbering: Numbering) -> tuple[list[str], str]:
    """(the visible text split at manual line breaks, the hidden text)."""
    parts, hidden = [""], ""
    for run in p.iter(w("r")):
        if _removed(run):
            continue
        if _hidden(run, numbering):
            hidden += "".join(t.text or "" for t in run.iter(w("t")))
            continue
        for node in run.iterchildren(w("t"), w("br"), w("tab"), w("cr"), w("sym")):
            tag = node.tag.rsplit("}", 1)[-1]
            if tag == "t":
                parts[-1] += node.text or ""
            elif tag == "tab":
                parts[-1] += " "
            elif tag == "sym":  # a character typed from a symbol font: private use, stands for a bullet at the start
                parts[-1] += "\uf0b7"
            elif node.get(w("type")) in (None, "textWrapping"):
                parts.append("")
    return parts, hidden


def paragraph_lines(p, numbering: Numbering, place: str, column: str = "", role: str = "",
                    joined: str = "") -> list[Line]:
    """One paragraph: its list label (if Word numbers it) before its text, split at manual line breaks; ``joined``
    is the text of paragraphs before it whose mark a tracked change deleted."""
    parts, hidden = _runs_text(p, numbering)
    parts[0] = joined + parts[0]
    style_hidden = numbering.paragraph_hidden(p)
    if style_hidden:
        hidden, parts = hidden + "".join(parts), [""]
    label = numbering.label_for(p) if any(tidy(part) for part in parts) or not hidden else ""
    outline = numbering.outline_of(p)
    indent = numbering.indent_of(p)
    lines = []
    if tidy(hidden):
        lines.append(Line(tidy(hidden), place, column="hidden"))
    for index, part in enumerate(parts):
        text = tidy(part)
        if index == 0:
            text = _leading_symbol(text, numbering.bullet_depth(p))
            if label:
                text = label + text
        if text:
            lines.append(Line(text, place, wrapped=index > 0, column=column, outline=outline if index == 0 else 0,
                              indent=indent, role=role if index == 0 or role != "title" else "body"))
    return lines


def _leading_symbol(text: str, depth: int) -> str:
    """A bullet typed as a Symbol/Wingdings character (private use) reads as the marker it shows."""
    if text and is_private_use(text[0]):
        return ("○" if depth == 0 else "・") + tidy(text[1:])
    return text


# --- tables -------------------------------------------------------------------


def _cell_text(cell) -> str:
    return "".join(t.text or "" for t in cell.iter(w("t")))


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _cells(row) -> list:
    return list(row.iterchildren(w("tc")))


def header_roles(row) -> list[str] | None:
    """The role of each column when ``row`` is a header row (every filled cell a header word), else None."""
    keys = [_header_key(_cell_text(cell)) for cell in _cells(row)]
    if not any(keys):
        return None
    roles = [HEADER_ROLES.get(key) if key else "" for key in keys]
    marked = row.find(w("trPr")) is not None and row.find(w("trPr")).find(w("tblHeader")) is not None
    if any(role is None for role in roles):
        return [""] * len(keys) if marked else None
    return roles


def new_old_columns(rows) -> dict[int, str]:
    """The 新 and 旧/現 columns of a 新旧対照表 (its header names both), counted from 1: {1: "new", 2: "old"}."""
    if not rows:
        return {}
    headers = [unicodedata.normalize("NFKC", _cell_text(cell)).strip() for cell in _cells(rows[0])]
    is_new = [h.startswith(_NEW) for h in headers]
    is_old = [h.startswith(_OLD) for h in headers]
    if any(is_new) and any(is_old):
        return {is_new.index(True) + 1: "new", is_old.index(True) + 1: "old"}
    return {}


def _reading(table_number: int, header: list, roles: list[str]) -> str:
    return table_reading(table_number, [(_cell_text(cell).strip(), role) for cell, role in zip(header, roles)])


def table_lines(tbl, numbering: Numbering, table_number: int) -> list[Line]:
    """Every cell's paragraphs, row by row, each with what its column holds; header rows say so and hold nothing."""
    rows = list(tbl.iterchildren(w("tr")))
    sides = new_old_columns(rows)
    roles: list[str] = []
    lines: list[Line] = []
    for r, row in enumerate(rows, start=1):
        found = None if sides else header_roles(row)
        if found is not None:
            roles = found
            lines.append(Line(_reading(table_number, _cells(row), roles), PLACE_TABLE_CELL.format(
                t=table_number, r=r, c=1), column="table"))
            continue
        for c, cell in enumerate(_cells(row), start=1):
            role = (roles[c - 1] if c - 1 < len(roles) else "") or "body"
            column = sides.get(c) or ("remarks" if role == "remarks" else "")
            place = PLACE_TABLE_CELL.format(t=table_number, r=r, c=c)
            first = True
            for p in cell.iter(w("p")):
                got = paragraph_lines(p, numbering, place, column, role if first or role != "title" else "body")
                first = first and not any(not line.column for line in got)
                lines += got
    return lines
