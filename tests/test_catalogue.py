"""The bad-input catalogue: every case gives one clear, located message, exit 1, no traceback,
within a few seconds, and leaves no output file behind.  README's troubleshooting lists the same."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL = (ROOT / "plans" / "kagoshima" / "2019.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def replaced(old: str, new: str) -> str:
    assert old in REAL
    return REAL.replace(old, new, 1)


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))

# name → (file content: str or bytes, expected fragments of the message, expected line or None)
CASES = {
    "bad indentation": (replaced("        title: 現金給付の適正化の推進", "          title: 現金給付の適正化の推進"),
                        ["YAML syntax error"], line_of(REAL, "title: 現金給付の適正化の推進")),
    "unclosed quote": (replaced("title: 平成31年度 事業計画（鹿児島支部）", "title: '平成31年度 事業計画（鹿児島支部）"),
                       ["YAML syntax error", "quote"], None),
    "tab indentation": (replaced("  id: kagoshima", "\tid: kagoshima"), ["tab characters cannot indent YAML"],
                        line_of(REAL, "  id: kagoshima")),
    "duplicate mapping key": (replaced("status: draft", "status: draft\nstatus: final"), ["a key appears twice"],
                              line_of(REAL, "status: draft") + 1),
    "empty file": ("", ["the file is empty"], None),
    "a list instead of a mapping": ("- kagoshima\n- 2019\n", ["holds a list"], 1),
    "a string instead of a mapping": ("鹿児島支部の事業計画\n", ["holds a single str value"], 1),
    "unknown key (typo)": (replaced("    measures:", "    mesures:"), ["unknown key 'mesures'", "Did you mean 'measures'?"],
                           line_of(REAL, "    measures:")),
    "wrong type": (replaced("fiscal_year: 2019", "fiscal_year: 平成31"), ["expected a whole number"],
                   line_of(REAL, "fiscal_year:")),
    "missing required field": (replaced("        title: 現金給付の適正化の推進\n", ""), ["missing required key 'title'"],
                               line_of(REAL, "- id: genkin-kyufu")),
    "duplicate id": (replaced("- id: judo-seifuku", "- id: receipt-tenken"), ["duplicate id 'receipt-tenken'"],
                     line_of(REAL, "- id: judo-seifuku")),
    "year disagrees with the path": (replaced("fiscal_year: 2019", "fiscal_year: 2020").replace("平成31年度", "令和2年度", 1),
                                     ["fiscal_year is 2020 but the file is named 2019.yaml"], None),
    "branch disagrees with the path": (replaced("  id: kagoshima", "  id: kumamoto"),
                                       ["branch.id is 'kumamoto' but the file is in plans/kagoshima/"], None),
    "Latin-1 file": (REAL.replace("鹿児島支部", "Kagoshima").encode("utf-8").replace(b"kagoshima", b"kag\xf6shima"),
                     ["is not UTF-8 text", "Save it as UTF-8"], None),
    "binary garbage": (bytes(range(256)) * 8, ["binary file"], None),
    "alias bomb": (ALIAS_BOMB, ["alias bomb"], None),
    "10 MB plan": (REAL + "# " + "x" * 10_000_000 + "\n", ["limited to 2 MB"], None),
    "deeply nested input": ("sections: " + "[" * 100000 + "]" * 100000 + "\n", ["nest"], None),
    # Second round: every YAML construct that nests, and aliases of any node.
    "deep block sequences": ("sections:\n" + "- " * 50000 + "x\n", ["nests more than 60 levels"], 2),
    "deep block mappings": ("".join(" " * i + "a:\n" for i in range(200)) + " " * 200 + "b: 1\n",
                            ["nests more than 60 levels"], 61),
    "deep complex keys": ("? " * 50000 + "x\n", ["nests more than 60 levels"], 1),
    "scalar alias expansion": ("x: &x " + "y" * 1000 + "\n" + "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "*x"] * 7) + "]\n" for i in range(7)),
                               ["expanded", "more than 200,000 values"], None),
    "impossible date": (replaced("status: draft\n", "status: draft\ndocument:\n  date: 2019-02-30\n"),
                        ["'2019-02-30' is not a valid date"], line_of(REAL, "status: draft") + 2),
    "integer beyond conversion": (replaced("fiscal_year: 2019", "fiscal_year: " + "9" * 5000),
                                  ["is too long to be a number"], line_of(REAL, "fiscal_year:")),
    "float fiscal year": (replaced("fiscal_year: 2019", "fiscal_year: 2019.0"), ["a whole number"],
                          line_of(REAL, "fiscal_year:")),
    "NaN figure": (replaced("text: 社会保険診療報酬支払基金と合算したレセプト点検の査定率について対前年度以上とする。",
                            "text: 社会保険診療報酬支払基金と合算したレセプト点検の査定率について対前年度以上とする。\n"
                            "            target: {relation: ge, value: .nan, unit: '%', basis: absolute}"),
                   ["is not a number a plan can hold"], None),
    "year out of range": (replaced("fiscal_year: 2019", "fiscal_year: 1900"),
                          ["1900 is too small: the least allowed is 1989."], line_of(REAL, "fiscal_year:")),
    "infinite figure": (replaced("fiscal_year: 2019", "fiscal_year: -.inf"), ["NaN or infinity"],
                        line_of(REAL, "fiscal_year:")),
}


@pytest.fixture
def broken_plans(tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    out = tmp_path / "out"
    out.mkdir()
    return plans, out


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["validate", "diff"])
def test_bad_input_gets_one_clear_message(case, command, broken_plans, run):
    plans, out = broken_plans
    content, fragments, line = CASES[case]
    target = plans / "kagoshima" / "2019.yaml"
    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    args = (["validate", "--plans-dir", plans] if command == "validate" else
            ["diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans, "-o", out / "k.pdf"])
    start = time.perf_counter()
    result = run(*args)
    elapsed = time.perf_counter() - start
    assert result.code == 1, result
    assert "Traceback" not in result.err and "Traceback" not in result.out
    for fragment in fragments:
        assert fragment in result.err, result.err
    assert str(target) in result.err
    if line is not None:
        assert f"{target}:{line}:" in result.err
    assert elapsed < 5, f"{case} took {elapsed:.1f}s"
    assert list(out.iterdir()) == []
    problem_lines = [line for line in result.err.splitlines() if ": error:" in line or ": warning:" in line]
    assert problem_lines and all(re.match(r"\S.*?:\d+:\d+: (error|warning):", line) for line in problem_lines), \
        problem_lines  # every problem line starts FILE:LINE:COL


def test_bom_and_crlf_are_accepted(broken_plans, run):
    plans, out = broken_plans
    target = plans / "kagoshima" / "2019.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + REAL.replace("\n", "\r\n").encode("utf-8"))
    assert run("validate", "--plans-dir", plans).code == 0
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans, "-f", "json", "-o", out / "k.json")
    assert result.code == 0 and (out / "k.json").is_file()


def test_each_file_is_read_in_its_own_encoding(broken_plans, run):
    """A Shift_JIS plan beside a UTF-8 one and a UTF-16 one: all read, no option needed."""
    plans, _ = broken_plans
    (plans / "kagoshima" / "2019.yaml").write_bytes(REAL.encode("cp932"))
    old = plans / "kagoshima" / "2018.yaml"
    old.write_bytes(old.read_text(encoding="utf-8").encode("utf-16"))
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans, "-f", "json")
    assert result.code == 0, result


def test_a_forced_encoding_names_the_file_in_words(broken_plans, run):
    plans, _ = broken_plans
    path = plans / "kagoshima" / "2019.yaml"
    result = run("validate", path, "--encoding", "ascii")
    assert result.code == 1 and f"{path}:" in result.err and "is not ascii text" in result.err
    assert "codec" not in result.err
    unknown = run("validate", path, "--encoding", "klingon")
    assert unknown.code == 1 and "not an encoding Python knows" in unknown.err


def test_cp932_with_explicit_encoding(broken_plans, run):
    plans, _ = broken_plans
    path = plans / "kagoshima" / "2019.yaml"
    path.write_bytes(REAL.encode("cp932"))
    result = run("validate", path, "--encoding", "cp932")
    assert result.code == 0, result


def test_unparseable_kpi_target_is_a_located_warning(broken_plans, run):
    plans, _ = broken_plans
    target = plans / "kagoshima" / "2019.yaml"
    text = replaced("を95.4％以上とする。", "をできるだけ高める。")
    target.write_text(text, encoding="utf-8")
    result = run("validate", "--plans-dir", plans)
    assert result.code == 0
    assert f"{target}:{line_of(text, 'できるだけ高める')}:" in result.out and "warning" in result.out


@pytest.mark.parametrize("args, fragments", [
    (["show", "2019", "-b", "kagosima"], ["no branch 'kagosima'", "Did you mean 'kagoshima'?"]),
    (["diff", "2017", "2019", "-b", "kagoshima"], ["no plan for kagoshima in fiscal year 2017", "Years for kagoshima"]),
    (["diff", "2019", "H31", "-b", "kagoshima"], ["both versions are fiscal year 2019"]),
])
def test_cli_misuse(args, fragments, run):
    result = run(*args, "--plans-dir", ROOT / "plans")
    assert result.code == 1 and "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err


def test_missing_plans_directory(tmp_path, run):
    result = run("validate", "--plans-dir", tmp_path / "nowhere")
    assert result.code == 1 and "does not exist" in result.err and "--plans-dir" in result.err


@pytest.mark.parametrize("where", ["missing-dir/k.html", "a-file/k.html"])
def test_unwritable_output_path(where, tmp_path, run):
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", ROOT / "plans", "-f", "html",
                 "-o", tmp_path / where)
    assert result.code == 1 and "Traceback" not in result.err
    assert "cannot write" in result.err and "-o" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize("kind", ["fifo", "device link", "proc file"])
@pytest.mark.parametrize("command", ["validate", "diff"])
def test_only_regular_files_are_read(kind, command, broken_plans, run):
    import os

    plans, out = broken_plans
    target = plans / "kagoshima" / "2019.yaml"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device link":
        target.symlink_to("/dev/zero")
    else:
        target.symlink_to("/proc/self/maps")  # a regular file whose stat size (0) says nothing
    args = (["validate", "--plans-dir", plans] if command == "validate" else
            ["diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans, "-o", out / "k.pdf"])
    start = time.perf_counter()
    result = run(*args)
    assert time.perf_counter() - start < 5
    assert result.code == 1 and "Traceback" not in result.err
    assert str(target) in result.err
    expected = {"fifo": "named pipe (FIFO)", "device link": "is a device", "proc file": "a plan is a mapping"}[kind]
    assert expected in result.err, result.err
    assert list(out.iterdir()) == []


def test_a_plan_saved_as_unicode_by_notepad_is_read(broken_plans, run):
    plans, _ = broken_plans
    target = plans / "kagoshima" / "2019.yaml"
    target.write_bytes(REAL.encode("utf-16"))  # with a byte-order mark, as Notepad's "Unicode"
    result = run("validate", target)
    assert result.code == 0, result
    target.write_bytes(REAL.replace("\n", "\r\n").encode("utf-16-be").join([b"\xfe\xff", b""]))
    assert run("validate", target).code == 0


def test_json_outputs_are_strict_json(run):
    import json

    def strict(text: str):
        return json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))

    for args in (("list", "-f", "json"), ("show", "2019", "-b", "kagoshima", "-f", "json"),
                 ("diff", "2018", "2019", "-b", "kagoshima", "-f", "json"),
                 ("results", "2024", "-b", "kumamoto", "-f", "json")):
        result = run(*args, "--plans-dir", ROOT / "plans")
        assert result.code == 0, result
        strict(result.out)


@pytest.mark.parametrize("sentence, reason", [
    ("査定率を前年度比105%以上とする。", "a change relative to last year"),
    ("特定保健指導の実施率を50％～60％とする。", "a range"),
    ("対象事業所の3分の1以上で実施する。", "a fraction"),
    ("伸び率を▲1.0%以下とする。", "a negative figure"),
])
def test_an_unreadable_target_is_a_warning_naming_the_sentence(broken_plans, run, sentence, reason):
    plans, _ = broken_plans
    target = plans / "kagoshima" / "2019.yaml"
    text = replaced("日本年金機構回収分も含めた資格喪失後１か月以内の保険証回収率を95.4％以上とする。", sentence)
    target.write_text(text, encoding="utf-8")
    result = run("validate", target)
    assert result.code == 0, result
    line = line_of(text, sentence)
    warning = [w for w in result.out.splitlines() if f"{target}:{line}:" in w]
    assert len(warning) == 1 and "warning" in warning[0] and f"「{sentence}」" in warning[0] and reason in warning[0]


def test_brackets_inside_strings_and_comments_do_not_count_as_nesting(broken_plans, run):
    plans, _ = broken_plans
    target = plans / "kagoshima" / "2019.yaml"
    many = "[" * 200 + "{" * 200
    text = replaced("title: サービス水準の向上\n", f"title: 'サービス水準の向上{many}'  # {many}\n")
    target.write_text(text, encoding="utf-8")
    result = run("validate", target)
    assert result.code == 0, result
