"""One format registry, options declared once, the request as the --all-branches cache key, no process-wide
side effects: every command that writes a file checks, names and delivers it the same way."""

from __future__ import annotations

import ast
import dataclasses
import gc
import shutil
from pathlib import Path

import pytest

from conftest import PLANS, kagoshima_as_branches
from kenpo_plans.commands import outputs
from kenpo_plans.commands.batch import source_fingerprint
from kenpo_plans.commands.diff import diff
from kenpo_plans.commands.requests import DiffRequest, OutputRequest

PACKAGE = Path(__file__).resolve().parent.parent / "kenpo_plans"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
WRITING_COMMANDS = {
    "diff": ("diff", "2018", "2019", "-b", "kagoshima"),
    "show": ("show", "2019", "-b", "kagoshima"),
    "results": ("results", "2024", "-b", "kumamoto"),
    "kpi": ("kpi", "-b", "kumamoto"),
}


@pytest.mark.parametrize("command", sorted(WRITING_COMMANDS))
def test_every_command_refuses_an_output_whose_suffix_contradicts_the_format(run, tmp_path, command):
    out = tmp_path / "out.pdf"
    result = run(*WRITING_COMMANDS[command], "--plans-dir", PLANS, "-f", "json", "-o", out)
    assert result.code == 1 and "ends in .pdf but --format is json" in result.err, result
    assert not out.exists()


@pytest.mark.parametrize("command", sorted(WRITING_COMMANDS))
def test_every_command_refuses_layout_options_a_text_format_would_ignore(run, command):
    result = run(*WRITING_COMMANDS[command], "--plans-dir", PLANS, "-f", "json", "--font", "IPAexGothic")
    assert result.code == 1 and "--font" in result.err and "ignores them" in result.err, result


def test_kpi_draws_with_the_font_asked_for_and_offers_no_colour_it_would_ignore(run, tmp_path):
    chart = tmp_path / "chart.svg"
    drawn = run("kpi", "seikatsu-kenshin-ritsu", "-b", "kumamoto", "--plans-dir", PLANS, "-f", "svg",
                "--font", "IPAexMincho", "-o", chart)
    assert drawn.code == 0, drawn
    assert 'font-family="IPAexMincho"' in chart.read_text(encoding="utf-8")
    assert "--color" not in run("kpi", "--help").out
    assert run("kpi", "-b", "kumamoto", "--plans-dir", PLANS, "-f", "text", "--no-color").code == 2


def test_the_registry_says_which_documents_offer_each_format():
    assert outputs.formats_for("diff") == ("pdf", "html", "docx", "json", "text")
    assert outputs.formats_for("kpi")[0] == "html" and "svg" in outputs.formats_for("kpi")
    assert "xlsx" not in outputs.formats_for("plan")
    with pytest.raises(outputs.UsageError, match="not one of"):
        outputs.check_request(OutputRequest(fmt="svg"), "diff")


def _click_options(flag: str) -> list[str]:
    """Where ``click.option(flag, …)`` is called in the package."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "option"
                    and any(isinstance(arg, ast.Constant) and arg.value == flag for arg in node.args)):
                found.append(f"{path.name}:{node.lineno}")
    return found


@pytest.mark.parametrize("flag", ["--font", "--output", "--period", "--format", "--color/--no-color", "--landscape",
                                  "--monochrome", "--template-dir", "--plans-dir"])
def test_a_shared_option_is_declared_once(flag):
    assert len(_click_options(flag)) == 1, _click_options(flag)


def _changed(name: str, value, tmp_path: Path):
    """Another value of the field ``name`` than ``value``."""
    other = {"versions": ("2017", "2019"), "branch": "kumamoto", "plans_dir": tmp_path / "elsewhere",
             "encoding": "cp932", "rev": "HEAD~1", "jobs": 2, "fmt": "pdf", "output": tmp_path / "other.html",
             "font": "IPAexGothic", "template_dir": tmp_path / "templates", "old_word": "現", "layout": "status"}
    if isinstance(value, bool):
        return not value
    return other[name]


def test_changing_any_field_of_the_request_changes_the_all_branches_fingerprint(tmp_path):
    rendering = OutputRequest(fmt="html", output=tmp_path / "k.html", template_dir=TEMPLATES)
    base = DiffRequest(("2018", "2019"), "kagoshima", PLANS, rendering=rendering)
    shutil.copytree(TEMPLATES, tmp_path / "templates")  # folders count by their content: this one differs
    (tmp_path / "templates" / "shinkyu.css").write_text("/* an office's own */", encoding="utf-8")
    seen = {source_fingerprint(base)}
    for field in dataclasses.fields(DiffRequest):
        if field.name != "rendering":
            seen.add(source_fingerprint(dataclasses.replace(
                base, **{field.name: _changed(field.name, getattr(base, field.name), tmp_path)})))
    for field in dataclasses.fields(OutputRequest):
        changed = dataclasses.replace(rendering, **{field.name: _changed(field.name, getattr(rendering, field.name),
                                                                         tmp_path)})
        seen.add(source_fingerprint(dataclasses.replace(base, rendering=changed)))
    assert len(seen) == 1 + len(dataclasses.fields(DiffRequest)) - 1 + len(dataclasses.fields(OutputRequest))


def test_the_same_plans_and_templates_in_another_folder_are_the_same_sources(tmp_path):
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    shutil.copytree(PLANS / "kagoshima", tmp_path / "plans" / "kagoshima")
    here = DiffRequest(("2018", "2019"), "kagoshima", PLANS, rendering=OutputRequest(fmt="html",
                                                                                     template_dir=TEMPLATES))
    there = DiffRequest(("2018", "2019"), "kagoshima", tmp_path / "plans", rendering=OutputRequest(
        fmt="html", template_dir=tmp_path / "templates"))
    assert source_fingerprint(here) == source_fingerprint(there)


def test_editing_a_template_file_renders_every_branch_again(run, tmp_path):
    plans, out = kagoshima_as_branches(tmp_path, ("alpha", "beta"))
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    batch = ("diff", "2018", "2019", "--all-branches", "--plans-dir", plans, "-o", out, "-j", "1", "-f", "html",
             "--template-dir", templates)
    assert "2 rendered" in run(*batch).out
    assert "0 rendered, 2 up to date" in run(*batch).out
    css = templates / "shinkyu.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* an office's own touch */\n", encoding="utf-8")
    assert "2 rendered, 0 up to date" in run(*batch).out


def test_a_diff_leaves_the_garbage_collector_as_it_found_it():
    before = gc.get_freeze_count()
    diff(["2018", "2019"], "kagoshima", PLANS)
    assert gc.get_freeze_count() == before


def test_only_the_pdf_engine_freezes_the_collector():
    freezing = [path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                if "gc.freeze" in path.read_text(encoding="utf-8")]
    assert freezing == ["render/pdf.py"]


def test_the_pdf_engine_freezes_only_for_its_render_and_leaves_another_freeze_alone():
    from kenpo_plans.render.pdf import render_pdf

    assert render_pdf("<p>計画</p>", TEMPLATES).startswith(b"%PDF")
    assert gc.get_freeze_count() == 0
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        render_pdf("<p>計画</p>", TEMPLATES)
        assert gc.get_freeze_count() == frozen > 0
    finally:
        gc.unfreeze()


def test_one_round_trip_yaml_writer_and_one_schema_line():
    texts = {path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}
    assert [name for name, text in texts.items() if 'typ="rt"' in text] == ["plan/yamlwriter.py"]
    assert [name for name, text in texts.items() if "yaml-language-server" in text] == ["plan/yamlwriter.py"]
    assert [name for name, text in texts.items() if "ruamel.yaml import YAML" in text and "typ=\"safe\"" not in text] \
        == ["plan/yamlwriter.py"]


def test_a_skeleton_written_through_the_writer_keeps_its_guidance_comments_and_validates(run, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS / "yamaguchi", plans / "yamaguchi")
    done = run("new-report", "2021", "-b", "yamaguchi", "--period", "q2", "--plans-dir", plans)
    assert done.code == 0, done
    text = (plans / "yamaguchi" / "2021.results.yaml").read_text(encoding="utf-8")
    original = (PLANS / "yamaguchi" / "2021.results.yaml").read_text(encoding="utf-8")
    comments = {line for line in original.splitlines() if line.lstrip().startswith("#")}
    assert comments and comments <= set(text.splitlines())  # the file's own comments are kept
    q2 = text[text.index("  - id: q2"):]
    assert "    # date: 2025-07-14   # 資料の日付（任意）\n    kpis:\n      # " in q2
    assert "\n        # actual: 実績を記入（例: '65.8％'" in q2
    assert "\n        # activities: 実施状況を記入" in q2
    assert run("validate", plans / "yamaguchi" / "2021.results.yaml").code == 0
