"""A custom --template-dir cannot run code, read outside its folder, or see more than the context."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import PLANS, ROOT

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.system('touch MARK') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ joiner.__init__.__globals__['os'].system('touch MARK') }}",
    "{{ lipsum.__globals__['os'].system('touch MARK') }}",
    "{% set x = namespace() %}{{ x.__class__.__init__.__globals__ }}",
    "{{ range.__self__.__import__('os').system('touch MARK') }}",
]


def custom_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    return folder


def render_with(snippet: str, tmp_path: Path, run):
    """The Kagoshima 新旧対照表 as HTML from a copy of the templates with ``snippet`` before <body>."""
    folder = custom_templates(tmp_path)
    page = folder / "shinkyu.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace("<body", snippet + "<body", 1), encoding="utf-8")
    return run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "html",
               "--template-dir", folder, "-o", tmp_path / "out.html")


@pytest.mark.parametrize("payload", ESCAPES)
@pytest.mark.parametrize("command", ["diff", "results"])
def test_template_code_cannot_reach_python(payload, command, tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = custom_templates(tmp_path)
    name = "shinkyu.html.j2" if command == "diff" else "results.html.j2"
    page = folder / name
    page.write_text(page.read_text(encoding="utf-8").replace("<body", payload.replace("MARK", str(tmp_path / "pwned"))
                                                             + "<body", 1), encoding="utf-8")
    args = (("diff", "2018", "2019", "-b", "kagoshima") if command == "diff" else ("results", "2024", "-b", "kumamoto"))
    result = run(*args, "--plans-dir", PLANS, "-f", "html", "--template-dir", folder, "-o", tmp_path / "out.html")
    assert not (tmp_path / "pwned").exists()
    assert "Traceback" not in result.err
    if result.code == 0:  # a harmless rendering of an undefined value is acceptable; leaking is not
        html = (tmp_path / "out.html").read_text(encoding="utf-8")
        assert "subclasses" not in html and "os.system" not in html and "<module" not in html
        assert "__builtins__" not in html and "function" not in html.split("<body", 1)[0]
    else:
        assert result.code == 1 and "template" in result.err


def test_a_link_out_of_the_template_folder_is_refused(tmp_path, run):
    folder = custom_templates(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    (folder / "shinkyu.css").unlink()
    (folder / "shinkyu.css").symlink_to(secret)
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "html",
                 "--template-dir", folder, "-o", tmp_path / "out.html")
    assert result.code == 1 and "outside the template folder" in result.err, result
    assert not (tmp_path / "out.html").exists()


def test_templates_cannot_include_by_path_outside(tmp_path, run):
    result = render_with('{% include "../../etc/passwd" %}', tmp_path, run)
    assert result.code == 1 and "root:" not in result.out + result.err


def test_a_template_cannot_make_the_renderer_loop_for_ever(tmp_path, run):
    result = render_with("{% for i in range(10**12) %}x{% endfor %}", tmp_path, run)
    assert result.code == 1 and "template" in result.err and "Traceback" not in result.err


def test_a_template_copied_from_an_older_version_says_so(tmp_path, run):
    # an office's results template of an earlier release asks for a value reports no longer give
    folder = custom_templates(tmp_path)
    (folder / "results.html.j2").write_text("{{ title }}{% if columns.rank %}順位{% endif %}", encoding="utf-8")
    result = run("results", "2024", "-b", "kumamoto", "--plans-dir", PLANS, "-f", "html", "--template-dir", folder,
                 "-o", tmp_path / "r.html")
    assert result.code == 1 and "copied from an older version" in result.err and "'columns'" in result.err
    assert not (tmp_path / "r.html").exists()
