"""A planning repository and git: `init`, `git-setup`, and the git diff driver and textconv git calls.

`init` makes a planning repository of one's own, set up the way this one is.

Plan files point editors at ``../../schemas/plan.schema.json``; in a repository of its own that
file must exist there, so init copies the schemas beside ``plans/``.  It also makes the folder a git
repository if it is not one, configures the semantic diff (git-setup) and writes a pre-commit
configuration that runs ``kenpo-plans validate`` (warnings shown too).
"""

from __future__ import annotations

import difflib
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from ..diff.plans import diff_plans
from ..errors import KenpoError, PlanNotFound, UsageError
from ..fileio import write_atomic
from ..git import repo as gitrepo
from ..i18n import N_, _
from ..plan.files import is_results_path
from ..plan.loader import decode_plan_bytes, read_limited
from ..plan.store import resolve_plans_dir
from ..plan.validate import load_plan, load_plan_text
from ..render.outline import outline, results_outline
from ..results.validate import read_results_file
from ..resources import data_dir
from .compare import format_diff


PRE_COMMIT = """\
# kenpo-plans: check plan and results files before each commit (pre-commit install to enable).
repos:
  - repo: local
    hooks:
      - id: kenpo-plans-validate
        name: kenpo-plans validate
        entry: kenpo-plans validate
        language: system
        files: ^plans/[^/]+/[0-9]{4}(\\.results)?\\.ya?ml$
        require_serial: true
        verbose: true
"""
SCHEMA_FILES = ("plan.schema.json", "results-file.schema.json")


def init_repository(folder: Path) -> list[str]:
    """Set up ``folder``; returns what was done, one line each. Never overwrites a file that differs."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise KenpoError(_("{folder} is not a directory; give the folder of the planning repository.")
                         .format(folder=folder))
    folder.mkdir(parents=True, exist_ok=True)
    done: list[str] = []
    plans = folder / "plans"
    if not plans.is_dir():
        plans.mkdir()
        done.append(_("created {plans}/ (one folder per branch: plans/<branch>/<year>.yaml)").format(plans=plans))
    schemas = folder / "schemas"
    schemas.mkdir(exist_ok=True)
    for name in SCHEMA_FILES:
        source = (data_dir("schemas") / name).read_bytes()
        target = schemas / name
        if not target.exists() or target.read_bytes() != source:
            write_atomic(target, source)
            done.append(_("wrote {target} (the schema plan files point editors at)").format(target=target))
    config = folder / ".pre-commit-config.yaml"
    if not config.exists():
        write_atomic(config, PRE_COMMIT)
        done.append(_("wrote {config} (run `pre-commit install` to check plans before each commit)")
                    .format(config=config))
    elif "kenpo-plans-validate" not in config.read_text(encoding="utf-8", errors="replace"):
        done.append(_("kept {config}: add the kenpo-plans-validate hook to it (README, section on git, shows the entry)")
                    .format(config=config))
    if shutil.which("git") is None:
        done.append(_("git is not installed: install it (sudo apt-get install git), then run kenpo-plans git-setup"))
        return done
    inside = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True)
    if inside.returncode != 0:
        subprocess.run(["git", "init", "-q"], cwd=folder, check=True, capture_output=True)
        done.append(_("initialised a git repository in {folder}").format(folder=folder))
    done += [line for line in git_setup(plans).splitlines() if line]
    return done


GIT_DRIVER = "kenpo-plans"


def git_setup(plans_dir=None) -> str:
    """Make `git diff` and `git log -p` show plan changes semantically, for this repository."""
    folder = resolve_plans_dir(plans_dir)
    if not folder.is_dir():
        raise PlanNotFound(_("plans directory {folder} does not exist; run git-setup in your planning repository.")
                           .format(folder=folder))
    root = gitrepo.repo_root(folder, N_("git diff cannot be set up for it"))
    patterns = [f"{gitrepo.relative(root, folder)}/**/*.{ext} diff={GIT_DRIVER}" for ext in ("yaml", "yml")]
    pattern = patterns[0]
    attributes = root / ".gitattributes"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    missing = [p for p in patterns if p not in existing.splitlines()]
    changed = bool(missing)
    if changed:
        write_atomic(attributes, existing + ("" if not existing or existing.endswith("\n") else "\n")
                     + "".join(p + "\n" for p in missing))
    launcher = _write_driver_launcher(root)
    command = shlex.quote(str(launcher))
    for key, value in (("command", f"{command} git-diff"), ("textconv", f"{command} textconv"),
                       ("cachetextconv", "false")):
        gitrepo.git_config(root, f"diff.{GIT_DRIVER}.{key}", value)
    first = (_("added `{pattern}` in {attributes}") if changed else _("kept `{pattern}` in {attributes}"))
    return (first.format(pattern=pattern, attributes=attributes) + "\n"
            + _("configured diff.{driver} in {root}/.git/config: `git diff` shows the semantic diff of plans, "
                "`git log -p` their outlines").format(driver=GIT_DRIVER, root=root) + "\n")


DRIVER_LAUNCHER = """#!/bin/sh
# Written by `kenpo-plans git-setup`: how git runs kenpo-plans for `git diff` and `git log -p`.
# The interpreter that ran git-setup first; if that virtual environment was moved or rebuilt
# elsewhere, kenpo-plans on PATH; else python3 with kenpo_plans installed.
if [ -x {python} ] && {python} -c 'import kenpo_plans' >/dev/null 2>&1; then exec {python} -m kenpo_plans "$@"; fi
if command -v kenpo-plans >/dev/null 2>&1; then exec kenpo-plans "$@"; fi
exec python3 -m kenpo_plans "$@"
"""


def _write_driver_launcher(root: Path) -> Path:
    """.git/kenpo-plans-driver: survives a moved or rebuilt virtual environment (never committed: inside .git)."""
    git_dir = Path(gitrepo.git_dir(root))
    launcher = git_dir / "kenpo-plans-driver"
    write_atomic(launcher, DRIVER_LAUNCHER.format(python=shlex.quote(sys.executable)))
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return launcher


def git_diff_driver(args: tuple[str, ...]) -> str:
    """git's external diff: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE."""
    if len(args) < 7:
        raise UsageError(_("git-diff is called by git with 7 arguments; run kenpo-plans git-setup to configure it."))
    path, old_file, new_file = args[0], args[1], args[4]
    header = f"kenpo-plans diff {path}\n"
    if is_results_path(path):
        return header + _results_diff(old_file, new_file, path)
    try:
        old_plan = _plan_or_none(old_file, path)
        new_plan = _plan_or_none(new_file, path)
    except KenpoError as exc:
        notice = _("(not a valid plan on one side, so a plain diff follows: {error})").format(error=exc)
        return header + notice + "\n" + _plain_diff(old_file, new_file, path)
    if old_plan is None or new_plan is None:
        plan = new_plan or old_plan
        verb = "新規作成" if old_plan is None else "削除"
        return header + f"{verb}: {plan.title}（施策 {sum(1 for _ in plan.walk_measures())}件）\n"
    return header + format_diff(diff_plans(old_plan, new_plan), "text", color=False)


def _plan_or_none(file: str, label: str):
    if file == "/dev/null" or not Path(file).is_file():
        return None
    text = decode_plan_bytes(read_limited(Path(file)), label)
    plan, _warnings = load_plan_text(text, label)
    return plan


def _plain_diff(old_file: str, new_file: str, label: str) -> str:
    def lines(file: str) -> list[str]:
        if file == "/dev/null" or not Path(file).is_file():
            return []
        return _text_or_notice(file).splitlines(keepends=True)

    return "".join(difflib.unified_diff(lines(old_file), lines(new_file), f"a/{label}", f"b/{label}"))


def _results_outline_or_text(file: str, label: str) -> list[str]:
    if file == "/dev/null" or not Path(file).is_file():
        return []
    results, problems = read_results_file(Path(file))
    if results is None or any(p.severity == "error" for p in problems):
        return _text_or_notice(file).splitlines(keepends=True)
    return results_outline(results).splitlines(keepends=True)


def _results_diff(old_file: str, new_file: str, label: str) -> str:
    """Results files compare as outlines (one KPI or measure a line), keyed by id."""
    old, new = _results_outline_or_text(old_file, label), _results_outline_or_text(new_file, label)
    return "".join(difflib.unified_diff(old, new, f"a/{label}", f"b/{label}", n=1)) or "内容の変更なし\n"


def textconv(file: str) -> str:
    """A plan (or results file) as its outline (what `git log -p` compares); raw text when not valid."""
    if is_results_path(file):
        return "".join(_results_outline_or_text(file, file))
    path = Path(file)
    try:
        plan, _warnings = load_plan(path)
    except KenpoError:
        return _text_or_notice(file)
    return outline(plan)


def _text_or_notice(file: str) -> str:
    """A file's text for a plain diff; a notice instead of a file too large or too strange to read."""
    try:
        return read_limited(Path(file)).decode("utf-8", errors="replace")
    except KenpoError as exc:
        return f"(kenpo-plans: {exc})\n"
