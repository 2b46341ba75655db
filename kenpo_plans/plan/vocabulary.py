"""The shared KPI vocabulary: one id per national KPI, in every branch's plan (schemas/kpi-vocabulary.json).

Comparing a KPI across branches needs the same id everywhere; ``shared_id_for`` recognises a KPI by
its wording, so ``validate`` can name the id a branch should use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..resources import load_schema

VOCABULARY = "kpi-vocabulary.json"


@lru_cache(maxsize=None)
def entries() -> tuple[tuple[str, str, tuple[re.Pattern, ...]], ...]:
    data = load_schema(VOCABULARY)
    return tuple((e["id"], e["name"], tuple(re.compile(p) for p in e["patterns"])) for e in data["kpis"])


def shared_ids() -> set[str]:
    return {kpi_id for kpi_id, _, _ in entries()}


def name_of(kpi_id: str) -> str | None:
    return next((name for key, name, _ in entries() if key == kpi_id), None)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def shared_id_for(text: str) -> str | None:
    """The shared id whose wording ``text`` matches first (the table lists the specific before the general)."""
    flat = _flat(text)[:400]  # a KPI's name is short; the bound keeps matching cheap on hostile text
    for kpi_id, _, patterns in entries():
        if any(pattern.search(flat) for pattern in patterns):
            return kpi_id
    return None


@lru_cache(maxsize=None)
def implied_properties(kpi_id: str) -> dict:
    """What the vocabulary knows of a shared KPI beyond its wording: accumulates (true) and direction."""
    for entry in load_schema(VOCABULARY)["kpis"]:
        if entry["id"] == kpi_id:
            return {key: entry[key] for key in ("accumulates", "direction") if key in entry}
    return {}
