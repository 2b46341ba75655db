"""The site and the live preview in a real headless Chromium: no JavaScript error on any page, every link
resolves, the search finds Japanese words, and the preview reloads after an edit."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from browser import CHROMIUM
from kenpo_plans.commands.site import build_site
from test_site import broken_links

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium); "
                                                          "CI installs it through dev.sh test")]


@pytest.fixture(scope="module")
def full_site(tmp_path_factory):
    """The real plans as the whole site: pages, PDF/Word/Excel, search index."""
    folder = tmp_path_factory.mktemp("site") / "public"
    build_site(folder, PLANS)
    return folder


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(full_site):
    """Any static web server: Python's own."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(full_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from cdp import Browser

    opened = Browser(tmp_path_factory.mktemp("profile"))
    yield opened
    opened.close()


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if "pagefind" not in p.relative_to(site).parts)


def test_every_page_loads_without_a_javascript_error(full_site, served, browser):
    failures = {}
    for page in pages_of(full_site):
        browser.events.clear()
        browser.open(f"{served}/{page}")
        if browser.errors:
            failures[page] = browser.errors
    assert len(pages_of(full_site)) > 30
    assert failures == {}


def test_pages_open_from_files_too(full_site, browser):
    for page in ("index.html", "plans/kagoshima/2019.html", "kpi/index.html", "search.html"):
        browser.events.clear()
        browser.open((full_site / page).as_uri())
        assert browser.errors == [], page
    assert browser.evaluate("document.getElementById('search-file-note').hidden") is False


@pytest.mark.parametrize("word", ["ジェネリック", "特定保健指導"])
def test_search_works_from_files_too(full_site, browser, word):
    """A site shared on a file server, opened by double-click: the search page finds the word without a server."""
    browser.events.clear()
    browser.open((full_site / "search.html").as_uri() + f"?q={quote(word)}")
    links = _poll(browser, "[...document.querySelectorAll('.offline-result-link')].map(a => a.getAttribute('href'))",
                  15)
    assert links and any(link.startswith("plans/") for link in links), links
    assert any(link.startswith("results/") for link in links), links
    marked = browser.evaluate("[...document.querySelectorAll('#offline-results mark')].map(m => m.textContent)")
    assert marked and all(m == word for m in marked), marked
    for link in links:
        assert (full_site / link).is_file(), link
    browser.evaluate("(() => { const i = document.querySelector('#search input'); i.value = 'ないはずの語句ＸＹＺ';"
                     " i.dispatchEvent(new Event('input')); })()")
    assert "見つかりません" in browser.evaluate("document.getElementById('offline-count').textContent")
    assert browser.errors == []


def test_every_link_of_the_full_site_resolves(full_site):
    assert broken_links(full_site) == []
    assert (full_site / "plans/kagoshima/kagoshima_2019_plan.pdf").read_bytes().startswith(b"%PDF")
    assert (full_site / "results/kumamoto/kumamoto_2024_year_results.xlsx").is_file()


def _results(browser, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = browser.evaluate("[...document.querySelectorAll('.pagefind-ui__result-link')]"
                                 ".map(a => a.getAttribute('href'))")
        if found:
            return found
        time.sleep(0.3)
    return []


@pytest.mark.parametrize("word", ["ジェネリック", "特定保健指導"])
def test_search_finds_a_japanese_word(served, browser, word):
    browser.events.clear()
    browser.open(f"{served}/search.html?q={quote(word)}")
    shown = _results(browser)  # the search page's own results, as a reader sees them
    assert shown and all(link.endswith(".html") for link in shown), shown
    # every match, through Pagefind's API (the page shows the first few and loads them one by one)
    found = browser.evaluate(f"import('./pagefind/pagefind.js').then(pf => pf.search({word!r}))"
                             ".then(r => Promise.all(r.results.map(x => x.data())))"
                             ".then(all => all.map(d => d.url))", wait=True)
    assert any("plans/" in link for link in found), found
    assert any("kpi/" in link for link in found), found  # a KPI found by its Japanese name
    assert any("results/" in link for link in found), found
    assert browser.errors == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def _poll(browser, expression: str, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = browser.evaluate(expression)
        if value:
            return value
        time.sleep(0.2)
    return None


def test_preview_answers_on_loopback_and_reloads_after_an_edit(tmp_path, browser):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS / "kagoshima", plans / "kagoshima")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "kenpo_plans", "serve", "--plans-dir", str(plans),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/plans/kagoshima/2019.html"
        _wait_until_up(url, process)
        browser.events.clear()
        browser.open(url)
        assert _poll(browser, "document.documentElement.hasAttribute('data-kenpo-live')", 10)
        browser.evaluate("window.beforeEdit = true")
        plan = plans / "kagoshima" / "2019.yaml"
        plan.write_text(plan.read_text(encoding="utf-8").replace("ジェネリック", "ジェネリック（プレビュー確認）", 1),
                        encoding="utf-8")
        edited = time.monotonic()
        assert _poll(browser, "!window.beforeEdit && document.body.innerText.includes('プレビュー確認')", 10)
        assert time.monotonic() - edited < 10
        plan.write_text(plan.read_text(encoding="utf-8") + "title: [broken\n", encoding="utf-8")
        shown = _poll(browser, "document.getElementById('kenpo-live-error')?.textContent", 10)
        assert shown and "2019.yaml:" in shown and "YAML" in shown
        assert "プレビュー確認" in browser.evaluate("document.body.innerText")  # the last good page stays
        assert browser.errors == []
    finally:
        browser.open("about:blank")
        process.terminate()
        process.wait(timeout=30)
