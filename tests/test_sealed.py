"""Plan text is data, never markup: hostile text renders literally and reaches nothing outside the document."""

from __future__ import annotations

import http.server
import io
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from browser import CHROMIUM, visit

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server():
    """A local HTTP server that records every request it receives."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { background: red }")

        do_POST = do_HEAD = do_GET

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", seen
    httpd.shutdown()
    httpd.server_close()


def hostile_texts(base: str) -> list[str]:
    return [
        "<script>alert('x')</script>",
        f'<img src="{base}/img.png">',
        f'<link rel="stylesheet" href="{base}/link.css">',
        f"<style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}</style>",
        f"url({base}/css-url.png)",
        "{{ 7*7 }} {% for x in range(3) %}loop{% endfor %}",
        "file:///etc/passwd",
        '<iframe src="file:///etc/passwd"></iframe>',
        f'<object data="{base}/object.svg"></object>',
    ]


def hostile_plan(plans: Path, base: str) -> list[str]:
    """Put hostile text into every kind of text field of the 2019 plan."""
    yaml = YAML(typ="rt")
    path = plans / "kagoshima" / "2019.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    texts = hostile_texts(base)
    data["branch"]["name"] = f"鹿児島支部{texts[0]}"
    data["document"]["number"] = texts[1]
    section = data["sections"][0]
    section["title"] = section["title"] + texts[2]
    measure = section["measures"][1]
    measure["title"] = measure["title"] + texts[3]
    measure["label"] = texts[4]
    measure["blocks"][0]["heading"] = texts[5]
    for i, text in enumerate(texts):
        measure["blocks"][0]["items"].append({"text": text, "marker": texts[(i + 1) % len(texts)]})
    measure["kpis"][0]["text"] = texts[6] + "を95.4％以上とする。"
    measure["kpis"][0]["notes"] = [texts[7], texts[8]]
    out = io.StringIO()
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return texts


@pytest.fixture
def hostile(tmp_path, server):
    base, seen = server
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    texts = hostile_plan(plans, base)
    return plans, texts, seen


def test_hostile_plan_is_still_a_valid_plan(hostile, run):
    plans, _, _ = hostile
    assert run("validate", plans / "kagoshima").code == 0


def test_html_renders_hostile_text_literally(hostile, run, tmp_path):
    plans, texts, seen = hostile
    out = tmp_path / "k.html"
    assert run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans, "-f", "html", "-o", out).code == 0
    html = re.sub(r"</?span[^>]*>", "", out.read_text(encoding="utf-8"))  # figures are spans of their own
    assert "<script>alert" not in html and "<img src" not in html and "<iframe" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "loop" not in html.replace("{% for x in range(3) %}loop{% endfor %}", "")
    assert "root:x:0:0" not in html
    assert seen == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdf_render_makes_no_request_and_embeds_no_local_file(hostile, run, tmp_path):
    plans, texts, seen = hostile
    out = tmp_path / "k.pdf"
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans, "-o", out)
    assert result.code == 0, result
    assert seen == [], f"the renderer fetched {seen}"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "<script>alert('x')</script>" in flat
    assert "{{7*7}}" in flat and "49" not in flat.split("{{7*7}}")[0][-3:]
    assert "file:///etc/passwd" in flat
    assert "root:x:0:0" not in text
    assert b"root:x:0:0" not in out.read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_browser_makes_no_request_for_hostile_html(hostile, run, tmp_path):
    plans, _, seen = hostile
    out = tmp_path / "k.html"
    assert run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans, "-f", "html", "-o", out).code == 0
    visit_result = visit(out, tmp_path)
    assert visit_result.page_requests == [] and visit_result.console == []
    assert seen == []


@pytest.mark.slow
def test_even_a_template_cannot_reach_out(server, tmp_path, run):
    """The second wall: WeasyPrint's URL fetcher refuses the network and files outside the template dir."""
    base, seen = server
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (tmp_path / "secret.txt").write_text("root:x:0:0 secret", encoding="utf-8")
    page = templates / "shinkyu.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "<body", f'<link rel="stylesheet" href="{base}/t.css"><link rel="stylesheet" href="file://{tmp_path}/secret.txt">'
                 f'<body', 1).replace("</h1>", f'</h1><img src="{base}/t.png"><img src="file:///etc/passwd">', 1),
        encoding="utf-8")
    out = tmp_path / "k.pdf"
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", ROOT / "plans", "--template-dir", templates,
                 "-o", out)
    assert result.code == 0, result
    assert seen == []
    assert b"secret" not in out.read_bytes()


def test_fetcher_serves_only_the_template_directory(tmp_path):
    from kenpo_plans.render.pdf import sealed_fetcher

    (tmp_path / "logo.css").write_text("h1 { color: black }", encoding="utf-8")
    fetcher = sealed_fetcher(tmp_path)
    response = fetcher.fetch((tmp_path / "logo.css").as_uri())
    assert response.read() == b"h1 { color: black }"
    response.close()
    for url in ("http://127.0.0.1:9/x.css", "https://example.com/a.png", "file:///etc/passwd",
                (tmp_path / ".." / "outside.css").resolve().as_uri(), "data:text/css,body{}"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5
