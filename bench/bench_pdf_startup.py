"""What the PDF engine's two start-up tricks (render/pdf.py) buy, each against the plain path in the same run.

* the early child: `kenpo-plans diff 2018 2019 -b kagoshima` (a whole process writing the PDF) with the child
  that imports WeasyPrint while the parent diffs, against the same command rendering in-process
  (KENPO_PLANS_NO_FORK=1);
* the library lookup: importing WeasyPrint through ``render.pdf.load`` (find_library answers at once) against
  a plain ``import weasyprint``.

Runs are interleaved so that drift on a shared machine hits both sides alike; medians of wall and CPU time.
Run: .venv/bin/python bench/bench_pdf_startup.py [REPEAT]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import BIN, ROOT, interleaved  # noqa: E402


def main(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        diff = [BIN / "kenpo-plans", "diff", "2018", "2019", "-b", "kagoshima", "-o", Path(tmp) / "k.pdf"]
        child = interleaved({"early child": diff, "in-process": ["env", "KENPO_PLANS_NO_FORK=1", *diff]}, repeat,
                            cwd=ROOT)
        report("PDF end to end", child, "early child", "in-process")
    imports = interleaved({
        "render.pdf.load": [BIN / "python", "-c", "from kenpo_plans.render.pdf import load; load()"],
        "import weasyprint": [BIN / "python", "-c", "import weasyprint"],
    }, repeat, cwd=ROOT, env={**os.environ})
    report("WeasyPrint import", imports, "render.pdf.load", "import weasyprint")


def report(what: str, times: dict, trick: str, plain: str) -> None:
    for label, index in (("wall", 0), ("CPU", 1)):
        ours, base = times[trick][index], times[plain][index]
        print(f"{what} ({label}): {trick} {ours:.2f} s, {plain} {base:.2f} s → ratio {ours / base:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
