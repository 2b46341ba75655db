"""A PDF page → its lines of text, read by where the characters stand, and which column each line is in.

pdfminer's text boxes split a line where a fallback font sets a glyph (①, Ⅰ) and run the two columns of
a 新旧対照表 together; reading the characters themselves keeps a line whole, and a page whose header row
names 新 and 旧 side by side is read column by column, the 旧 column marked so it is reported, not imported.
"""

from __future__ import annotations

import re
import unicodedata

_NEW = re.compile(r"^(?:新|改正後|変更後)")
_OLD = re.compile(r"^(?:旧|現|改正前|変更前)")


def chars_of(node):
    from pdfminer.layout import LTChar

    if isinstance(node, LTChar):
        yield node
        return
    for child in getattr(node, "_objs", ()) or ():
        yield from chars_of(child)


def rows_of(chars) -> list[list]:
    rows: list[list] = []
    for char in sorted(chars, key=lambda c: -(c.y0 + c.y1) / 2):
        middle, size = (char.y0 + char.y1) / 2, max(char.size, 1.0)
        if rows and abs(rows[-1][0] - middle) <= size * 0.45:
            rows[-1][1].append(char)
        else:
            rows.append([middle, [char]])
    for row in rows:
        row[1].sort(key=lambda c: c.x0)
    return rows


def text_of(chars) -> str:
    text, right = "", None
    for char in chars:
        if right is not None and char.x0 - right > max(char.size, 1.0) * 0.3 and not text.endswith(" "):
            text += " "
        text += char.get_text()
        right = char.x1
    return text


def runs_of(chars) -> list[list]:
    """A row's characters in runs separated by a wide gap (the space between two columns)."""
    runs: list[list] = []
    for char in chars:
        if runs and char.x0 - runs[-1][-1].x1 <= max(char.size, 1.0) * 2.5:
            runs[-1].append(char)
        else:
            runs.append([char])
    return runs


def column_split(page) -> tuple[float, str, float] | None:
    """(x where the right column starts, which column is 旧: "left"/"right", the header row's height) from a
    新 … 旧 header row; the right column starts a little before its header's first character."""
    for middle, chars in rows_of(chars_of(page)):
        runs = runs_of(chars)
        words = [unicodedata.normalize("NFKC", text_of(run)).strip() for run in runs]
        for i in range(len(runs) - 1):
            start = runs[i + 1][0]
            x = start.x0 - max(start.size, 1.0) * 0.8
            if _NEW.match(words[i]) and _OLD.match(words[i + 1]):
                return x, "right", middle
            if _OLD.match(words[i]) and _NEW.match(words[i + 1]):
                return x, "left", middle
    return None


def page_lines(page, split: tuple[float, str, float] | None, header_here: bool = False) -> list[tuple[str, str]]:
    """(text, column) of each line: column "old" for the 旧 column of a 新旧 page, "" otherwise.  What stands
    above the header row (title, 資料番号) is read across the page; below it the 新 column comes first."""
    chars = list(chars_of(page))
    if split is None:
        return [(text_of(row), "") for _middle, row in rows_of(chars)]
    x, old_side, header = split
    above, left, right = [], [], []
    for c in chars:  # one pass: a membership test per character made 20,000 characters above the header take minutes
        if header_here and (c.y0 + c.y1) / 2 > header + max(c.size, 1.0) * 0.45:
            above.append(c)
        else:
            (left if (c.x0 + c.x1) / 2 < x else right).append(c)
    new, old = (left, right) if old_side == "right" else (right, left)
    return ([(text_of(row), "") for _m, row in rows_of(above)] + [(text_of(row), "") for _m, row in rows_of(new)]
            + [(text_of(row), "old") for _m, row in rows_of(old)])
