"""Diff results as terminal text: summary first, then the changes by section and measure.

Colour marks inserted text (green, underlined) and deleted text (red, struck
through); without colour the same spans read ``{+…+}`` and ``[-…-]``.
"""

from __future__ import annotations

import json

import click

from ..diff import textdiff
from ..diff.result import ChangeKind, DiffResult, Entry, NodeKind, NumberChange
from ..diff.target_change import TargetDirection
from ..git.repo import describe_revision
from ..labels import DIRECTION_LABELS, KIND_LABELS, METADATA_LABELS, NODE_LABELS, STATUS_LABELS, direction_label
from ..plan.targets import Target, extract_figures, format_number


def metadata_value(field: str, value) -> str:
    """確定 / 案 for a status, なし for nothing: never a Python value."""
    if value is None or value == "":
        return "なし"
    return STATUS_LABELS.get(value, value) if field == "status" else str(value)


WHOLE_NOTICE = "（文章が長く大きく異なるため、文字単位の比較を省略し全体を置き換えとして表示）"


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending in 「…」 when cut, never inside a figure (「95.4％」 stays whole)."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    for figure in extract_figures(text):
        if figure.start < cut < figure.unit_end:
            cut = figure.start
            break
    return text[:cut].rstrip() + "…"


def to_json(result: DiffResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


class _Style:
    def __init__(self, color: bool):
        self.color = color

    def insert(self, text: str) -> str:
        return click.style(text, fg="green", underline=True) if self.color else f"{{+{text}+}}"

    def delete(self, text: str) -> str:
        return click.style(text, fg="red", strikethrough=True) if self.color else f"[-{text}-]"

    def heading(self, text: str) -> str:
        return click.style(text, bold=True) if self.color else text

    def kind(self, text: str) -> str:
        return click.style(text, fg="yellow") if self.color else text

    def dim(self, text: str) -> str:
        return click.style(text, dim=True) if self.color else text


def to_text(result: DiffResult, color: bool = False) -> str:
    style = _Style(color)
    lines = _summary_lines(result, style)
    lines.append("")
    lines += _change_lines(result, style)
    return "\n".join(lines).rstrip() + "\n"


def _plan_line(info) -> str:
    return f"{info.title}（{STATUS_LABELS.get(info.status, info.status)}）" + (
        f" @ {describe_revision(info.revision)}" if info.revision else "")


# what a log line counts, in its order: the outline's big pieces first, and no punctuation or width-only changes
_LOG_NODES = (NodeKind.SECTION, NodeKind.MEASURE, NodeKind.KPI, NodeKind.TARGET, NodeKind.BLOCK, NodeKind.ITEM)
_LOG_KINDS = (ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.MOVED, ChangeKind.RENAMED, ChangeKind.RENUMBERED,
              ChangeKind.MODIFIED)


def summary_line(result: DiffResult) -> str:
    """One line for a commit in `kenpo-plans log`: 「KPI目標 2件引上げ、施策 1件新設」."""
    summary = result.summary
    parts = []
    targets = summary.kpi_targets
    for direction in (TargetDirection.RAISED, TargetDirection.LOWERED, TargetDirection.CHANGED):
        if targets[direction]:
            parts.append(f"KPI目標 {targets[direction]}件{DIRECTION_LABELS[direction]}")
    for node in _LOG_NODES:
        counts = summary.by_node[node]
        for kind in _LOG_KINDS:
            if counts[kind]:
                parts.append(f"{NODE_LABELS[node]} {counts[kind]}件{KIND_LABELS[kind]}")
    if "title" in result.metadata:
        parts.append(f"{METADATA_LABELS['title']}の変更")
    status = result.metadata.get("status")
    if status:
        parts.append(f"状態 {STATUS_LABELS.get(status.old, status.old)}→{STATUS_LABELS.get(status.new, status.new)}")
    if not parts:
        return "表記のみの変更" if summary.formatting_only_hidden else "内容の変更なし"
    return "、".join(parts)


def _summary_lines(result: DiffResult, style: _Style) -> list[str]:
    summary = result.summary
    lines = [style.heading(f"{result.new.branch_name} 新旧対照: {_plan_line(result.new)} ← {_plan_line(result.old)}")]
    lines += [style.kind(f"警告: {warning.message}") for warning in result.warnings]
    if not result.has_changes:
        lines.append("変更なし")
        return lines
    by_kind = "、".join(f"{KIND_LABELS[k]} {n}" for k, n in summary.by_kind.items() if n)
    lines.append(f"変更 {summary.changes}件: {by_kind}" if by_kind else f"変更 {summary.changes}件")
    for node, counts in summary.by_node.items():
        shown = "、".join(f"{KIND_LABELS[k]} {n}" for k, n in counts.items() if n)
        if shown:
            lines.append(f"  {NODE_LABELS[node]}: {shown}")
    targets = summary.kpi_targets
    lines.append("ＫＰＩ目標: " + "、".join(f"{DIRECTION_LABELS[k]} {n}" for k, n in targets.items()))
    if summary.formatting_only_hidden:
        lines.append(f"表記のみの違い {summary.formatting_only_hidden}件は省略（--exact で表示）")
    for field, change in result.metadata.items():
        lines.append(f"{METADATA_LABELS.get(field, field)}: {metadata_value(field, change.old)} → "
                     f"{metadata_value(field, change.new)}")
    moved_targets = [e for e in result.entries if e.target_moved]
    if moved_targets:
        lines.append("")
        lines.append(style.heading("ＫＰＩ目標の変更"))
        for entry in moved_targets:
            line = f"  {target_change_text(entry)}  {style.dim(shorten(entry.new_text or entry.old_text, 40))}"
            actual = result.old_actuals.get(entry.old_id or "")
            if actual:
                line += f"  {result.old.year_label}実績 {actual.text}"
                if entry.target.below_achieved(actual):
                    line += style.kind("（新目標は実績以下）")
            lines.append(line)
    return lines


def describe_target(target: Target | None) -> str:
    """As plans write it (95.4%以上): text and documents are read by Japanese planning staff."""
    return target.describe_ja() if target else "—"


def target_change_text(entry: Entry) -> str:
    """「[引上げ・厳格化] 95.0%以上 → 95.4%以上 (+0.4 pt)」 for a KPI whose target moved."""
    change = entry.target
    text = f"{describe_target(change.old)} → {describe_target(change.new)}"
    if change.delta is not None:
        sign = "+" if change.delta > 0 else ""
        text += f" ({sign}{format_number(change.delta)} {change.delta_unit or ''}".rstrip() + ")"
    label = direction_label(change.direction, change.stricter)
    return f"[{label}] {text}" if label else text


def render_segments(segments: list[textdiff.Segment], style: _Style, exact: bool = False) -> str:
    out = []
    for seg in segments:
        if seg.op == textdiff.EQUAL or (seg.formatting and not exact):
            if seg.op != textdiff.DELETE:
                out.append(seg.text)
        elif seg.op == textdiff.INSERT:
            out.append(style.insert(seg.text))
        else:
            out.append(style.delete(seg.text))
    return "".join(out)


def _grouped(changes: list[Entry]) -> list[Entry]:
    """Changes in outline order: each heading's changes together, headings in order of first appearance.

    An old block's removed bullets and the new block's added ones otherwise interleave with other blocks,
    and a heading would be printed twice.  Every change has an identity (its path, plus its own heading for a
    section, measure or block, plus its position for a bullet); sorting by the first appearance of each
    prefix of that identity keeps a parent before its children and each heading's changes together.
    """
    first: dict[tuple, int] = {}
    identities = []
    for index, entry in enumerate(changes):
        identity = _identity(entry, index)
        for depth in range(1, len(identity) + 1):
            first.setdefault(identity[:depth], len(first))
        identities.append(identity)
    keys = [tuple(first[identity[:depth]] for depth in range(1, len(identity) + 1)) for identity in identities]
    return [entry for _, entry in sorted(zip(keys, changes), key=lambda pair: pair[0])]


def _identity(entry: Entry, index: int) -> tuple:
    path = _path_of(entry)
    if entry.node in (NodeKind.SECTION, NodeKind.MEASURE):
        return path + (f"{entry.new_label or entry.old_label or ''}{entry.new_title or entry.old_title}",)
    if entry.node == NodeKind.BLOCK:
        return path + (entry.new_text or entry.old_text or "",)
    return path + (("#", index),)


def _path_of(entry: Entry) -> tuple:
    return tuple(step.heading for step in entry.path if step.label or step.title)


def _change_lines(result: DiffResult, style: _Style) -> list[str]:
    lines: list[str] = []
    shown_path: list[str] = []
    for entry in _grouped(result.changes):
        path = list(_path_of(entry))
        common = 0
        while common < min(len(path), len(shown_path)) and path[common] == shown_path[common]:
            common += 1
        for depth in range(common, len(path)):
            lines.append(style.heading("  " * depth + path[depth]))
        shown_path = path
        lines += _entry_lines(entry, len(path), style, result.exact)
        if entry.node in (NodeKind.SECTION, NodeKind.MEASURE):
            shown_path = path + [f"{entry.new_label or entry.old_label or ''}{entry.new_title or entry.old_title}"]
        elif entry.node == NodeKind.BLOCK:
            shown_path = path + [entry.new_text or entry.old_text or ""]  # its change line named it already
    return lines


def _entry_lines(entry: Entry, depth: int, style: _Style, exact: bool) -> list[str]:
    pad = "  " * depth
    kinds = "・".join(KIND_LABELS[k] for k in entry.kinds)
    tag = style.kind(f"（{kinds}）")
    node = NODE_LABELS[entry.node]
    if entry.node in (NodeKind.SECTION, NodeKind.MEASURE):
        label = entry.new_label if entry.new_label is not None else entry.old_label
        if ChangeKind.RENUMBERED in entry.kinds:
            label = f"{style.delete(entry.old_label or '')}{style.insert(entry.new_label or '')}"
        title = entry.new_title if ChangeKind.REMOVED not in entry.kinds else entry.old_title
        if entry.title_segments and ChangeKind.RENAMED in entry.kinds:
            title = render_segments(entry.title_segments, style, exact)
        lines = [f"{pad}{label}{title} {tag}"]
        if entry.whole_replaced:
            lines.append(f"{pad}  {style.dim(WHOLE_NOTICE)}")
        if entry.fields:
            for change in entry.fields.values():
                lines.append(f"{pad}  {change.text}")
        if ChangeKind.MOVED in entry.kinds:
            lines.append(f"{pad}  {entry.old_parent} → {entry.new_parent}")
        return lines
    if ChangeKind.ADDED in entry.kinds:
        body = style.insert(entry.new_text or "")
    elif ChangeKind.REMOVED in entry.kinds:
        body = style.delete(entry.old_text or "")
    else:
        body = render_segments(entry.text_segments or [], style, exact)
    marker = entry.new_marker or entry.old_marker
    lead = f"{marker} " if marker else ""
    lines = [f"{pad}{node}{tag} {lead}{body}"]
    if entry.whole_replaced:
        lines.append(f"{pad}  {style.dim(WHOLE_NOTICE)}")
    for segments in entry.notes_segments:
        if textdiff.has_changes(segments, exact):
            lines.append(f"{pad}    {render_segments(segments, style, exact)}")
    if entry.target_moved:
        lines.append(f"{pad}    目標: {target_change_text(entry)}")
    for number in entry.numbers:
        if entry.node != NodeKind.KPI:
            lines.append(f"{pad}    数値: {number_change_text(number)}")
    return lines


def number_change_text(number: NumberChange) -> str:
    """55.0% → 55.5%（+0.5 pt）: both figures with their unit, a percentage's change in points."""
    unit = number.unit or ""
    return f"{number.old_text}{unit} → {number.new_text}{unit}（{signed_delta(number)}）"


def signed_delta(number: NumberChange) -> str:
    """+0.5 pt for a percentage, +7,030人 for a count."""
    unit = number.unit or ""
    sign = "+" if number.delta > 0 else ""
    return f"{sign}{format_number(number.delta)}{' pt' if unit == '%' else unit}"
