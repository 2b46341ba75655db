"""What a table's header says of its columns, applied to their cells; notes to the KPI they mark; doubts said aloud.

A cell under 担当グループ holds the measure's groups (業務G, one per paragraph, brackets or not), never an item or a
KPI; a cell under ＫＰＩ holds KPIs; the first paragraph of a cell under 施策 opens the measure of its row, numbered
or not.  Lines placed on a guess (a KPI sentence that states no target, a one-word KPI that reads like a group
name, a group name that is no group's) are kept in ``doubts`` with their place so the import can name them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..plan.schema import PLAN_SCHEMA
from ..plan.targets import parse_target
from ..resources import load_schema
from .conventions import (BULLET, HEADER_ROLES, KPI_HEAD, KPI_TARGET, NOTE, flattened, is_group_tag, looks_like_heading,
                          numbered)
from .lines import Unplaced

_NO_ENTRY = re.compile(r"^[-－―ー‐—]+$|^(?:なし|無し|該当なし)$")
_GROUP_NAME = re.compile(r"^.{1,8}(?:G|グループ)$")
_KPI_ENDING = re.compile(r"(?:する|します|以上|以下|未満|超|を目指す|に努める|[0-9０-９][％%件円人日回社か所箇所ヶ所事業所]*)[。.]?$")
_MARK = re.compile(r"[（(]?※\s*([0-9０-９]*)\s*[）)]?")


@lru_cache(maxsize=1)
def known_groups() -> tuple[str, ...]:
    """The groups a plan file may name, as its schema lists them (企画総務G, 業務G, レセプトG, 保健G)."""
    return tuple(load_schema(PLAN_SCHEMA)["$defs"]["groups"]["items"]["enum"])


def group_names(text: str) -> list[str]:
    """「【業務G・レセプトG】」「業務グループ」 → the names as plans write them (業務G)."""
    bare = re.sub(r"[【】\[\]［］〔〕]", "", flattened(text))
    names = [name for name in re.split(r"[・、,/／]", bare) if name]
    return [re.sub(r"グループ$", "G", name) for name in names]


class CellReading:
    """Mixed into the recogniser: the steps for lines whose table column says what they are."""

    def by_role(self, text: str) -> bool:
        role = self.line.role
        if role in ("groups", "kpi"):
            owner = self.row_owner
            if owner is None:
                self.skip("担当欄（施策がない）" if role == "groups" else "ＫＰＩ欄（施策がない）")
            elif not _NO_ENTRY.match(flattened(text)):  # 「－」「なし」: an empty cell said in words
                (self.group_cell if role == "groups" else self.kpi_cell)(text, owner)
            return True
        if role == "title" and not self.line.outline:
            return self.title_cell(text)
        if role == "items" and self.mode == "kpi":
            self.mode = ""  # the 取組 beside a KPI cell are items again
        return False

    @property
    def row_owner(self) -> dict | None:
        """The measure the row's 施策 cell opened (not the last sub-measure inside that cell), else the open one."""
        return self.row_measure or self.owner

    def group_cell(self, text: str, owner: dict) -> None:
        for name in group_names(text):
            if name not in known_groups():  # another name is the office's to settle: the schema would refuse it
                self.unplaced.append(Unplaced(name, self.line.place, f"知らない担当グループ（{'・'.join(known_groups())}）"))
            elif name not in owner["groups"]:
                owner["groups"].append(name)
        self.last = None

    def kpi_cell(self, text: str, owner: dict) -> None:
        if self.mode != "kpi":
            self.mode, self.item, self.item_block, self.stack = "kpi", None, None, []
        head = KPI_HEAD.match(text)
        text = head.group(1).strip() if head else text
        if not text or self.kpi_target(text, owner):
            return
        if NOTE.match(text) and owner["kpis"]:
            self.add_note(text, owner)
            return
        bullet = BULLET.match(text)
        self.add_kpi(bullet.group(2) if bullet and bullet.group(1) != "※" else text, owner)

    def title_cell(self, text: str) -> bool:
        """The first paragraph of a 施策 cell: the row's measure (a sub-measure when numbered i）, ii）)."""
        if self.section is None:
            return False
        found = numbered(text)
        if found and not looks_like_heading(found[2]):
            found = None
        if found and found[0] == self.section_family:
            return False  # a section heading typed in the table
        if found and found[0] == "lower" and self.measure is not None:
            self.open_sub(found[1], found[2])
            self.row_measure = self.sub
            return True
        if found and self.measure_family is None:
            self.measure_family = found[0]
        self.open_measure(found[1] if found else "", found[2] if found else text)
        self.row_measure = self.measure
        self.last = None  # a cell's first paragraph is whole
        return True

    # --- notes and targets ------------------------------------------------------

    def kpi_target(self, text: str, owner: dict) -> bool:
        """目標：92.3%以上 (or 目標なし：…) under a KPI: the target its sentence does not state."""
        match = KPI_TARGET.match(text)
        if match is None or not owner["kpis"]:
            return False
        key = "target_unknown" if match.group(1) == "目標なし" else "target_text"
        owner["kpis"][-1][key] = match.group(2).strip()
        self.last = None
        return True

    def add_note(self, text: str, owner: dict | None = None) -> None:
        """A （※） note goes with the KPI that carries its mark (※1 with ※1), else the last KPI."""
        kpis = (owner or self.owner)["kpis"]
        mark = _MARK.match(text)
        number = unicodedata.normalize("NFKC", mark.group(1)) if mark else ""
        marked = [kpi for kpi in kpis if "※" in kpi["text"] and
                  (not number or re.search("※\\s*" + number, unicodedata.normalize("NFKC", kpi["text"])))]
        waiting = [kpi for kpi in marked if not kpi.get("notes")]
        kpi = (waiting or marked or kpis)[0 if waiting or marked else -1]
        kpi.setdefault("notes", []).append(self.text_of(text))
        self.last = (kpi["notes"], len(kpi["notes"]) - 1)

    # --- doubts -------------------------------------------------------------

    def doubt(self, reason: str) -> None:
        self.doubts.append((self.line.text, self.line.place, reason))

    def doubt_kpi(self, kpi: dict) -> None:
        """A KPI placed on a guess: a one-word group name, or a sentence with no target and no 「…とする」."""
        text = kpi["text"]
        if _GROUP_NAME.match(flattened(text)) or is_group_tag(text) and len(flattened(text)) <= 8:
            self.doubt("ＫＰＩがグループ名のように見える")
        elif parse_target(text) is None and not _KPI_ENDING.search(text.strip()) and len(text) > 8 \
                and not (kpi.get("target_text") or kpi.get("target_unknown")):
            self.doubt("ＫＰＩの文に目標も「…とする」もない")

    def header_like(self, text: str) -> bool:
        """A table's header row laid out as a line (施策 担当グループ, from a PDF) is skipped; one word of it inside
        a Word table is kept but named."""
        words = unicodedata.normalize("NFKC", text).split()
        if len(words) >= 2 and all(word in HEADER_ROLES for word in words):
            self.skip("表の見出し")
            return True
        if self.line.role and "".join(words) in HEADER_ROLES:
            self.doubt("表の見出しのような行（内容として取り込んだ）")
        return False

