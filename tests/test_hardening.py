"""Hostile inputs on the newer surfaces (#22): figures, characters outputs cannot hold, units in formats,
messages that point at the right thing, permissions, `new --force` onto what is not a file.

Every case is a class of input, not one string: each must end in a message of ours (exit 1), never in
「internal error」 (exit 3) or a signal.
"""

from __future__ import annotations

import json
import os
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
