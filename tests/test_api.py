"""The Python API as the README shows it."""

from pathlib import Path

import kenpo_plans
from kenpo_plans import diff_plans, inline_diff, load_plan, parse_target
from kenpo_plans.plan.targets import Target
from kenpo_plans.diff.textdiff import Segment

ROOT = Path(__file__).resolve().parent.parent


def test_readme_python_example():
    old, _ = load_plan(ROOT / "plans" / "kagoshima" / "2018.yaml")
    new, warnings = load_plan(ROOT / "plans" / "kagoshima" / "2019.yaml")
    assert warnings == []
    result = diff_plans(old, new)
    assert result.summary.kpi_targets == {"raised": 10, "lowered": 0, "unchanged": 9, "changed": 0,
                                             "added": 1, "removed": 0}
    assert inline_diff("障害年金の併給", "障害年金等との併給") == [
        Segment("equal", "障害年金"), Segment("insert", "等と"), Segment("equal", "の併給")]
    assert parse_target("対前年度（0.359%）以上") == Target("ge", 0.359, "%", "previous_year")
    assert set(result.to_dict()) == {"branch", "old", "new", "exact", "metadata", "summary", "changes", "warnings", "old_actuals"}


def test_unknown_attribute():
    try:
        kenpo_plans.nothing_here
    except AttributeError as exc:
        assert "nothing_here" in str(exc)
    else:
        raise AssertionError("expected AttributeError")
