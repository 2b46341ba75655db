"""Every JSON output has a schema in schemas/ and follows it, checked by a third-party validator."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import PLANS, ROOT

SCHEMAS = ROOT / "schemas"


def validator(name: str):
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("args, schema", [
    (("list",), "list.schema.json"),
    (("show", "2019", "-b", "kagoshima"), "show.schema.json"),
    (("show", "2024", "-b", "kumamoto"), "show.schema.json"),
    (("show", "2021", "-b", "national"), "show.schema.json"),
    (("diff", "2018", "2019", "-b", "kagoshima"), "diff.schema.json"),
    (("diff", "2021", "2024", "-b", "kumamoto"), "diff.schema.json"),
    (("results", "2021", "-b", "yamaguchi"), "results.schema.json"),
    (("kpi", "-b", "kumamoto"), "kpi.schema.json"),
    (("kpi", "generic-shiyo-wariai", "--all-branches", "--year", "2021"), "kpi.schema.json"),
])
def test_json_output_follows_its_schema(run, args, schema):
    result = run(*args, "--plans-dir", PLANS, "-f", "json")
    assert result.code == 0, result
    validator(schema).validate(json.loads(result.out))


def test_every_schema_is_a_valid_schema_and_every_json_command_has_one():
    names = {path.name for path in SCHEMAS.glob("*.json")}
    assert {"plan.schema.json", "results-file.schema.json", "list.schema.json", "show.schema.json",
            "diff.schema.json", "results.schema.json", "kpi.schema.json"} <= names
    for name in names - {"kpi-vocabulary.json"}:
        validator(name)


def test_the_status_is_one_code_in_every_json_output(run):
    listed = json.loads(run("list", "--plans-dir", PLANS, "-f", "json").out)
    shown = json.loads(run("show", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "json").out)
    diffed = json.loads(run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "json").out)
    row = next(r for r in listed if r["branch"] == "kagoshima" and r["fiscal_year"] == 2019)
    assert row["status"] == shown["status"] == diffed["new"]["status"] == "draft" and row["status_label"] == "案"


def test_text_output_names_no_python_value_or_field(run):
    out = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "text", "--no-color").out
    assert "状態: 確定 → 案" in out and "資料番号: なし → 資料 2-3" in out
    for leaked in ("None", "document_number", "status:", "final", "draft"):
        assert leaked not in out, leaked
