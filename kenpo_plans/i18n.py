"""Messages in the user's language: Japanese under a Japanese locale, English otherwise.

Every message, summary line and ``--help`` text is written in English in the code, marked with
``_()`` (translated where it is used) or ``N_()`` (marked only: help texts and constants, translated
when shown), and translated through the gettext catalog ``kenpo_plans/locale/ja/LC_MESSAGES/
kenpo-plans.mo``, which ships in the wheel. The language is chosen the way gettext chooses it:
the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set (``ja_JP.UTF-8`` → Japanese).

Placeholders are named and filled with ``str.format`` after translation, so a translation may put
them in another order: ``_("{path}: not a plan file").format(path=path)``.

Documents (the 新旧対照表, results reports, KPI sheets, the git text conversion) are Japanese in
every locale, like the plans they are made from: a diff of plans must not depend on who runs it.

Click's own words (Usage:, Options:, "No such option") come from the same catalog: ``use_catalog_for_click``
makes it gettext's default domain, which is the one click asks.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

DOMAIN = "kenpo-plans"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))


_LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@lru_cache(maxsize=16)
def _catalog(languages: tuple) -> gettext.NullTranslations:
    """The catalog for these settings of the language variables; gettext would look for it on every call."""
    return gettext.translation(DOMAIN, str(LOCALE_DIR), fallback=True)


def _(message: str) -> str:
    """``message`` in the user's language (the English text itself when there is no translation)."""
    return _catalog(tuple(os.environ.get(name) for name in _LANGUAGE_VARIABLES)).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the conventional name extractors look for
    """Mark ``message`` for the catalog without translating it now (help texts, tables of labels)."""
    return message


def listing(items, most: int | None = None) -> str:
    """Items of a list inside a message: "a, b, c" in English, 「a、b、c」 in Japanese; with ``most``, the
    first that many and "…" for the rest."""
    items = [str(item) for item in items]
    shown = items if most is None else items[:most]
    # TRANSLATORS: the separator between the items of a list inside a message
    return _(", ").join(shown) + ("…" if len(shown) < len(items) else "")


def use_catalog_for_click() -> None:
    """Click asks gettext's default domain for its own words: make that domain ours."""
    gettext.textdomain(DOMAIN)
