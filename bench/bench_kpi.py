"""KPI page benchmark: the HTML page (tables and charts) against the text output of the same data.

Both are whole `kenpo-plans kpi` processes on the repository's plans, run interleaved (so drift on a
shared machine hits both alike); the figure that matters is the ratio of the medians, measured in one
run.  Issue #19 asks for HTML at most 2.5 × text for `kpi --branch kumamoto`.  The branch ranking
(`--all-branches`) and the PDF are measured too, against the same text baseline.

Run: .venv/bin/python bench/bench_kpi.py [REPEAT]   (default 9)
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KPI = [str(ROOT / ".venv" / "bin" / "kenpo-plans"), "kpi", "--plans-dir", str(ROOT / "plans")]
LIMIT = 2.5


def run_once(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for name, cmd in commands.items():  # one warm-up each: page cache, .pyc files
        run_once(cmd)
    for _ in range(repeat):
        for name, cmd in commands.items():
            samples[name].append(run_once(cmd))
    return {name: (statistics.median(s[0] for s in runs), statistics.median(s[1] for s in runs))
            for name, runs in samples.items()}


def main() -> int:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        commands = {
            "text  kpi -b kumamoto": KPI + ["-b", "kumamoto", "-f", "text"],
            "html  kpi -b kumamoto": KPI + ["-b", "kumamoto", "-f", "html", "-o", str(out / "k.html")],
            "html  kpi … --all-branches": KPI + ["kenko-sengen-jigyoshosu", "--all-branches", "--year", "2021",
                                                 "-f", "html", "-o", str(out / "r.html")],
            "pdf   kpi -b kumamoto": KPI + ["-b", "kumamoto", "-f", "pdf", "-o", str(out / "k.pdf")],
        }
        times = interleaved(commands, repeat)
    base = times["text  kpi -b kumamoto"][0]
    print(f"median of {repeat} interleaved runs (wall / CPU seconds), ratio = wall / text wall")
    for name, (wall, cpu) in times.items():
        print(f"  {name:30s} {wall:6.3f} s  {cpu:6.3f} s  × {wall / base:4.2f}")
    ratio = times["html  kpi -b kumamoto"][0] / base
    verdict = "within" if ratio <= LIMIT else "OVER"
    print(f"KPI-HTML / KPI-text = {ratio:.2f} ({verdict} the {LIMIT}× budget)")
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
