"""The review site's own pages (the index, the KPI list, search) and the bar each document gets in the site.

The documents themselves (plan, 新旧対照表, results, KPI views) are the HTML the other renderers write; the
site only puts a navigation bar above them and marks what the search should index, so a page in the site
reads exactly like the file `show`, `diff`, `results` or `kpi --format html` writes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import __version__
from ..resources import data_dir

SITE_TEMPLATES = ("site-base.html.j2", "site-index.html.j2", "site-kpi.html.j2", "site-search.html.j2",
                  "site-nav.html.j2", "site.css", "site-search.js")
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
_BODY = re.compile(r"<body\b([^>]*)>", re.IGNORECASE)


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(data_dir("templates")), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def css() -> str:
    return (data_dir("templates") / "site.css").read_text(encoding="utf-8")


def search_script() -> str:
    return (data_dir("templates") / "site-search.js").read_text(encoding="utf-8")


def favicon() -> bytes:
    """A plain icon at the site's root, so a browser's own request for /favicon.ico finds a file."""
    import io

    from PIL import Image

    image = Image.new("RGB", (16, 16), (11, 79, 156))
    out = io.BytesIO()
    image.save(out, format="ICO")
    return out.getvalue()


def nav(root: str, downloads: list[dict] | None = None) -> str:
    """The bar: 一覧, ＫＰＩ, 検索, then the page's downloads ({"label", "href"})."""
    return _environment().get_template("site-nav.html.j2").render(root=root, downloads=downloads or [])


def decorate(document: str, root: str, downloads: list[dict] | None = None) -> str:
    """A document page as the site shows it: the bar after <body>, its style, the body marked for search.

    The bar's style goes in a <style> element in the head, which the documents' own Content-Security-Policy
    allows (it forbids style sheets from files).
    """
    match = _BODY.search(document)
    if match is None:
        return document
    attributes = match.group(1)
    body = f"<body{attributes} data-pagefind-body>" if "data-pagefind-body" not in attributes else match.group(0)
    head = document[:match.start()]
    extra = f"<style>\n{css()}</style>\n"
    if 'name="viewport"' not in head:  # a tablet shows the page at its own width
        extra = f"{VIEWPORT}\n{extra}"
    head = head.replace("</head>", f"{extra}</head>", 1) if "</head>" in head else head + extra
    return f"{head}{body}\n{nav(root, downloads)}{document[match.end():]}"


def page(template: str, **context) -> str:
    """One of the site's own pages (site-index, site-kpi, site-search), with the common head and footer."""
    return _environment().get_template(template).render(css=css(), version=__version__, downloads=[], **context)
