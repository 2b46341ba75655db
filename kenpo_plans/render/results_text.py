"""The evaluated report for the terminal: the KPI table and a one-line count."""

from __future__ import annotations

import re

import click

from ..labels import ACHIEVED, PROVISIONAL, REASON_LABELS
from ..plan.era import ERAS, era_for
from ..plan.targets import Target
from ..textsafety import columns

# the first day of each era after the first, where a calendar year holds two eras
_ERA_CHANGES = {1989: (1, 8), 2019: (5, 1)}


def printed_date(text: str | None) -> str | None:
    """An ISO date (2021-07-14) as the documents print it (令和3年7月14日); other text as it is."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(text or ""))
    if not match:
        return text
    year, month, day = (int(part) for part in match.groups())
    change = _ERA_CHANGES.get(year)
    prefer = None
    if change:
        earlier, later = [e for e in ERAS if e.first_year < year][-1], [e for e in ERAS if e.first_year == year][0]
        prefer = earlier.key if (month, day) < change else later.key
    era = era_for(year, prefer)
    number = era.year_of(year)
    return f"{era.name}{'元' if number == 1 else number}年{month}月{day}日"


def clip(text: str, limit: int) -> str:
    out, used = "", 0
    for ch in text:
        w = columns(ch)
        if used + w > limit - 1 and used + w + columns(text[len(out) + 1:]) > limit:
            return out + "…"
        out += ch
        used += w
    return out


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - columns(text))


def target_text(row: dict) -> str:
    """As the plan prints it (「95.4％以上」) when printed apart, else the parsed target in plain Japanese."""
    if row["target_text"]:
        return row["target_text"]
    target = row["target"]
    return Target.from_dict(target).describe_ja() if target else "—"


def achievement_text(row: dict) -> str:
    if row["achieved_reason"] == "interim":
        return f"{PROVISIONAL}・" + ("到達" if row["comparison"]["provisional"] else "未到達")
    if row["achieved"] is None:
        return f"{ACHIEVED[None]}（{REASON_LABELS.get(row['achieved_reason'], '')}）" if row["reported"] else "—"
    return ACHIEVED[row["achieved"]]


def count_line(summary: dict) -> str:
    line = (f"{ACHIEVED[True]} {summary['achieved']}、{ACHIEVED[False]} {summary['not_achieved']}、"
            f"{ACHIEVED[None]} {summary['undetermined']}"
            f"（ＫＰＩ {summary['kpis']}件中 実績あり {summary['reported']}件")
    if summary["provisional"]:
        line += f"、うち暫定 {summary['provisional']}件"
    line += "）"
    if summary["disagreements"]:
        line += f"　評価と計算結果の不一致 {summary['disagreements']}件"
    return line


def document_tally(document: dict) -> str:
    """The count the original's own ratings give, as it would print it: 「達成 9、未達成 10（19件）」."""
    return (f"文書の評価による集計: {ACHIEVED[True]} {document['achieved']}、{ACHIEVED[False]} {document['not_achieved']}"
            + (f"、その他 {document['other']}" if document["other"] else "") + f"（{document['rated']}件）")


def tally_lines(summary: dict) -> list[str]:
    """The document's own count by its ratings, where they part from the computed one, then the computed count."""
    document = summary.get("document")
    if not document:
        return [count_line(summary)]
    lines = [document_tally(document)]
    for row in document["differences"]:
        by_rating = {True: ACHIEVED[True], False: ACHIEVED[False]}.get(row["rating_achieved"], "評価なし")
        computed = {True: ACHIEVED[True], False: ACHIEVED[False]}.get(row["achieved"], ACHIEVED[None])
        lines.append(f"  食い違い: {row['label']}{row['text']}　評価 {row['rating'] or '―'}（{by_rating}）／計算 {computed}")
    lines.append("計画の目標と実績の数値から計算した集計:")
    lines.append(count_line(summary))
    return lines


def _reported_below(outline: list[dict], results: dict) -> set[str]:
    """Ids of items that have a result themselves or somewhere beneath them."""
    parents = {n["id"]: n.get("parent") for n in outline if n["kind"] == "item" and n["id"]}
    covered: set[str] = set()
    for item_id in parents:
        if item_id in results:
            current = item_id
            while current and current not in covered:
                covered.add(current)
                current = parents.get(current)
    return covered


def outline_lines(evaluated: dict) -> list[str]:
    """The plan in its order, every measure and planned action, each result after the action and the plan text
    beneath it, and （実績なし） where neither the action nor anything under it has a result yet."""
    results = {m["id"]: m for m in evaluated["measures"]}
    kpis = {k["id"]: k for k in evaluated["kpis"]}
    covered = _reported_below(evaluated["outline"], results)
    lines: list[str] = []
    waiting: list[tuple[int, list[str]]] = []  # results printed once the plan text nested under their item ends

    def flush(depth: int) -> None:
        while waiting and waiting[-1][0] >= depth:
            lines.extend(waiting.pop()[1])

    for node in evaluated["outline"]:
        depth = node["depth"] + node.get("level", 0)
        flush(depth)
        indent = "  " * depth
        kind = node["kind"]
        if kind in ("section", "measure"):
            goals = f"〈{'、'.join(node['goals'])}〉" if node.get("goals") else ""
            lines.append(f"{indent}{node['label']} {node['title']}{goals}".rstrip() if node["label"] else
                         f"{indent}{node['title']}{goals}")
        elif kind == "kpi":
            row = kpis[node["id"]]
            actual = row["actual"]["text"] if row["actual"] else (row["pending"] or "—")
            lines.append(f"{indent}【KPI】{node['label']}{node['text']}　実績 {actual}"
                         + (f"　評価 {row['rating_printed']}" if row["rating_printed"] else ""))
        elif kind == "heading":
            lines.append(f"{indent}{node['text']}")
        else:
            marker = node.get("marker") or ""
            planned = kind == "item" and node["id"] and node["id"] not in covered
            lines.append(f"{indent}{marker}{' ' if marker else ''}{node['text']}" + ("　（実績なし）" if planned else ""))
        entry = results.get(node["id"]) if kind in ("section", "measure", "item") else None
        if entry:
            block = [f"{indent}  評価 {entry['rating_printed']}"] if entry["rating_printed"] else []
            block += [f"{indent}  {line['marker']}{line['text']}" for line in entry["activities"]]
            block += [f"{indent}  {note}" for note in entry["notes"]]
            if kind == "item":
                waiting.append((depth, block))
            else:
                lines.extend(block)
    flush(0)
    return lines


def to_text(evaluated: dict, color: bool = False) -> str:
    report = evaluated["report"]
    heading = f"{report['title']}（{evaluated['branch']['name']} {evaluated['fiscal_year_label']} {report['period_label']}）"
    lines = [click.style(heading, bold=True) if color else heading]
    if report["as_of"]:
        lines.append(f"時点: {report['as_of']}")
    if report["date"]:
        lines.append(f"日付: {printed_date(report['date'])}")
    lines.append("")
    if evaluated.get("outline"):
        lines.append("計画の項目と実績（計画の順）")
        lines.extend(outline_lines(evaluated))
        lines.append("")
    columns = [("ＫＰＩ", 44), ("目標", 16), ("実績", 16), ("順位", 6), ("評価", 6), ("達成（計算）", 20)]
    lines.append("  ".join(pad(name, size) for name, size in columns).rstrip())
    for row in evaluated["kpis"]:
        actual = row["actual"]["text"] if row["actual"] else (row["pending"] or "—")
        cells = [
            clip(f"{row['label']}{row['text']}", 44),
            clip(target_text(row), 16),
            clip(actual, 16),
            f"{row['rank']}位" if row["rank"] else "",
            row["rating_printed"] or "",
            achievement_text(row),
        ]
        text = "  ".join(pad(cell, size) for cell, (_, size) in zip(cells, columns)).rstrip()
        if color and row["rating_agrees"] is False:
            text = click.style(text, fg="yellow")
        lines.append(text)
    lines.append("")
    lines.extend(tally_lines(evaluated["summary"]))
    return "\n".join(lines) + "\n"
