"""Word's list numbering (numbering.xml) and paragraph styles: each numbered paragraph's label, read defensively.

numbering.xml is part of the document, so it is data from outside: a start value that is not a number, a level
past Word's nine, or a start of 10,000,000 with roman numerals is ignored or capped the way Word caps it, with a
problem reported (``problems``), and a label costs time in proportion to its length, never to the number's value.
"""

from __future__ import annotations

import re

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_LEVEL = 8  # Word's nine list levels, 0…8
MAX_NUMBER = 32767  # the largest list number Word shows; its start-at box stops there
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_JAPANESE_BULLETS = "○◯〇・●◆◇□■◎※＊･→"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def w(tag: str) -> str:
    return _W + tag


def is_private_use(char: str) -> bool:
    return bool(_PRIVATE_USE.match(char))


def roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def letters(n: int) -> str:
    """Word's alphabetic numbering: a … z, then aa … zz, aaa …"""
    count, index = divmod(n - 1, 26)
    return chr(ord("a") + index) * (count + 1)


def format_number(fmt: str, n: int) -> str:
    """A list number as Word shows it for the format (w:numFmt); ``n`` is capped at Word's largest."""
    n = max(0, min(n, MAX_NUMBER))
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt in ("lowerRoman", "upperRoman") and n >= 1:
        return roman(n) if fmt == "lowerRoman" else roman(n).upper()
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        return letters(n) if fmt == "lowerLetter" else letters(n).upper()
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return str(n)


def _number(text: str | None, limit: int) -> int | None:
    """A non-negative whole number, at most ``limit`` (5,000 digits are the limit, never converted); None for 「abc」."""
    digits = (text or "").strip()
    if not re.fullmatch(r"[0-9]+", digits):
        return None
    return limit if len(digits) > 9 else min(int(digits), limit)


class Numbering:
    """The levels of every list, counted in order; styles' headings, indents and hidden text."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int, int]] = {}  # (numId, ilvl) → fmt, text, start, indent
        self.counters: dict[str, dict[int, int]] = {}
        self.problems: list[tuple[str, str]] = []  # (what was ignored, where)
        self.styles = _Styles(document)
        self.hidden_styles = self.styles.hidden
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {node.get(w("abstractNumId")): self._abstract_levels(node)
                    for node in root.iterchildren(w("abstractNum"))}
        for num in root.iterchildren(w("num")):
            ref = num.find(w("abstractNumId"))
            levels = dict(abstract.get(ref.get(w("val")) if ref is not None else "", {}))
            for override in num.iterchildren(w("lvlOverride")):
                level, start = self._level_number(override, "numbering.xml num"), override.find(w("startOverride"))
                if level in levels and start is not None:
                    value = self._start(start.get(w("val")), f"numbering.xml num {num.get(w('numId'))}")
                    levels[level] = levels[level][:2] + (value,) + levels[level][3:]
            for level, spec in levels.items():
                self.levels[(num.get(w("numId")), level)] = spec

    def _warn(self, what: str, where: str) -> None:
        self.problems.append((what, where))

    def _level_number(self, node, where: str) -> int | None:
        raw = node.get(w("ilvl"), "0")
        level = _number(raw, 99)
        if level is None or level > MAX_LEVEL:
            self._warn(f'w:ilvl="{raw[:20]}"', where)
            return None
        return level

    def _start(self, raw: str | None, where: str) -> int:
        value = _number(raw, MAX_NUMBER + 1)
        if value is None:
            self._warn(f'w:start="{(raw or "")[:20]}"', where)
            return 1
        if value > MAX_NUMBER:
            self._warn(f'w:start="{raw[:20]}"（{MAX_NUMBER} まで）', where)
        return min(value, MAX_NUMBER)

    def _abstract_levels(self, node) -> dict[int, tuple[str, str, int, int]]:
        where = f"numbering.xml abstractNum {node.get(w('abstractNumId'), '')[:20]}"
        levels = {}
        for lvl in node.iterchildren(w("lvl")):
            level = self._level_number(lvl, where)
            if level is None:
                continue
            fmt, text, start = lvl.find(w("numFmt")), lvl.find(w("lvlText")), lvl.find(w("start"))
            levels[level] = (fmt.get(w("val"), "decimal") if fmt is not None else "decimal",
                             text.get(w("val"), "") if text is not None else "",
                             self._start(start.get(w("val")), where) if start is not None else 1,
                             _indent_of(lvl.find(w("pPr"))))
        return levels

    # --- a paragraph ----------------------------------------------------------

    def num_of(self, p) -> tuple[str, int] | None:
        ppr = p.find(w("pPr"))
        if ppr is None:
            return None
        num = ppr.find(w("numPr"))
        if num is not None and num.find(w("numId")) is not None:
            level = num.find(w("ilvl"))
            value = _number(level.get(w("val")) if level is not None else "0", 99)
            return num.find(w("numId")).get(w("val")), value if value is not None and value <= MAX_LEVEL else 0
        return self.styles.numbering.get(_style_of(ppr))

    def outline_of(self, p) -> int:
        """The heading level of a paragraph: its own w:outlineLvl, else its style's (Heading 1, 見出し 1)."""
        ppr = p.find(w("pPr"))
        if ppr is None:
            return 0
        level = ppr.find(w("outlineLvl"))
        value = _number(level.get(w("val")) if level is not None else None, 99)
        if value is not None and value < 9:
            return value + 1
        return self.styles.outline.get(_style_of(ppr), 0)

    def indent_of(self, p) -> int:
        """Where the paragraph's first character stands (twips): its own indent, else its list level's (a style's
        indent alone is layout: List Paragraph indents every numbered heading alike)."""
        ppr = p.find(w("pPr"))
        own = _indent_of(ppr)
        if own is not None:
            return own
        found = self.num_of(p)
        spec = self.levels.get(found) if found else None
        if spec is not None and spec[3] is not None:
            return spec[3]
        return 0

    def paragraph_hidden(self, p) -> bool:
        return _style_of(p.find(w("pPr"))) in self.hidden_styles

    def bullet_depth(self, p) -> int:
        """How deep a bullet is: its list level, plus the N-1 of a style named List Bullet N."""
        found = self.num_of(p)
        style = self.styles.names.get(_style_of(p.find(w("pPr"))), "")
        match = re.match(r"^List Bullet\s*([2-9])$", style)
        return (found[1] if found else 0) + (int(match.group(1)) - 1 if match else 0)

    def label_for(self, p) -> str:
        found = self.num_of(p)
        if found is None or found[0] == "0" or found not in self.levels:
            return ""
        num_id, level = found
        fmt, pattern, start, _indent = self.levels[found]
        counters = self.counters.setdefault(num_id, {})
        counters[level] = min(counters.get(level, start - 1) + 1, MAX_NUMBER)
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet" or fmt == "none":
            return self._bullet(pattern, self.bullet_depth(p)) if fmt == "bullet" else ""
        label = pattern
        for k in range(level + 1):
            spec = self.levels.get((num_id, k))
            value = counters.get(k, spec[2] if spec else 1)
            label = label.replace(f"%{k + 1}", format_number(spec[0] if spec else "decimal", value))
        return label

    @staticmethod
    def _bullet(pattern: str, depth: int) -> str:
        """A Japanese bullet as typed (○, ・); a Symbol/Wingdings/Courier bullet as the plan's ○ (first level) or ・."""
        text = pattern.strip()
        if len(text) == 1 and text in _JAPANESE_BULLETS:
            return text
        return "○" if depth == 0 else "・"


def _style_of(ppr) -> str | None:
    style = ppr.find(w("pStyle")) if ppr is not None else None
    return style.get(w("val")) if style is not None else None


def _indent_of(ppr) -> int | None:
    ind = ppr.find(w("ind")) if ppr is not None else None
    if ind is None:
        return None

    def twips(name: str) -> int:
        value = (ind.get(w(name)) or "0").strip()
        size = _number(value.removeprefix("-"), 10 ** 6) or 0
        return -size if value.startswith("-") else size

    # where the line's first character stands: a hanging marker (○ under a hanging indent) counts at its place
    return twips("left") + twips("start") - twips("hanging") + twips("firstLine")


class _Styles:
    """What paragraph and character styles say: heading level, list, indent, hidden."""

    def __init__(self, document):
        self.outline: dict[str, int] = {}
        self.numbering: dict[str, tuple[str, int]] = {}
        self.names: dict[str, str] = {}
        self.hidden: set[str] = set()
        for style in document.styles:
            self._read(style)

    def _read(self, style) -> None:
        name = (style.name or "").strip()
        self.names[style.style_id] = name
        match = re.match(r"^(?:heading|見出し)\s*([1-9])$", name, re.IGNORECASE)
        if match:
            self.outline[style.style_id] = int(match.group(1))
        element = style.element
        rpr = element.find(w("rPr"))
        vanish = rpr.find(w("vanish")) if rpr is not None else None
        if vanish is not None and vanish.get(w("val"), "true") not in ("0", "false", "off"):
            self.hidden.add(style.style_id)
        ppr = element.find(w("pPr"))
        num = ppr.find(w("numPr")) if ppr is not None else None
        if num is not None and num.find(w("numId")) is not None:
            level = num.find(w("ilvl"))
            value = _number(level.get(w("val")) if level is not None else "0", 99)
            self.numbering[style.style_id] = (num.find(w("numId")).get(w("val")),
                                              value if value is not None and value <= MAX_LEVEL else 0)
