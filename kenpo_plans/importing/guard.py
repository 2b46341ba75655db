"""One guard in front of every document reader (Word, PDF, Excel): budgets checked before a parser runs,
and every parser's own exceptions turned into one message that names the user's file and what to do.

A .docx or .xlsx is a zip whose parts the parsers inflate whole, so the sizes its central directory
declares are checked (each part, and all together) before anything is read: zipfile never inflates a
part past its declared size (more is a CRC error), so the declared sizes bound the work.  A PDF's
compressed streams are inflated here, each up to its budget, before pdfminer sees them; objects that only
point at one another are found with a visited set; and extraction runs under a time budget, because
pdfminer has loops that no size foresees.  Parsers raise a zoo of exceptions for a damaged file
(lxml, zlib, zipfile, pdfminer, openpyxl, and plain ValueError/KeyError from deep inside): the user sees
one sentence, never a traceback, and ``--debug`` still shows the cause.
"""

from __future__ import annotations

import bisect
import os
import re
import signal
import stat
import threading
import time
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from ..errors import KenpoError
from ..fileio import file_kind
from ..i18n import _

MAX_PART_BYTES = 64 * 1024 * 1024  # one part of a .docx/.xlsx, inflated; a plan's document.xml is ~1 MB
MAX_XML_PART_BYTES = 16 * 1024 * 1024  # an XML part becomes a tree several times its size in memory
MAX_ZIP_BYTES = 200 * 1024 * 1024  # every part together (pictures included)
MAX_ZIP_PARTS = 5_000
MAX_STREAM_BYTES = 32 * 1024 * 1024  # one PDF stream, inflated; a page of text is ~10 KB
MAX_PDF_BYTES = 200 * 1024 * 1024  # every stream of a PDF together
MAX_PDF_PAGES = 1_000
READ_SECONDS = 8.0  # for the first megabyte; a large document earns one more second per megabyte
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE container: an encrypted Office file, or .doc/.xls


class DocumentError(KenpoError):
    """Raised when a source document is damaged, protected, or larger than any plan needs."""


class _OutOfTime(BaseException):
    """Raised by the alarm inside a parser; a BaseException, so no parser's ``except Exception`` swallows it."""


def regular_file(path: Path) -> None:
    """The document is a regular file: a FIFO would block the reader for ever, a directory is no document."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise DocumentError(_("{path}: no such file.").format(path=path)) from exc
    if not stat.S_ISREG(mode):
        raise DocumentError(_("{path} is {kind}, not a document; give the path of a Word, PDF, text or Excel "
                              "file.").format(path=path, kind=file_kind(mode)))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f}"


# --- zip (.docx, .xlsx) -------------------------------------------------------


def check_zip(path: Path, kind: str) -> None:
    """Refuse an Office file whose parts would inflate past the budgets, before any parser reads it."""
    with _mapped(path, kind):
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    if len(parts) > MAX_ZIP_PARTS:
        raise DocumentError(_("{path}: the file holds {count:,} parts; an Office document has a few dozen. "
                              "It is not a plan as saved by Word or Excel.").format(path=path, count=len(parts)))
    total = 0
    for part in parts:
        limit = MAX_XML_PART_BYTES if part.filename.endswith((".xml", ".rels")) else MAX_PART_BYTES
        if part.file_size > limit:
            raise DocumentError(_("{path}: its part {part} would inflate to {size} MB (more than {limit} MB); a "
                                  "plan never needs that. Remove large pictures or embedded files and save it "
                                  "again.").format(path=path, part=part.filename, size=_mb(part.file_size),
                                                   limit=_mb(limit)))
        total += part.file_size
    if total > MAX_ZIP_BYTES:
        raise DocumentError(_("{path}: its parts would inflate to {size} MB together (more than {limit} MB); "
                              "remove large pictures or embedded files and save it again.").format(
            path=path, size=_mb(total), limit=_mb(MAX_ZIP_BYTES)))


# --- what each parser raises, said once ---------------------------------------


def _parser_errors() -> tuple[type[BaseException], ...]:
    kinds: list[type[BaseException]] = [zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, KeyError,
                                        ValueError, IndexError, TypeError, AttributeError, OverflowError,
                                        RecursionError, UnicodeError, AssertionError, OSError]
    try:
        from lxml.etree import LxmlError

        kinds.append(LxmlError)
    except ImportError:  # pragma: no cover - a dependency of python-docx
        pass
    try:
        from pdfminer.psexceptions import PSException

        kinds.append(PSException)
    except ImportError:  # pragma: no cover - a dependency of the package
        pass
    try:
        from docx.opc.exceptions import OpcError

        kinds.append(OpcError)
    except ImportError:  # pragma: no cover
        pass
    try:
        from openpyxl.utils.exceptions import InvalidFileException

        kinds.append(InvalidFileException)
    except ImportError:  # pragma: no cover
        pass
    return tuple(kinds)


def _is_password(exc: BaseException) -> bool:
    try:
        from pdfminer.pdfdocument import PDFEncryptionError
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, PDFEncryptionError)


def _is_ole(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(CFB_MAGIC)) == CFB_MAGIC
    except OSError:
        return False


def _what_went_wrong(path: Path, kind: str, exc: BaseException) -> str:
    """One sentence for the user: what is wrong with their file, and what to do."""
    if kind == "pdf" and _is_password(exc):
        return _("{path}: the PDF is protected by a password; save an unprotected copy and import that.").format(path=path)
    if kind in ("docx", "xlsx") and _is_ole(path):
        return _("{path}: the file is protected by a password, or saved in the old .doc/.xls format; open it in "
                 "Word or Excel and save an unprotected copy as .docx/.xlsx.").format(path=path)
    if isinstance(exc, RecursionError):
        return _("{path}: the document nests deeper than any plan (tables within tables, hundreds deep); "
                 "save it again with a flat layout.").format(path=path)
    if isinstance(exc, (zlib.error, EOFError)) or "CRC" in str(exc):
        return _("{path}: the file is damaged (its compressed data does not inflate); save it again from the "
                 "program that made it, or ask for a new copy.").format(path=path)
    line = getattr(exc, "lineno", None) or getattr(exc, "position", (None,))[0]
    if type(exc).__name__ == "XMLSyntaxError":
        return _("{path}: the file's XML is damaged (line {line}); open it in Word or Excel and save it again, "
                 "or ask for a new copy.").format(path=path, line=line or "?")
    names = {"docx": _("a Word (.docx) document"), "xlsx": _("an Excel workbook (.xlsx)"), "pdf": _("a PDF")}
    return _("{path}: cannot be read as {kind}: it is damaged, or not one. Open it in the program that made "
             "it and save it again, or ask for a new copy.").format(path=path, kind=names.get(kind, kind))


@contextmanager
def _mapped(path: Path, kind: str):
    try:
        yield
    except KenpoError:
        raise
    except _parser_errors() as exc:
        raise DocumentError(_what_went_wrong(Path(path), kind, exc)) from exc
    except MemoryError as exc:
        raise DocumentError(_("{path}: reading it needs more memory than any plan; is it really a plan?").format(
            path=path)) from exc


@contextmanager
def reading(path: Path, kind: str):
    """Everything a parser raises for a damaged ``kind`` ("docx", "pdf", "xlsx") file, as one located message."""
    with _mapped(path, kind):
        yield


def open_docx(path: Path):
    """The python-docx Document, after the zip's budgets; a damaged file is a located message."""
    from docx import Document

    regular_file(path)
    check_zip(path, "docx")
    with _mapped(path, "docx"):
        return Document(str(path))


def open_workbook(path: Path):
    """The workbook read-only (rows streamed, never every row of the sheet created), after the zip's budgets."""
    from openpyxl import load_workbook

    regular_file(path)
    check_zip(path, "xlsx")
    with _mapped(path, "xlsx"):
        return load_workbook(str(path), read_only=True, data_only=True)


# --- PDF ----------------------------------------------------------------------

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_ALIAS = re.compile(rb"(?<![0-9])([0-9]{1,10})\s+[0-9]{1,5}\s+obj\s*([0-9]{1,10})\s+[0-9]{1,5}\s+R\s*endobj")
MAX_PDF_STREAMS = 100_000  # a plan's PDF has a few thousand; more is built to make this scan slow
DICTIONARY_BYTES = 2048  # how far before 「stream」 its dictionary (/Filter /FlateDecode) is looked for


def check_pdf(path: Path) -> None:
    """Refuse a PDF whose streams inflate past the budgets, or whose objects refer only to each other.

    Every search here is linear in the file (bounded repetitions, bounded look-backs): the check itself must
    not be what a hostile file stalls."""
    regular_file(path)
    data = Path(path).read_bytes()
    _check_aliases(path, data)
    ends = [m.start() for m in re.finditer(rb"endstream", data)]
    total = read = 0
    for count, match in enumerate(_STREAM.finditer(data), start=1):
        if count > MAX_PDF_STREAMS:
            raise DocumentError(_("{path}: the PDF holds more than {limit:,} streams; is it really a plan?").format(
                path=path, limit=MAX_PDF_STREAMS))
        begin = max(0, match.start() - DICTIONARY_BYTES)
        begin = max(begin, data.rfind(b"obj", begin, match.start()))
        if data.find(b"/FlateDecode", begin, match.start()) < 0 and data.find(b"/Fl ", begin, match.start()) < 0:
            continue
        after = bisect.bisect_left(ends, match.end())
        end = ends[after] if after < len(ends) else len(data)
        inflated, consumed = _inflated_size(memoryview(data)[match.end():end], MAX_STREAM_BYTES)
        read += consumed
        if read > 4 * len(data) + 1024 * 1024:  # streams that overlap, built to be read again and again
            raise DocumentError(_("{path}: the PDF's streams overlap one another; it is damaged or built to stall "
                                  "readers. Print the document to PDF again.").format(path=path))
        if inflated > MAX_STREAM_BYTES:
            raise DocumentError(_("{path}: a stream of the PDF inflates to more than {limit} MB; a page of a plan "
                                  "is a few KB. Print the document to PDF again.").format(
                path=path, limit=_mb(MAX_STREAM_BYTES)))
        total += inflated
        if total > MAX_PDF_BYTES:
            raise DocumentError(_("{path}: the PDF's streams inflate to more than {limit} MB together; is it "
                                  "really a plan?").format(path=path, limit=_mb(MAX_PDF_BYTES)))


def _inflated_size(data, limit: int) -> tuple[int, int]:
    """(how far the zlib stream at the start of ``data`` inflates, counted up to ``limit`` + 1; how many bytes of
    input that read), fed in small pieces so no step copies more than a piece."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        for start in range(0, len(data), 65536):
            pending = data[start:start + 65536]
            while pending:
                size += len(inflater.decompress(pending, 1024 * 1024))
                if size > limit or inflater.eof:
                    return size, start + 65536
                pending = inflater.unconsumed_tail
    except zlib.error:  # not deflate data after all; pdfminer says what it makes of it
        pass
    return size, len(data)


def _check_aliases(path: Path, data: bytes) -> None:
    """``5 0 obj 6 0 R endobj`` and ``6 0 obj 5 0 R endobj``: resolving either never ends."""
    aliases = {int(m.group(1)): int(m.group(2)) for m in _ALIAS.finditer(data)}
    for start in aliases:
        visited = {start}
        here = aliases[start]
        while here in aliases:
            if here in visited:
                raise DocumentError(_("{path}: the PDF is damaged: object {number} refers only to itself (through "
                                      "{count} reference(s)). Print the document to PDF again.").format(
                    path=path, number=start, count=len(visited)))
            visited.add(here)
            here = aliases[here]


def seconds_for(path: Path) -> float:
    """The time budget of reading a document: enough for any plan, and a little more for a large file."""
    return READ_SECONDS + max(0, Path(path).stat().st_size) / (1024 * 1024)


@contextmanager
def time_budget(path: Path, seconds: float):
    """Stop a parser that runs past ``seconds`` (a loop in a damaged file) with a located message.

    Only the main thread can take a signal; elsewhere the size checks alone stand guard."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(_signum, _frame):
        raise _OutOfTime()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    except _OutOfTime:
        raise DocumentError(_("{path}: reading the document took more than {seconds:.0f} seconds and was stopped; "
                              "the file is damaged or built to stall readers. Save it again from the program that "
                              "made it.").format(
            path=path, seconds=time.monotonic() - started)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def pdf_pages(path: Path):
    """pdfminer's pages of the PDF, checked and within the page budget; use inside ``time_budget``."""
    from pdfminer.high_level import extract_pages

    check_pdf(path)
    with _mapped(path, "pdf"):
        for number, page in enumerate(extract_pages(str(path)), start=1):
            if number > MAX_PDF_PAGES:
                raise DocumentError(_("{path}: the PDF has more than {limit:,} pages; a plan has a few dozen.")
                                    .format(path=path, limit=MAX_PDF_PAGES))
            yield page
