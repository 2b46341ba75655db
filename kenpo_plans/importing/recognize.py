"""Lines of a 事業計画 → the plan tree (plain dicts, the YAML's shape), and the lines that found no place.

The conventions read: section headings （1）/ 1. / Ⅰ; measures ①…⑳ (or 1. under Ⅰ); sub-measures i）ⅱ）;
【…G】 group tags and 〈Ⅰ、Ⅱ〉 goals after a title; block headings 【…】 and ＜…＞; bullets ○ ・ ● ◆ ※;
《ＫＰＩ》 / 【KPI】 / ■KPI and the sentences under them, with （※） notes; 【数値目標】 and the figure lines
at the head of a measure (targets and their breakdown); the title, 資料番号 and 新旧 header lines.
Which numbering marks sections and which marks measures is learned from the document: the first
numbered heading is a section, the first other numbered heading under it a measure.

Nothing is dropped: a line is placed in the tree, taken as the document's title/number/header, or
returned in ``unplaced`` with its place and the reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from ..plan.targets import extract_figures
from .cells import CellReading
from .conventions import (BLOCK, BULLET, COLUMN_REASONS, DATE, DRAFT, GOALS, GROUP_TAG, KPI_HEAD, KPI_LABEL,
                          NEW_OLD_HEADER, NOTE, NUMBER, PAGE_NUMBER, SUB_BLOCK, TARGETS_HEAD, TIER, every_kpi, finish,
                          flattened, is_group_tag, looks_like_heading, numbered)
from .lines import Line, Unplaced, close_pdf_gaps, whole_brackets
from .numbering import is_private_use


@dataclass
class Recognized:
    plan: dict
    unplaced: list[Unplaced] = field(default_factory=list)
    lines: int = 0  # lines read
    doubts: list[Unplaced] = field(default_factory=list)  # lines placed on a guess, with why
    tables: list[str] = field(default_factory=list)  # how each table's columns were read


def _new_measure(label: str, raw_title: str) -> dict:
    return {"label": label, "title": raw_title, "groups": [], "goals": [], "targets": [], "blocks": [],
            "measures": [], "kpis": []}


class _Reader(CellReading):
    def __init__(self):
        self.plan: dict = {"title": None, "status": "final", "document": {}, "sections": []}
        self.unplaced: list[Unplaced] = []
        self.section_family: str | None = None
        self.measure_family: str | None = None
        self.section: dict | None = None
        self.measure: dict | None = None  # top-level measure
        self.sub: dict | None = None  # sub-measure (i）…)
        self.block: dict | None = None
        self.item: dict | None = None  # the current ○ item (its ・ go under it)
        self.item_block: dict | None = None  # ＜被保険者＞ block inside the current item
        self.row_item: dict | None = None  # the 施策 of a table row: the row's other cells go under it
        self.styled = False  # the document marks its headings with Word heading styles: numbers are not structure
        self.stack: list[tuple[int, dict]] = []  # (indent, item) of the open items, where indents are known
        self.mode = ""  # "kpi", "targets" or ""
        self.target_path: list[dict] = []  # the open target at each depth: top, ○, ・, （内訳）
        self.last: tuple[dict, str] | None = None  # (node, key) a wrapped line continues
        self.line: Line | None = None
        self.doubts: list[tuple[str, str, str]] = []
        self.tables: list[str] = []
        self.new_cell = False  # the first line of a table cell: a ＜…＞ there opens a block, not one inside an item
        self.item_indent = 0  # where the open top-level item stands
        self.row_measure: dict | None = None  # the measure the 施策 cell of the current table row opened

    # --- helpers ---------------------------------------------------------

    def text_of(self, text: str, figures_line: bool = False) -> str:
        if self.line is not None and self.line.gaps:
            return re.sub(r" (?=[（(])", "", text) if figures_line else close_pdf_gaps(text)
        return text

    @property
    def owner(self) -> dict | None:
        return self.sub or self.measure

    def skip(self, reason: str) -> None:
        self.unplaced.append(Unplaced(self.line.text, self.line.place, reason))

    def reset_content(self) -> None:
        self.block = self.item = self.item_block = self.row_item = None
        self.stack = []
        self.mode, self.target_path, self.last = "", [], None

    def current_block(self) -> dict | None:
        if self.block is not None:
            return self.block
        holder = self.owner or self.section
        if holder is None:
            return None
        self.block = {"heading": None, "items": []}
        holder.setdefault("blocks", []).append(self.block)
        return self.block

    # --- dispatch --------------------------------------------------------

    def feed(self, line: Line) -> None:
        if line.text and is_private_use(line.text[0]):  # a Symbol-font bullet laid out by a PDF: a point of the
            marker = "・" if self.item_block is not None else "○"  # open ＜…＞ block, else an item
            line = replace(line, text=marker + line.text[1:].lstrip())
        self.new_cell = bool(line.role) and (self.line is None or self.line.place != line.place)
        if not line.role:
            self.row_measure = None
        self.line = line
        text = line.text
        if line.column == "table":
            self.tables.append(text)
            return None
        if line.column == "revisions":  # read, but on the guess that every change was meant to stand
            self.doubts.append((text, line.place, COLUMN_REASONS[line.column]))
            return None
        if line.column:
            return self.skip(COLUMN_REASONS.get(line.column, line.column))
        if self.section is None and self.preamble(text):
            return
        if PAGE_NUMBER.match(text):
            return self.skip("頁番号")
        if line.wrapped and self.continues(text):
            return
        if self.header_like(text):
            return None
        for step in (self.by_role, self.kpi_head, self.targets_head, self.block_heading, self.heading, self.kpi_line,
                     self.target_line, self.bullet, self.plain):
            if step(text):
                return

    def preamble(self, text: str) -> bool:
        flat = flattened(text)
        if NUMBER.match(flat) and self.plan["document"].get("number") is None:
            self.plan["document"]["number"] = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
            return True
        if DRAFT.search(flat):  # （案） beside the title, on its own line or after the 資料番号: a draft
            self.plan["status"] = "draft"
            text = DRAFT.sub("", text).strip()
            if not text:
                return True
        if "事業計画" in text and self.plan["title"] is None:
            self.plan["title"] = re.sub(r"\s*新旧対照表", "", self.text_of(text)).strip()
            return True
        if DATE.match(text.strip()):
            self.plan["document"]["date"] = text.strip()
            return True
        if NEW_OLD_HEADER.match(text.strip()):
            self.skip("新旧の列見出し")
            return True
        found = numbered(text)
        if self.line.outline == 1 or found and looks_like_heading(found[2]) and not BULLET.match(text):
            return False  # the first section
        self.skip("前文（最初の節の前）")
        return True

    def continues(self, text: str) -> bool:
        """A layout line that carries on the sentence before it (a PDF line, a Word manual line break)."""
        if self.last is None or BULLET.match(text) or KPI_HEAD.match(text) or BLOCK.match(text) \
                or SUB_BLOCK.match(text) or NOTE.match(text) and self.mode == "kpi":
            return False
        node, key = self.last
        before = node[key]
        found = numbered(text)
        parenthetical = text.startswith(("（", "(")) and text.endswith(("）", ")")) and found is None
        if found is not None and looks_like_heading(found[2]) and key != "raw_title":
            return False
        finished = before.endswith("。") or self.mode == "kpi" and before.endswith("とする")
        if finished and not parenthetical:
            return False
        if key == "raw_title" and not self.title_goes_on(before, text):
            return False
        joined = self.text_of(text, figures_line=isinstance(node, dict) and node.get("_figures", False))
        node[key] = before + joined
        return True

    @staticmethod
    def title_goes_on(before: str, text: str) -> bool:
        """A heading broken over two lines: its tags end the second, or the first stops mid-phrase (…の)."""
        if GROUP_TAG.search(before) or GOALS.search(before):
            return False
        whole = before + text
        return bool(GROUP_TAG.search(whole) or GOALS.search(whole)) or (
            before.endswith(("の", "を", "に", "と", "へ", "が", "で", "、", "・")) or len(before) >= 15
            or "【" in before) and not extract_figures(text) and not before.endswith("。")

    # --- structure ------------------------------------------------------

    def heading(self, text: str) -> bool:
        found = numbered(text)
        section_number = found is not None and looks_like_heading(found[2]) and found[0] == self.section_family
        if self.line.outline in (1, 2, 3) and not (self.line.extracted and section_number):
            self.styled = self.styled or not self.line.extracted  # Markdown's # marks some headings, not all
            return self.styled_heading(text, found)
        if found is None or not looks_like_heading(found[2]) or self.styled:
            return False
        family, label, rest = found
        if self.section_family is None:
            self.section_family = family
        if family == self.section_family:
            self.open_section(label, rest)
            return True
        if self.section is None:
            return False
        in_headed_block = self.block is not None and self.block.get("heading") and self.measure is None
        if self.measure_family is None and family != "lower" and not in_headed_block and self.mode != "kpi":
            self.measure_family = family
        if family == self.measure_family:
            if self.mode == "kpi" and self.looks_like_kpi(rest):
                return False
            self.open_measure(label, rest)
        elif family == "lower" and self.measure is not None and not (self.mode == "kpi" and self.looks_like_kpi(rest)):
            self.open_sub(label, rest)
        else:
            return False
        return True

    def styled_heading(self, text: str, found) -> bool:
        """A Word heading (見出し 1/2/3) is a section, measure or sub-measure, numbered or not."""
        family, label, rest = found if found and looks_like_heading(found[2]) else (None, "", text)
        bullet = BULLET.match(rest) if not label else None
        if bullet and bullet.group(1) != "※":
            rest = bullet.group(2)  # ## ○サービス水準の向上: the ○ only marks the heading
        level = self.line.outline
        if level == 1 or self.section is None:
            if family and self.section_family is None:
                self.section_family = family
            self.open_section(label, rest)
            return True
        if level == 2 or self.measure is None:
            if family and self.measure_family is None and family != self.section_family:
                self.measure_family = family
            self.open_measure(label, rest)
        else:
            self.open_sub(label, rest)
        return True

    def open_section(self, label: str, rest: str) -> None:
        title = self.text_of(rest)
        again = [s for s in self.plan["sections"] if s["label"] == label and s["title"] == title]
        if again:  # the same heading repeated at the top of a page
            self.section = again[-1]
        else:
            self.section = {"label": label, "title": title, "blocks": [], "measures": []}
            self.plan["sections"].append(self.section)
        self.measure = self.sub = self.row_measure = None
        self.reset_content()
        self.last = None  # a section's title is short: the next line is never its continuation

    def open_measure(self, label: str, rest: str) -> None:
        self.measure = _new_measure(label, self.text_of(rest))
        self.section["measures"].append(self.measure)
        self.sub = None
        self.opened(self.measure)

    def open_sub(self, label: str, rest: str) -> None:
        self.sub = _new_measure(label, self.text_of(rest))
        self.sub["_indent"] = self.line.indent
        self.measure["measures"].append(self.sub)
        self.opened(self.sub)

    def opened(self, measure: dict) -> None:
        self.reset_content()
        measure["raw_title"] = measure.pop("title")
        self.last = None if self.line.outline else (measure, "raw_title")  # a heading paragraph is whole

    @staticmethod
    def looks_like_kpi(rest: str) -> bool:
        bare = re.sub(r"[（(]\s*※[^）)]*[）)]\s*$", "", rest)  # …とする。（※）: the mark of a note that follows
        return bool(re.search(r"(とする|以上|以下|。)\s*$", bare)) and not GROUP_TAG.search(rest)

    def block_heading(self, text: str) -> bool:
        match = BLOCK.match(text) or (TIER.match(text.strip()) and re.match(r"^(.*)$", text))
        sub = SUB_BLOCK.match(text) or (self.line.outline == 4 and not self.line.extracted and re.match(r"^(.*)$", text))
        if match and is_group_tag(match.group(1)) and self.owner is not None:
            self.owner["groups"] += [n for n in re.split(r"[・、,]", flattened(match.group(1))) if n]
            return True
        # a ＜…＞ belongs to the ○ item above it, unless set back to its margin or opening a table cell; after
        # a plain paragraph (no marker) it is the measure's next block (the national plan's ＜課題分析＞ …)
        inside_item = self.item is not None and not (self.stack and self.line.indent <= self.stack[0][0]) \
            and not self.new_cell and self.item.get("marker") != ""
        if sub and inside_item and self.mode != "kpi":
            self.item_block = {"heading": text.strip(), "items": []}
            while self.stack and self.stack[-1][0] >= self.line.indent:
                self.stack.pop()
            parent = self.stack[-1][1] if self.stack else self.item
            parent.setdefault("blocks", []).append(self.item_block)
            parent["_open_block"] = self.item_block
            self.last = None
            return True
        if not (match or sub) or (self.owner is None and self.section is None):
            return False
        holder = self.owner or self.section
        self.mode, self.target_path, self.item, self.item_block, self.stack = "", [], None, None, []
        self.block = {"heading": self.text_of(text.strip()), "items": []}
        holder.setdefault("blocks", []).append(self.block)
        self.last = None
        return True

    # --- KPIs and targets ------------------------------------------------

    def kpi_head(self, text: str) -> bool:
        match = KPI_HEAD.match(text)
        if not match or self.owner is None:
            return False
        if self.sub is not None and self.line.indent < self.sub.get("_indent", 0):
            self.sub = None  # set back to the measure's own margin: the measure's KPIs, after its sub-measures
        self.mode, self.item, self.item_block, self.last, self.stack = "kpi", None, None, None, []
        rest = match.group(1).strip()
        if rest:
            for part in re.split(r"(?=[①-⑳])", rest):
                if part.strip():
                    self.add_kpi(part.strip())
        return True

    def add_kpi(self, text: str, owner: dict | None = None) -> None:
        label_match = KPI_LABEL.match(text)
        kpi = {"text": self.text_of(label_match.group(2) if label_match else text)}
        if label_match:
            kpi["label"] = label_match.group(1)
        kpi["_source"] = (self.line.text, self.line.place)
        (owner or self.owner)["kpis"].append(kpi)
        self.last = (kpi, "text")

    def kpi_line(self, text: str) -> bool:
        if self.mode != "kpi" or self.owner is None:
            return False
        if self.line.cell:  # a table after the KPI line: the measure's rows
            self.mode = ""
            return False
        bullet = BULLET.match(text)
        if bullet and bullet.group(1) in "○◯〇":
            self.mode = ""
            return False
        if NOTE.match(text) and self.owner["kpis"]:
            self.add_note(text)
            return True
        if self.kpi_target(text, self.owner):
            return True
        self.add_kpi(bullet.group(2) if bullet else text)
        return True

    def targets_head(self, text: str) -> bool:
        match = TARGETS_HEAD.match(text)
        if not match or self.owner is None:
            return False
        self.mode, self.target_path, self.last = "targets", [], None
        if match.group(1).strip():
            self.add_target(0, match.group(1).strip(), "")
        return True

    def starts_targets(self, text: str) -> bool:
        owner = self.owner
        return (owner is not None and not owner["blocks"] and not owner["kpis"] and not owner["measures"]
                and BULLET.match(text) is None and not text.rstrip().endswith("。") and bool(extract_figures(text)))

    def target_line(self, text: str) -> bool:
        if self.mode != "targets" and not self.starts_targets(text):
            return False
        self.mode = "targets"
        bullet = BULLET.match(text)
        if not extract_figures(text) or (bullet and bullet.group(1) == "※"):
            if not (text.startswith("（内訳）") or not bullet and self.target_path):
                self.mode = ""
                return False
        marker, body = (bullet.group(1), bullet.group(2)) if bullet else ("", text)
        depth = {"": 0, "○": 1, "◯": 1, "〇": 1, "・": 2}.get(marker, 2)
        if not bullet and self.target_path and (text.startswith("（内訳）") or len(self.target_path) > 3):
            depth = 3
        if not bullet and len(self.target_path) >= 4 and not text.startswith("（内訳）"):
            depth = 3
        self.add_target(depth, body, marker)
        return True

    def add_target(self, depth: int, text: str, marker: str) -> None:
        depth = min(depth, len(self.target_path))
        node = {"text": self.text_of(text, figures_line=True), "marker": marker, "breakdown": [], "_figures": True}
        if depth == 0:
            self.owner["targets"].append(node)
        else:
            self.target_path[depth - 1]["breakdown"].append(node)
        self.target_path = self.target_path[:depth] + [node]
        self.last = (node, "text")

    # --- items -----------------------------------------------------------

    def bullet(self, text: str) -> bool:
        match = BULLET.match(text)
        if match is None:
            found = numbered(text)
            if found is None or (self.owner is None and self.section is None):
                return False
            marker, body = found[1], found[2]
        else:
            marker, body = match.group(1), match.group(2)
        if self.mode == "kpi":
            self.mode = ""
        return self.add_item(marker, body)

    def add_item(self, marker: str, body: str) -> bool:
        node = {"text": self.text_of(body), "marker": marker}
        if self.line.cell >= 2 and self.row_item is not None:  # 取組 beside their 施策
            self.row_item.setdefault("items", []).append(node)
            self.last = (node, "text")
            return True
        if self.line.indent > 0 or self.stack:
            return self.add_indented(node)
        if self.nests_under_item(node):
            if self.item_block is not None:
                self.item_block["items"].append(node)
            else:
                self.item.setdefault("items", []).append(node)
        else:
            if not self.open_item(node):
                return True
            self.row_item = node if self.line.cell == 1 else None
        self.last = (node, "text")
        return True

    def nests_under_item(self, node: dict) -> bool:
        """A ・ after a ○ item is one of its points, where no indent says otherwise."""
        return node["marker"] in "・･" and self.item is not None and self.item.get("marker") in ("○", "◯", "〇", "●")

    def open_item(self, node: dict) -> bool:
        """A top-level item of the current block; without a block the line is reported, not placed."""
        block = self.current_block()
        if block is None:
            self.skip("見出しの外")
            return False
        block["items"].append(node)
        self.item, self.item_block, self.item_indent = node, None, self.line.indent
        return True

    def add_indented(self, node: dict) -> bool:
        """Word says how deep each line is: an item indented past the open one belongs to it."""
        indent = self.line.indent
        while self.stack and self.stack[-1][0] >= indent:
            self.stack.pop()
        if not self.stack and self.item is not None and self.item_indent < indent:
            self.stack = [(self.item_indent, self.item)]  # a list item deeper than the open one (List Bullet 2)
        if self.stack:
            parent = self.stack[-1][1]
            target = parent["_open_block"]["items"] if "_open_block" in parent else parent.setdefault("items", [])
            target.append(node)
        elif not self.open_item(node):
            return True
        self.stack.append((indent, node))
        self.last = (node, "text")
        return True

    def plain(self, text: str) -> bool:
        if self.owner is None and self.section is None:
            self.skip("見出しの外")
            return True
        if self.item_block is not None and not self.line.cell:
            node = {"text": self.text_of(text), "marker": ""}
            self.item_block["items"].append(node)
            self.last = (node, "text")
            return True
        return self.add_item("", text)


def recognize(lines: list[Line]) -> Recognized:
    reader = _Reader()
    for line in whole_brackets(lines):
        reader.feed(line)
    for kpi in every_kpi(reader.plan):
        text, place = kpi.pop("_source")
        reader.line = Line(text, place)
        reader.doubt_kpi(kpi)
    finish(reader.plan)
    doubts = [Unplaced(*doubt) for doubt in reader.doubts]
    return Recognized(reader.plan, reader.unplaced, len(lines), doubts, reader.tables)

