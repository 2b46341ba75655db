"""Reading plan files: encodings, YAML syntax, hostile input, positions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kenpo_plans.errors import PlanReadError
from kenpo_plans.plan.build import build_plan
from kenpo_plans.plan.reading import MAX_PLAN_BYTES, decode_plan_bytes, parse_yaml, read_plan_text
from kenpo_plans.plan.validate import check_file
from kenpo_plans.plan.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
REAL_PATH = ROOT / "plans" / "kagoshima" / "2019.yaml"
REAL = REAL_PATH.read_text(encoding="utf-8")


def test_positions_point_at_the_yaml_lines():
    plan = build_plan(parse_yaml(REAL, "2019.yaml"))
    lines = REAL.splitlines()
    measure = plan.sections[0].measures[1]
    assert lines[measure.loc.line - 1].strip() == f"- id: {measure.id}"
    kpi = measure.kpis[0]
    assert kpi.text in lines[kpi.text_loc.line - 1]
    item = measure.blocks[0].items[0]
    assert item.text in lines[item.loc.line - 1]


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "2019.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + REAL.replace("\n", "\r\n").encode("utf-8"))
    plan, _ = load_plan(path)
    reference, _ = load_plan(REAL_PATH)
    assert plan.sections[0].measures[0].blocks[0].items[0].text == reference.sections[0].measures[0].blocks[0].items[0].text
    assert "\r" not in plan.sections[0].measures[0].blocks[0].items[0].text


def test_shift_jis_is_read_as_it_is(tmp_path):
    """An office PC's Shift_JIS file is read without an option; the text is the same as the UTF-8 plan's."""
    path = tmp_path / "2019.yaml"
    path.write_bytes(REAL.encode("cp932"))
    assert read_plan_text(path) == REAL


def test_explicit_cp932_encoding_reads_the_file(tmp_path):
    path = tmp_path / "2019.yaml"
    path.write_bytes(REAL.encode("cp932"))
    plan, _ = load_plan(path, encoding="cp932")
    assert plan.branch_name == "鹿児島支部"


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "2019.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(PlanReadError, match="binary file"):
        read_plan_text(path)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "2019.yaml"
    path.write_bytes(b"# x\n" * (MAX_PLAN_BYTES // 4 + 10))
    with pytest.raises(PlanReadError, match="limited to"):
        read_plan_text(path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("- a\n- b\n", "holds a list"),
        ("just a sentence\n", "holds a single str value"),
        ("branch:\n\tid: x\n", "tab characters cannot indent YAML"),
        ("title: 'unclosed\nstatus: draft\n", "YAML syntax error"),
        ("title: a\ntitle: b\n", "a key appears twice"),
    ],
)
def test_bad_yaml_gets_one_plain_message(text, expected):
    with pytest.raises(PlanReadError) as info:
        parse_yaml(text, "plan.yaml")
    assert expected in str(info.value)
    assert str(info.value).startswith("plan.yaml")


def test_duplicate_key_names_its_line():
    text = "branch:\n  id: a\n  name: b\n  id: c\n"
    with pytest.raises(PlanReadError) as info:
        parse_yaml(text, "plan.yaml")
    assert "plan.yaml:4:" in str(info.value)


def test_alias_bomb_is_refused_quickly():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    start = time.perf_counter()
    with pytest.raises(PlanReadError, match="alias bomb"):
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 5


def test_deep_nesting_does_not_blow_the_stack():
    text = "sections: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(PlanReadError, match="nest"):
        parse_yaml(text, "deep.yaml")


def test_deep_block_nesting_is_reported_not_crashed(tmp_path):
    text = "".join("  " * i + f"k{i}:\n" for i in range(400)) + "  " * 400 + "v\n"
    path = tmp_path / "2019.yaml"
    path.write_text(text, encoding="utf-8")
    report = check_file(path)
    assert not report.ok


def test_decode_keeps_plain_utf8():
    assert decode_plan_bytes("a: 鹿児島\r\n".encode(), "x.yaml") == "a: 鹿児島\n"
