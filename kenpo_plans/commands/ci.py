"""`kenpo-plans init --ci github|gitlab`: the pipeline of a planning repository.

It validates every plan, builds the review site and, for a merge request, attaches the 新旧対照表 (PDF and
HTML) of each plan the request changes.  The files come from templates shipped in templates/ so an office
reads them as YAML, not as Python strings.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..fileio import write_atomic
from ..i18n import _, listing
from ..resources import data_dir
from .repository import init_repository

FORGES = {"github": (".github/workflows/kenpo-plans.yml", "ci-github.yml.j2"),
          "gitlab": (".gitlab-ci.yml", "ci-gitlab.yml.j2")}
# what a runner's fresh Debian/Ubuntu image lacks for a Japanese PDF (dev.sh installs the same)
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-ipaexfont-mincho fonts-ipaexfont-gothic"
DEFAULT_PACKAGE = "kenpo-plans"


def pipeline(forge: str, package: str = DEFAULT_PACKAGE) -> str:
    """The pipeline file's text for one forge."""
    import jinja2

    if forge not in FORGES:
        raise UsageError(_("--ci takes {choices}, not {forge}.").format(choices=listing(sorted(FORGES)), forge=forge))
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(data_dir("templates")), autoescape=False,
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    script = environment.get_template("ci-changed.sh.j2").render().rstrip("\n")
    return environment.get_template(FORGES[forge][1]).render(
        package=package, system_packages=SYSTEM_PACKAGES, changed_script=script)


def write_pipelines(folder: Path, forges: tuple[str, ...]) -> list[str]:
    """Each forge's file in ``folder``; an existing file is kept (it may hold the office's own jobs)."""
    done = []
    for forge in forges:
        target = Path(folder) / FORGES[forge][0]
        if target.exists():
            done.append(_("kept {path}: it exists; `kenpo-plans init --ci {forge}` writes it only where there is "
                          "none (move it away to get the new one)").format(path=target, forge=forge))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, pipeline(forge))
        done.append(_("wrote {path} (validates the plans, builds the site, attaches the 新旧対照表 of each plan a "
                      "merge request changes)").format(path=target))
    return done


def init_with_ci(folder: Path, forges: tuple[str, ...] = ()) -> list[str]:
    """`init`, then the pipelines asked for."""
    return init_repository(folder) + write_pipelines(folder, forges)
