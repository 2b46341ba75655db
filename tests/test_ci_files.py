"""`kenpo-plans init --ci github|gitlab`: the pipelines written, and each passes its forge's own schema."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kenpo_plans.commands.ci import pipeline

CHECK = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
SCHEMAS = {"github": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}


def schema_check(path: Path, forge: str) -> subprocess.CompletedProcess:
    """check-jsonschema against the schema it ships for the forge (vendored: no network)."""
    return subprocess.run([CHECK, "--builtin-schema", SCHEMAS[forge], str(path)], capture_output=True, text=True,
                          timeout=120)


def test_init_writes_both_pipelines_and_keeps_an_existing_one(tmp_path, run):
    result = run("init", tmp_path / "office", "--ci", "github", "--ci", "gitlab")
    assert result.code == 0, result
    github = tmp_path / "office/.github/workflows/kenpo-plans.yml"
    gitlab = tmp_path / "office/.gitlab-ci.yml"
    assert "kenpo-plans site -o public" in github.read_text(encoding="utf-8")
    assert "kenpo-plans validate" in gitlab.read_text(encoding="utf-8")
    gitlab.write_text("# the office's own\n", encoding="utf-8")
    again = run("init", tmp_path / "office", "--ci", "gitlab")
    assert again.code == 0 and "kept" in again.out
    assert gitlab.read_text(encoding="utf-8") == "# the office's own\n"


def test_pipelines_attach_the_shinkyu_of_changed_plans():
    for forge in ("github", "gitlab"):
        text = pipeline(forge)
        assert "--rev \"$base\" --format \"$format\"" in text and "shinkyu" in text
        assert "for format in pdf html" in text


@pytest.mark.slow
@pytest.mark.skipif(CHECK is None, reason="check-jsonschema is a test dependency: pip install -e '.[test]'")
@pytest.mark.parametrize("forge", ["github", "gitlab"])
def test_pipeline_passes_the_forges_schema(tmp_path, forge):
    good = tmp_path / f"{forge}.yml"
    good.write_text(pipeline(forge), encoding="utf-8")
    checked = schema_check(good, forge)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    broken = tmp_path / f"{forge}-broken.yml"  # the check itself must be able to fail
    broken.write_text(pipeline(forge).replace("stages:", "stages: 3\nnot_stages:").replace("runs-on:", "runs-onn:"),
                      encoding="utf-8")
    assert schema_check(broken, forge).returncode != 0
