"""Hostile and damaged documents, built byte by byte for the import tests (#27): zips whose parts inflate
past any plan, XML that lxml refuses, PDFs whose streams or objects stall a reader.

Each builder starts from a small document that imports cleanly, so a test that fails shows the damage
and nothing else is to blame.
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from pathlib import Path

from docx import Document

PLAN_LINES = ["平成31年度 事業計画（鹿児島支部）", "（1）基盤的保険者機能関係", "①現金給付の適正化の推進【業務G】",
              "○ 併給調整を確実に実施する。"]


def plan_docx(path: Path, lines=PLAN_LINES) -> Path:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


def rezip(source: Path, target: Path, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None) -> Path:
    """A copy of the zip ``source`` with some parts replaced or added."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, replace.get(item.filename, old.read(item.filename)))
        for name, data in add.items():
            new.writestr(name, data)
    return target


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def zeros_part(zip_path: Path, name: str, size: int) -> None:
    """Append a part of ``size`` zero bytes, deflated as it streams (a bomb: tiny on disk)."""
    with zipfile.ZipFile(zip_path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w", force_zip64=True) as stream:
            block = b"\0" * (1024 * 1024)
            for _ in range(size // len(block)):
                stream.write(block)


def flip_deflate_byte(zip_path: Path, name: str, target: Path) -> Path:
    """One byte of a part's deflate data flipped, as a bad sector or a broken download leaves it."""
    data = bytearray(zip_path.read_bytes())
    with zipfile.ZipFile(zip_path) as archive:
        info = archive.getinfo(name)
    header = info.header_offset
    start = header + 30 + int.from_bytes(data[header + 26:header + 28], "little") \
        + int.from_bytes(data[header + 28:header + 30], "little")
    middle = start + info.compress_size // 2
    data[middle] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def pdf(objects: list[bytes], trailer: bytes = b"/Root 1 0 R") -> bytes:
    """A PDF with the given objects (numbered from 1) and a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d " % (len(objects) + 1) + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def stream(data: bytes, flate: bool = False) -> bytes:
    if flate:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def text_pdf(content: bytes, flate: bool = False, pages: bytes = b"2 0 R") -> bytes:
    """One page that shows ``content`` (a content stream) in Helvetica."""
    return pdf([b"<< /Type /Catalog /Pages " + pages + b" >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>",
                stream(content, flate),
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def timed(function, *args):
    started = time.monotonic()
    result = function(*args)
    return result, time.monotonic() - started
