"""The KPI charts: a branch's KPI across the years (lines and points), one KPI across branches (bars).

Drawn as SVG in Python (svgchart) from the view data: the page of 17 charts costs milliseconds, where
a chart engine (vl-convert's JavaScript, used until issue #19) took 1.2 s a page.  PNG is the same SVG
rasterised by vl-convert's resvg (Rust, no JavaScript engine), imported only when a PNG is asked for.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from ..errors import KenpoError
from ..i18n import _
from ..labels import ACHIEVED, INTERIM, PERIOD_LABELS
from .svgchart import SYMBOLS, Drawing, Linear, number, text_width, y_axis, y_axis_room

SERIES_COLORS = {"実績": "#1f4e79", "目標": "#b36b00", "全国平均": "#6b6b6b"}
PLOT_WIDTH, PLOT_HEIGHT = 420, 150  # a year chart's plot area, as the Vega-Lite charts had it
TARGET_SHAPES = {"ge": "triangle-up", "gt": "triangle-up", "le": "triangle-down", "lt": "triangle-down",
                 "eq": "diamond"}
TARGET_WORDS = {"ge": "以上（下限）", "gt": "超（下限）", "le": "以下（上限）", "lt": "未満（上限）", "eq": "目標値"}


class ChartError(KenpoError):
    """Raised when a chart cannot be rasterised (vl-convert missing or failing)."""


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
                           "segment": entry["segment"], "text": entry["actual"]["text"],
                           "interim": period_text(entry) if entry.get("interim") else None})
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


def history_svg(kpi: dict, font: str, titled: bool = True) -> str:
    """Actuals as a line broken at definition changes, targets as ▲ floors / ▼ ceilings / ◆, dashed national average."""
    points = history_points(kpi)
    unit = unit_of(kpi)
    years = year_axis(kpi)
    title = f"{kpi['label']}{kpi['text']}"[:60]
    top = 16 + (22 if titled else 0)
    scale = Linear(*_padded(points), top, PLOT_HEIGHT, 4)
    left = y_axis_room(scale.labels(), bool(unit))
    step = PLOT_WIDTH / len(years)
    x_of = {year: left + step * (i + 0.5) for i, year in enumerate(years)}
    drawing = Drawing()
    if titled:  # a chart on its own names its KPI; inside a document the heading does
        drawing.text(0, 15, title, size=12)
    y_axis(drawing, scale, left, PLOT_WIDTH, unit or None)
    _x_axis(drawing, years, x_of, scale.top + scale.height, step)
    _history_marks(drawing, points, lambda p: (x_of[p["year"]], scale(p["value"])), unit or "value")
    shapes = list(dict.fromkeys(p["shape"] for p in points if p["series"] == "目標")) or ["triangle-up"]
    _history_legend(drawing, left + PLOT_WIDTH + 18, top, shapes, any(p.get("interim") for p in points))
    return drawing.svg(left + PLOT_WIDTH + (130 if any(p.get("interim") for p in points) else 90),
                       top + PLOT_HEIGHT + 26, font, title)


def _padded(points: list[dict]) -> tuple[float, float]:
    """The figures' range widened a little, so a mark at the extremes (a 100% target) is drawn inside the axis,
    not cut in half at its edge."""
    low, high = min(p["value"] for p in points), max(p["value"] for p in points)
    pad = (high - low) * 0.08 or abs(high) * 0.01 or 1.0
    return low - pad, high + pad


def _point_label(p: dict, field: str) -> str:
    """The data a mark shows, in the words Vega-Lite's SVG used (year, unit: value, series, segment or shape)."""
    extra = f"; segment: {p['segment']}" if p["series"] == "実績" else f"; shape: {p['shape']}" if "shape" in p else ""
    if p.get("interim"):
        extra += f"; period: {p['interim']}（{INTERIM}）"
    return f"year: {p['year']}; {field}: {number(p['value'])}; series: {p['series']}{extra}"


def _history_marks(drawing: Drawing, points: list[dict], at, field: str) -> None:
    """Lines (one per segment, so a definition change breaks them), points, target symbols, the actuals' figures."""
    for series, dash in (("実績", None), ("全国平均", "4,3")):
        mine = [p for p in points if p["series"] == series]
        for segment in sorted({p.get("segment", 0) for p in mine}):
            stretch = [p for p in mine if p.get("segment", 0) == segment]
            years = [p for p in stretch if not p.get("interim")]  # the years' results; an interim figure is no year's
            if years:
                path = "M" + "L".join("{:.2f},{:.2f}".format(*at(p)) for p in years)
                drawing.mark("path", "line mark", _point_label(years[0], field), d=path, fill="none",
                             stroke=SERIES_COLORS[series], stroke_width=2 if series == "実績" else 1.5,
                             stroke_dasharray=dash)
            _interim_links(drawing, stretch, at, field)
        for p in mine:
            if p.get("interim"):  # hollow: a figure of part of the year
                drawing.symbol("circle", *at(p), label=_point_label(p, field), class_="interim", fill="#fff",
                               stroke=SERIES_COLORS[series], stroke_width=1.5)
                continue
            drawing.symbol("circle" if series == "実績" else "small-circle", *at(p), label=_point_label(p, field),
                           fill=SERIES_COLORS[series])
    for p in points:
        if p["series"] == "目標":
            drawing.symbol(p["shape"], *at(p), label=_point_label(p, field), fill=SERIES_COLORS["目標"], opacity=0.75)
    targets = {p["year"]: at(p)[1] for p in points if p["series"] == "目標"}
    for p in points:
        if p["series"] == "実績":
            x, y = at(p)
            clash = p["year"] in targets and y - 22 <= targets[p["year"]] <= y  # the target symbol sits where the figure would
            shown = f"{p['text']}（{p['interim']}）" if p.get("interim") else p["text"]
            drawing.mark("text", "text mark", f"year: {p['year']}; {field}: {number(p['value'])}; text: {shown}",
                         shown, x=x, y=y + 16 if clash else y - 8, font_size=10, text_anchor="middle")


def _interim_links(drawing: Drawing, stretch: list[dict], at, field: str) -> None:
    """A dotted link from the year before to an interim figure: the series goes on, but not as a year's result."""
    for before, p in zip(stretch, stretch[1:]):
        if p.get("interim"):
            drawing.mark("path", "line mark", _point_label(p, field),
                         d="M{:.2f},{:.2f}L{:.2f},{:.2f}".format(*at(before), *at(p)), fill="none",
                         stroke=SERIES_COLORS["実績"], stroke_width=1.2, stroke_dasharray="2,3")


def _x_axis(drawing: Drawing, years: list[str], x_of: dict, bottom: float, step: float) -> None:
    drawing.open_group(role="graphics-symbol", aria_roledescription="axis",
                       aria_label=f"X-axis for a discrete scale with {len(years)} values: {', '.join(years)}")
    drawing.line(min(x_of.values()) - step / 2, bottom, max(x_of.values()) + step / 2, bottom)
    for year in years:
        drawing.line(x_of[year], bottom, x_of[year], bottom + 5)
        drawing.text(x_of[year], bottom + 16, year, anchor="middle", fill="#333")
    drawing.close_group()


def _history_legend(drawing: Drawing, x: float, y: float, target_shapes: list[str], interim: bool = False) -> None:
    drawing.open_group(role="graphics-symbol", aria_roledescription="legend",
                       aria_label=f"Symbol legend with {len(SERIES_COLORS)} values: {', '.join(SERIES_COLORS)}")
    drawing.line(x - 8, y + 4, x + 8, y + 4, stroke=SERIES_COLORS["実績"], stroke_width=2)
    drawing.element("path", transform=f"translate({x},{y + 4})", d=SYMBOLS["circle"], fill=SERIES_COLORS["実績"])
    for i, shape in enumerate(target_shapes):
        drawing.element("path", transform=f"translate({x + 12 * i},{y + 22})", d=SYMBOLS[shape],
                        fill=SERIES_COLORS["目標"], opacity=0.75)
    drawing.line(x - 8, y + 40, x + 8, y + 40, stroke=SERIES_COLORS["全国平均"], stroke_width=1.5,
                 stroke_dasharray="4,3")
    for i, name in enumerate(SERIES_COLORS):
        drawing.text(x + 14 + 12 * (len(target_shapes) - 1 if name == "目標" else 0), y + 8 + 18 * i, name, size=11)
    if interim:
        drawing.element("path", transform=f"translate({x},{y + 58})", d=SYMBOLS["circle"], fill="#fff",
                        stroke=SERIES_COLORS["実績"], stroke_width=1.5)
        drawing.text(x + 14, y + 62, f"{INTERIM}の実績", size=11)
    drawing.close_group()


def _national_note(national: dict | None, inside: bool) -> list[str]:
    """The association's own figures, said in words: its target often lies far outside the branches' scale."""
    if not national or (national["actual"] is None and _target_value(national) is None):
        return []
    target = national["target_text"] or (_target_words(national) if national["target"] else "—")
    line = f"協会全体: 目標 {target}"
    if national["actual"]:
        period = period_text(national)
        line += f"、{period + 'の' if period else ''}実績 {national['actual']['text']}"
    if _target_value(national) is None:
        return [line]
    return [line + ("（破線）" if inside else ""), *([] if inside else ["（協会全体の目標は支部の目盛りの範囲外のため、線は引いていません）"])]


def _target_words(entry: dict) -> str:
    from ..plan.targets import Target

    return Target.from_dict(entry["target"]).describe_ja()


def period_text(entry: dict) -> str:
    """The period a figure covers as the documents say it (年度実績, 第1四半期（～5月）, 上期（9月末））."""
    if not entry.get("period"):
        return ""
    as_of = (entry["actual"] or {}).get("as_of") or ""
    return f"{PERIOD_LABELS[entry['period']]}{as_of}"


ACHIEVED_COLORS = {ACHIEVED[True]: "#1f4e79", ACHIEVED[False]: "#c98a3a", ACHIEVED[None]: "#9a9a9a"}


def ranking_domain(view: dict) -> tuple[float, float]:
    """The scale of the branch bars: their own actuals and targets, never the association's figures."""
    figures = [r["actual"]["value"] for r in view["rows"] if (r["actual"] or {}).get("value") is not None]
    figures += [_target_value(r) for r in view["rows"]
                if (r["actual"] or {}).get("value") is not None and _target_value(r) is not None]
    return min(0.0, min(figures)), max(0.0, max(figures))


def ranking_svg(view: dict, font: str) -> str:
    """Bars of the branches' actuals (colour: achieved; pale with a dashed edge: an interim figure), their targets."""
    rows = [r for r in view["rows"] if (r["actual"] or {}).get("value") is not None]
    title = f"{view['kpi']['name'] or view['kpi']['id']}（{view['fiscal_year_label']}）"[:60]
    national = view["national"]
    national_target = _target_value(national) if national else None
    probe = Linear(*ranking_domain(view), 0, 1, 5)
    inside = national_target is not None and probe.low <= national_target <= probe.high
    note = _national_note(national, inside)
    scale = Linear(*ranking_domain(view), 40 + 14 * len(note), 200, 5)
    left = y_axis_room(scale.labels(), False)
    width = max(220, 36 * len(rows))
    step = width / len(rows)
    drawing = Drawing()
    drawing.text(0, 15, title, size=12)
    for i, line in enumerate(note):
        drawing.text(0, 33 + 14 * i, line, size=10, fill="#333")
    y_axis(drawing, scale, left, width, None)
    baseline = scale(max(scale.low, 0.0))
    names = [r["branch"]["name"] + (f"（{PERIOD_LABELS[r['period']]}）" if r["interim"] else "") for r in rows]
    _branch_axis(drawing, names, left, step, baseline, scale.top + scale.height + 12)
    for i, row in enumerate(rows):
        _bar(drawing, row, left + step * i + step * 0.15, step * 0.7, scale, baseline)
    if inside:
        y = scale(national_target)
        drawing.mark("line", "rule", f"協会全体の目標; value: {number(national_target)}", x1=left, x2=left + width,
                     y1=y, y2=y, stroke="#6b6b6b", stroke_dasharray="4,3")
    legend_y = scale.top + scale.height + 20 + max(text_width(n, 10) for n in names) * 0.71  # under labels at 45°
    legend_end = _ranking_legend(drawing, left, legend_y, sorted({r["period"] for r in rows if r["interim"]}))
    full_width = max([left + width + 20, legend_end + 8, text_width(title, 12)] + [text_width(line, 10) for line in note])
    return drawing.svg(full_width, legend_y + 36, font, title)


def _branch_axis(drawing: Drawing, names: list[str], left: float, step: float, baseline: float, y: float) -> None:
    drawing.open_group(role="graphics-symbol", aria_roledescription="axis",
                       aria_label=f"X-axis for a discrete scale with {len(names)} values: {', '.join(names)}")
    drawing.line(left, baseline, left + step * len(names), baseline)
    for i, name in enumerate(names):
        x = left + step * (i + 0.5)
        drawing.text(x, y, name, anchor="end", transform=f"rotate(-45 {x:.2f} {y:.2f})", fill="#333")
    drawing.close_group()


def _bar(drawing: Drawing, row: dict, x: float, width: float, scale: Linear, baseline: float) -> None:
    value, name, achieved = row["actual"]["value"], row["branch"]["name"], ACHIEVED[row["achieved"]]
    period = PERIOD_LABELS[row["period"]] if row["period"] else ""
    color = ACHIEVED_COLORS[achieved]
    y = scale(value)
    drawing.mark("rect", "bar", f"branch: {name}; value: {number(value)}; achieved: {achieved}; period: {period}",
                 class_="bar interim" if row["interim"] else "bar", x=x, y=min(y, baseline), width=width,
                 height=max(abs(baseline - y), 0.5), fill=color, fill_opacity=0.35 if row["interim"] else 1.0,
                 stroke=color if row["interim"] else None, stroke_dasharray="3,2" if row["interim"] else None)
    target = _target_value(row)
    top = min(y, baseline)
    if target is not None:
        ty = scale(target)
        if top - 14 <= ty <= top + 2:  # the figure is written above its target's line, not through it
            top = ty
        drawing.mark("line", "tick", f"branch: {name}; value: {number(target)}", x1=x - 3, x2=x + width + 3,
                     y1=ty, y2=ty, stroke="#111", stroke_width=2)
    drawing.mark("text", "text mark", f"branch: {name}; value: {number(value)}; text: {row['actual']['text']}",
                 row["actual"]["text"], x=x + width / 2, y=top - 4, font_size=9, text_anchor="middle")


def _ranking_legend(drawing: Drawing, x: float, y: float, interim_periods: list[str]) -> float:
    """The legend under the bars; returns where it ends on the right."""
    start = x
    drawing.open_group(role="graphics-symbol", aria_roledescription="legend",
                       aria_label=f"Symbol legend with 3 values: {', '.join(ACHIEVED_COLORS)}")
    for name, color in ACHIEVED_COLORS.items():
        drawing.element("rect", x=float(x), y=float(y), width=10.0, height=10.0, fill=color)
        drawing.text(x + 14, y + 9, name)
        x += 24 + text_width(name, 10)
    if interim_periods:
        words = "・".join(PERIOD_LABELS[p] for p in interim_periods)
        drawing.element("rect", x=float(x), y=float(y), width=10.0, height=10.0, fill="#9a9a9a", fill_opacity=0.35,
                        stroke="#9a9a9a", stroke_dasharray="3,2")
        drawing.text(x + 14, y + 9, f"{words}（{INTERIM}）の実績")
        x += 14 + text_width(f"{words}（{INTERIM}）の実績", 10)
    drawing.text(start, y + 26, "横線: 各支部の目標", size=9, fill="#333")
    drawing.close_group()
    return x


def _vl_convert():
    try:
        import vl_convert
    except ImportError as exc:  # pragma: no cover - a dependency; reinstalling fixes it
        raise ChartError(_("PNG charts need vl-convert-python; reinstall kenpo-plans (pip install kenpo-plans).")) \
            from exc
    return vl_convert


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


def to_png(svg: str, font: str, scale: float = 2.0) -> bytes:
    """The chart's SVG rasterised (resvg inside vl-convert: no JavaScript engine is started)."""
    _register_font(font)
    return _vl_convert().svg_to_png(svg, scale=scale)

