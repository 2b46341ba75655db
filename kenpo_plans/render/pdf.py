"""The PDF engine, whole: WeasyPrint imported fast, rendered in a forked child, fetching nothing from outside.

Every PDF of the tool (the 新旧対照表, results, KPI pages) is made here from HTML by ``render_pdf``.

Importing WeasyPrint without a third of a second of library lookups.

WeasyPrint loads Pango, HarfBuzz, fontconfig and GObject through cffi, trying several names for each
(「libgobject-2.0-0」, 「gobject-2.0」, …, 「libgobject-2.0.so.0」).  For a name without a dot cffi asks
``ctypes.util.find_library``, which on Linux spawns ``ldconfig`` (and ``gcc``) every time: about twenty
processes, 0.3 s, on every PDF.  Every Debian and Ubuntu release ships these libraries under the
soname WeasyPrint also tries (``libgobject-2.0.so.0``, ``libpango-1.0.so.0``, …), which the dynamic
loader opens directly from its cache.  So the import runs with a ``find_library`` that answers "not
found" at once, and WeasyPrint goes on to the soname.  Should that fail on some other layout, the
import is retried the ordinary, thorough way: nothing is lost but the time.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..errors import KenpoError
from ..i18n import _


def _not_searched(name: str) -> None:
    return None


@lru_cache(maxsize=None)
def load():
    """The weasyprint module, imported once per process (fast path first, thorough path as fallback)."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints a banner before giving up
            import weasyprint
        return weasyprint
    except OSError:
        for module in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[module]
    finally:
        ctypes.util.find_library = original
    import weasyprint

    return weasyprint


class PdfRenderer:
    """A forked child that imports WeasyPrint while the parent loads, diffs and lays out the HTML.

    One PDF costs WeasyPrint's import (0.4 s) plus our own imports and work (0.4 s) before the render
    itself; on two cores the two halves overlap.  Only the standard library is imported here, so the
    fork happens before the parent's heavy imports.  The child renders with the same sealed fetcher,
    leaves when its parent's end of the pipe closes and is killed on any error; where ``fork`` is missing the
    parent renders in-process as before.  bench/bench_pdf_startup.py measures what it buys.
    """

    def __init__(self) -> None:
        self.pid: int | None = None
        self.to_child = self.from_child = None
        if not hasattr(os, "fork"):
            return
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(request_write)
            os.close(reply_read)
            _child(request_read, reply_write)
        os.close(request_read)
        os.close(reply_write)
        self.pid, self.to_child, self.from_child = pid, request_write, reply_read

    def render(self, html: str, folder) -> bytes | None:
        """PDF bytes, or None when there is no child (render in-process then)."""
        if self.pid is None:
            return None
        payload = f"{folder}\n{html}".encode("utf-8")
        try:
            with os.fdopen(self.to_child, "wb") as stream:
                self.to_child = None
                stream.write(payload)
            with os.fdopen(self.from_child, "rb") as stream:
                self.from_child = None
                reply = stream.read()
        except OSError:  # the child is gone (killed, out of memory): say so, never hang
            reply = b""
        finally:
            self.close()
        status, body = reply[:1], reply[1:]
        if status == b"K":
            return body
        from ..errors import KenpoError

        raise KenpoError(body.decode("utf-8", "replace") or _("the PDF renderer stopped without a result."))

    def close(self) -> None:
        import signal

        for fd in (self.to_child, self.from_child):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.to_child = self.from_child = None
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = None


def _warm_up(weasyprint) -> None:
    """While the parent still works: load the fonts and the user-agent styles a real render needs first."""
    with contextlib.suppress(Exception):
        weasyprint.HTML(string='<p style="font-family: IPAexMincho">計</p>'
                               '<p style="font-family: IPAexGothic; font-weight: bold">画</p>').render()


def _child(request_read: int, reply_write: int) -> None:
    """Import, wait for the HTML, render, answer, and leave without running the parent's exit handlers."""
    import signal

    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # No death signal is needed: when the parent dies its end of the pipe closes, the read below
        # returns nothing and the child leaves.
        _warm_up(load())
        with os.fdopen(request_read, "rb") as stream:
            request = stream.read()
        if not request:
            os._exit(0)  # the parent stopped before it had HTML to send
        folder, html = request.decode("utf-8").split("\n", 1)
        reply = b"K" + _render_pdf_here(html, Path(folder))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent as a message
        reply = b"E" + _("the PDF could not be rendered: {error}").format(error=exc).encode("utf-8", "replace")
        code = 1
    try:
        with os.fdopen(reply_write, "wb") as stream:
            stream.write(reply)
    finally:
        os._exit(code)


def sealed_fetcher(root: Path):
    """A WeasyPrint URL fetcher that serves files from the template directory and nothing else."""
    load()
    from weasyprint.urls import URLFetcher

    class SealedFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=False)
            self.root = root.resolve()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if path.is_relative_to(self.root) and path.is_file():
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(_("kenpo-plans does not fetch {url!r} while rendering").format(url=url))

    return SealedFetcher()


# WeasyPrint lays out ~24,000 characters of HTML a second on one core (bench/bench_large_pdf.py): 300,000, four
# times the Kagoshima 新旧対照表, print in about 12 s of CPU and 230 MB; a plan at the 2 MB limit would take minutes.
MAX_PDF_HTML = 300_000


class TooLargeToPrint(KenpoError):
    """Raised before rendering a PDF whose layout would take minutes and gigabytes."""


_STARTED: list[PdfRenderer] = []  # the child started by ``started_early``, while its block runs


@contextlib.contextmanager
def started_early():
    """Within this block the next PDF is rendered by a child that began importing WeasyPrint on entry.

    The child is killed on leaving the block, whatever happened; KENPO_PLANS_NO_FORK=1 renders in-process.
    """
    if os.environ.get("KENPO_PLANS_NO_FORK") == "1" or not hasattr(os, "fork"):
        yield
        return
    renderer = PdfRenderer()
    _STARTED.append(renderer)
    try:
        yield
    finally:
        _STARTED.remove(renderer)
        renderer.close()


def render_pdf(html: str, folder: Path) -> bytes:
    """PDF bytes of ``html``, rendered by the child of ``started_early`` when one is waiting."""
    if len(html) > MAX_PDF_HTML:
        raise TooLargeToPrint(_("the document is too large to print as PDF in reasonable time ({size:,} thousand "
                                "characters of layout, more than {limit:,} thousand: about four times a branch's "
                                "新旧対照表). Write it with --format html or docx, or print a part of it "
                                "(--changes-only for a 新旧対照表).").format(size=len(html) // 1000,
                                                                        limit=MAX_PDF_HTML // 1000))
    if _STARTED:
        pdf = _STARTED[-1].render(html, folder)
        if pdf is not None:
            return pdf
    return _render_pdf_here(html, folder)


def _render_pdf_here(html: str, folder: Path) -> bytes:
    import logging

    HTML = load().HTML
    # WeasyPrint logs each refused URL as a warning; plan text that looks like a URL is not news.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = sealed_fetcher(folder)
    with _collector_frozen():
        document = HTML(string=html, base_url=str(folder) + "/", url_fetcher=fetcher)
        return document.write_pdf()


@contextlib.contextmanager
def _collector_frozen():
    """The plans, the diff and the context stay alive during the render; freezing them keeps the garbage
    collector from rescanning them on every one of WeasyPrint's many collections.  Only for the render, and
    only when nobody else froze anything: unfreezing is all or nothing, so another's freeze is left alone."""
    if gc.get_freeze_count():
        yield
        return
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
