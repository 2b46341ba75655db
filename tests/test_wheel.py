"""An installed (non-editable) wheel finds its schemas: build, install outside the repo, run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(cmd, cwd, timeout=600):
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KENPO_PLANS_DIR")})
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


def test_wheel_installs_and_validates_a_plan(tmp_path):
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT], cwd=tmp_path)
    (wheel,) = dist.glob("kenpo_plans-*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "-q", wheel], cwd=tmp_path)

    work = tmp_path / "elsewhere"
    work.mkdir()
    schema_dir = _run([python, "-c", "from kenpo_plans.resources import data_dir; print(data_dir('schemas'))"], cwd=work)
    assert Path(schema_dir.stdout.strip()).is_relative_to(venv)

    plan = ROOT / "plans" / "kagoshima" / "2019.yaml"
    result = _run([venv / "bin" / "kenpo-plans", "validate", plan], cwd=work)
    assert "1 file(s) checked: 1 ok" in result.stdout
    shown = _run([venv / "bin" / "kenpo-plans", "show", "2018", "-b", "kagoshima", "--plans-dir", ROOT / "plans"], cwd=work)
    assert "平成30年度 事業計画（鹿児島支部）" in shown.stdout

    rendered = _run([venv / "bin" / "kenpo-plans", "diff", "2018", "2019", "-b", "kagoshima", "--plans-dir",
                     ROOT / "plans", "-f", "html", "-o", work / "k.html"], cwd=work)
    assert "wrote" in rendered.stderr
    assert "新旧対照表（案）" in (work / "k.html").read_text(encoding="utf-8")
    _run([venv / "bin" / "kenpo-plans", "diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", ROOT / "plans",
          "-o", work / "k.pdf"], cwd=work)
    assert (work / "k.pdf").read_bytes().startswith(b"%PDF")
    template_dir = _run([python, "-c", "from kenpo_plans.render.templates import template_dir; print(template_dir(None))"],
                        cwd=work)
    assert Path(template_dir.stdout.strip()).is_relative_to(venv)

    results = _run([venv / "bin" / "kenpo-plans", "results", "2024", "-b", "kumamoto", "--plans-dir", ROOT / "plans",
                    "-f", "html", "-o", work / "r.html"], cwd=work)
    assert "wrote" in results.stderr
    assert "計画達成度" in (work / "r.html").read_text(encoding="utf-8")
    checked = _run([venv / "bin" / "kenpo-plans", "validate", ROOT / "plans" / "kumamoto" / "2024.results.yaml"],
                   cwd=work)
    assert "1 file(s) checked: 1 ok" in checked.stdout

    # the association-wide plan ships in the wheel: a new branch's first plan needs nothing else (#20)
    office = work / "office"
    _run([venv / "bin" / "kenpo-plans", "init", office], cwd=work)
    assert (office / "docs" / "results-format.md").is_file()
    first = _run([venv / "bin" / "kenpo-plans", "new", "2026", "-b", "fukuoka", "--name", "福岡支部"], cwd=office)
    assert "national" in first.stdout and (office / "plans" / "fukuoka" / "2026.yaml").is_file()
    assert str(venv) in first.stdout  # read from the installed package, not from this checkout
    _run([venv / "bin" / "kenpo-plans", "new-report", "2026", "-b", "fukuoka", "-p", "q1"], cwd=office)

    broken = work / "2019.yaml"
    broken.write_text(plan.read_text(encoding="utf-8").replace("    measures:", "    mesures:", 1), encoding="utf-8")
    bad = subprocess.run([str(venv / "bin" / "kenpo-plans"), "validate", str(broken)], cwd=work,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "Did you mean 'measures'?" in bad.stderr

    # the message catalog ships in the wheel: a Japanese locale reads Japanese
    japanese = {**os.environ, "LANG": "ja_JP.UTF-8"}
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        japanese.pop(variable, None)
    bad = subprocess.run([str(venv / "bin" / "kenpo-plans"), "validate", str(broken)], cwd=work, env=japanese,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "'measures' の誤りではありませんか" in bad.stderr, bad.stderr
    helped = subprocess.run([str(venv / "bin" / "kenpo-plans", ), "--help"], cwd=work, env=japanese,
                            capture_output=True, text=True, timeout=120)
    assert "使い方:" in helped.stdout and "このヘルプを表示して終了します。" in helped.stdout
