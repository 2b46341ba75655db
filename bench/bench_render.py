"""Renderer benchmark, every figure against a baseline measured in the same run.

* end to end: `kenpo-plans diff 2018 2019 -b kagoshima` (a whole process writing the PDF) against a
  whole process that only asks WeasyPrint to render the same HTML → our overhead in %;
* start-up: `kenpo-plans --help` against `python -c pass`;
* the same HTML printed by headless Chromium, as an outside reference (where installed);
* --all-branches over 20 synthetic branches (copies of Kagoshima): the first run, a second run with
  nothing changed, and a run after one plan changed (incremental), against the first run.

Run: .venv/bin/python bench/bench_render.py
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def timed(cmd: list[str], repeat: int, **kwargs) -> float:
    """Median wall time of a whole process."""
    return statistics.median(run_once(cmd, **kwargs)[0] for _ in range(repeat))


def run_once(cmd: list[str], **kwargs) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, **kwargs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(commands: dict[str, list[str]], repeat: int, **kwargs) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) per command, runs interleaved so drift on a shared machine hits all alike."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            samples[name].append(run_once(cmd, **kwargs))
    return {name: (statistics.median(s[0] for s in runs), statistics.median(s[1] for s in runs))
            for name, runs in samples.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        html = tmp / "k.html"
        subprocess.run([BIN / "kenpo-plans", "diff", "2018", "2019", "-b", "kagoshima", "-f", "html", "-o", html],
                       cwd=ROOT, check=True, capture_output=True)
        bare = [BIN / "python", "-c",
                f"from weasyprint import HTML; HTML(filename={str(html)!r}).write_pdf({str(tmp / 'bare.pdf')!r})"]
        bare_frozen = [BIN / "python", "-c",
                       f"import gc; from weasyprint import HTML; gc.collect(); gc.freeze(); "
                       f"HTML(filename={str(html)!r}).write_pdf({str(tmp / 'bare2.pdf')!r})"]
        ours = [BIN / "kenpo-plans", "diff", "2018", "2019", "-b", "kagoshima", "-o", tmp / "ours.pdf"]
        times = interleaved({"bare": bare, "frozen": bare_frozen, "ours": ours}, 9, cwd=ROOT)
        for label, index in (("wall", 0), ("CPU", 1)):
            t_bare, t_frozen, t_ours = (times[k][index] for k in ("bare", "frozen", "ours"))
            print(f"PDF end to end ({label}): kenpo-plans {t_ours:.2f} s, bare WeasyPrint on the same HTML "
                  f"{t_bare:.2f} s → ratio {t_ours / t_bare:.3f} ({100 * (t_ours - t_bare) / t_bare:+.1f} %); "
                  f"bare WeasyPrint with the "
                  f"gc.freeze() kenpo-plans uses {t_frozen:.2f} s → {100 * (t_ours - t_frozen) / t_frozen:+.1f} %")

        t_help = timed([BIN / "kenpo-plans", "--help"], 10)
        t_python = timed([BIN / "python", "-c", "pass"], 10)
        print(f"start-up: kenpo-plans --help {t_help * 1000:.0f} ms, python -c pass {t_python * 1000:.0f} ms "
              f"→ {t_help / t_python:.1f}x")

        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium:
            printed = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                       f"--print-to-pdf={tmp / 'chromium.pdf'}", html.as_uri()]
            t_chromium = timed(printed, 3)
            print(f"outside reference: headless Chromium printing the same HTML {t_chromium:.2f} s; "
                  f"kenpo-plans end to end / Chromium = {times['ours'][0] / t_chromium:.2f}")

        plans = tmp / "plans"
        count = 20
        for n in range(count):
            branch = plans / f"branch{n:02d}"
            shutil.copytree(ROOT / "plans" / "kagoshima", branch)
            for year in (2018, 2019):
                path = branch / f"{year}.yaml"
                path.write_text(path.read_text(encoding="utf-8").replace("id: kagoshima", f"id: branch{n:02d}"),
                                encoding="utf-8")
        out = tmp / "out"
        out.mkdir()
        cores = os.cpu_count() or 1
        base = [BIN / "kenpo-plans", "diff", "2018", "2019", "--all-branches", "--plans-dir", plans, "-o", out,
                "-j", str(cores)]
        t_first = timed(base, 1)
        t_same = timed(base, 3)
        edited = plans / "branch07" / "2019.yaml"
        edited.write_text(edited.read_text(encoding="utf-8").replace("95.4％以上", "95.5％以上", 1), encoding="utf-8")
        t_one = timed(base, 1)
        print(f"--all-branches, {count} branches, -j {cores}: first run {t_first:.1f} s; nothing changed "
              f"{t_same:.2f} s ({t_same / t_first:.3f} of the first); one plan changed {t_one:.1f} s "
              f"({t_one / t_first:.3f} of the first)")


if __name__ == "__main__":
    sys.exit(main())
