"""Start-up of the PDF path: WeasyPrint loads its libraries without spawning a process, or falls back."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import subprocess, sys
spawned = []
real_popen = subprocess.Popen.__init__
def counting(self, *args, **kwargs):
    spawned.append(args[0] if args else kwargs.get('args'))
    real_popen(self, *args, **kwargs)
subprocess.Popen.__init__ = counting
{setup}
from kenpo_plans.weasy import load
weasyprint = load()
from weasyprint.text.ffi import pango
print(len(spawned), weasyprint.__name__, pango is not None)
"""

# A layout where the sonames WeasyPrint tries do not load directly, but find_library finds the libraries.
SONAMES_MISSING = """
import cffi.api, ctypes.util
real = cffi.api._load_backend_lib
def picky(backend, name, flags):
    if ctypes.util.find_library.__name__ == '_not_searched' and isinstance(name, str) and '.so' in name:
        raise OSError('no such soname here: ' + name)
    return real(backend, name, flags)
cffi.api._load_backend_lib = picky
"""


def run_probe(setup: str = "") -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(setup=setup)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_weasyprint_loads_its_libraries_without_spawning_a_process():
    spawned, name, loaded = run_probe()
    assert (spawned, name, loaded) == ("0", "weasyprint", "True")


def test_where_the_sonames_do_not_load_the_thorough_lookup_still_finds_the_libraries():
    spawned, name, loaded = run_probe(SONAMES_MISSING)
    assert (name, loaded) == ("weasyprint", "True")
    assert int(spawned) > 0  # the ordinary find_library did its work
