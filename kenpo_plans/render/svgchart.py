"""SVG drawing for the KPI charts, in Python: linear scales with round ticks, axes, marks and text.

Why not a chart engine: vl-convert starts a JavaScript engine in every process (0.6 s here before the
first chart, then ~70 ms a chart), which made the KPI page six times slower than its text.  The charts
are simple (points, lines, bars), so they are drawn here from the data.  Text stays SVG text in the
font the caller names, so WeasyPrint draws it with the PDF's embedded Japanese font.  Every mark
carries an ARIA role and label (the data it shows) as Vega's SVG did: screen readers and tests read
what a chart draws without parsing geometry.
"""

from __future__ import annotations

import math
from html import escape

from ..textsafety import visible

SYMBOLS = {  # path data centred on (0, 0), the sizes Vega draws for a filled point of size 120 (circle 50)
    "circle": "M3.536,0A3.536,3.536,0,1,1,-3.536,0A3.536,3.536,0,1,1,3.536,0",
    "small-circle": "M2.739,0A2.739,2.739,0,1,1,-2.739,0A2.739,2.739,0,1,1,2.739,0",
    "triangle-up": "M0,-4.743L-5.477,4.743L5.477,4.743Z",
    "triangle-down": "M0,4.743L-5.477,-4.743L5.477,-4.743Z",
    "diamond": "M0,-6.124L6.124,0L0,6.124L-6.124,0Z",
}


def number(value: float) -> str:
    """A figure as data (aria labels): 63, 61.1, 0.363 — no trailing .0, no separators."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def tick_label(value: float, step: float) -> str:
    """A tick as printed: thousands separated, as many decimals as the step needs."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    return f"{value:,.{decimals}f}"


def _increment(low: float, high: float, count: int) -> float:
    """The round step (1, 2 or 5 × 10ⁿ) giving about ``count`` ticks between low and high (d3's rule)."""
    raw = (high - low) / max(count, 1)
    power = math.floor(math.log10(raw))
    error = raw / 10 ** power
    factor = 10 if error >= math.sqrt(50) else 5 if error >= math.sqrt(10) else 2 if error >= math.sqrt(2) else 1
    return factor * 10.0 ** power


def nice_scale(low: float, high: float, count: int) -> tuple[float, float, float, list[float]]:
    """(low, high, step, ticks): the domain widened to round ticks, as a reader expects an axis."""
    if high == low:
        pad = abs(high) * 0.05 or 1.0
        low, high = low - pad, high + pad
    step = _increment(low, high, count)
    for _ in range(4):  # widening can change the step once or twice; it settles fast
        low, high = math.floor(low / step) * step, math.ceil(high / step) * step
        settled = _increment(low, high, count)
        if settled == step:
            break
        step = settled
    ticks = [round(low + i * step, 10) for i in range(round((high - low) / step) + 1)]
    return round(low, 10), round(high, 10), step, ticks


def text_width(text: str, size: float) -> float:
    """An estimate good enough for layout: full-width characters are one em, the rest about 0.6 em."""
    return sum(size if ord(c) >= 0x2E80 else 0.6 * size for c in text)


def _xml(text: str) -> str:
    """Escaped, and only characters XML can hold: the PNG rasteriser aborts the process (a Rust panic) on a
    noncharacter such as U+FFFE, and no message of ours could follow it."""
    return escape(visible(text))


def _attributes(attributes: dict) -> str:
    parts = []
    for key, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{_xml(str(value))}"')
    return " ".join(parts)


class Drawing:
    """An SVG document built element by element; ``mark`` adds the ARIA role and label of a data mark."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def element(self, tag: str, content: str | None = None, **attributes) -> None:
        attrs = _attributes(attributes)
        if content is None:
            self.parts.append(f"<{tag} {attrs}/>")
        else:
            self.parts.append(f"<{tag} {attrs}>{_xml(content)}</{tag}>")

    def mark(self, tag: str, role: str, label: str, content: str | None = None, **attributes) -> None:
        self.element(tag, content, role="graphics-symbol", aria_roledescription=role, aria_label=label, **attributes)

    def text(self, x: float, y: float, content: str, size: float = 10, anchor: str = "start", **attributes) -> None:
        self.element("text", content, x=float(x), y=float(y), font_size=size, text_anchor=anchor, **attributes)

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = "#888", **attributes) -> None:
        self.element("line", x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), stroke=stroke, **attributes)

    def symbol(self, shape: str, x: float, y: float, role: str = "point", label: str = "", **attributes) -> None:
        self.mark("path", role, label, transform=f"translate({x:.2f},{y:.2f})", d=SYMBOLS[shape], **attributes)

    def open_group(self, **attributes) -> None:
        self.parts.append(f"<g {_attributes(attributes)}>")

    def close_group(self) -> None:
        self.parts.append("</g>")

    def svg(self, width: float, height: float, font: str, title: str) -> str:
        width, height = math.ceil(width), math.ceil(height)
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                f'viewBox="0 0 {width} {height}" font-family="{_xml(font)}" role="graphics-document document" '
                f'aria-label="{_xml(title)}">')
        background = f'<rect width="{width}" height="{height}" fill="#fff"/>'  # a PNG is not transparent
        return head + background + "".join(self.parts) + "</svg>"


class Linear:
    """A y scale: value → pixel, top of the plot at ``top``; ticks round, domain widened to them."""

    def __init__(self, low: float, high: float, top: float, height: float, count: int) -> None:
        self.low, self.high, self.step, self.ticks = nice_scale(low, high, count)
        self.top, self.height = top, height

    def __call__(self, value: float) -> float:
        return self.top + (self.high - value) / (self.high - self.low) * self.height

    def labels(self) -> list[str]:
        return [tick_label(tick, self.step) for tick in self.ticks]

    def describe(self, title: str | None) -> str:
        titled = f" titled '{title}'" if title else ""
        return (f"Y-axis{titled} for a linear scale with values from {tick_label(self.low, self.step)} "
                f"to {tick_label(self.high, self.step)}")


def y_axis(drawing: Drawing, scale: Linear, left: float, width: float, title: str | None) -> None:
    """Grid lines, ticks and their labels at the left, and the unit as the axis title."""
    drawing.open_group(role="graphics-symbol", aria_roledescription="axis", aria_label=scale.describe(title))
    for tick in scale.ticks:
        y = scale(tick)
        drawing.line(left, y, left + width, y, stroke="#ddd")
        drawing.line(left - 5, y, left, y)
        drawing.text(left - 7, y + 3, tick_label(tick, scale.step), anchor="end", fill="#333")
    drawing.line(left, scale.top, left, scale.top + scale.height)
    if title:
        x, y = left - 12 - max(text_width(label, 10) for label in scale.labels()), scale.top + scale.height / 2
        drawing.text(x, y, title, size=11, anchor="middle", transform=f"rotate(-90 {x:.2f} {y:.2f})")
    drawing.close_group()


def y_axis_room(scale_labels: list[str], titled: bool) -> float:
    return 14 + max(text_width(label, 10) for label in scale_labels) + (16 if titled else 0)
