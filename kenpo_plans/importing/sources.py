"""Source documents → lines with their place: Word (.docx), PDF, and text extracted from a PDF (.txt/.md).

Each reader yields ``Line``s in reading order and nothing else: the recogniser decides what a line is.
A line keeps where it came from (段落 12, 表1 2行1列, 3頁 14行) so every line the recogniser cannot place
can be reported in place, and ``wrapped`` says whether it may continue the line before (text laid out
in lines by a PDF, or a Word paragraph broken by a manual line break) or starts a paragraph of its own.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import KenpoError
from ..fileio import file_kind
from ..i18n import _
from ..labels import PLACE_LINE, PLACE_PAGE_LINE, PLACE_PARAGRAPH, PLACE_TABLE_CELL
from .guard import open_docx, pdf_pages

SUFFIXES = (".docx", ".pdf", ".txt", ".md")
MAX_SOURCE_BYTES = 50 * 1024 * 1024


class SourceError(KenpoError):
    """Raised when a source document cannot be read (unknown kind, damaged file)."""


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


def read_lines(path: Path) -> list[Line]:
    """The lines of a source document, in reading order, blank ones left out."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SourceError(_("{path}: cannot import a {suffix} file; give a Word (.docx), PDF (.pdf) or text "
                            "(.txt, .md) document.").format(path=path, suffix=suffix or "(no suffix)"))
    try:
        status = path.stat()
    except OSError as exc:
        raise SourceError(_("{path}: no such file.").format(path=path)) from exc
    if not stat.S_ISREG(status.st_mode):  # a FIFO would block the reader, a directory is no document
        raise SourceError(_("{path} is {kind}, not a document; give the path of a Word, PDF or text file.").format(
            path=path, kind=file_kind(status.st_mode)))
    if status.st_size > MAX_SOURCE_BYTES:
        raise SourceError(_("{path}: the file is larger than 50 MB; is it really a plan?").format(path=path))
    reader = {".docx": _docx_lines, ".pdf": _pdf_lines}.get(suffix, _text_lines)
    return [line for line in reader(path) if line.text.strip()]


# --- text -------------------------------------------------------------------

_MARKUP = re.compile(r"</?(p|li|ul|ol|br|span|div)\b[^>]*>")
_HEADING_HASHES = re.compile(r"^\s*#{1,6}\s+")


def text_lines(text: str, page_break: str = "\f") -> list[Line]:
    """Lines of text extracted from a PDF: each may be a wrapped part of the sentence before it."""
    lines: list[Line] = []
    pages = text.count(page_break) > 0
    results_column = None
    for page_number, page in enumerate(text.split(page_break), start=1):
        for number, raw in enumerate(page.splitlines(), start=1):
            hashes = _HEADING_HASHES.match(raw)
            outline = raw.strip().count("#", 0, len(hashes.group(0))) if hashes else 0
            cells = raw.split("\t")
            if len(cells) > 1 and any(_RESULTS_HEADER.match(tidy(cell)) for cell in cells):
                results_column = next(i for i, cell in enumerate(cells) if _RESULTS_HEADER.match(tidy(cell)))
            elif hashes:
                results_column = None
            place = PLACE_PAGE_LINE.format(page=page_number, line=number) if pages \
                else PLACE_LINE.format(line=number)
            for index, cell in enumerate(cells):
                column = _cell_column(cells, index, results_column)
                for part in _MARKUP.sub("\n", cell).split("\n"):
                    clean = tidy(_HEADING_HASHES.sub("", part))
                    if clean:
                        lines.append(Line(clean, place, wrapped=not hashes and len(cells) == 1, extracted=True,
                                          outline=outline, column=column, cell=index + 1 if len(cells) > 1 else 0,
                                          gaps=True))
    return lines


_RESULTS_HEADER = re.compile(r"^実績")


def _cell_column(cells: list[str], index: int, results_column: int | None) -> str:
    """A row of a progress report's table (施策 / 取組 / 実績): its header and its 実績 column are not the plan."""
    if len(cells) < 2:
        return ""
    if any(_RESULTS_HEADER.match(tidy(cell)) for cell in cells):
        return "header"
    return "results" if index == results_column else ""


def _text_lines(path: Path) -> list[Line]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError as exc:
            raise SourceError(_("{path}: the text is neither UTF-8 nor Shift_JIS; save it as UTF-8.").format(
                path=path)) from exc
    return text_lines(text.replace("\r\n", "\n"))


_SPACE_BETWEEN = re.compile(r"(?<=[0-9A-Za-z%％.,)）]) (?=[\u3000-\u30ff\u4e00-\u9fff（])"
                            r"|(?<=[\u3000-\u30ff\u4e00-\u9fff（]) (?=[0-9A-Za-z])")


def tidy(text: str) -> str:
    """One line as a reader sees it: outer spaces (half- and full-width) gone, inner runs of spaces one."""
    text = text.replace("\u00a0", " ").replace("\t", " ")
    text = re.sub(r"[ \u3000]+$", "", re.sub(r"^[ \u3000]+", "", text))
    return re.sub(r" {2,}", " ", text)


def close_pdf_gaps(text: str) -> str:
    """PDF extraction puts a space between half-width digits and kana/kanji (第 3期, 業務 G): the document has none."""
    return _SPACE_BETWEEN.sub("", text)


# --- PDF --------------------------------------------------------------------


def _pdf_lines(path: Path) -> list[Line]:
    from .pdf_source import column_split, page_lines

    lines: list[Line] = []
    split = None
    try:
        for page_number, page in enumerate(pdf_pages(path), start=1):
            here = column_split(page)
            split = here or split  # the header row may print on the first page only
            for number, (text, column) in enumerate(page_lines(page, split, here is not None), start=1):
                clean = tidy(text)
                if clean:
                    lines.append(Line(clean, PLACE_PAGE_LINE.format(page=page_number, line=number), wrapped=True,
                                      extracted=True, column=column))
    except KenpoError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise SourceError(_("{path}: cannot read this PDF ({error}).").format(
            path=path, error=str(exc) or type(exc).__name__)) from exc
    return lines


# --- Word -------------------------------------------------------------------


def _docx_lines(path: Path) -> list[Line]:
    document = open_docx(path)
    numbering = _Numbering(document)
    lines: list[Line] = []
    paragraph_number = table_number = 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph_number += 1
            lines += _paragraph_lines(child, numbering, PLACE_PARAGRAPH.format(n=paragraph_number))
        elif tag == "tbl":
            table_number += 1
            lines += _table_lines(child, numbering, table_number)
    return lines


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def _paragraph_lines(p, numbering: "_Numbering", place: str, column: str = "") -> list[Line]:
    """One paragraph: its list number (if Word numbers it) before its text, split at manual line breaks."""
    parts: list[str] = [""]
    for node in p.iter(_w("t"), _w("br"), _w("tab"), _w("cr")):
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts[-1] += node.text or ""
        elif tag == "tab":
            parts[-1] += " "
        elif node.get(_w("type")) in (None, "textWrapping"):
            parts.append("")
    label = numbering.label_for(p)
    outline = numbering.outline_of(p)
    lines = []
    for index, part in enumerate(parts):
        text = tidy(part)
        if index == 0 and label:
            text = label + text
        if text:
            lines.append(Line(text, place, wrapped=index > 0, column=column, outline=outline if index == 0 else 0,
                              indent=_indent(p)))
    return lines


def _indent(p) -> int:
    ppr = p.find(_w("pPr"))
    ind = ppr.find(_w("ind")) if ppr is not None else None
    if ind is None:
        return 0
    def twips(name: str) -> int:
        value = ind.get(_w(name)) or "0"
        return int(value) if value.lstrip("-").isdigit() else 0

    # where the line's first character stands: a hanging marker (○ under a hanging indent) counts at its place
    return twips("left") + twips("start") - twips("hanging") + twips("firstLine")


def _table_lines(tbl, numbering: "_Numbering", table_number: int) -> list[Line]:
    """Every cell's paragraphs, row by row; a 新旧 table's 旧 column is marked as not the plan."""
    rows = [row for row in tbl.iterchildren(_w("tr"))]
    old_column = _old_column(rows)
    lines: list[Line] = []
    for r, row in enumerate(rows, start=1):
        seen = set()
        for c, cell in enumerate(row.iterchildren(_w("tc")), start=1):
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            column = "old" if old_column == c else ""
            place = PLACE_TABLE_CELL.format(t=table_number, r=r, c=c)
            for p in cell.iter(_w("p")):
                lines += _paragraph_lines(p, numbering, place, column)
    return lines


def _cell_text(cell) -> str:
    return "".join(t.text or "" for t in cell.iter(_w("t")))


def _old_column(rows) -> int | None:
    """The 旧/現 column of a 新旧対照表 (its header names both 新 and 旧), counted from 1."""
    if not rows:
        return None
    headers = [unicodedata.normalize("NFKC", _cell_text(cell)).strip() for cell in rows[0].iterchildren(_w("tc"))]
    is_new = [h.startswith(("新", "改正後", "変更後")) for h in headers]
    is_old = [h.startswith(("旧", "現", "改正前", "変更前")) for h in headers]
    if any(is_new) and any(is_old):
        return is_old.index(True) + 1
    return None


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(fmt: str, n: int) -> str:
    """A list number as Word shows it for the format (w:numFmt)."""
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "lowerLetter":
        return chr(ord("a") + n - 1)
    if fmt == "upperLetter":
        return chr(ord("A") + n - 1)
    return str(n)


class _Numbering:
    """Word's list numbering (numbering.xml): the label each numbered paragraph shows, counted in order."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numbering = self._style_numbering(document)
        self.style_outline = self._style_outline(document)
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {}
        for node in root.iterchildren(_w("abstractNum")):
            levels = {}
            for lvl in node.iterchildren(_w("lvl")):
                fmt = lvl.find(_w("numFmt"))
                text = lvl.find(_w("lvlText"))
                start = lvl.find(_w("start"))
                levels[int(lvl.get(_w("ilvl"), "0"))] = (
                    fmt.get(_w("val")) if fmt is not None else "decimal",
                    text.get(_w("val")) if text is not None else "",
                    int(start.get(_w("val"))) if start is not None else 1)
            abstract[node.get(_w("abstractNumId"))] = levels
        for num in root.iterchildren(_w("num")):
            ref = num.find(_w("abstractNumId"))
            for level, spec in abstract.get(ref.get(_w("val")) if ref is not None else "", {}).items():
                self.levels[(num.get(_w("numId")), level)] = spec

    def outline_of(self, p) -> int:
        """The heading level of a paragraph: its own w:outlineLvl, else its style's (Heading 1, 見出し 1)."""
        ppr = p.find(_w("pPr"))
        if ppr is None:
            return 0
        level = ppr.find(_w("outlineLvl"))
        if level is not None and level.get(_w("val"), "").isdigit() and int(level.get(_w("val"))) < 9:
            return int(level.get(_w("val"))) + 1
        style = ppr.find(_w("pStyle"))
        return self.style_outline.get(style.get(_w("val")), 0) if style is not None else 0

    @staticmethod
    def _style_outline(document) -> dict[str, int]:
        found = {}
        for style in document.styles:
            match = re.match(r"^(?:heading|見出し)\s*([1-9])$", (style.name or "").strip(), re.IGNORECASE)
            if match:
                found[style.style_id] = int(match.group(1))
        return found

    @staticmethod
    def _style_numbering(document) -> dict[str, tuple[str, int]]:
        found = {}
        for style in document.styles:
            ppr = style.element.find(_w("pPr"))
            num = ppr.find(_w("numPr")) if ppr is not None else None
            if num is not None and num.find(_w("numId")) is not None:
                level = num.find(_w("ilvl"))
                found[style.style_id] = (num.find(_w("numId")).get(_w("val")),
                                         int(level.get(_w("val"))) if level is not None else 0)
        return found

    def _num_of(self, p) -> tuple[str, int] | None:
        ppr = p.find(_w("pPr"))
        if ppr is None:
            return None
        num = ppr.find(_w("numPr"))
        if num is not None and num.find(_w("numId")) is not None:
            level = num.find(_w("ilvl"))
            return num.find(_w("numId")).get(_w("val")), int(level.get(_w("val"))) if level is not None else 0
        style = ppr.find(_w("pStyle"))
        return self.style_numbering.get(style.get(_w("val"))) if style is not None else None

    def label_for(self, p) -> str:
        found = self._num_of(p)
        if found is None or found[0] == "0" or (found[0], found[1]) not in self.levels:
            return ""
        num_id, level = found
        fmt, pattern, start = self.levels[(num_id, level)]
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet":
            return pattern
        label = pattern
        for k in range(level + 1):
            spec = self.levels.get((num_id, k))
            value = counters.get(k, spec[2] if spec else 1)
            label = label.replace(f"%{k + 1}", format_number(spec[0] if spec else "decimal", value))
        return label
