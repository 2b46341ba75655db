"""A planning repository of one's own: `kenpo-plans init`, checked with git and a real pre-commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PLANS

BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.slow,  # git and pre-commit end to end
              pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]


def sh(args, cwd, check=True):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.jp", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.jp", "PRE_COMMIT_HOME": str(cwd.parent / "pre-commit-cache")}
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, check=check,
                          timeout=300)


def test_init_sets_up_a_repository_whose_plans_validate_for_editors_and_git(run, tmp_path):
    repo = tmp_path / "kagoshima-plans"
    result = run("init", repo)
    assert result.code == 0, result
    assert (repo / "plans").is_dir() and (repo / ".git").is_dir()
    shutil.copytree(PLANS / "kagoshima", repo / "plans" / "kagoshima")
    plan = repo / "plans" / "kagoshima" / "2019.yaml"
    comment = plan.read_text(encoding="utf-8").splitlines()[0]
    schema = comment.split("$schema=", 1)[1]
    assert (plan.parent / schema).resolve().is_file()  # the editor finds what the comment names
    assert "plans/**/*.yaml diff=kenpo-plans" in (repo / ".gitattributes").read_text(encoding="utf-8")
    assert run("init", repo).code == 0  # again: nothing overwritten, nothing broken


@pytest.mark.slow
@pytest.mark.skipif(not (BIN / "pre-commit").exists(), reason="pre-commit is not installed (pip install pre-commit)")
def test_the_pre_commit_configuration_runs_validate_and_shows_warnings(run, tmp_path):
    repo = tmp_path / "plans-repo"
    assert run("init", repo).code == 0
    shutil.copytree(PLANS / "kagoshima", repo / "plans" / "kagoshima")
    plan = repo / "plans" / "kagoshima" / "2019.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("を95.4％以上とする。", "をできるだけ高める。", 1), encoding="utf-8")
    sh(["git", "add", "-A"], repo)
    passed = sh([BIN / "pre-commit", "run", "--all-files"], repo, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "kenpo-plans validate" in passed.stdout and "warning" in passed.stdout  # verbose: warnings shown
    plan.write_text(text.replace("    measures:", "    mesures:", 1), encoding="utf-8")
    sh(["git", "add", "-A"], repo)
    failed = sh([BIN / "pre-commit", "run", "--all-files"], repo, check=False)
    assert failed.returncode == 1 and "Did you mean 'measures'?" in failed.stdout + failed.stderr
