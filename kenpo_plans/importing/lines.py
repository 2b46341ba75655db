"""A line of a source document with its place, and how a line is tidied: shared by every reader and the recogniser."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace


@dataclass
class Line:
    text: str
    place: str  # where in the source: 段落 12 / 表1 2行1列 / 3頁 14行 / 14行
    wrapped: bool = False  # may be the continuation of the line before (layout line, not a paragraph)
    column: str = ""  # "old" for the 旧 column of a 新旧 table: not part of the plan being imported
    extracted: bool = False  # laid out in lines by a PDF (read here, or by another tool into a .txt/.md)
    outline: int = 0  # Word heading level (見出し 1 = 1): section, measure, sub-measure
    cell: int = 0  # column of a text table row (施策 | 取組 | 実績), counted from 1; 0 outside tables
    indent: int = 0  # left indent (Word: twips), for what belongs to a measure rather than its last sub-measure
    gaps: bool = False  # text from another tool's PDF extraction: a space beside a half-width digit is layout
    role: str = ""  # what a table's header says its column holds: title, items, kpi, groups ("" when unsaid)


@dataclass
class Unplaced:
    """A line the import did not put in the plan (or put there on a guess), with its place and why."""

    text: str
    place: str
    reason: str


_SPACE_BETWEEN = re.compile(r"(?<=[0-9A-Za-z%％.,)）]) (?=[\u3000-\u30ff\u4e00-\u9fff（])"
                            r"|(?<=[\u3000-\u30ff\u4e00-\u9fff（]) (?=[0-9A-Za-z])")


_ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def tidy(text: str) -> str:
    """One line as a reader sees it: outer spaces (half- and full-width) gone, inner runs of spaces one, and no
    zero-width character (a soft hyphen, U+200B, a BOM pasted mid-text), which no reader sees but a figure would
    be split by."""
    text = _ZERO_WIDTH.sub("", text).replace("\u00a0", " ").replace("\t", " ")
    text = re.sub(r"[ \u3000]+$", "", re.sub(r"^[ \u3000]+", "", text))
    return re.sub(r" {2,}", " ", text)


def close_pdf_gaps(text: str) -> str:
    """PDF extraction puts a space between half-width digits and kana/kanji (第 3期, 業務 G): the document has none."""
    return _SPACE_BETWEEN.sub("", text)


def whole_brackets(lines: list[Line]) -> list[Line]:
    """A 【…】 heading that a narrow column broke over two layout lines, put back together."""
    out: list[Line] = []
    for line in lines:
        before = out[-1] if out else None
        if (before is not None and line.wrapped and before.extracted and before.column == line.column
                and before.text.startswith("【") and "】" not in before.text and line.text.endswith("】")
                and "【" not in line.text):
            out[-1] = replace(before, text=before.text + line.text)
        else:
            out.append(line)
    return out
