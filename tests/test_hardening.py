"""Hostile inputs on the newer surfaces (#22): figures, characters outputs cannot hold, units in formats,
messages that point at the right thing, permissions, `new --force` onto what is not a file.

Every case is a class of input, not one string: each must end in a message of ours (exit 1), never in
「internal error」 (exit 3) or a signal.
"""

from __future__ import annotations

import json
import os
import re
import stat

import pytest

from kenpo_plans.plan.targets import extract_figures, read_target

HUGE = "9" * 5000  # past Python's int-string conversion limit
OVERFLOW = "9" * 400 + ".5"  # past the largest float


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _no_internal_error(result) -> None:
    assert result.code in (0, 1), result
    assert "internal error" not in result.err, result


# --- 1. figures that break the number machinery ------------------------------------------------------


@pytest.mark.parametrize("figure", [HUGE, OVERFLOW, "１" * 5000])
def test_a_figure_too_long_to_be_a_number_is_unreadable_not_a_crash(figure):
    reading = read_target(f"郵送化率を{figure}%以上とする。")
    assert reading.target is None and reading.unreadable == "too_long"
    assert [f.raw for f in extract_figures(f"{figure}人と95.4%")] == ["95.4"]


@pytest.mark.parametrize("figure", [HUGE, OVERFLOW])
def test_a_kpi_sentence_with_a_huge_figure_is_named_by_validate_and_shown(run, plans_copy, figure):
    _replace(plans_copy / "kumamoto" / "2024.yaml", "target_text: 92.3%以上", f"target_text: {figure}%以上")
    result = run("validate", "--plans-dir", plans_copy)
    _no_internal_error(result)
    assert "2024.yaml" in result.out and "20 digits" in result.out
    for args in (("show", "2024", "-b", "kumamoto", "-f", "json"), ("diff", "2023", "2024", "-b", "kumamoto", "-f", "json"),
                 ("kpi", "-b", "kumamoto", "-f", "json")):
        shown = run(*args, "--plans-dir", plans_copy)
        _no_internal_error(shown)
        json.loads(shown.out)


@pytest.mark.parametrize("figure", [HUGE, OVERFLOW])
def test_a_results_figure_too_long_is_an_error_of_validate_not_of_the_json(run, plans_copy, figure):
    _replace(plans_copy / "kumamoto" / "2024.results.yaml", "actual: 93.5％", f"actual: {figure}％")
    result = run("validate", "--plans-dir", plans_copy)
    assert result.code == 1, result
    assert "2024.results.yaml" in result.err and "20 digits" in result.err
    for args in (("results", "2024", "-b", "kumamoto", "-f", "json"), ("kpi", "-b", "kumamoto", "-f", "json")):
        shown = run(*args, "--plans-dir", plans_copy)
        _no_internal_error(shown)


def test_a_declared_target_beyond_any_figure_is_refused_by_the_schema(run, plans_copy):
    _replace(plans_copy / "kumamoto" / "2024.yaml", "target_text: 92.3%以上",
             "target_text: 92.3%以上\n            target: {relation: ge, value: 1.0e+308, unit: '%'}")
    result = run("validate", "--plans-dir", plans_copy)
    assert result.code == 1 and "too large" in result.err, result


# --- 2. characters XML (Word, Excel, the chart engine) cannot hold -------------------------------------

import subprocess  # noqa: E402
import sys  # noqa: E402
import zipfile  # noqa: E402

from kenpo_plans.textsafety import describe_unsafe, visible  # noqa: E402

NONCHARACTERS = "\\uFFFE郵送\\uFFFF化\\uFDD0率\\U0010FFFF"


def test_noncharacters_and_lone_surrogates_get_a_visible_stand_in_and_a_name():
    assert visible("a\ufffeb\uffff\ufdd0\U0010ffff\ud800") == "a⟨U+FFFE⟩b⟨U+FFFF⟩⟨U+FDD0⟩⟨U+10FFFF⟩⟨U+D800⟩"
    assert "U+FFFE (noncharacter)" in describe_unsafe("\ufffe")
    assert "U+D800 (lone surrogate)" in describe_unsafe("\ud800")


@pytest.fixture
def nonchar_plans(plans_copy):
    _replace(plans_copy / "kumamoto" / "2024.yaml", "text: 現金給付等の申請に係る郵送化率",
             f'text: "現金給付等の申請に係る{NONCHARACTERS}"')
    return plans_copy


def test_validate_strict_names_noncharacters(run, nonchar_plans):
    result = run("validate", "--strict", "--plans-dir", nonchar_plans)
    assert result.code == 1, result
    assert "U+FFFE (noncharacter)" in result.out + result.err and "2024.yaml:" in result.out + result.err


def _xml_texts(path) -> str:
    """Every text of an Office file's XML parts, character references resolved."""
    from xml.etree import ElementTree

    with zipfile.ZipFile(path) as archive:
        return "".join("".join(ElementTree.fromstring(archive.read(name)).itertext())
                       for name in archive.namelist() if name.endswith(".xml"))


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_word_and_excel_outputs_show_a_stand_in(run, nonchar_plans, tmp_path, fmt):
    out = tmp_path / f"r.{fmt}"
    result = run("results", "2024", "-b", "kumamoto", "--plans-dir", nonchar_plans, "-f", fmt, "-o", out)
    assert result.code == 0, result
    assert "⟨U+FFFE⟩" in _xml_texts(out)


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_chart_engine_never_aborts(nonchar_plans, tmp_path, fmt):
    out = tmp_path / f"k.{fmt}"
    # a separate process: the engine's panic would abort the test run itself
    done = subprocess.run([sys.executable, "-m", "kenpo_plans", "kpi", "yusoka-ritsu", "-b", "kumamoto",
                           "--plans-dir", str(nonchar_plans), "-f", fmt, "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    if fmt == "svg":
        assert "⟨U+FFFE⟩" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding, data", [("utf-7", "+2AA-"), ("unicode_escape", "\\ud800")])
def test_a_lone_surrogate_from_an_odd_encoding_is_a_located_message(run, plans_copy, encoding, data):
    plan = plans_copy / "kumamoto" / "2024.yaml"
    before, after = plan.read_text(encoding="utf-8").split("郵送化率", 1)
    plan.write_bytes((before + "郵送化率").encode(encoding) + data.encode("ascii") + after.encode(encoding))
    result = run("validate", "--encoding", encoding, plan)
    _no_internal_error(result)
    assert result.code == 1 and "U+D800" in result.err and "2024.yaml:" in result.err, result


@pytest.mark.parametrize("char, named", [("\x0b", "U+000B"), ("\ufffe", "U+FFFE"), ("\x0c", "U+000C")])
def test_a_character_yaml_refuses_is_reported_at_its_line_and_column(run, plans_copy, char, named):
    plan = plans_copy / "kumamoto" / "2024.yaml"
    _replace(plan, "text: 現金給付等の申請に係る郵送化率", f"text: 現金給付等の申請に係る郵送{char}化率")
    line = next(n for n, text in enumerate(plan.read_text(encoding="utf-8").split("\n"), 1) if "郵送" + char in text)
    result = run("validate", plan)
    assert result.code == 1, result
    assert len(result.err.strip().splitlines()) == 2, result  # one problem line, one summary line
    assert f"2024.yaml:{line}:" in result.err and named in result.err and "position" not in result.err


# --- 5. messages that point at the right thing, in the user's language ---------------------------------


def _japanese(*args):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "ja_JP.UTF-8", "KENPO_PLANS_NO_FORK": "1"}
    return subprocess.run([sys.executable, "-m", "kenpo_plans", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("old, new, english", [
    ("reports:\n  - id: kekka", "reports: []\nunused:\n  - id: kekka", "the list is empty"),
    ("reports:\n", "reports:\n" + "".join(f"  - {{id: r{i}, period: q1, title: 第{i}報}}\n" for i in range(11)),
     "lists 12 entries; at most 10 are allowed here"),
])
def test_every_schema_rule_is_worded_in_both_languages(run, plans_copy, old, new, english):
    results = plans_copy / "kumamoto" / "2024.results.yaml"
    _replace(results, old, new)
    result = run("validate", results)
    assert result.code == 1, result
    assert "should be" not in result.err and "is too long" not in result.err and "[]" not in result.err.split("]", 1)[1]
    if english:
        assert english in result.err
    japanese = _japanese("validate", results)
    assert japanese.returncode == 1 and "should be" not in japanese.stderr, japanese.stderr


def test_an_unworded_rule_falls_back_to_a_sentence_of_ours():
    from kenpo_plans.plan.schema import _explain

    class Error:
        absolute_path, validator, validator_value, instance, schema = ["x"], "multipleOf", 2, 3, {}
        message = "3 is not a multiple of 2"

    [(path, message)] = _explain(Error())
    assert path == ("x",) and "multipleOf" in message and message != Error.message


def test_a_bom_in_the_middle_of_a_file_is_named_not_taken_for_indentation(run, plans_copy):
    plan = plans_copy / "kumamoto" / "2024.yaml"
    text = plan.read_text(encoding="utf-8")
    head, tail = text.split("\nsections:", 1)
    plan.write_text(head + "\n\ufeffsections:" + tail, encoding="utf-8")
    line = head.count("\n") + 2
    result = run("validate", plan)
    assert result.code == 1, result
    assert f"2024.yaml:{line}:1:" in result.err and "U+FEFF" in result.err and "indentation" not in result.err


# --- 7. permissions: the owner's umask, or the replaced file's mode ---------------------------------------


def _with_umask(mask, function):
    old = os.umask(mask)
    try:
        return function()
    finally:
        os.umask(old)


def test_a_new_output_follows_the_umask(run, tmp_path):
    out = tmp_path / "r.json"
    result = _with_umask(0o077, lambda: run("results", "2024", "-b", "kumamoto", "-f", "json", "-o", out))
    assert result.code == 0, result
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_replaced_output_keeps_its_mode(run, tmp_path):
    out = tmp_path / "r.json"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o600)
    result = _with_umask(0o022, lambda: run("results", "2024", "-b", "kumamoto", "-f", "json", "-o", out))
    assert result.code == 0, result
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text(encoding="utf-8") != "{}"
    out.chmod(0o640)
    _with_umask(0o077, lambda: run("results", "2024", "-b", "kumamoto", "-f", "json", "-o", out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


# --- 9. `new --force` onto what is not a file ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_new_force_onto_a_directory_or_fifo_is_refused_and_leaves_no_backup(run, plans_copy, kind):
    target = plans_copy / "kagoshima" / "2020.yaml"
    if kind == "directory":
        target.mkdir()
    else:
        os.mkfifo(target)
    result = run("new", "2020", "-b", "kagoshima", "--force", "--plans-dir", plans_copy)
    assert result.code == 1 and "internal error" not in result.err, result
    assert ("directory" if kind == "directory" else "FIFO") in result.err
    assert not (plans_copy.parent / ".kenpo-plans-backup").exists()


# --- 10. smaller -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_a_results_path_that_is_not_a_file_is_called_what_it_is(run, plans_copy, kind):
    path = plans_copy / "kumamoto" / "2024.results.yaml"
    path.unlink()
    path.mkdir() if kind == "directory" else os.mkfifo(path)
    result = run("results", "2024", "-b", "kumamoto", "--plans-dir", plans_copy, "-f", "json")
    assert result.code == 1, result
    assert "does not exist" not in result.err
    assert ("directory" if kind == "directory" else "FIFO") in result.err


def test_an_invisible_character_inside_a_figure_is_named(run, plans_copy):
    results = plans_copy / "kumamoto" / "2024.results.yaml"
    _replace(results, "actual: 93.5％", 'actual: "93.5\\uFEFF％"')
    result = run("validate", results)
    assert "U+FEFF (ZERO WIDTH NO-BREAK SPACE)" in result.out + result.err, result
    assert "2024.results.yaml:" in result.out + result.err


# --- 4. units never become spreadsheet formats -----------------------------------------------------------


@pytest.mark.parametrize("unit", ['件"%', "%%", 'a"0', "円\\", "人;@"])
def test_a_unit_is_a_format_only_when_it_is_plain_text(run, plans_copy, tmp_path, unit):
    from openpyxl import load_workbook

    quoted = unit.replace("\\", "\\\\").replace('"', '\\"')
    _replace(plans_copy / "kumamoto" / "2024.results.yaml", "actual: 93.5％",
             f'actual: {{text: "93.5", unit: "{quoted}"}}')
    out = tmp_path / "r.xlsx"
    result = run("results", "2024", "-b", "kumamoto", "--plans-dir", plans_copy, "-f", "xlsx", "-o", out)
    assert result.code == 0, result
    sheet = load_workbook(out).worksheets[0]
    shown = []
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, (int, float)):
                assert re.fullmatch(r'0(\.0+)?%|#,##0(\.0+)?("[^\W\d_]+")?|0"位"', cell.number_format), \
                    cell.number_format
            elif isinstance(cell.value, str) and cell.value.startswith("93.5"):
                shown.append(cell.value)
    assert f"93.5{unit}" in shown


def test_a_plain_unit_stays_in_the_format(run, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    assert run("results", "2024", "-b", "kumamoto", "-f", "xlsx", "-o", out).code == 0
    formats = {cell.number_format for row in load_workbook(out).worksheets[0].iter_rows(min_row=2) for cell in row
               if isinstance(cell.value, (int, float))}
    assert '#,##0"円"' in formats and "0.0%" in formats


# --- the batch: a branch id the file system cannot hold as a file name ------------------------------------


def test_a_branch_id_too_long_for_a_file_name_fails_only_that_branch(run, plans_copy, tmp_path):
    import shutil

    long_id = "k" + "-long" * 47  # 236 characters: a folder name, but not with _2018-2019_shinkyu.html after it
    folder = plans_copy / long_id
    shutil.copytree(plans_copy / "kagoshima", folder)
    for plan in folder.glob("*.yaml"):
        _replace(plan, "id: kagoshima", f"id: {long_id}")
    out = tmp_path / "out"
    out.mkdir()
    result = run("diff", "2018", "2019", "--all-branches", "--plans-dir", plans_copy, "-f", "html", "-o", out)
    assert result.code == 1 and "internal error" not in result.out + result.err, result
    assert (out / "kagoshima_2018-2019_shinkyu.html").is_file()
    failed = [line for line in (result.out + result.err).splitlines() if "FAILED" in line]
    assert len(failed) == 1 and long_id[:30] in failed[0] and "too long" in failed[0], result
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["kagoshima_2018-2019_shinkyu.html"]
