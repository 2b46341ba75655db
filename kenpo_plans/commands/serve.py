"""`kenpo-plans serve`: the site on 127.0.0.1, rebuilt as plans are saved, the open page reloaded.

watchfiles reports the saves, commands.site rebuilds only what they affect, and each HTML page the server
sends carries a small script that listens for the end of a rebuild (server-sent events) and reloads, or
shows the YAML error (FILE:LINE) above the page while the last good pages stay.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KenpoError, UsageError
from ..i18n import _
from ..plan.store import resolve_plans_dir
from .site import update_site

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
EVENTS = "/__kenpo-plans/events"
SCRIPT = "/__kenpo-plans/reload.js"
RELOAD_JS = """\
(function () {
  var seen = null;
  var source = new EventSource("%s");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    document.documentElement.setAttribute("data-kenpo-live", state.version);
    var box = document.getElementById("kenpo-live-error");
    if (state.error) {
      if (!box) {
        box = document.createElement("pre");
        box.id = "kenpo-live-error";
        box.className = "kenpo-live-error";
        box.setAttribute("role", "alert");
        document.body.insertBefore(box, document.body.firstChild);
      }
      box.textContent = state.error;
    } else if (box) {
      box.remove();
    }
    if (seen !== null && state.version !== seen && !state.error) { location.reload(); }
    seen = state.version;
  };
})();
""" % EVENTS


@dataclass
class PreviewState:
    """What the pages are told: the build's number, and the error of the last build if it failed."""

    version: int = 0
    error: str | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def message(self) -> str:
        return json.dumps({"version": self.version, "error": self.error}, ensure_ascii=False)

    def publish(self, error: str | None) -> None:
        self.version += 1
        self.error = error
        self.changed.set()
        self.changed = asyncio.Event()


def check_host(host: str) -> str | None:
    """A warning when the preview would listen beyond this computer."""
    if host in LOCAL_HOSTS:
        return None
    return _("warning: listening on {host}: anyone who can reach this computer on the network can read every "
             "plan in the preview. Leave out --host to keep it on 127.0.0.1.").format(host=host)


def rebuild(folder: Path, plans_dir, documents: bool = False) -> str | None:
    """Bring the preview's site up to date; the error text to show, or None."""
    try:
        result = update_site(folder, plans_dir, documents=documents)
    except KenpoError as exc:
        return str(exc)
    return "\n".join(result.errors) or None


def with_reload(html: bytes) -> bytes:
    """The page with the reload script; its Content-Security-Policy (the documents forbid scripts) lets
    this one script and its event stream in, from this server only."""
    text = html.decode("utf-8", "replace")
    text = text.replace("default-src 'none';", "default-src 'none'; script-src 'self'; connect-src 'self';", 1)
    tag = f'<script src="{SCRIPT}"></script>'
    at = text.lower().rfind("</body>")
    text = text[:at] + tag + text[at:] if at >= 0 else text + tag
    return text.encode("utf-8")


def make_app(folder: Path, plans_dir, state: PreviewState, watch: list[Path]):
    """The ASGI application: the site's files, the reload script, the event stream, and the watcher."""
    import contextlib

    from starlette.applications import Starlette
    from starlette.responses import FileResponse, PlainTextResponse, Response, StreamingResponse
    from starlette.routing import Route

    async def events(request):
        async def stream():
            while True:
                yield f"data: {state.message()}\n\n"
                waiting = state.changed
                try:
                    await asyncio.wait_for(waiting.wait(), timeout=15)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                if await request.is_disconnected():
                    return

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    async def script(request):
        return Response(RELOAD_JS, media_type="text/javascript")

    async def files(request):
        name = request.path_params["path"] or "index.html"
        root = folder.resolve()
        path = (root / name).resolve()
        if path.is_dir():
            path = path / "index.html"
        if root not in path.parents or not path.is_file():
            return PlainTextResponse("404", status_code=404)
        if path.suffix == ".html":
            return Response(with_reload(path.read_bytes()), media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-store"})
        return FileResponse(path, headers={"Cache-Control": "no-store"})

    @contextlib.asynccontextmanager
    async def lifespan(app):
        task = asyncio.create_task(_watch(folder, plans_dir, state, watch))
        try:
            yield
        finally:
            task.cancel()

    routes = [Route(EVENTS, events), Route(SCRIPT, script), Route("/{path:path}", files)]
    return Starlette(routes=routes, lifespan=lifespan)


async def _watch(folder: Path, plans_dir, state: PreviewState, watch: list[Path]) -> None:
    from watchfiles import awatch

    async for _changes in awatch(*watch, debounce=300, step=50):
        state.publish(await asyncio.to_thread(rebuild, folder, plans_dir))


def serve(plans_dir=None, output: Path | None = None, host: str = "127.0.0.1", port: int = 8000,
          echo=print) -> None:
    """Build, then serve and rebuild on every save until interrupted."""
    import uvicorn

    plans = resolve_plans_dir(plans_dir)
    if not plans.is_dir():
        raise UsageError(_("no plans folder {folder}; give --plans-dir.").format(folder=plans))
    warning = check_host(host)
    if warning:
        echo(warning)
    with tempfile.TemporaryDirectory(prefix="kenpo-plans-preview-") as scratch:
        folder = Path(output) if output else Path(scratch) / "site"
        state = PreviewState()
        echo(_("building the preview of {plans} in {folder} …").format(plans=plans, folder=folder))
        state.error = rebuild(folder, plans_dir)
        if state.error:
            echo(state.error)
        shown = f"[{host}]" if ":" in host else host
        echo(_("preview on http://{host}:{port}/ (Ctrl+C to stop); rebuilt on every save in {plans}").format(
            host=shown, port=port, plans=plans))
        app = make_app(folder, plans_dir, state, [plans])
        # an open page keeps its event stream open: Ctrl+C closes it after a moment instead of waiting on it
        uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=1)
