"""The two KPI views as documents: view data → template context (pure) → HTML (jinja2) → PDF or text.

Charts are drawn here, once per KPI, as SVG inlined in the HTML; the PDF goes through the same sealed
WeasyPrint path as the other documents, so chart labels use the same embedded Japanese font.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..i18n import _
from ..labels import ACHIEVED, INTERIM, PERIOD_LABELS, REASON_LABELS
from ..plan.targets import Target
from . import charts
from .results_text import clip, pad

TEMPLATE = "kpi.html.j2"
def _achievement(entry: dict) -> str:
    if entry["achieved"] is not None:
        return ACHIEVED[entry["achieved"]]
    if entry["actual"] is None:
        return ""
    return f"{ACHIEVED[None]}（{REASON_LABELS.get(entry['achieved_reason'], '')}）"


def _target_parsed(entry: dict) -> str:
    return Target.from_dict(entry["target"]).describe_ja() if entry["target"] else ""


def year_row(entry: dict) -> dict:
    actual = entry["actual"] or {}
    return {
        "year": entry["fiscal_year_label"],
        "target_text": entry["target_text"] or _target_parsed(entry) or entry["target_unknown"] or "",
        "target": _target_parsed(entry),
        "actual": actual.get("text") or "",
        "as_of": actual.get("as_of") or (entry["period_label"] if entry["period"] != "year" else None),
        "national_average": (entry["national_average"] or {}).get("text") or "",
        "rank": f"{entry['rank']}位" if entry["rank"] else "",
        "rating": entry["rating"] or "",
        "achieved": _achievement(entry),
        "achieved_cls": {True: "ok", False: "ng"}.get(entry["achieved"], "none"),
        "definition_changed": entry["definition_changed"],
        "period": charts.period_text(entry),
        "interim": bool(entry.get("interim")),
    }


def build_branch_context(view: dict, font: str, draw: bool = True) -> dict:
    kpis = []
    for kpi in view["kpis"]:
        points = charts.history_points(kpi)
        chart = None
        note = None
        if charts.chartable(points):
            chart = charts.history_svg(kpi, font, titled=False) if draw else ""
        else:
            years = {p["fy"] for p in points}
            note = ("数値のある年度が1つだけのため、グラフは省略しました。" if years else
                    "数値のある年度がないため、グラフは省略しました。")
        kpis.append({"id": kpi["id"], "label": kpi["label"], "text": kpi["text"], "shared_name": kpi["shared_name"],
                     "measure": kpi["measure"], "chart": chart, "note": note,
                     "rows": [year_row(entry) for entry in kpi["years"]]})
    return {"title": f"ＫＰＩの推移（{view['branch']['name']}）", "author": view["branch"]["name"],
            "view": "branch", "font_family": font, "kpis": kpis,
            "years": "・".join(y["label"] for y in view["years"])}


def group_heading(period: str | None) -> str:
    """The heading of the rows ranked together: figures of one period, interim ones said to be so."""
    if period is None:
        return "実績なし"
    if period == "year":
        return PERIOD_LABELS[period]
    return f"{PERIOD_LABELS[period]}（{INTERIM}の数値。{PERIOD_LABELS['year']}とは別に順位付け）"


def ranking_groups(view: dict) -> list[dict]:
    """The rows in their order, cut where the period they are ranked within changes; headed when periods mix."""
    headed = any(p["interim"] for p in view.get("periods", []))
    groups: list[dict] = []
    for entry in view["rows"]:
        period = entry.get("ranked_among")
        if not groups or groups[-1]["period"] != period:
            groups.append({"period": period, "heading": group_heading(period) if headed else None, "rows": []})
        groups[-1]["rows"].append(entry)
    return groups


def build_ranking_context(view: dict, font: str, draw: bool = True) -> dict:
    groups = []
    for group in ranking_groups(view):
        rows = [{"order": entry.get("order") or "", "branch": entry["branch"]["name"], **year_row(entry),
                 "as_of": None} for entry in group["rows"]]  # the period column says when
        groups.append({"heading": group["heading"], "interim": group["period"] not in (None, "year"), "rows": rows})
    national = view["national"]
    with_actual = sum(1 for entry in view["rows"] if (entry["actual"] or {}).get("value") is not None)
    chart = charts.ranking_svg(view, font) if draw and with_actual >= 2 else None
    note = None if with_actual >= 2 else (
        "実績のある支部が1つだけのため、グラフは省略しました。" if with_actual else "実績のある支部がないため、グラフは省略しました。")
    interim = [p["label"] for p in view.get("periods", []) if p["interim"]]
    return {"title": f"{view['kpi']['name'] or view['kpi']['id']}　支部別（{view['fiscal_year_label']}）",
            "author": "kenpo-plans", "view": "branches", "font_family": font, "groups": groups,
            "national": {**year_row(national), "as_of": None} if national else None, "chart": chart, "note": note,
            "kpi": view["kpi"], "interim_note": interim_note(interim), "interim_word": INTERIM}


def interim_note(labels: list[str]) -> str | None:
    if not labels:
        return None
    return (f"※{'・'.join(labels)}の実績は{INTERIM}の数値です。{PERIOD_LABELS['year']}と同じ順位には並べず、"
            f"期間ごとに順位を付けています（グラフでは薄い色・点線の枠）。")


def render_html(context: dict, folder: Path) -> str:
    from .templates import render_html as render

    return render(context, folder, TEMPLATE)


def render_document(view: dict, fmt: str, font: str, template_dir: Path | None = None) -> str | bytes:
    from .pdf import render_pdf
    from .templates import template_dir as resolve

    folder = resolve(template_dir, TEMPLATE)
    build = build_branch_context if view["view"] == "branch" else build_ranking_context
    html = render_html(build(view, font), folder)
    return html if fmt == "html" else render_pdf(html, folder)


def render_chart(view: dict, fmt: str, font: str) -> str | bytes:
    """One chart on its own (svg or png): one KPI of a branch, or one KPI across branches."""
    if view["view"] == "branch":
        points = charts.history_points(view["kpis"][0])
        if not charts.chartable(points):
            raise UsageError(_("{kpi} has figures in fewer than two years, so there is no chart "
                               "to draw; see it with --format text or html.").format(kpi=view["kpis"][0]["id"]))
        svg = charts.history_svg(view["kpis"][0], font)
    else:
        if not any((entry["actual"] or {}).get("value") is not None for entry in view["rows"]):
            raise UsageError(_("no branch has a figure for {kpi} in {year_label}, so there is no chart to draw; "
                               "see its targets with --format text or html.").format(
                                   kpi=view["kpi"]["id"], year_label=view["fiscal_year_label"]))
        svg = charts.ranking_svg(view, font)
    return svg if fmt == "svg" else charts.to_png(svg, font)


def to_text(view: dict) -> str:
    columns = [("年度", 12), ("目標", 22), ("実績", 16), ("全国平均", 10), ("順位", 6), ("評価", 5), ("達成", 20)]
    lines: list[str] = []
    if view["view"] == "branch":
        lines.append(f"ＫＰＩの推移（{view['branch']['name']}）")
        for kpi in view["kpis"]:
            lines += ["", f"{kpi['label']}{kpi['text']}  [{kpi['id']}]"]
            lines.append("  " + "  ".join(pad(name, size) for name, size in columns).rstrip())
            for entry in kpi["years"]:
                row = year_row(entry)
                cells = [row["year"], row["target_text"], row["actual"], row["national_average"], row["rank"],
                         row["rating"], row["achieved"]]
                lines.append("  " + "  ".join(pad(clip(c, size), size) for c, (_, size) in zip(cells, columns)).rstrip())
                if row["definition_changed"]:
                    lines.append(f"    ※この年度から定義変更: {row['definition_changed']}")
    else:
        lines += _ranking_text(view, columns)
    return "\n".join(lines) + "\n"


def _ranking_text(view: dict, columns: list[tuple[str, int]]) -> list[str]:
    lines = [f"{view['kpi']['name'] or view['kpi']['id']}　支部別（{view['fiscal_year_label']}）"]
    head = [("", 4), ("支部", 14), ("期間", 12)] + columns[1:]
    lines.append("  ".join(pad(name, size) for name, size in head).rstrip())
    for group in ranking_groups(view):
        if group["heading"]:
            lines.append(f"【{group['heading']}】")
        for entry in group["rows"]:
            row = year_row(entry)
            cells = [str(entry.get("order") or ""), entry["branch"]["name"], row["period"], row["target_text"],
                     row["actual"], row["national_average"], row["rank"], row["rating"], row["achieved"]]
            lines.append("  ".join(pad(clip(c, size), size) for c, (_, size) in zip(cells, head)).rstrip())
    if view["national"]:
        row = year_row(view["national"])
        lines.append(f"全国（協会全体）: 期間 {row['period'] or '—'}  目標 {row['target_text'] or row['target'] or '—'}  "
                     f"実績 {row['actual'] or '—'}")
    note = interim_note([p["label"] for p in view.get("periods", []) if p["interim"]])
    return lines + ([note] if note else [])
