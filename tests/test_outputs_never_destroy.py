"""`-o` never destroys: not a plan, not an input, not a device, FIFO or directory; links are written through;
an interrupted write leaves nothing behind, whatever the signal; batch workers stop with their parent."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PLANS, ROOT

DIFF = ("diff", "2018", "2019", "-b", "kagoshima")


def test_a_plan_it_read_is_never_replaced(run, plans_copy):
    plan = plans_copy / "kagoshima" / "2019.yaml"
    before = plan.read_bytes()
    result = run(*DIFF, "--plans-dir", plans_copy, "-f", "json", "-o", plan)
    # .yaml is not a format the tool writes: the message must not suggest a --format yaml
    assert result.code == 1 and "ends in .yaml, which is not a format kenpo-plans writes" in result.err
    assert "--format yaml" not in result.err and "Traceback" not in result.err
    assert plan.read_bytes() == before
    # the writer refuses too, whatever the name says (a link named .json pointing at the plan)
    link = plans_copy / "k.json"
    link.symlink_to(plan)
    result = run(*DIFF, "--plans-dir", plans_copy, "-f", "json", "-o", link)
    assert result.code == 1 and "an input of this command" in result.err
    assert plan.read_bytes() == before


def test_no_plan_or_results_file_is_replaced_even_one_not_read(run, plans_copy):
    other = plans_copy / "kumamoto" / "2024.results.yaml"
    before = other.read_bytes()
    link = plans_copy / "other.json"
    link.symlink_to(other)
    result = run(*DIFF, "--plans-dir", plans_copy, "-f", "json", "-o", link)
    assert result.code == 1 and "plan or results file" in result.err
    assert other.read_bytes() == before
    result = run("results", "2024", "-b", "kumamoto", "--plans-dir", plans_copy, "-f", "json", "-o", link)
    assert result.code == 1 and "an input of this command" in result.err
    assert other.read_bytes() == before


def test_devices_fifos_and_directories_are_refused_without_blocking(run, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "kagoshima_2018-2019_shinkyu.html").mkdir()
    for target, kind in ((fifo, "named pipe"), (Path("/dev/null"), "a device"), (tmp_path, "a directory")):
        start = time.perf_counter()
        result = run(*DIFF, "--plans-dir", PLANS, "-f", "html", "-o", target)
        assert result.code == 1 and kind in result.err, result
        assert time.perf_counter() - start < 5
    assert not list(tmp_path.glob(".*.part"))


def test_a_symbolic_link_is_written_through_and_stays_a_link(run, tmp_path):
    real = tmp_path / "shared" / "k.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "k.json"
    link.symlink_to(real)
    assert run(*DIFF, "--plans-dir", PLANS, "-f", "json", "-o", link).code == 0
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["branch"]["id"] == "kagoshima"
    dangling = tmp_path / "gone.json"
    dangling.symlink_to(tmp_path / "nowhere" / "x.json")
    result = run(*DIFF, "--plans-dir", PLANS, "-f", "json", "-o", dangling)
    assert result.code == 1 and "does not exist" in result.err


def test_a_link_to_a_plan_is_refused(run, plans_copy, tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to(plans_copy / "kagoshima" / "2019.yaml")
    before = (plans_copy / "kagoshima" / "2019.yaml").read_bytes()
    assert run(*DIFF, "--plans-dir", plans_copy, "-f", "json", "-o", link).code == 1
    assert (plans_copy / "kagoshima" / "2019.yaml").read_bytes() == before


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_the_write_leaves_no_temporary_file(tmp_path, signum):
    # The signal arrives while the temporary file exists (inside fsync), through the real entry point.
    script = f"""
import os, signal, sys
import kenpo_plans.fileio as output
real_fsync = os.fsync
def fsync(fd):
    os.kill(os.getpid(), {int(signum)})
    real_fsync(fd)
output.os.fsync = fsync
from kenpo_plans.cli import main
sys.exit(main(["diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", {str(PLANS)!r}, "-f", "json",
               "-o", {str(tmp_path / "k.json")!r}]))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode in (128 + signum, 130), result
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_batch_workers_stop_when_the_parent_is_terminated(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("a", "b", "c", "d", "e", "f"):
        shutil.copytree(PLANS / "kagoshima", plans / name)
        for year in (2018, 2019):
            path = plans / name / f"{year}.yaml"
            path.write_text(path.read_text(encoding="utf-8").replace("id: kagoshima", f"id: {name}", 1), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "kenpo_plans", "diff", "2018", "2019", "--all-branches",
                                "--plans-dir", plans, "-o", out, "-j", "2"], cwd=ROOT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(2.5)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("workers outlived their parent")
    assert not list(out.glob(".*.part"))
