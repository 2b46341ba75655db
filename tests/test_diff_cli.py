"""`kenpo-plans diff` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "diff"


def test_text_diff_of_the_kagoshima_pair(run):
    result = run("diff", "2018", "2019", "--branch", "kagoshima", "--plans-dir", PLANS, "--no-color", "-f", "text")
    assert result.code == 0, result
    out = result.out
    assert out.splitlines()[0] == "鹿児島支部 新旧対照: 平成31年度 事業計画（鹿児島支部）（案） ← 平成30年度 事業計画（鹿児島支部）（確定）"
    assert "[引上げ・厳格化] 95.0%以上 → 95.4%以上 (+0.4 pt)" in out
    assert "④あんまマッサージ指圧・鍼灸施術療養費の適正化の推進 （新設）" in out
    assert "[-④-]{+⑤+}返納金債権の発生防止のための保険証回収強化、債権回収業務の推進 （番号変更）" in out
    assert "（3）組織{+・運営+}体制関係 （名称変更）" in out
    assert "傷病手当金と障害年金{+等と+}の併給調整" in out
    assert "\x1b[" not in out


def test_summary_comes_before_the_changes(run):
    out = run("diff", "H30", "H31", "-b", "kagoshima", "--plans-dir", PLANS, "--no-color", "-f", "text").out
    assert out.index("変更 ") < out.index("ＫＰＩ目標:") < out.index("（1）基盤的保険者機能関係")


def test_color_on_request(run):
    out = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "--color", "-f", "text").out
    assert "\x1b[" in out and "{+" not in out


def test_json_diff_validates_against_the_schema(run):
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "--format", "json")
    data = json.loads(result.out)
    schema = json.loads((ROOT / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["branch"] == {"id": "kagoshima", "name": "鹿児島支部"}
    assert (data["old"]["fiscal_year"], data["new"]["fiscal_year"]) == (2018, 2019)
    assert data["new"]["status"] == "draft" and data["old"]["title"] == "平成30年度 事業計画（鹿児島支部）"


def test_diff_two_files_and_exit_code(run):
    folder = FIXTURES / "kpi_target_raised"
    changed = run("diff", folder / "old.yaml", folder / "new.yaml", "--exit-code", "--no-color", "-f", "text")
    assert changed.code == 1 and "95.0%以上 → 95.4%以上" in changed.out
    same = run("diff", folder / "old.yaml", folder / "old.yaml", "--exit-code", "-f", "text")
    assert same.code == 0 and "変更なし" in same.out


def test_exact_shows_width_only_changes(run):
    folder = FIXTURES / "width_only_is_hidden"
    normal = run("diff", folder / "old.yaml", folder / "new.yaml", "--no-color", "-f", "text")
    assert "表記のみの違い 1件は省略" in normal.out
    exact = run("diff", folder / "old.yaml", folder / "new.yaml", "--no-color", "--exact", "-f", "text")
    assert "[-％-]{+%+}" in exact.out


def test_same_year_twice_is_a_usage_error(run):
    result = run("diff", "2019", "平成31年度", "-b", "kagoshima", "--plans-dir", PLANS)
    assert result.code == 1 and "both versions are fiscal year 2019" in result.err


def test_years_need_a_branch(run):
    result = run("diff", "2018", "2019", "--plans-dir", PLANS)
    assert result.code == 1 and "--branch" in result.err


def test_missing_year(run):
    result = run("diff", "2017", "2019", "-b", "kagoshima", "--plans-dir", PLANS)
    assert result.code == 1 and "no plan for kagoshima in fiscal year 2017" in result.err
