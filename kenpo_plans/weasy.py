"""Importing WeasyPrint without a third of a second of library lookups.

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
import io
import sys
from functools import lru_cache


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
