from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Messages follow the locale (kenpo_plans.i18n); the tests read English unless a test chooses Japanese.
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

from kenpo_plans.cli import main  # noqa: E402
from kenpo_plans.plan.loader import load_plan  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
DATA = Path(__file__).resolve().parent / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def kagoshima():
    """The real Kagoshima plans, {2018: Plan, 2019: Plan}."""
    return {year: load_plan(PLANS / "kagoshima" / f"{year}.yaml")[0] for year in (2018, 2019)}


@pytest.fixture
def plans_copy(tmp_path):
    """A private copy of plans/ that a test may break."""
    target = tmp_path / "plans"
    shutil.copytree(PLANS, target)
    return target


def kagoshima_as_branches(tmp_path, names):
    """plans/<name>/ for each name, each a copy of the Kagoshima plans under that branch id, and an empty out/."""
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in names:
        shutil.copytree(PLANS / "kagoshima", plans / name)
        for year in (2018, 2019):
            path = plans / name / f"{year}.yaml"
            path.write_text(path.read_text(encoding="utf-8").replace("id: kagoshima", f"id: {name}", 1),
                            encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    return plans, out


class CliResult:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"CliResult(code={self.code}, out={self.out[:200]!r}, err={self.err[:400]!r})"


@pytest.fixture
def run(capsys):
    """Run the real entry point in-process, as `kenpo-plans ARGS` would."""

    def invoke(*args: str) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke
