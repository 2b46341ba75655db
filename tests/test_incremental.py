"""--all-branches renders only what changed: a content hash of everything an output is made from."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT, kagoshima_as_branches


@pytest.fixture
def branches(tmp_path):
    return kagoshima_as_branches(tmp_path, ("alpha", "beta", "gamma"))


def batch(run, plans, out, *extra):
    result = run("diff", "2018", "2019", "--all-branches", "--plans-dir", plans, "-o", out, "-f", "html", "-j", "1",
                 *extra)
    assert result.code == 0, result
    return result


def outputs(out):
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if not p.name.startswith(".")}


def test_a_second_run_with_nothing_changed_renders_nothing(run, branches):
    plans, out = branches
    first = batch(run, plans, out)
    assert "3 branch(es): 3 rendered, 0 up to date, 0 failed" in first.out
    before = outputs(out)
    second = batch(run, plans, out)
    assert "3 branch(es): 0 rendered, 3 up to date, 0 failed" in second.out
    assert outputs(out) == before


def test_an_edited_plan_renders_its_branch_only(run, branches):
    plans, out = branches
    batch(run, plans, out)
    plan = plans / "beta" / "2019.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("95.4％以上", "95.5％以上", 1), encoding="utf-8")
    result = batch(run, plans, out)
    assert "3 branch(es): 1 rendered, 2 up to date, 0 failed" in result.out and "beta_2018-2019" in result.out


def test_the_summary_names_the_branches_it_skipped(run, branches):
    plans, out = branches
    (plans / "gamma" / "2018.yaml").unlink()
    result = batch(run, plans, out)
    assert "2 branch(es): 2 rendered" in result.out
    assert "skipped (not a plan for both years; the years it has): gamma (2019)" in result.out


def test_two_folders_claiming_one_branch_id_do_not_write_one_file_twice(run, branches):
    plans, out = branches
    for year in (2018, 2019):
        path = plans / "beta" / f"{year}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("id: beta", "id: alpha", 1), encoding="utf-8")
    result = run("diff", "2018", "2019", "--all-branches", "--plans-dir", plans, "-o", out, "-f", "html", "-j", "1")
    assert result.code == 1 and "FAILED beta:" in result.out and "but the file is in plans/beta/" in result.out
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "alpha_2018-2019_shinkyu.html", "gamma_2018-2019_shinkyu.html"]


def test_nothing_to_render_in_parallel_is_not_an_error(run, branches):
    plans, out = branches
    batch(run, plans, out)
    result = run("diff", "2018", "2019", "--all-branches", "--plans-dir", plans, "-o", out, "-f", "html", "-j", "2")
    assert result.code == 0 and "0 rendered, 3 up to date" in result.out


def test_a_touched_but_unchanged_plan_is_still_up_to_date(run, branches):
    plans, out = branches
    batch(run, plans, out)
    (plans / "alpha" / "2018.yaml").touch()
    assert "0 rendered, 3 up to date" in batch(run, plans, out).out


def test_templates_options_results_and_force_all_count(run, branches, tmp_path):
    plans, out = branches
    batch(run, plans, out)
    assert "3 rendered" in batch(run, plans, out, "--landscape").out
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    # the same templates elsewhere are the same templates: content counts, not where it lives
    assert "0 rendered, 3 up to date" in batch(run, plans, out, "--landscape", "--template-dir", templates).out
    css = templates / "shinkyu.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* office colours */\n", encoding="utf-8")
    assert "3 rendered" in batch(run, plans, out, "--landscape", "--template-dir", templates).out
    shutil.copy(ROOT / "tests" / "fixtures" / "results" / "kagoshima_2018.results.yaml", plans / "gamma" / "2018.results.yaml")
    text = (plans / "gamma" / "2018.results.yaml").read_text(encoding="utf-8").replace("branch: kagoshima", "branch: gamma")
    (plans / "gamma" / "2018.results.yaml").write_text(text, encoding="utf-8")
    assert "1 rendered, 2 up to date" in batch(run, plans, out, "--landscape", "--template-dir", templates).out
    assert "3 rendered, 0 up to date" in batch(run, plans, out, "--landscape", "--template-dir", templates,
                                              "--force").out


def test_a_deleted_output_is_rendered_again(run, branches):
    plans, out = branches
    batch(run, plans, out)
    (out / "alpha_2018-2019_shinkyu.html").unlink()
    assert "1 rendered, 2 up to date" in batch(run, plans, out).out


def test_logs_get_one_line_per_finished_branch(run, branches):
    plans, out = branches
    result = batch(run, plans, out)
    lines = [line for line in result.err.splitlines() if line.startswith("[")]
    assert sorted(lines) == ["[1/3] alpha: rendered", "[2/3] beta: rendered", "[3/3] gamma: rendered"]
    result = batch(run, plans, out)
    assert "[3/3] gamma: up to date" in result.err
