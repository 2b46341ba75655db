"""Diff engine benchmark: the Kagoshima pair and synthetic plans 10x and 100x its size.

Every figure is reported next to a baseline measured in the same run:
difflib over the two plans' flattened outline text (what a line-based tool
would do).  Run: .venv/bin/python bench/bench_diff.py
"""

from __future__ import annotations

import copy
import difflib
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kenpo_plans.diff.plans import diff_plans  # noqa: E402
from kenpo_plans.render.outline import outline  # noqa: E402
from kenpo_plans.plan.loader import load_plan  # noqa: E402


def timed(func, repeat: int) -> float:
    """Median wall time in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def scaled(plan, factor: int):
    """The plan repeated ``factor`` times, every id made unique per copy."""
    big = copy.deepcopy(plan)
    big.sections = []
    for n in range(factor):
        for section in copy.deepcopy(plan.sections):
            section.id = f"{section.id}-{n}"
            for measure in section.walk_measures():
                measure.id = f"{measure.id}-{n}"
                for kpi in measure.kpis:
                    kpi.id = f"{kpi.id}-{n}"
            big.sections.append(section)
    return big


def baseline(old, new):
    a, b = outline(old, show_ids=False).splitlines(), outline(new, show_ids=False).splitlines()
    return lambda: list(difflib.unified_diff(a, b, lineterm=""))


def process_time(args: list[str], repeat: int = 5) -> float:
    exe = ROOT / ".venv" / "bin" / "kenpo-plans"
    return timed(lambda: subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, check=True), repeat)


def main() -> None:
    old, _ = load_plan(ROOT / "plans" / "kagoshima" / "2018.yaml")
    new, _ = load_plan(ROOT / "plans" / "kagoshima" / "2019.yaml")
    diff_plans(old, new)  # warm imports
    rows = []
    for factor, repeat in ((1, 20), (10, 5), (100, 2)):
        o, n = (old, new) if factor == 1 else (scaled(old, factor), scaled(new, factor))
        ours = timed(lambda: diff_plans(o, n), repeat)
        base = timed(baseline(o, n), repeat)
        rows.append((factor, ours, base))
    print(f"{'size':>6} {'kenpo-plans diff':>18} {'difflib baseline':>18} {'ratio':>7}")
    for factor, ours, base in rows:
        print(f"{factor:>5}x {ours * 1000:>15.1f} ms {base * 1000:>15.1f} ms {ours / base:>6.1f}x")
    growth_10_100 = rows[2][1] / rows[1][1]
    print(f"growth 10x→100x: {growth_10_100:.1f}x time for 10x size (linear ≈ 10, quadratic ≈ 100)")
    json_time = process_time(["diff", "2018", "2019", "-b", "kagoshima", "--format", "json"])
    version_time = process_time(["--version"])
    print(f"whole process `diff --format json`: {json_time * 1000:.0f} ms "
          f"(baseline `kenpo-plans --version` in the same run: {version_time * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
