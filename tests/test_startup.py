"""Start-up of the PDF path: WeasyPrint loads its libraries without spawning a process, or falls back."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import subprocess, sys
spawned = []
real_popen = subprocess.Popen.__init__
def counting(self, *args, **kwargs):
    spawned.append(args[0] if args else kwargs.get('args'))
    real_popen(self, *args, **kwargs)
subprocess.Popen.__init__ = counting
{setup}
from kenpo_plans.render.pdf import load
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


@pytest.mark.slow
def test_weasyprint_loads_its_libraries_without_spawning_a_process():
    spawned, name, loaded = run_probe()
    assert (spawned, name, loaded) == ("0", "weasyprint", "True")


@pytest.mark.slow
def test_where_the_sonames_do_not_load_the_thorough_lookup_still_finds_the_libraries():
    spawned, name, loaded = run_probe(SONAMES_MISSING)
    assert (name, loaded) == ("weasyprint", "True")
    assert int(spawned) > 0  # the ordinary find_library did its work


@pytest.mark.slow
def test_the_early_renderer_gives_the_same_pdf_text_as_rendering_in_process(tmp_path):
    import os

    from conftest import PLANS

    texts = []
    for fork in ("0", "1"):
        out = tmp_path / f"k{fork}.pdf"
        env = {**os.environ, "KENPO_PLANS_NO_FORK": "1" if fork == "0" else "0"}
        subprocess.run([sys.executable, "-m", "kenpo_plans", "diff", "2018", "2019", "-b", "kagoshima",
                        "--plans-dir", PLANS, "-o", out], check=True, capture_output=True, env=env, timeout=120)
        texts.append(subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout)
    assert texts[0] == texts[1] and "新旧対照表" in texts[0]


def test_a_renderer_that_died_is_an_error_not_a_hang():
    import os
    import signal
    import time

    from kenpo_plans.errors import KenpoError
    from kenpo_plans.render.pdf import PdfRenderer

    renderer = PdfRenderer()
    os.kill(renderer.pid, signal.SIGKILL)
    time.sleep(0.2)
    start = time.perf_counter()
    with pytest.raises(KenpoError, match="renderer stopped|could not be rendered"):
        renderer.render("<p>x</p>", "/nonexistent")
    assert time.perf_counter() - start < 5


def test_no_renderer_is_left_behind_when_the_command_fails(tmp_path, plans_copy):
    (plans_copy / "kagoshima" / "2019.yaml").write_text("branch: [\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "kenpo_plans", "diff", "2018", "2019", "-b", "kagoshima",
                                "--plans-dir", plans_copy, "-o", tmp_path / "k.pdf"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and b"YAML syntax error" in err
    import os
    import time

    time.sleep(0.3)
    try:
        os.killpg(process.pid, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive
    assert not (tmp_path / "k.pdf").exists() and not list(tmp_path.glob(".k.pdf*"))
