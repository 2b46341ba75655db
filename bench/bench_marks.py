"""Change marks on real texts: how often the differ marks what a reader marks, and what it costs per pair.

The corpus is tests/data/shinkyu_pairs.yaml (real public old/new pairs, marks written by hand before the
differ ran).  Three differs run in the same process on the same pairs:
  - kenpo-plans' inline diff as it is now;
  - the inline diff before issue 28, read from git (BEFORE, the commit the work started from), never copied;
  - plain diff-match-patch with semantic clean-up, the public baseline.
Reported: exact pairs, mean F1 of marked characters, and median time per pair with the ratio to the old
differ (below 1.0 is faster).  Run: .venv/bin/python bench/bench_marks.py
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from markscore import dmp_semantic, load_pairs, ours, score, segment_marks  # noqa: E402

BEFORE = "2a0bf65"  # main when issue 28 began: the differ before kanji numerals and word grouping
ROUNDS = 30


def differ_before():
    """The old textdiff module, loaded from git as a sibling of the current one (its relative imports hold)."""
    source = subprocess.run(["git", "show", f"{BEFORE}:kenpo_plans/diff/textdiff.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    spec = importlib.util.spec_from_loader("kenpo_plans.diff.textdiff_before", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "kenpo_plans.diff"
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    exec(compile(source, f"{BEFORE}:textdiff.py", "exec"), module.__dict__)
    return lambda old, new: segment_marks(module.inline_diff(old, new))


def times_per_pair(differs: dict, pairs: list[dict]) -> dict[str, float]:
    """Median over rounds of the mean seconds per pair; the differs take turns in every round, so load
    on a shared machine falls on all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in differs}
    for _ in range(ROUNDS):
        for name, differ in differs.items():
            start = time.perf_counter()
            for pair in pairs:
                differ(pair["old"], pair["new"])
            samples[name].append((time.perf_counter() - start) / len(pairs))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    pairs = load_pairs()
    differs = {"kenpo-plans now": ours, f"kenpo-plans {BEFORE}": differ_before(),
               "diff-match-patch semantic": dmp_semantic}
    for differ in differs.values():
        differ(pairs[0]["old"], pairs[0]["new"])  # warm imports
    times = times_per_pair(differs, pairs)
    baseline = times[f"kenpo-plans {BEFORE}"]
    print(f"{len(pairs)} real pairs, marks written by hand before the differ ran")
    print(f"{'differ':<28} {'exact':>7} {'mean F1':>8} {'per pair':>10} {'vs old':>7}")
    for name, differ in differs.items():
        result = score(differ, pairs)
        print(f"{name:<28} {result['exact']:>3}/{result['total']:<3} {result['mean_f1']:>8.4f} "
              f"{times[name] * 1e3:>7.3f} ms {times[name] / baseline:>6.2f}x")


if __name__ == "__main__":
    main()
