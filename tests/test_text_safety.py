"""Text cannot act on its reader: control characters and bidi overrides are reported and shown, never obeyed."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import PLANS
from kenpo_plans.textsafety import UNSAFE, visible

OSC_TITLE = "\x1b]0;pwned\x07"
HOSTILE = {
    "osc": (f'"サービス水準の向上{OSC_TITLE}"'.replace("\x1b", "\\e").replace("\x07", "\\a"), "U+001B (ESCAPE)"),
    "csi": ('"サービス水準の向上\\e[2J\\e[H"', "U+001B (ESCAPE)"),
    "c1": ('"サービス水準の向上\\x9b31m"', "U+009B"),
    "bidi": ("サービス水準の\u202e上向", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    "isolate": ("サービス水準の\u2067向上\u2069", "U+2067 (RIGHT-TO-LEFT ISOLATE)"),
    "backspace": ('"サービス水準の向上\\b\\b\\b"', "U+0008 (BACKSPACE)"),
}


@pytest.fixture(params=list(HOSTILE))
def hostile_plans(request, plans_copy):
    title, named = HOSTILE[request.param]
    plan = plans_copy / "kagoshima" / "2019.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "title: サービス水準の向上\n" in text
    plan.write_text(text.replace("title: サービス水準の向上\n", f"title: {title}\n", 1), encoding="utf-8")
    return plans_copy, named


def raw_unsafe(text: str) -> list[str]:
    return UNSAFE.findall(text)


def test_validate_reports_them_with_their_place(run, hostile_plans):
    plans, named = hostile_plans
    result = run("validate", plans / "kagoshima" / "2019.yaml")
    assert result.code == 0, result
    warning = [line for line in result.out.splitlines() if ": warning:" in line]
    assert len(warning) == 1 and named in warning[0] and re.search(r"2019\.yaml:\d+:\d+: warning:", warning[0])
    assert raw_unsafe(result.out + result.err) == []


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_output_carries_them_raw_even_through_a_pipe(run, hostile_plans, fmt):
    plans, _ = hostile_plans
    for args in (("diff", "2018", "2019", "-b", "kagoshima", "-f", fmt, "--no-color"),
                 ("show", "2019", "-b", "kagoshima", "-f", fmt)):
        result = run(*args, "--plans-dir", plans)
        assert result.code == 0, result
        assert raw_unsafe(result.out + result.err) == []
        assert "サービス水準の" in result.out
        if fmt == "json":
            assert "\\u001b" not in result.out  # shown as ␛, not smuggled as a JSON escape
            json.loads(result.out)


def test_html_shows_them_visibly(run, hostile_plans, tmp_path):
    plans, _ = hostile_plans
    out = tmp_path / "k.html"
    assert run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans, "-f", "html", "-o", out).code == 0
    html = out.read_text(encoding="utf-8")
    assert raw_unsafe(html) == []
    assert "␛" in html or "⟨U+" in html or "␈" in html


def test_messages_that_quote_user_input_are_made_visible_too(run, tmp_path):
    result = run("show", "2019", "-b", f"kago{OSC_TITLE}shima", "--plans-dir", PLANS)
    assert result.code == 1 and raw_unsafe(result.err) == [] and "␛" in result.err
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, f"--bogus{OSC_TITLE}")
    assert result.code != 0 and raw_unsafe(result.err) == []


def test_visible_keeps_newlines_tabs_and_japanese():
    assert visible("計画\n\t95.4％以上") == "計画\n\t95.4％以上"
    assert visible("\x1b[31m\u202e") == "␛[31m⟨U+202E⟩"
