"""Headless Chromium, watched: which URLs it asked for and what it logged to the console."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Requests Chromium makes on its own (clock sync, component updates), whatever page it shows.
BROWSER_INFRA = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")


@dataclass
class PageVisit:
    requests: list[str]
    console: list[str]
    screenshot: Path
    returncode: int

    @property
    def page_requests(self) -> list[str]:
        return [url for url in self.requests if not any(host in url.split("/")[2 if "//" in url else 0]
                                                         for host in BROWSER_INFRA)]


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str]

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.seen.append(self.path)
        self.send_response(404)
        self.end_headers()

    do_POST = do_HEAD = do_CONNECT = do_GET

    def log_message(self, *args):
        pass


def visit(page: Path, workdir: Path, width: int = 1240, height: int = 1754) -> PageVisit:
    """Open a local file; every request the page makes goes to a recording proxy on 127.0.0.1."""
    seen: list[str] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shot = workdir / "screenshot.png"
    try:
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={workdir / 'profile'}", f"--proxy-server=http://127.0.0.1:{server.server_port}",
             "--proxy-bypass-list=<-loopback>", "--enable-logging=stderr", "--v=0",
             f"--screenshot={shot}", f"--window-size={width},{height}", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return PageVisit(seen, console, shot, result.returncode)
