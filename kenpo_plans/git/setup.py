"""`git-setup`: git shows plan changes semantically (`git diff`, `git log -p`) and merges plans by id, field and word.

Everything git needs is written here: the attribute lines in .gitattributes (read back with `git check-attr`), the
driver commands in .git/config, and the launcher git runs them through.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

from ..errors import KenpoError, PlanNotFound, UsageError
from ..fileio import write_atomic
from ..i18n import N_, _
from ..plan.store import resolve_plans_dir
from . import repo as gitrepo

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
    if os.environ.get("NO_COLOR"):
        return False
    # without the stdout-is-tty argument git decides "auto" itself, counting its pager (GIT_PAGER_IN_USE)
    tty = ["true"] if sys.stdout.isatty() else []
    found = subprocess.run(["git", "config", "--get-colorbool", "color.diff", *tty], capture_output=True, text=True)
    # with the argument git prints true/false; without it, it answers by its exit status
    return found.stdout.strip() == "true" if tty else found.returncode == 0
