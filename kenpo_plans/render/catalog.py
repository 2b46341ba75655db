"""The catalog of a plans folder as `list` prints it: a line per plan (text) or the rows themselves (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict

from ..checks.catalog import CatalogRow
from ..i18n import _
from ..labels import PERIOD_LABELS, RESULTS_COLUMN


def catalog_json(rows: list[CatalogRow]) -> str:
    return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def catalog_text(rows: list[CatalogRow]) -> str:
    if not rows:
        return _("no plans found") + "\n"
    lines = []
    for row in rows:
        line = f"{row.branch:<12} {row.fiscal_year} {row.year_label:<8} {row.status_label:<3} {row.title}"
        if row.results_valid is False:
            line += f"  {RESULTS_COLUMN}: " + _("(invalid: run kenpo-plans validate)")
        elif row.reports:
            line += f"  {RESULTS_COLUMN}: " + "・".join(PERIOD_LABELS.get(p, p) for p in row.reports)
        lines.append(line)
    return "\n".join(lines) + "\n"
