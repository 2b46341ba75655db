"""Nothing lost: outputs appear whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kenpo_plans import fileio as output
from kenpo_plans.errors import OutputError
from kenpo_plans.fileio import write_atomic

ROOT = Path(__file__).resolve().parent.parent


def test_write_replaces_whole_file(tmp_path):
    target = tmp_path / "k.json"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "新しい内容")
    assert target.read_text(encoding="utf-8") == "新しい内容"
    assert [p.name for p in tmp_path.iterdir()] == ["k.json"]


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_interrupted_write_keeps_the_previous_output(tmp_path, monkeypatch, failure):
    target = tmp_path / "k.pdf"
    target.write_bytes(b"%PDF previous")

    def broken_replace(src, dst):
        raise failure

    monkeypatch.setattr(output.os, "replace", broken_replace)
    expected = OutputError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        write_atomic(target, b"%PDF new and longer")
    assert target.read_bytes() == b"%PDF previous"
    assert [p.name for p in tmp_path.iterdir()] == ["k.pdf"]


def test_interrupted_render_via_the_cli(tmp_path, monkeypatch, run):
    target = tmp_path / "k.html"
    target.write_text("previous", encoding="utf-8")
    import kenpo_plans.render.shinkyu as render

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "render_html", interrupted)
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", ROOT / "plans", "-f", "html", "-o", target)
    assert result.code == 130 and "interrupted" in result.err
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["k.html"]


def test_output_file_mode_is_readable(tmp_path):
    path = write_atomic(tmp_path / "k.txt", "x")
    assert oct(os.stat(path).st_mode & 0o777) == "0o644"
