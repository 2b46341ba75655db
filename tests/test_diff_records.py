"""What the diff hands the renderers is typed: kinds are enum members, a target change, a figure, a warning and an
actual are records read by attribute, and their JSON is what it was when they were dicts (#26)."""

from __future__ import annotations

import json

import pytest

from conftest import PLANS, ROOT
from kenpo_plans.commands.diff import diff
from kenpo_plans.diff.across_years import reused_id_warnings
from kenpo_plans.diff.plans import diff_plans
from kenpo_plans.diff.result import (ChangeKind, DiffSummary, DiffWarning, FieldChange, ListFieldChange, NodeKind,
                                     NumberChange, WarningKind, YearEndActual)
from kenpo_plans.diff.target_change import TargetChange, TargetDirection, compare_targets
from kenpo_plans.plan.loader import load_plan
from kenpo_plans.plan.targets import Target


@pytest.fixture(scope="module")
def kagoshima_diff():
    old, new = (load_plan(PLANS / "kagoshima" / f"{year}.yaml")[0] for year in (2018, 2019))
    return diff_plans(old, new)


def _kpi(result, kpi_id):
    return next(e for e in result.entries if e.node == NodeKind.KPI and e.new_id == kpi_id)


def test_a_raised_kpi_target_is_a_target_change_with_both_targets(kagoshima_diff):
    change = _kpi(kagoshima_diff, "hokensho-kaishu-ritsu").target
    assert isinstance(change, TargetChange)
    assert change.old == Target("ge", 95.0, "%") and change.new == Target("ge", 95.4, "%")
    assert change.new.value == 95.4
    assert change.direction is TargetDirection.RAISED and change.moved
    assert (change.delta, change.delta_unit, change.stricter, change.changed) == (pytest.approx(0.4), "pt", True,
                                                                                  ("value",))


def test_kinds_and_nodes_are_enum_members(kagoshima_diff):
    assert all(isinstance(e.node, NodeKind) for e in kagoshima_diff.entries)
    kinds = [k for e in kagoshima_diff.entries for k in e.kinds]
    assert kinds and all(isinstance(k, ChangeKind) for k in kinds)
    added = _kpi(kagoshima_diff, "issha-osatsu-wariai")
    assert added.kinds == [ChangeKind.ADDED] and added.kind is ChangeKind.ADDED
    assert added.target.direction is TargetDirection.ADDED and added.target.old is None


def test_figures_and_particulars_are_records(kagoshima_diff):
    numbers = [n for e in kagoshima_diff.entries for n in e.numbers]
    assert numbers and all(isinstance(n, NumberChange) for n in numbers)
    assert kagoshima_diff.metadata["status"] == FieldChange("final", "draft")


def test_the_summary_counts_by_enum_member(kagoshima_diff):
    summary = kagoshima_diff.summary
    assert isinstance(summary, DiffSummary) and summary.changes == 190
    assert summary.by_kind[ChangeKind.ADDED] == 56 and summary.by_node[NodeKind.KPI][ChangeKind.PUNCTUATION] == 9
    assert summary.kpi_targets[TargetDirection.RAISED] == 10


def test_the_json_of_the_records_keeps_its_shape(kagoshima_diff):
    data = json.loads(json.dumps(kagoshima_diff.to_dict(), ensure_ascii=False))
    raised = next(c for c in data["changes"] if c["new_id"] == "hokensho-kaishu-ritsu")
    assert raised["target"] == {"old": {"relation": "ge", "value": 95.0, "unit": "%", "basis": "absolute"},
                                "new": {"relation": "ge", "value": 95.4, "unit": "%", "basis": "absolute"},
                                "direction": "raised", "delta": 0.4, "delta_unit": "pt", "stricter": True,
                                "relation_changed": False, "basis_changed": False, "changed": ["value"]}
    added = next(c for c in data["changes"] if c["new_id"] == "issha-osatsu-wariai")
    assert "changed" not in added["target"] and added["kind"] == "added" and added["kinds"] == ["added"]
    assert data["metadata"]["status"] == {"old": "final", "new": "draft"}
    assert list(data["summary"]["kpi_targets"]) == [d.value for d in TargetDirection]


def test_a_target_that_changes_kind_says_which_fields_differ():
    change = compare_targets(Target("ge", 95.0, "%"), Target("le", None, None, "previous_year"))
    assert change.direction is TargetDirection.CHANGED and change.relation_changed and change.basis_changed
    assert change.changed == ("basis", "relation", "unit", "value") and change.delta is None


def test_below_achieved_reads_the_actual_record():
    change = compare_targets(Target("ge", 95.0, "%"), Target("ge", 95.4, "%"))
    assert change.below_achieved(YearEndActual(95.6, "%", "95.6％", None, "報告")) is True
    assert change.below_achieved(YearEndActual(95.0, "%", "95.0％", None, "報告")) is False
    assert change.below_achieved(YearEndActual(95.6, "人", "95.6人", None, "報告")) is None
    assert change.below_achieved(None) is None


def test_a_group_change_is_a_list_field_change():
    old, new = (load_plan(PLANS / "kumamoto" / f"{year}.yaml")[0] for year in (2023, 2024))
    (measure,) = [e for e in diff_plans(old, new).entries if e.fields]
    change = measure.fields["groups"]
    assert isinstance(change, ListFieldChange) and change.added == ["保健G"] and change.removed == []


def test_the_old_years_actuals_are_records():
    result = diff([2023, 2024], branch="kumamoto", plans_dir=PLANS)
    assert result.old_actuals and all(isinstance(a, YearEndActual) for a in result.old_actuals.values())
    assert result.old_actuals["yusoka-ritsu"].text == "92.3%"


def test_warnings_are_records(plans_copy):
    reversed_years = diff([2019, 2018], branch="kagoshima", plans_dir=PLANS).warnings
    assert [w.kind for w in reversed_years] == [WarningKind.REVERSED_YEARS]
    assert reversed_years[0].to_dict() == {"kind": "reversed_years", "message": reversed_years[0].message}

    plan = plans_copy / "kagoshima" / "2019.yaml"
    old_item = ("事業主や健康保険委員等に対してチラシやリーフレットによる広報を実施するとともに、地域の医療機関や市町村と連携し、"
                "医療機関の窓口に申請書を配置するなど利用促進を図る。")
    plan.write_text(plan.read_text(encoding="utf-8").replace("title: 限度額認定証の利用促進\n", "title: ＩＴ機器の更新\n", 1)
                    .replace(old_item, "サーバを入替える。", 1), encoding="utf-8")
    (warning,) = reused_id_warnings(load_plan(plans_copy / "kagoshima" / "2018.yaml")[0], load_plan(plan)[0])
    assert isinstance(warning, DiffWarning) and warning.kind is WarningKind.REUSED_ID
    assert (warning.node, warning.old, warning.new) == (NodeKind.MEASURE, "限度額認定証の利用促進", "ＩＴ機器の更新")
    assert list(warning.to_dict()) == ["kind", "node", "id", "old", "new", "message"]


def test_every_kind_has_its_document_words():
    """The kinds are declared once (the enums); the documents' words for them live in labels: none may lack one."""
    from kenpo_plans.labels import DIRECTION_LABELS, KIND_LABELS, NODE_LABELS, REMARK_LABELS

    assert set(KIND_LABELS) == set(REMARK_LABELS) == set(ChangeKind)
    assert set(NODE_LABELS) == set(NodeKind)
    assert set(DIRECTION_LABELS) == set(TargetDirection)


def test_a_mistyped_id_pairs_by_similarity_and_says_so():
    from conftest import FIXTURES
    from kenpo_plans.diff.align import MatchedBy

    folder = FIXTURES / "diff" / "mistyped_id_still_pairs"
    result = diff_plans(load_plan(folder / "old.yaml")[0], load_plan(folder / "new.yaml")[0])
    assert [e.new_id for e in result.entries if e.matched_by is MatchedBy.SIMILARITY] == ["jinzai-ikusei"]
    assert [(c["new_id"], c.get("matched_by")) for c in result.to_dict()["changes"]] == [("jinzai-ikusei", "similarity")]


def test_the_json_schema_names_every_warning_kind():
    schema = json.loads((ROOT / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]["warnings"]["items"]["properties"]["kind"]["enum"]) == set(WarningKind)


def test_a_title_changed_beyond_its_year_is_a_change_of_the_particulars():
    """Every year's title names its year (平成30年度 → 平成31年度), which is no news; a draft whose title was
    reworded is, and a diff that printed 「変更なし」 under two different titles would mislead."""
    import dataclasses

    old, _warnings = load_plan(PLANS / "kagoshima" / "2019.yaml")
    assert "title" not in diff_plans(load_plan(PLANS / "kagoshima" / "2018.yaml")[0], old).metadata
    assert "title" not in diff_plans(load_plan(PLANS / "kumamoto" / "2023.yaml")[0],
                                     load_plan(PLANS / "kumamoto" / "2024.yaml")[0]).metadata  # 令和５ → 令和６
    retitled = dataclasses.replace(old, title=old.title.replace("事業計画", "事業計画（改訂）"))
    result = diff_plans(old, retitled)
    assert result.metadata["title"] == FieldChange(old.title, retitled.title) and result.has_changes
