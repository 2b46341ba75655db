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
from ..labels import CREATED, DELETED, WHOLE_PLAN
from ..plan.files import is_results_path, plan_path_for
from ..plan.reading import decode_plan_bytes, read_limited
from ..plan.store import resolve_plans_dir
from ..plan.loader import load_plan, load_plan_text
from ..render.outline import outline, results_names, results_outline
from ..render.shinkyu_text import to_text
from ..resources import data_dir, shipped_docs
from ..results.validate import read_results_file
from .outputs import FORMATS, SITE_FOLDER

PRE_COMMIT = """\
# kenpo-plans: check plan and results files before each commit (pre-commit install to enable).
repos:
  - repo: local
    hooks:
      - id: kenpo-plans-validate
        name: kenpo-plans validate
        # through the launcher git-setup writes in .git, so a commit from an editor without the virtual
        # environment on PATH still finds kenpo-plans
        entry: >-
          sh -c 'd="$(git rev-parse --absolute-git-dir)/kenpo-plans-driver";
          if [ -x "$d" ]; then exec "$d" validate "$@"; fi;
          if command -v kenpo-plans >/dev/null 2>&1; then exec kenpo-plans validate "$@"; fi;
          echo "kenpo-plans が見つかりません: kenpo-plans git-setup を実行してください (kenpo-plans not found: run kenpo-plans git-setup)" >&2;
          exit 1' kenpo-plans-validate
        language: system
        files: ^plans/[^/]+/[0-9]{4}(\\.results)?\\.ya?ml$
        require_serial: true
        verbose: true
"""
SCHEMA_FILES = ("plan.schema.json", "results-file.schema.json")
GITIGNORE = """\
# kenpo-plans: the documents it writes land in the repository's top folder; they are made from the plans,
# so git keeps the plans and not them (git add -f FILE to keep one anyway)
/*.pdf
/*.html
/*.docx
/*.xlsx
/*.svg
/*.png
/*.json
.kenpo-plans-backup/
# the review site (kenpo-plans site) is built from the plans too
/""" + SITE_FOLDER + """/
# run from a branch's folder (plans/fukuoka/) the documents land there: their default names are ignored anywhere
""" + "".join(f"*_{kind}.{spec.suffix}\n" for kind in ("plan", "shinkyu", "results", "kpi")
              for spec in FORMATS.values()) + ".*.source\n"
DOC_FILES = ("plan-format.md", "results-format.md", "kpi-ids.md")


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
    done += _write_if_absent(folder / ".gitignore", GITIGNORE,
                             N_("wrote {path} (the PDF, HTML, Word and Excel outputs are not committed)"))
    done += _copy_docs(folder)
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
        gitrepo.init(folder)
        done.append(_("initialised a git repository in {folder}").format(folder=folder))
    elif Path(inside.stdout.strip()).resolve() != folder.resolve():
        # a planning repository of its own, even inside another one: the parent's files are not ours to change
        gitrepo.init(folder)
        done.append(_("initialised a git repository in {folder} (it is inside {parent}, which is left as it was)")
                    .format(folder=folder, parent=inside.stdout.strip()))
    done += [line for line in git_setup(plans).splitlines() if line]
    done.append(_("next, for example: a branch's first plan, from the association-wide plan: "
                  "kenpo-plans new {year} --branch fukuoka --name 福岡支部").format(year=_next_fiscal_year()))
    return done


def _write_if_absent(path: Path, text: str, message: str) -> list[str]:
    if path.exists():
        return []
    write_atomic(path, text)
    return [_(message).format(path=path)]


def _copy_docs(folder: Path) -> list[str]:
    """The format documents messages point to (docs/results-format.md), in the office's own repository."""
    source = shipped_docs()
    if source is None:
        return []
    done = []
    (folder / "docs").mkdir(exist_ok=True)
    for name in DOC_FILES + tuple(n.replace(".md", ".en.md") for n in DOC_FILES):
        original, target = source / name, folder / "docs" / name
        if original.is_file() and not target.exists():
            write_atomic(target, original.read_bytes())
            done.append(_("wrote {path} (the file format, for reference)").format(path=target))
    return done


def _next_fiscal_year() -> int:
    """The fiscal year a plan is written for now: plans are drafted from autumn for the April that follows."""
    import datetime

    today = datetime.date.today()
    return today.year + 1 if today.month >= 4 else today.year


GIT_DRIVER = "kenpo-plans"


def _attribute_pattern(prefix: str, ext: str) -> str:
    """A .gitattributes line for the plan files under ``prefix`` (the plans folder inside the repository,
    '' for the root): glob characters of the folder's name escaped, and the pattern quoted (C style, which git
    reads) when the name holds a space or a quote, so git reads the folder as it is named."""
    glob = "".join("\\" + c if c in "*?[\\" else c for c in prefix)
    pattern = f"{glob}/**/*.{ext}" if prefix else f"**/*.{ext}"
    if any(c in pattern for c in ' \t"') or pattern.startswith(("#", "!")):
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{pattern} diff={GIT_DRIVER} merge={GIT_DRIVER}"


def _with_merge(existing: str, patterns: list[str]) -> str:
    """A line an earlier git-setup wrote (the diff driver only) becomes the line with the merge driver too."""
    lines = existing.splitlines(keepends=True)
    for index, line in enumerate(lines):
        for pattern in patterns:
            if line.rstrip("\n") == pattern.replace(f" merge={GIT_DRIVER}", ""):
                lines[index] = pattern + "\n"
    return "".join(lines)


def _checked_prefix(root: Path, folder: Path) -> str:
    prefix = gitrepo.relative(root, folder)
    prefix = "" if prefix == "." else prefix
    if any(ord(c) < 32 or c == "\x7f" for c in prefix):
        raise UsageError(_("the plans folder {folder} has a control character (a line break) in its name, which "
                           ".gitattributes cannot hold; rename the folder.").format(folder=folder))
    return prefix


def git_setup(plans_dir=None) -> str:
    """Make `git diff` and `git log -p` show plan changes semantically, for this repository.

    What is written to .gitattributes is read back with `git check-attr`; when git would not apply it
    (another line overrides it), the file is restored and the command says so."""
    folder = resolve_plans_dir(plans_dir)
    if not folder.is_dir():
        raise PlanNotFound(_("plans directory {folder} does not exist; run git-setup in your planning repository.")
                           .format(folder=folder))
    root = gitrepo.repo_root(folder, N_("git diff cannot be set up for it"))
    prefix = _checked_prefix(root, folder)
    patterns = [_attribute_pattern(prefix, ext) for ext in ("yaml", "yml")]
    pattern = patterns[0]
    attributes = root / ".gitattributes"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    upgraded = _with_merge(existing, patterns)
    missing = [p for p in patterns if p not in upgraded.splitlines()]
    changed = bool(missing) or upgraded != existing
    if changed:
        write_atomic(attributes, upgraded + ("" if not upgraded or upgraded.endswith("\n") else "\n")
                     + "".join(p + "\n" for p in missing))
    _verify_attributes(root, prefix, attributes, existing if changed else None)
    launcher = _write_driver_launcher(root)
    command = shlex.quote(str(launcher))
    for key, value in (("command", f"{command} git-diff"), ("textconv", f"{command} textconv"),
                       ("cachetextconv", "false")):
        gitrepo.git_config(root, f"diff.{GIT_DRIVER}.{key}", value)
    gitrepo.git_config(root, f"merge.{GIT_DRIVER}.name", "kenpo-plans: plans merged by id, field and word")
    # git quotes what it puts in place of %O %A %B %P itself
    gitrepo.git_config(root, f"merge.{GIT_DRIVER}.driver", f"{command} merge-driver %O %A %B %P")
    first = (_("added `{pattern}` in {attributes}") if changed else _("kept `{pattern}` in {attributes}"))
    return (first.format(pattern=pattern, attributes=attributes) + "\n"
            + _("configured diff.{driver} in {root}/.git/config: `git diff` shows the semantic diff of plans, "
                "`git log -p` their outlines").format(driver=GIT_DRIVER, root=root) + "\n"
            + _("configured merge.{driver}: `git merge`, `git rebase` and `git cherry-pick` merge plans and results "
                "by id, field and word; what both sides changed differently is marked for `kenpo-plans validate`")
            .format(driver=GIT_DRIVER) + "\n")


def _verify_attributes(root: Path, prefix: str, attributes: Path, previous: str | None) -> None:
    """git itself must give a plan file of the folder the driver; otherwise undo what was written."""
    for ext, attribute in (("yaml", "diff"), ("yml", "diff"), ("yaml", "merge"), ("yml", "merge")):
        probe = f"{prefix}/branch/2000.{ext}" if prefix else f"branch/2000.{ext}"
        found = gitrepo.check_attr(root, attribute, probe)
        if found != GIT_DRIVER:
            if previous is not None:
                if previous:
                    write_atomic(attributes, previous)
                else:
                    attributes.unlink()
            raise KenpoError(_("git would not use the kenpo-plans {attribute} for {probe} (git check-attr says "
                               "{attribute}: {found}): a line of {attributes} or of .git/info/attributes overrides "
                               "it. Nothing was changed; remove or move that line, then run git-setup again.").format(
                                   probe=probe, found=found, attributes=attributes, attribute=attribute))


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


def git_wants_color() -> bool:
    """Whether git colours its own diff now (color.diff, a terminal or git's pager; NO_COLOR respected)."""
    import os

    if os.environ.get("NO_COLOR"):
        return False
    # without the stdout-is-tty argument git decides "auto" itself, counting its pager (GIT_PAGER_IN_USE)
    tty = ["true"] if sys.stdout.isatty() else []
    found = subprocess.run(["git", "config", "--get-colorbool", "color.diff", *tty], capture_output=True, text=True)
    # with the argument git prints true/false; without it, it answers by its exit status
    return found.stdout.strip() == "true" if tty else found.returncode == 0


def git_diff_driver(args: tuple[str, ...], color: bool = False) -> str:
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
        verb = CREATED if old_plan is None else DELETED
        return header + WHOLE_PLAN.format(verb=verb, title=plan.title,
                                          measures=sum(1 for _ in plan.walk_measures())) + "\n"
    return header + to_text(diff_plans(old_plan, new_plan), color=color)


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
    return results_outline(results, results_names(_plan_beside(label))).splitlines(keepends=True)


def _plan_beside(results_path: str):
    """The plan in the working tree beside a results file (git names the file by its path there), for names."""
    plan_path = plan_path_for(Path(results_path))
    try:
        return load_plan(plan_path)[0] if plan_path.is_file() else None
    except KenpoError:
        return None


def _results_diff(old_file: str, new_file: str, label: str) -> str:
    """Results files compare as outlines (one KPI or measure a line), keyed by id."""
    old, new = _results_outline_or_text(old_file, label), _results_outline_or_text(new_file, label)
    return "".join(difflib.unified_diff(old, new, f"a/{label}", f"b/{label}", n=1)) or _("no change in content") + "\n"


def textconv(file: str) -> str:
    """A plan (or results file) as its outline (what `git log -p` compares); raw text when not valid."""
    if is_results_path(file):
        return "".join(_results_outline_or_text(file, file))  # names from the plan when git gives the real path
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
