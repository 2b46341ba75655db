"""Where the top-level ``schemas/`` and ``templates/`` directories are.

In a wheel they are installed inside the package (setup.cfg maps them to
``kenpo_plans/schemas`` and ``kenpo_plans/templates``); in a source checkout
or an editable install they sit next to the package directory.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .errors import KenpoError
from .i18n import _

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise KenpoError(
        _("the {name}/ directory of kenpo-plans is missing from {package}; reinstall the package "
          "(pip install --force-reinstall kenpo-plans).").format(name=name, package=_PACKAGE)
    )


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads((data_dir("schemas") / name).read_text(encoding="utf-8"))


def shipped_national_plans() -> dict[int, Path]:
    """The association-wide plans shipped with the package, by fiscal year ({} when none is found).

    In a wheel they sit in ``kenpo_plans/national``; in a source checkout in ``plans/national``.
    """
    for candidate in (_PACKAGE / "national", _PACKAGE.parent / "plans" / "national"):
        if candidate.is_dir():
            found = {int(p.stem): p for p in candidate.glob("[0-9][0-9][0-9][0-9].yaml")}
            if found:
                return found
    return {}


def shipped_docs() -> Path | None:
    """The format documents (docs/*.md) that `init` copies into an office's repository."""
    for candidate in (_PACKAGE / "docs", _PACKAGE.parent / "docs"):
        if candidate.is_dir():
            return candidate
    return None
