"""Source documents → lines with their place: Word (.docx), PDF, and text extracted from a PDF (.txt/.md).

Each reader yields ``Line``s in reading order and nothing else: the recogniser decides what a line is.
A line keeps where it came from (段落 12, 表1 2行1列, 3頁 14行) so every line the recogniser cannot place
can be reported in place, and ``wrapped`` says whether it may continue the line before (text laid out
in lines by a PDF, or a Word paragraph broken by a manual line break) or starts a paragraph of its own.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from ..errors import KenpoError
from ..fileio import file_kind
from ..i18n import _
from ..labels import PLACE_LINE, PLACE_PAGE_LINE
from .guard import open_docx, pdf_pages
from .lines import Line, tidy

SUFFIXES = (".docx", ".pdf", ".txt", ".md")
MAX_SOURCE_BYTES = 50 * 1024 * 1024


class SourceError(KenpoError):
    """Raised when a source document cannot be read (unknown kind, damaged file)."""


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


# --- PDF --------------------------------------------------------------------


def _pdf_lines(path: Path) -> list[Line]:
    from .pdf_source import column_split, page_lines
    from .pdf_tables import TableState, finish, page_table_lines

    lines: list[Line] = []
    split = None
    tables = TableState()
    try:
        for page_number, page in enumerate(pdf_pages(path), start=1):
            here = column_split(page)
            split = here or split  # the header row may print on the first page only
            in_tables = page_table_lines(page, page_number, tables) if split is None else None
            if in_tables is not None:
                lines += in_tables
                continue
            for number, (text, column) in enumerate(page_lines(page, split, here is not None), start=1):
                clean = tidy(text)
                if clean:
                    lines.append(Line(clean, PLACE_PAGE_LINE.format(page=page_number, line=number), wrapped=True,
                                      extracted=True, column=column))
        lines += finish(tables)
    except KenpoError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise SourceError(_("{path}: cannot read this PDF ({error}).").format(
            path=path, error=str(exc) or type(exc).__name__)) from exc
    return lines


# --- Word -------------------------------------------------------------------


def _docx_lines(path: Path) -> list[Line]:
    from .docx_source import document_lines

    return document_lines(open_docx(path))
