"""Whole-process diff benchmark: load + validation + diff, 1×/10×/30× plans, ids intact and all renamed.

Every figure has a baseline measured in the same run, interleaved so machine drift hits both:
GNU diff over the same two YAML files (a line tool that knows nothing of plans), and, for the renamed
case, the same plan with its ids intact.  Run: .venv/bin/python bench/bench_scaling.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def run_once(cmd: list) -> float:
    start = time.perf_counter()
    subprocess.run([str(c) for c in cmd], capture_output=True, check=False)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list], repeat: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            samples[name].append(run_once(cmd))
    return {name: statistics.median(values) for name, values in samples.items()}


def scaled(data: dict, factor: int, branch: str, rename: bool) -> dict:
    """The plan repeated ``factor`` times, ids unique per copy; ``rename`` gives every id a new name."""
    out = dict(data)
    out["branch"] = {"id": branch, "name": data["branch"]["name"]}
    suffix = "-renamed" if rename else ""
    sections = []
    for n in range(factor):
        for section in data["sections"]:
            copy = _copy_ids(section, f"-{n}{suffix}")
            sections.append(copy)
    out["sections"] = sections
    return out


def _copy_ids(node, suffix: str):
    if isinstance(node, dict):
        copied = {key: _copy_ids(value, suffix) for key, value in node.items()}
        if "id" in copied and isinstance(copied["id"], str):
            copied["id"] = copied["id"] + suffix
        return copied
    if isinstance(node, list):
        return [_copy_ids(item, suffix) for item in node]
    return node


def write_plans(root: Path, factor: int) -> None:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    plans = {year: yaml.load((ROOT / "plans" / "kagoshima" / f"{year}.yaml").read_text(encoding="utf-8"))
             for year in (2018, 2019)}
    for branch, rename_new in ((f"intact{factor}", False), (f"renamed{factor}", True)):
        folder = root / branch
        folder.mkdir(parents=True)
        for year, data in plans.items():
            with (folder / f"{year}.yaml").open("w", encoding="utf-8") as stream:
                yaml.dump(scaled(data, factor, branch, rename_new and year == 2019), stream)


def main() -> None:
    diff_tool = shutil.which("diff") or shutil.which("git")
    with tempfile.TemporaryDirectory() as tmp:
        plans = Path(tmp) / "plans"
        print(f"{'size':>5} {'ids intact':>12} {'ids renamed':>12} {'renamed/intact':>15} {'GNU diff':>10} "
              f"{'intact/GNU diff':>16}")
        results = {}
        for factor, repeat in ((1, 7), (10, 5), (30, 3)):
            write_plans(plans, factor)
            ours = [BIN / "kenpo-plans", "diff", "2018", "2019", "--plans-dir", plans, "-f", "json"]
            base_files = [plans / f"intact{factor}" / f"{y}.yaml" for y in (2018, 2019)]
            base = ([diff_tool, "-u", *base_files] if diff_tool.endswith("diff") else
                    [diff_tool, "diff", "--no-index", *base_files])
            times = interleaved({"intact": ours + ["-b", f"intact{factor}"],
                                 "renamed": ours + ["-b", f"renamed{factor}"], "base": base}, repeat)
            results[factor] = times
            print(f"{factor:>4}x {times['intact']:>10.2f} s {times['renamed']:>10.2f} s "
                  f"{times['renamed'] / times['intact']:>14.2f}x {times['base'] * 1000:>7.0f} ms "
                  f"{times['intact'] / times['base']:>15.1f}x")
        grow = results[30]["renamed"] / results[10]["renamed"]
        print(f"renamed ids, 10x → 30x: {grow:.1f}x the time for 3x the size (linear ≈ 3, quadratic ≈ 9)")


if __name__ == "__main__":
    sys.exit(main())
