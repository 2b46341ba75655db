"""Results and progress reports as plain data, keyed by the plan's stable ids.

A results file holds every report of one branch and fiscal year (quarterly
progress, half-year status, year-end results).  Figures keep the text as
printed next to the exact decimal read from it, so achievement is judged on
what the document says, not on a float.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..plan.model import Location

INTERIM_PERIODS = ("q1", "q2", "q3", "h1")
# Which report is "the latest" of a year when none is named.
PERIOD_ORDER = {"q1": 1, "q2": 2, "h1": 2, "q3": 3, "year": 4}
NOT_APPLICABLE = "-"
_DASHES = "-－―‐ー—–"


def normalize_mark(mark: str) -> str:
    """Ａ → A, ｂ → b, － / ― → -; ◎○× stay as they are."""
    text = unicodedata.normalize("NFKC", mark).strip()
    return NOT_APPLICABLE if text and all(ch in _DASHES for ch in text) else text


@dataclass(frozen=True)
class Printed:
    """A figure as printed (「累計1,915事業所」) with the exact value and unit read from it."""

    text: str
    value: Decimal | None = None
    unit: str | None = None
    as_of: str | None = None
    loc: Location | None = None


@dataclass(frozen=True)
class ScaleMark:
    mark: str  # as printed
    meaning: str
    achieved: bool

    @property
    def key(self) -> str:
        return normalize_mark(self.mark)


@dataclass(frozen=True)
class Scale:
    name: str
    marks: tuple[ScaleMark, ...]
    note: str | None = None

    def find(self, rating: str) -> ScaleMark | None:
        key = normalize_mark(rating)
        return next((mark for mark in self.marks if mark.key == key), None)

    def keys(self) -> list[str]:
        return [mark.key for mark in self.marks]


@dataclass(frozen=True)
class Line:
    text: str
    marker: str = ""


@dataclass(frozen=True)
class Commentary:
    heading: str | None
    lines: tuple[Line, ...]


@dataclass
class Previous:
    target: str | None = None
    actual: Printed | None = None
    rank: int | None = None
    same_point: Printed | None = None


@dataclass
class KpiResult:
    id: str
    actual: Printed | None = None
    national_average: Printed | None = None
    rank: int | None = None
    previous: Previous | None = None
    rating: str | None = None  # normalised
    rating_printed: str | None = None
    rating_basis: str = "computed"
    notes: list[str] = field(default_factory=list)
    pending: str | None = None
    branches_achieved: int | None = None
    branches_achieved_text: str | None = None
    commentary: list[Commentary] = field(default_factory=list)
    loc: Location | None = None
    rating_loc: Location | None = None


@dataclass
class JointRating:
    kpis: list[str]
    rating: str  # normalised
    rating_printed: str
    rating_basis: str = "computed"
    loc: Location | None = None
    rating_loc: Location | None = None


@dataclass
class MeasureResult:
    id: str
    rating: str | None = None  # normalised
    rating_printed: str | None = None
    kpis: list[str] = field(default_factory=list)
    activities: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    loc: Location | None = None
    rating_loc: Location | None = None


@dataclass
class Report:
    id: str
    period: str
    title: str
    date: str | None = None
    as_of: str | None = None
    number: str | None = None
    commentary: list[Commentary] = field(default_factory=list)
    kpi_list: str | None = None  # the heading of the document's own KPI summary table, as printed
    kpi_scale: Scale | None = None
    measure_scale: Scale | None = None
    kpis: list[KpiResult] = field(default_factory=list)
    joint_ratings: list[JointRating] = field(default_factory=list)
    measures: list[MeasureResult] = field(default_factory=list)
    loc: Location | None = None

    @property
    def interim(self) -> bool:
        return self.period in INTERIM_PERIODS

    @property
    def scale_for_measures(self) -> Scale | None:
        return self.measure_scale or self.kpi_scale

    def kpi(self, kpi_id: str) -> KpiResult | None:
        return next((k for k in self.kpis if k.id == kpi_id), None)



@dataclass
class ResultsFile:
    branch: str
    fiscal_year: int
    reports: list[Report]
    source: str | None = None
    loc: Location | None = None

    def latest(self) -> Report:
        """The year-end results if there are any, else the latest interim report (last in the file on a tie)."""
        best = self.reports[0]
        for report in self.reports[1:]:
            if PERIOD_ORDER[report.period] >= PERIOD_ORDER[best.period]:
                best = report
        return best

    def report(self, period_or_id: str) -> Report | None:
        matches = [r for r in self.reports if r.id == period_or_id] or [
            r for r in self.reports if r.period == period_or_id]
        return matches[-1] if matches else None

    def final(self) -> Report | None:
        """The year-end report, if the year has one."""
        return next((r for r in reversed(self.reports) if r.period == "year"), None)
