"""Charts as Vega-Lite specifications (pure data), drawn to SVG or PNG by vl-convert.

Why vl-convert: measured on this 2-core machine, importing it takes 5 ms against 0.7 s for
matplotlib, twenty charts take 1.4 s against 2.3 s, and its SVG keeps text as text in the font we
name, so WeasyPrint draws chart labels with the same embedded IPAex font as the rest of the PDF.
It is imported only by the commands that draw charts.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from ..errors import KenpoError
from ..i18n import _
from ..labels import ACHIEVED
from ..textsafety import visible

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
SERIES_COLORS = {"実績": "#1f4e79", "目標": "#b36b00", "全国平均": "#6b6b6b"}
TARGET_SHAPES = {"ge": "triangle-up", "gt": "triangle-up", "le": "triangle-down", "lt": "triangle-down",
                 "eq": "diamond"}
TARGET_WORDS = {"ge": "以上（下限）", "gt": "超（下限）", "le": "以下（上限）", "lt": "未満（上限）", "eq": "目標値"}


class ChartError(KenpoError):
    """Raised when a chart cannot be drawn (vl-convert missing or failing)."""


def _short_year(entry: dict) -> str:
    return entry["fiscal_year_label"].replace("年度", "")


def history_points(kpi: dict) -> list[dict]:
    """One record per figure: actuals (by segment), targets (with their direction), national averages."""
    points = []
    for entry in kpi["years"]:
        year = _short_year(entry)
        actual = (entry["actual"] or {}).get("value")
        if actual is not None:
            points.append({"year": year, "fy": entry["fiscal_year"], "series": "実績", "value": actual,
                           "segment": entry["segment"], "text": entry["actual"]["text"]})
        threshold = _target_value(entry)
        if threshold is not None:
            relation = entry["target"]["relation"] if entry["target"] else "eq"
            relation = {"higher": "ge", "lower": "le"}.get(entry["direction"] or "", relation) \
                if relation == "eq" else relation
            points.append({"year": year, "fy": entry["fiscal_year"], "series": "目標", "value": threshold,
                           "shape": TARGET_SHAPES[relation], "text": f"目標 {entry['target_text'] or ''}",
                           "bound": TARGET_WORDS[relation]})
        national = (entry["national_average"] or {}).get("value")
        if national is not None:
            points.append({"year": year, "fy": entry["fiscal_year"], "series": "全国平均", "value": national,
                           "text": entry["national_average"]["text"]})
    return points


def _target_value(entry: dict):
    target = entry["target"]
    if not target:
        return None
    if target["basis"] == "previous_year":
        return entry["threshold"]  # resolved to last year's actual when there was one
    return target["value"]


def year_axis(kpi: dict) -> list[str]:
    """Every fiscal year from the first to the last with a figure, so a year without data shows as a gap."""
    from ..plan.era import format_fiscal_year

    years = [entry["fiscal_year"] for entry in kpi["years"]]
    if not years:
        return []
    return [format_fiscal_year(y).replace("年度", "") for y in range(min(years), max(years) + 1)]


def unit_of(kpi: dict) -> str:
    for entry in kpi["years"]:
        for source in (entry["actual"] or {}, entry["target"] or {}):
            if source.get("unit"):
                return source["unit"]
    return ""


def chartable(points: list[dict]) -> bool:
    """A chart needs figures in at least two years; one point is said in words, not drawn on an empty axis."""
    return len({p["fy"] for p in points}) >= 2


def history_spec(kpi: dict, font: str, titled: bool = True) -> dict:
    points = history_points(kpi)
    unit = unit_of(kpi)
    x = {"field": "year", "type": "ordinal", "sort": year_axis(kpi), "scale": {"domain": year_axis(kpi)},
         "title": None, "axis": {"labelAngle": 0}}
    y = {"field": "value", "type": "quantitative", "title": unit or None, "scale": {"zero": False}}
    color = {"field": "series", "type": "nominal", "title": None,
             "scale": {"domain": list(SERIES_COLORS), "range": list(SERIES_COLORS.values())}}
    layers = [
        {"transform": [{"filter": "datum.series == '実績'"}],
         "mark": {"type": "line", "point": {"filled": True, "size": 50}, "strokeWidth": 2},
         "encoding": {"x": x, "y": y, "color": color, "detail": {"field": "segment", "type": "nominal"}}},
        {"transform": [{"filter": "datum.series == '全国平均'"}],
         "mark": {"type": "line", "point": True, "strokeDash": [4, 3]},
         "encoding": {"x": x, "y": y, "color": color}},
        {"transform": [{"filter": "datum.series == '目標'"}],
         "mark": {"type": "point", "filled": True, "size": 120},
         "encoding": {"x": x, "y": y, "color": color,
                      "shape": {"field": "shape", "type": "nominal", "scale": None, "legend": None}}},
        {"transform": [{"filter": "datum.series == '実績'"}],
         "mark": {"type": "text", "dy": -10, "fontSize": 10},
         "encoding": {"x": x, "y": y, "text": {"field": "text"}}},
    ]
    spec = {"$schema": SCHEMA, "width": 420, "height": 150, "data": {"values": points},
            "layer": layers, "config": {"font": font, "legend": {"orient": "right"}, "view": {"stroke": None}}}
    if titled:  # a chart on its own names its KPI; inside a document the heading does
        spec["title"] = {"text": f"{kpi['label']}{kpi['text']}"[:60], "fontSize": 12, "anchor": "start"}
    return spec


def ranking_spec(view: dict, font: str) -> dict:
    rows = [r for r in view["rows"] if (r["actual"] or {}).get("value") is not None]
    values = [{"branch": r["branch"]["name"], "value": r["actual"]["value"], "text": r["actual"]["text"],
               "achieved": ACHIEVED[r["achieved"]]} for r in rows]
    targets = [{"branch": r["branch"]["name"], "value": _target_value(r)} for r in rows if _target_value(r) is not None]
    order = [v["branch"] for v in values]
    x = {"field": "branch", "type": "nominal", "sort": order, "title": None, "axis": {"labelAngle": -45}}
    y = {"field": "value", "type": "quantitative", "title": None}
    layers = [
        {"data": {"values": values}, "mark": {"type": "bar"},
         "encoding": {"x": x, "y": y, "color": {"field": "achieved", "type": "nominal", "title": None,
                                                "scale": {"domain": [ACHIEVED[True], ACHIEVED[False], ACHIEVED[None]],
                                                          "range": ["#1f4e79", "#c98a3a", "#9a9a9a"]}}}},
        {"data": {"values": targets}, "mark": {"type": "tick", "color": "#111", "thickness": 2},
         "encoding": {"x": x, "y": y}},
        {"data": {"values": values}, "mark": {"type": "text", "dy": -6, "fontSize": 9},
         "encoding": {"x": x, "y": y, "text": {"field": "text"}}},
    ]
    national = view["national"]
    if national and _target_value(national) is not None:
        layers.append({"data": {"values": [{"value": _target_value(national)}]},
                       "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#6b6b6b"},
                       "encoding": {"y": {"field": "value", "type": "quantitative"}}})
    return {"$schema": SCHEMA, "width": max(220, 36 * len(values)), "height": 200,
            "title": {"text": f"{view['kpi']['name'] or view['kpi']['id']}（{view['fiscal_year_label']}）"[:60],
                      "fontSize": 12, "anchor": "start"},
            "layer": layers, "config": {"font": font, "legend": {"orient": "bottom"}, "view": {"stroke": None}}}


def _vl_convert():
    try:
        import vl_convert
    except ImportError as exc:  # pragma: no cover - a dependency; reinstalling fixes it
        raise ChartError(_("charts need vl-convert-python; reinstall kenpo-plans (pip install kenpo-plans).")) from exc
    return vl_convert


def holdable(value):
    """The spec with every string made visible: the engine aborts the process (a Rust panic, SIGABRT) on a
    noncharacter such as U+FFFE, and no message of ours could follow it."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {holdable(key): holdable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [holdable(item) for item in value]
    return value


def to_svg(spec: dict) -> str:
    svg = _vl_convert().vegalite_to_svg(holdable(spec))
    return svg[svg.index("<svg"):] if "<svg" in svg else svg


@lru_cache(maxsize=None)
def _register_font(family: str) -> None:
    """PNG rendering needs the font file itself; fontconfig says where it is."""
    if shutil.which("fc-match") is None:
        return
    path = subprocess.run(["fc-match", "-f", "%{file}", "--", family], capture_output=True, text=True,
                          timeout=30, check=False).stdout.strip()
    if path:
        from pathlib import Path

        _vl_convert().register_font_directory(str(Path(path).parent))


def to_png(spec: dict, scale: float = 2.0) -> bytes:
    spec = holdable(spec)
    _register_font(spec["config"]["font"])
    return _vl_convert().vegalite_to_png(spec, scale=scale)

