"""Results files → ``ResultsFile``, reusing the plan loader's YAML reading (positions, limits, messages).

The schema has accepted the tree before ``build_results`` runs; what can
still be wrong with a single value (a figure with two numbers and no
``value:``) is collected as a problem, not raised.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import Problem
from ..i18n import _
from ..plan.reading import RawPlan
from ..plan.schema import format_path
from ..plan.targets import MAX_FIGURE_DIGITS, extract_figures, too_long_figures
from .model import (Commentary, JointRating, KpiResult, Line, MeasureResult, Previous, Printed, Report, ResultsFile,
                    Scale, ScaleMark, normalize_mark)


def exact_decimal(raw: str) -> Decimal:
    """'1,915' → Decimal('1915'), '０．３５９' → Decimal('0.359'): the figure exactly as printed."""
    return Decimal(unicodedata.normalize("NFKC", raw).replace(",", ""))


def read_printed(raw: Any, path: tuple, doc: RawPlan, problems: list[Problem]) -> Printed | None:
    """A printed figure: its text, and the one number in it (or the one ``value:`` names)."""
    if raw is None:
        return None
    data = raw if isinstance(raw, dict) else {"text": raw}
    text = str(data["text"])
    loc = doc.location(path + (("text",) if isinstance(raw, dict) else ()))
    unit = data.get("unit")
    overlong = too_long_figures(text)
    if overlong:
        problems.append(Problem(loc.file, loc.line, loc.column, format_path(path),
                                _("「{shown}」 is a run of more than {limit} digits, longer than any figure; "
                                  "correct the figure as printed.").format(shown=overlong[0], limit=MAX_FIGURE_DIGITS)))
        return Printed(text, None, unit, data.get("as_of"), loc)
    figures = extract_figures(text)
    declared = data.get("value")
    chosen = None
    if declared is not None:
        try:
            wanted = Decimal(str(declared))
        except InvalidOperation:
            wanted = None
        chosen = next((f for f in figures if wanted is not None and exact_decimal(f.raw) == wanted), None)
        if chosen is None:
            problems.append(Problem(loc.file, loc.line, loc.column, format_path(path),
                                    _("value: {declared} does not appear in the printed text 「{text}」; "
                                      "value: must name one of the figures the text prints.").format(
                                        declared=declared, text=text)))
            return Printed(text, None, unit, data.get("as_of"), loc)
    elif len(figures) == 1:
        chosen = figures[0]
    elif len(figures) > 1:
        shown = "、".join(f.raw for f in figures)
        problems.append(Problem(loc.file, loc.line, loc.column, format_path(path),
                                _("「{text}」 prints several figures ({shown}); say which one is meant with "
                                  "`value:` (write the figure as a mapping: {{text: …, value: …}}).").format(
                                    text=text, shown=shown)))
        return Printed(text, None, unit, data.get("as_of"), loc)
    if chosen is None:
        return Printed(text, None, unit, data.get("as_of"), loc)
    return Printed(text, exact_decimal(chosen.raw), unit or chosen.unit, data.get("as_of"), loc)


def build_results(doc: RawPlan) -> tuple[ResultsFile, list[Problem]]:
    problems: list[Problem] = []
    data = doc.data
    reports = [_report(r, ("reports", i), doc, problems) for i, r in enumerate(data["reports"])]
    results = ResultsFile(branch=data["branch"], fiscal_year=data["fiscal_year"], reports=reports,
                          source=doc.file, loc=doc.location(()))
    return results, problems


def _report(data: dict, path: tuple, doc: RawPlan, problems: list[Problem]) -> Report:
    scales = data.get("scales") or {}
    return Report(
        id=data["id"],
        period=data["period"],
        title=data["title"],
        date=_text(data.get("date")),
        as_of=_text(data.get("as_of")),
        number=data.get("number"),
        commentary=_commentary(data.get("commentary")),
        kpi_list=_text(data.get("kpi_list")),
        kpi_scale=_scale(scales.get("kpi")),
        measure_scale=_scale(scales.get("measure")),
        kpis=[_kpi(k, path + ("kpis", i), doc, problems) for i, k in enumerate(data.get("kpis", []))],
        joint_ratings=[_joint(j, path + ("joint_ratings", i), doc) for i, j in enumerate(data.get("joint_ratings", []))],
        measures=[_measure(m, path + ("measures", i), doc) for i, m in enumerate(data.get("measures", []))],
        loc=doc.location(path),
    )


def _scale(data: dict | None) -> Scale | None:
    if not data:
        return None
    marks = tuple(ScaleMark(str(m["mark"]), m["meaning"], bool(m["achieved"])) for m in data["marks"])
    return Scale(data["name"], marks, data.get("note"))


def _commentary(data: list | None) -> list[Commentary]:
    return [Commentary(block.get("heading"), tuple(_line(line) for line in block["items"])) for block in data or []]


def _line(data: dict) -> Line:
    return Line(str(data["text"]), str(data.get("marker", "") or ""))


def _rating(value: Any) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    return normalize_mark(str(value)), str(value)


def _kpi(data: dict, path: tuple, doc: RawPlan, problems: list[Problem]) -> KpiResult:
    previous = data.get("previous")
    rating, printed = _rating(data.get("rating"))
    return KpiResult(
        id=data["id"],
        actual=read_printed(data.get("actual"), path + ("actual",), doc, problems),
        national_average=read_printed(data.get("national_average"), path + ("national_average",), doc, problems),
        rank=data.get("rank"),
        previous=Previous(
            target=previous.get("target"),
            actual=read_printed(previous.get("actual"), path + ("previous", "actual"), doc, problems),
            rank=previous.get("rank"),
            same_point=read_printed(previous.get("same_point"), path + ("previous", "same_point"), doc, problems),
        ) if previous else None,
        rating=rating,
        rating_printed=printed,
        rating_basis=data.get("rating_basis", "computed"),
        notes=list(data.get("notes", [])),
        pending=data.get("pending"),
        branches_achieved=data.get("branches_achieved"),
        branches_achieved_text=data.get("branches_achieved_text"),
        commentary=_commentary(data.get("commentary")),
        loc=doc.location(path),
        rating_loc=doc.location(path + ("rating",)),
    )


def _joint(data: dict, path: tuple, doc: RawPlan) -> JointRating:
    rating, printed = _rating(data["rating"])
    return JointRating(list(data["kpis"]), rating or "", printed or "", data.get("rating_basis", "computed"),
                       doc.location(path), doc.location(path + ("rating",)))


def _measure(data: dict, path: tuple, doc: RawPlan) -> MeasureResult:
    rating, printed = _rating(data.get("rating"))
    return MeasureResult(
        id=data["id"],
        rating=rating,
        rating_printed=printed,
        kpis=list(data.get("kpis", [])),
        spans=list(data.get("spans", [])),
        activities=[_line(line) for line in data.get("activities", [])],
        notes=list(data.get("notes", [])),
        loc=doc.location(path),
        rating_loc=doc.location(path + ("rating",)),
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
