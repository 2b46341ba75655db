"""`diff --all-branches` goes through the one diff path: every option of `diff` means for each branch what it
means for one, and the incremental cache is keyed on every option that changes an output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import kagoshima_as_branches

BRANCHES = ("alpha", "beta")


@pytest.fixture
def branches(tmp_path):
    return kagoshima_as_branches(tmp_path, BRANCHES)


def batch(run, plans, out, *extra):
    return run("diff", "2018", "2019", "--all-branches", "--plans-dir", plans, "-o", out, "-j", "1", *extra)


def single(run, plans, branch, *extra):
    result = run("diff", "2018", "2019", "-b", branch, "--plans-dir", plans, *extra)
    assert result.code in (0, 1), result.err
    return result.out


def written(out, branch, ext="json"):
    return (out / f"{branch}_2018-2019_shinkyu.{ext}").read_text(encoding="utf-8")


def test_exact_reaches_every_branch_and_keys_the_cache(run, branches):
    plans, out = branches
    assert batch(run, plans, out, "-f", "json").code == 0
    assert json.loads(written(out, "alpha"))["exact"] is False
    result = batch(run, plans, out, "-f", "json", "--exact")
    assert "2 rendered, 0 up to date" in result.out
    for branch in BRANCHES:
        assert written(out, branch) == single(run, plans, branch, "-f", "json", "--exact")
        assert json.loads(written(out, branch))["exact"] is True
    assert "0 rendered, 2 up to date" in batch(run, plans, out, "-f", "json", "--exact").out
    assert "2 rendered" in batch(run, plans, out, "-f", "json").out


def test_encoding_reaches_every_branch(run, branches):
    plans, out = branches
    for name in BRANCHES:  # EUC-JP is not guessed: without --encoding the plans cannot be read
        for year in (2018, 2019):
            path = plans / name / f"{year}.yaml"
            path.write_bytes(path.read_text(encoding="utf-8").encode("euc_jis_2004"))
    refused = batch(run, plans, out, "-f", "json")
    assert refused.code == 1 and refused.out.count("FAILED") == 2
    result = batch(run, plans, out, "-f", "json", "--encoding", "euc_jis_2004")
    assert result.code == 0 and "2 rendered" in result.out, result.out
    assert written(out, "beta") == single(run, plans, "beta", "-f", "json", "--encoding", "euc_jis_2004")


def test_exit_code_reports_differences_across_the_batch_even_when_up_to_date(run, branches):
    plans, out = branches
    for name in BRANCHES:  # no differences: 2019 is 2018 with the year changed
        shutil.copy(plans / name / "2018.yaml", plans / name / "2019.yaml")
        path = plans / name / "2019.yaml"
        lines = path.read_text(encoding="utf-8").replace("fiscal_year: 2018", "fiscal_year: 2019").splitlines()
        path.write_text("\n".join(line.replace("平成30年度", "平成31年度") if line.startswith("title:") else line
                                  for line in lines) + "\n", encoding="utf-8")
    same = batch(run, plans, out, "-f", "json", "--exit-code")
    assert same.code == 0, same.out
    beta = plans / "beta" / "2019.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("現金給付の適正化の推進", "現金給付の適正化の一層の推進", 1),
                    encoding="utf-8")
    assert batch(run, plans, out, "-f", "json", "--exit-code").code == 1
    again = batch(run, plans, out, "-f", "json", "--exit-code")  # beta is up to date now, still different
    assert again.code == 1 and "0 rendered, 2 up to date" in again.out
    assert batch(run, plans, out, "-f", "json").code == 0  # without --exit-code differences are not an error


def test_exit_code_tells_a_failed_branch_from_differences(run, branches):
    plans, out = branches
    (plans / "beta" / "2019.yaml").write_text("fiscal_year: [", encoding="utf-8")
    result = batch(run, plans, out, "-f", "json", "--exit-code")
    assert result.code == 2 and "FAILED beta" in result.out


def test_font_keys_the_cache_of_word_outputs(run, branches):
    plans, out = branches
    assert batch(run, plans, out, "-f", "docx").code == 0
    assert "0 rendered, 2 up to date" in batch(run, plans, out, "-f", "docx").out
    result = batch(run, plans, out, "-f", "docx", "--font", "ＭＳ ゴシック")
    assert "2 rendered, 0 up to date" in result.out
    from docx import Document

    fonts = {run.font.name for paragraph in Document(out / "alpha_2018-2019_shinkyu.docx").paragraphs
             for run in paragraph.runs}
    assert "ＭＳ ゴシック" in fonts


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.slow
def test_rev_reaches_every_branch(run, branches, monkeypatch):
    plans, out = branches
    repo = plans.parent
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q", "-b", "main"], ["add", "plans"], ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)
    for name in BRANCHES:  # the working tree moves on; --rev HEAD must not see it
        path = plans / name / "2019.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("95.4％以上", "99.9％以上", 1), encoding="utf-8")
    monkeypatch.chdir(repo)
    at_head = batch(run, plans, out, "-f", "json", "--rev", "HEAD")
    assert at_head.code == 0, at_head.out
    for name in BRANCHES:
        data = json.loads(written(out, name))
        assert "99.9" not in written(out, name) and data["new"]["revision"]["rev"] == "HEAD"
        assert written(out, name) == single(run, plans, name, "-f", "json", "--rev", "HEAD")
    now = batch(run, plans, out, "-f", "json")
    assert "2 rendered" in now.out and "99.9" in written(out, "alpha")


def test_a_link_planted_where_the_record_goes_is_replaced_not_written_through(run, branches, tmp_path):
    plans, out = branches
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    (out / ".alpha_2018-2019_shinkyu.json.source").symlink_to(precious)
    assert batch(run, plans, out, "-f", "json").code == 0
    assert precious.read_text(encoding="utf-8") == "keep me"
    record = out / ".alpha_2018-2019_shinkyu.json.source"
    assert not record.is_symlink() and len(record.read_text(encoding="utf-8").split()) == 2


def test_a_huge_record_is_not_read_whole(run, branches):
    plans, out = branches
    assert batch(run, plans, out, "-f", "json").code == 0
    record = out / ".alpha_2018-2019_shinkyu.json.source"
    with open(record, "r+b") as stream:  # sparse: 8 GB on paper, nothing on disk
        stream.truncate(8 * 1024 ** 3)
    limit = 2 * 1024 ** 3  # address space: the whole record would not fit
    script = (f"import resource, sys; resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit})); "
              "from kenpo_plans.cli import main; sys.exit(main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", script, "diff", "2018", "2019", "--all-branches", "--plans-dir",
                             str(plans), "-o", str(out), "-j", "1", "-f", "json"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and "1 rendered, 1 up to date" in result.stdout, result.stderr
    assert record.stat().st_size < 200


def test_a_branch_whose_output_name_is_too_long_fails_alone(run, branches):
    plans, out = branches
    long_id = "b" * 250  # the schema allows it; no file system holds a 270-byte name
    shutil.copytree(plans / "alpha", plans / long_id)
    for year in (2018, 2019):
        path = plans / long_id / f"{year}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("id: alpha", f"id: {long_id}", 1), encoding="utf-8")
    result = batch(run, plans, out, "-f", "json")
    assert result.code == 1 and "2 rendered" in result.out and f"FAILED {long_id}" in result.out
    assert "internal error" not in result.out + result.err
