"""Fiscal years (年度) and their Japanese era names.

A fiscal year runs April to March and is named after the calendar year it
starts in.  Era data lives in ``ERAS``; nothing else in the package knows
era names or start years.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..i18n import _, listing


@dataclass(frozen=True)
class Era:
    key: str  # as written in plan files: ``era: reiwa``
    name: str  # 令和
    letter: str  # R, as in R3 / R3年度
    first_year: int  # Western year that is year 1 (元年) of the era

    def year_of(self, western_year: int) -> int:
        return western_year - self.first_year + 1


ERAS: tuple[Era, ...] = (
    Era("showa", "昭和", "S", 1926),
    Era("heisei", "平成", "H", 1989),
    Era("reiwa", "令和", "R", 2019),
)
ERA_BY_KEY = {era.key: era for era in ERAS}
ERA_BY_NAME = {era.name: era for era in ERAS} | {era.letter: era for era in ERAS}

# Plans for FY2019 were drafted and approved before the era changed on
# 2019-05-01, so they say 平成31年度; a plan may opt into 令和元年度.
_OVERLAP_DEFAULT = {2019: "heisei"}


class EraError(ValueError):
    """Raised when a text names an era year that does not exist or is unreadable."""


def normalize_digits(text: str) -> str:
    """Turn full-width digits and letters into ASCII (NFKC), leaving kana and kanji alone."""
    return unicodedata.normalize("NFKC", text)


def era_for(fiscal_year: int, prefer: str | None = None) -> Era:
    """The era a fiscal year is displayed in; ``prefer`` picks one where two overlap."""
    candidates = [era for era in ERAS if era.first_year <= fiscal_year]
    if not candidates:
        raise EraError(_("{year} is before the first known era ({era})").format(year=fiscal_year, era=ERAS[0].name))
    latest = candidates[-1]
    if fiscal_year == latest.first_year and len(candidates) > 1:
        choice = prefer or _OVERLAP_DEFAULT.get(fiscal_year, latest.key)
        if choice not in ERA_BY_KEY:
            raise EraError(_("unknown era {era!r}; use one of {eras}").format(era=choice, eras=listing(ERA_BY_KEY)))
        return ERA_BY_KEY[choice]
    if prefer and prefer != latest.key:
        raise EraError(_("fiscal year {year} is not in the {era} era").format(year=fiscal_year, era=prefer))
    return latest


def era_year_text(fiscal_year: int, prefer: str | None = None) -> str:
    """'平成31' / '令和元' / '令和3' — the era year without 年度."""
    era = era_for(fiscal_year, prefer)
    n = era.year_of(fiscal_year)
    return f"{era.name}{'元' if n == 1 else n}"


def format_fiscal_year(fiscal_year: int, prefer: str | None = None) -> str:
    """2018 → 平成30年度, 2019 → 平成31年度 (or 令和元年度 with prefer='reiwa')."""
    return f"{era_year_text(fiscal_year, prefer)}年度"


def short_year(fiscal_year: int, prefer: str | None = None) -> str:
    """The era year number alone, as in the column header 新（31年度）."""
    era = era_for(fiscal_year, prefer)
    n = era.year_of(fiscal_year)
    return "元" if n == 1 else str(n)


_ERA_NAMES = "|".join(
    [re.escape(era.name) for era in ERAS]
    + [rf"(?<![A-Za-z])[{era.letter}{era.letter.lower()}]" for era in ERAS]  # R1 and r1, H31 and h31
)
_ERA_YEAR = re.compile(rf"({_ERA_NAMES})\s*+(元|\d{{1,3}})(?!\d)\s*+(?:年度|年)?")
_WESTERN_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年度")


def without_years(text: str) -> str:
    """The text with every year it names (平成31年度, 令和６年度, R3, 2019年度) put as one mark: two years' titles
    that differ only by their year compare equal."""
    return _WESTERN_YEAR.sub("〇年度", _ERA_YEAR.sub("〇年度", normalize_digits(text)))


def parse_fiscal_year(text: str) -> int | None:
    """Find the first fiscal year named in ``text`` and return it as a Western year.

    Accepts 平成31年度, 平成３１年度, 令和元年度, H31, R3, 2019年度 and a bare
    2019.  Returns None when the text names no year.
    """
    text = normalize_digits(text).strip()
    if re.fullmatch(r"(?:19|20)\d\d", text):
        return int(text)
    match = _ERA_YEAR.search(text)
    if match:
        era = ERA_BY_NAME[match.group(1).upper() if match.group(1).isascii() else match.group(1)]
        n = 1 if match.group(2) == "元" else int(match.group(2))
        if n < 1:
            raise EraError(_("{text!r}: era years start at 元年 (1)").format(text=match.group(0)))
        return era.first_year + n - 1
    match = _WESTERN_YEAR.search(text)
    if match:
        return int(match.group(1))
    return None
