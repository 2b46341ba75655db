"""The conventions of a 事業計画 as patterns: numbering, bullets, tags, KPI and block headings, and the tidy-up of the tree.

``recognize`` decides with these what each line of a source is; they are kept apart so the patterns,
which grow with every office's habits, can be read (and tested) on their own.
"""

from __future__ import annotations

import re
import unicodedata

from ..plan.targets import parse_target

FAMILIES = (
    ("circled", re.compile(r"^([①-⑳])\s*(.*)$")),
    ("paren", re.compile(r"^([（(]\s*[0-9０-９]{1,2}\s*[）)])\s*(.*)$")),
    ("lower", re.compile(r"^((?:ⅰ|ⅱ|ⅲ|ⅳ|ⅴ|ⅵ|ⅶ|ⅷ|ⅸ|ⅹ|ix|iv|v?i{1,3}|x|v)\s*[）).．])\s*(.*)$")),
    ("upper", re.compile(r"^((?:Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ|Ⅶ|Ⅷ|Ⅸ|Ⅹ)\s*[.．、）)]?|(?:IX|IV|V?I{1,3}|X|V)\s*[.．、])\s*(.*)$")),
    ("dotnum", re.compile(r"^([0-9０-９]{1,2}\s*[.．、])(?![0-9０-９])\s*(.*)$")),
)
BULLET = re.compile(r"^([○◯〇・●◆◇□◎※＊･→])\s*(.*)$")
KPI_HEAD = re.compile(r"^(?:《\s*(?:KPI|ＫＰＩ)\s*》|【\s*(?:KPI|ＫＰＩ)\s*】|■\s*(?:K\s*P\s*I|Ｋ\s*Ｐ\s*Ｉ)"
                       r"|(?:KPI|ＫＰＩ)\s*[:：])\s*[:：]?\s*(.*)$")
NOTE = re.compile(r"^[（(]?※")
KPI_TARGET = re.compile(r"^(目標(?:値)?|目標なし)\s*[:：]\s*(.+)$")  # 目標：92.3%以上 under a KPI, its target column
BLOCK = re.compile(r"^【([^】]+)】$")
SUB_BLOCK = re.compile(r"^[＜<〈]([^＞>〉]+)[＞>〉]$")
TARGETS_HEAD = re.compile(r"^【\s*数値目標\s*】\s*(.*)$")
GROUP_TAG = re.compile(r"【([^】]*[GＧ]\s*)】\s*$")
GOALS = re.compile(r"[〈<＜]\s*([ⅠⅡⅢⅣⅤ](?:\s*[、,・]\s*[ⅠⅡⅢⅣⅤ])*)\s*[〉>＞]\s*$")
TIER = re.compile(r"^(上位目標|中位目標|下位目標)$")
NUMBER = re.compile(r"^資料\s*[0-9０-９]")
DRAFT = re.compile(r"\s*[（(【\[]\s*案\s*[）)】\]]")
DATE = re.compile(r"^(?:令和|平成)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日$")
NEW_OLD_HEADER = re.compile(r"^(?:新|改正後)\s*[（(].*[）)]\s*(?:旧|現|改正前)\s*[（(].*[）)]$|^(?:新|旧|現)\s*(?:[（(][^）)]*[）)])?$")
PAGE_NUMBER = re.compile(r"^[-－ー‐]?\s*[0-9０-９]{1,3}\s*[-－ー‐]?$|^[0-9０-９]{1,3}\s*[/／]\s*[0-9０-９]{1,3}$")
KPI_LABEL = re.compile(r"^([①-⑳]|[（(][^）)]{1,12}[）)](?=\u3000))\u3000?\s*(.*)$")
# The words of a header cell (NFKC, spaces gone) → what the column holds.
HEADER_ROLES = {
    "施策": "title", "施策名": "title", "施策・担当": "title", "項目": "title", "重点施策": "title",
    "取組": "items", "取組内容": "items", "取組事項": "items", "実施内容": "items", "具体的な取組": "items",
    "主な取組": "items", "具体的施策": "items", "内容": "items", "取組・内容": "items",
    "KPI": "kpi", "指標": "kpi", "目標": "kpi", "KPI(指標)": "kpi", "数値目標": "kpi", "KPI・目標": "kpi",
    "担当": "groups", "担当グループ": "groups", "担当G": "groups", "担当部署": "groups", "担当部門": "groups",
    "担当課": "groups", "備考": "remarks",
}
ROLE_NAMES = {"title": "施策名", "items": "取組", "kpi": "ＫＰＩ", "groups": "担当グループ", "remarks": "備考（取り込まない）",
              "": "本文"}


def table_reading(number: int, columns: list[tuple[str, str]]) -> str:
    """How a table's columns were read, for the import's report: 表1: 1列「施策」→施策名、2列「担当グループ」→担当グループ."""
    return f"表{number}: " + "、".join(f"{c}列「{word}」→{ROLE_NAMES[role]}"
                                     for c, (word, role) in enumerate(columns, start=1))


def grouped_readings(readings: list[str]) -> list[str]:
    """Tables read alike one after another as one line, 表1〜26: …, so a plan typed as one table a measure is
    reported in a line, not in twenty-six."""
    runs: list[list] = []  # [first number, last number, reading]
    for reading in readings:
        label, _colon, columns = reading.partition(": ")
        number = int(label.removeprefix("表")) if label.removeprefix("表").isdigit() else None
        if runs and number is not None and runs[-1][2] == columns and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number, columns] if number is not None else [None, None, reading])
    return [run[2] if run[0] is None else f"表{run[0]}: {run[2]}" if run[0] == run[1]
            else f"表{run[0]}〜{run[1]}: {run[2]}" for run in runs]


COLUMN_REASONS = {"old": "旧欄", "new": "新欄", "results": "実績欄", "header": "表の見出し", "remarks": "備考欄",
                  "hidden": "隠し文字（Word の画面にも印刷にも出ない）", "numbering": "読めない番号定義（無視した）",
                  "revisions": "すべて承諾した内容として読んだ。却下する変更は Word で却下してから取り込む"}


def numbered(text: str) -> tuple[str, str, str] | None:
    """(family, label, rest) of a numbered line: ①…, （1）, i）, Ⅰ, 1."""
    for family, pattern in FAMILIES:
        match = pattern.match(text)
        if match:
            return family, match.group(1).strip(), match.group(2)
    return None


def looks_like_heading(rest: str) -> bool:
    bare = GROUP_TAG.sub("", rest).strip()
    return bool(bare) and not bare.endswith("。") and len(bare) <= 90


def is_group_tag(text: str) -> bool:
    names = re.split(r"[・、,]", flattened(text))
    return all(re.fullmatch(r".{1,6}G", name) for name in names if name)


def flattened(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def split_title(raw: str) -> tuple[str, list[str], list[str]]:
    """A measure's printed title → (title, groups, goals): 【保健 G・企画総務 G】 and 〈Ⅰ、Ⅱ〉 come off the end."""
    title, groups, goals = raw.strip(), [], []
    while True:
        match = GROUP_TAG.search(title)
        if match and is_group_tag(match.group(1)):
            groups = [name for name in re.split(r"[・、,]", flattened(match.group(1))) if name] + groups
            title = title[: match.start()].rstrip()
            continue
        match = GOALS.search(title)
        if match:
            goals = [g for g in re.split(r"\s*[、,・]\s*", match.group(1)) if g]
            title = title[: match.start()].rstrip()
            continue
        return title, groups, goals


def finish(plan: dict) -> None:
    """Titles with their tags split off, markers in their default form, empty lists gone."""
    for section in plan["sections"]:
        for measure in _every_measure(section["measures"]):
            measure["title"], groups, goals = split_title(measure.pop("raw_title", measure.get("title", "")))
            measure["groups"] = groups + measure["groups"]
            measure["goals"] = goals + measure["goals"]
            for kpi in measure["kpis"]:
                if parse_target(kpi["text"]) is None and not re.search(r"[0-9０-９]", kpi["text"]):
                    kpi["qualitative"] = True  # no figure at all: a goal in words, as the plan's own file marks it
        _clean(section)


def _every_measure(measures: list[dict]):
    for measure in measures:
        yield measure
        yield from _every_measure(measure["measures"])


def _clean(node):
    if isinstance(node, dict):
        is_target = "_figures" in node
        for key in list(node):
            empty = node[key] in ([], None) and not (key == "items" and "heading" in node)  # a block keeps its items
            if key in ("_figures", "_indent", "_open_block") or empty:
                del node[key]
            else:
                _clean(node[key])
        if node.get("marker") == "○" and "text" in node and not is_target:
            del node["marker"]  # ○ is the default marker of an item
    elif isinstance(node, list):
        for child in node:
            _clean(child)


def every_kpi(plan: dict):
    """Every KPI of the plan tree, measures and sub-measures alike."""
    def measures(nodes):
        for measure in nodes:
            yield from measure["kpis"]
            yield from measures(measure["measures"])

    for section in plan["sections"]:
        yield from measures(section["measures"])
