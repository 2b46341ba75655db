"""A planning repository: `init`, and the git commands git-setup writes for it (git.setup, render.gitdiff).

`init` makes a planning repository of one's own, set up the way this one is.

Plan files point editors at ``../../schemas/plan.schema.json``; in a repository of its own that
file must exist there, so init copies the schemas beside ``plans/``.  It also makes the folder a git
repository if it is not one, configures the semantic diff (git-setup) and writes a pre-commit
configuration that runs ``kenpo-plans validate`` (warnings shown too).
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

from ..errors import KenpoError
from ..fileio import write_atomic
from ..git import repo as gitrepo
from ..git.setup import git_setup, git_wants_color
from ..i18n import N_, _
from ..render.gitdiff import git_diff_driver, textconv
from ..resources import data_dir, shipped_docs
from .outputs import FORMATS, SITE_FOLDER

__all__ = ["git_diff_driver", "git_setup", "git_wants_color", "init_repository", "textconv"]

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
    today = datetime.date.today()
    return today.year + 1 if today.month >= 4 else today.year
