"""The search a site opened as files uses: every indexed page's text in one script, read without fetch().

Offices share the site on a file server as often as on a web server.  Pagefind loads its index with fetch(),
which a browser refuses to pages opened from files, so the site also carries the text of the pages Pagefind
indexes (those marked data-pagefind-body, without what is marked data-pagefind-ignore) as a plain script that
a <script> element may load from a file: the search page falls back to it there and finds words by substring,
which needs no word splitting for Japanese.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html

SCRIPT = "search-data.js"
BLOCKS = ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "dt", "dd", "caption", "figcaption")
_SPACE = re.compile(r"\s+")


def page_text(html: str) -> tuple[str, list[str]] | None:
    """(title, text of each block) of a page marked for search; None for a page that is not."""
    root = lxml.html.fromstring(html)
    body = root.find(".//body")
    if body is None or body.get("data-pagefind-body") is None:
        return None
    for ignored in body.xpath(".//*[@data-pagefind-ignore]"):
        ignored.getparent().remove(ignored)
    for hidden in body.xpath(".//script|.//style|.//template"):
        hidden.getparent().remove(hidden)
    blocks = []
    for element in body.iter(*BLOCKS):
        if any(inner.tag in BLOCKS for inner in element.iterdescendants()):
            continue  # its innermost blocks carry the text, once
        text = _SPACE.sub(" ", element.text_content()).strip()
        if text:
            blocks.append(text)
    title = _SPACE.sub(" ", root.findtext(".//title") or "").strip()
    return title, blocks


def offline_index(folder: Path, skip: tuple[str, ...]) -> str:
    """The script: ``window.KENPO_SEARCH = [{u: page, t: title, b: [blocks]}, …]``, pages in path order."""
    pages = []
    for path in sorted(folder.rglob("*.html")):
        relative = path.relative_to(folder)
        if relative.parts[0] in skip or relative.parts[0].startswith("."):
            continue
        found = page_text(path.read_text(encoding="utf-8"))
        if found:
            pages.append({"u": relative.as_posix(), "t": found[0], "b": found[1]})
    data = json.dumps(pages, ensure_ascii=False, separators=(",", ":"))
    return "window.KENPO_SEARCH = " + data.replace("</", "<\\/") + ";\n"
