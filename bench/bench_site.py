"""Site build benchmark: first build, unchanged rebuild, rebuild after one plan edit, 47 generated branches
as well as the real ones.

The baseline is the first build of the same plans in the same run; the claims are ratios against it:
an unchanged rebuild ≤ 1/4 of the first build, a rebuild after one plan edit ≤ 1/2.  Each build is the
real command in a fresh process (`kenpo-plans site`), as a user or CI runs it.

Run: .venv/bin/python bench/bench_site.py [--documents]   (--documents: PDF/Word/Excel too; slow)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = 47
SOURCES = ("kagoshima", "kumamoto", "yamaguchi")  # real branches the generated ones are copies of


def generate(plans: Path) -> str:
    """The real plans, plus 47 branches each a copy of a real one under its own id; returns one plan to edit."""
    shutil.copytree(ROOT / "plans", plans)
    for number in range(1, GENERATED + 1):
        source = SOURCES[number % len(SOURCES)]
        branch = f"gen{number:02d}"
        for path in (ROOT / "plans" / source).glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            text = text.replace(f"id: {source}", f"id: {branch}", 1).replace(f"branch: {source}", f"branch: {branch}", 1)
            (plans / branch).mkdir(exist_ok=True)
            (plans / branch / path.name).write_text(text, encoding="utf-8")
    return f"gen{len(SOURCES):02d}/2019.yaml"  # a Kagoshima copy: two years, one 新旧対照表


def build(plans: Path, site: Path, documents: bool) -> float:
    command = [sys.executable, "-m", "kenpo_plans", "site", "--plans-dir", str(plans), "-o", str(site)]
    command += [] if documents else ["--no-documents"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"site failed:\n{done.stdout}\n{done.stderr}")
    print("   ", done.stdout.strip().splitlines()[0])
    return elapsed


def main() -> None:
    documents = "--documents" in sys.argv
    with tempfile.TemporaryDirectory() as scratch:
        plans, site = Path(scratch) / "plans", Path(scratch) / "public"
        edited = plans / generate(plans)
        branches = len([p for p in plans.iterdir() if p.is_dir()])
        print(f"{branches} branches ({GENERATED} generated), documents {'on' if documents else 'off'}")
        first = build(plans, site, documents)
        unchanged = build(plans, site, documents)
        edited.write_text(edited.read_text(encoding="utf-8").replace("ジェネリック", "後発医薬品（ジェネリック）", 1),
                          encoding="utf-8")
        one_edit = build(plans, site, documents)
    print(f"first build        {first:8.2f} s  (baseline)")
    print(f"unchanged rebuild  {unchanged:8.2f} s  ratio {unchanged / first:.3f}  (claim ≤ 0.25)")
    print(f"one plan edited    {one_edit:8.2f} s  ratio {one_edit / first:.3f}  (claim ≤ 0.50)")
    ok = unchanged / first <= 0.25 and one_edit / first <= 0.5
    print("claims hold" if ok else "CLAIMS DO NOT HOLD")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
