"""The shared KPI vocabulary: defined once, documented, used by every plan, checked by validate."""

from __future__ import annotations

import re

from conftest import PLANS, ROOT
from kenpo_plans.plan.loader import load_plan
from kenpo_plans.plan.vocabulary import entries, shared_id_for


def test_docs_list_the_same_ids_as_the_data():
    documented = re.findall(r"^\| `([a-z0-9-]+)` \|", (ROOT / "docs" / "kpi-ids.md").read_text(encoding="utf-8"),
                            re.MULTILINE)
    assert documented == [kpi_id for kpi_id, _, _ in entries()]


def test_every_plan_uses_the_shared_id_for_a_shared_kpi():
    checked = 0
    for path in sorted(PLANS.glob("*/[0-9][0-9][0-9][0-9].yaml")):
        plan, _ = load_plan(path)
        for _, kpi in plan.walk_kpis():
            found = shared_id_for(kpi.text)
            assert found in (None, kpi.id), (path, kpi.id, kpi.text)
            checked += found is not None
    assert checked > 80


def test_a_branch_kpi_worded_like_a_national_one_gets_the_id_to_use(run, plans_copy):
    plan = plans_copy / "kagoshima" / "2019.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("- id: yusoka-ritsu", "- id: yuso-ritsu", 1), encoding="utf-8")
    result = run("validate", plan)
    assert result.code == 0
    assert "reads like the shared KPI 「現金給付等の申請に係る郵送化率」; use id 'yusoka-ritsu'" in result.out
