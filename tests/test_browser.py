"""The HTML 新旧対照表 in a real browser: loads from a local file, asks for nothing, logs no error."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import CHROMIUM, visit

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium); "
                                                          "CI installs it through dev.sh test")]


def test_the_watch_itself_sees_requests_and_console_errors(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<p>x</p><img src="http://example.com/x.png"><script>console.error("boom")</script>',
                    encoding="utf-8")
    seen = visit(page, tmp_path)
    assert any("example.com/x.png" in url for url in seen.page_requests)
    assert any('"boom"' in line for line in seen.console)


def test_html_report_opens_with_no_requests_and_no_console_errors(tmp_path, run):
    report = tmp_path / "k.html"
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", ROOT / "plans", "-f", "html", "-o", report)
    assert result.code == 0
    seen = visit(report, tmp_path)
    assert seen.returncode == 0
    assert seen.page_requests == []
    assert seen.console == []
    assert seen.screenshot.is_file() and seen.screenshot.stat().st_size > 20_000
