"""PDF of a large plan: `show` and `diff` to PDF, time and peak memory, as ratios against the real plan (#27).

The Kagoshima plans repeated ``factor`` times (ids unique per copy) stand for a plan near the size limit;
the baseline is the real plan (factor 1), measured in the same run, interleaved so machine drift hits both.
Run: .venv/bin/python bench/bench_large_pdf.py [FACTOR ...]   (default 1 8 24)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scaling import BIN, write_plans  # noqa: E402


def measured(cmd: list) -> tuple[float, float]:
    """(seconds, peak MB) of one run, from GNU time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", *map(str, cmd)], capture_output=True, text=True)
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024


def main() -> None:
    factors = [int(a) for a in sys.argv[1:]] or [1, 8, 24]
    with tempfile.TemporaryDirectory() as tmp:
        plans = Path(tmp) / "plans"
        for factor in factors:
            write_plans(plans, factor)
        commands = {}
        for factor in factors:
            size = (plans / f"intact{factor}" / "2019.yaml").stat().st_size
            branch = f"intact{factor}"
            commands[(factor, size, "show")] = [BIN / "kenpo-plans", "show", "2019", "-b", branch, "-f", "pdf",
                                                "-o", Path(tmp) / f"{branch}_show.pdf", "--plans-dir", plans]
            commands[(factor, size, "diff")] = [BIN / "kenpo-plans", "diff", "2018", "2019", "-b", branch, "-f", "pdf",
                                                "-o", Path(tmp) / f"{branch}_diff.pdf", "--plans-dir", plans]
        samples: dict = {key: [] for key in commands}
        for _ in range(int(3 if max(factors) <= 8 else 1)):
            for key, cmd in commands.items():
                samples[key].append(measured(cmd))
        base = {what: statistics.median(s[0] for s in samples[(factors[0], size, what)])
                for (factor, size, what) in samples if factor == factors[0]}
        print(f"{'factor':>6} {'plan KB':>8} {'command':>8} {'seconds':>8} {'peak MB':>8} {'× real plan':>12}")
        for (factor, size, what), values in samples.items():
            seconds = statistics.median(v[0] for v in values)
            peak = max(v[1] for v in values)
            print(f"{factor:>6} {size / 1024:>8.0f} {what:>8} {seconds:>8.1f} {peak:>8.0f} {seconds / base[what]:>12.1f}")


if __name__ == "__main__":
    main()
