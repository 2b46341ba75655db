"""`kenpo-plans init`: a planning repository of one's own, set up the way this one is.

Plan files point editors at ``../../schemas/plan.schema.json``; in a repository of its own that
file must exist there, so init copies the schemas beside ``plans/``.  It also makes the folder a git
repository if it is not one, configures the semantic diff (git-setup) and writes a pre-commit
configuration that runs ``kenpo-plans validate`` (warnings shown too).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import KenpoError
from .i18n import _
from .output import write_atomic
from .resources import data_dir

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
    from .api import git_setup

    done += [line for line in git_setup(plans).splitlines() if line]
    return done
