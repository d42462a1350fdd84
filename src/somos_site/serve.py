"""`serve`: build, serve the output on 127.0.0.1 with livereload, and on every change
rebuild what the change affects and reload the browser.

When a rebuild fails, the last good build stays served and every page shows an overlay
with the same diagnostics as the terminal; fixing the file clears it."""

from __future__ import annotations

import json
import mimetypes
import sys
import threading
from pathlib import Path
from urllib.parse import unquote

from somos_site import write
from somos_site.diagnostics import format_diagnostic
from somos_site.pipeline import BuildResult, BuildState, Options, run

OVERLAY_PATH = "/__somos/overlay.js"
STATUS_PATH = "/__somos/status.json"
OVERLAY_SCRIPT = b"""(function () {
  var shown = null, last = null;
  function render(status) {
    if (status.errors && !shown) {
      shown = document.createElement("div");
      shown.id = "somos-overlay";
      shown.setAttribute("role", "alert");
      shown.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.95);" +
        "color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;white-space:pre-wrap";
      document.body.appendChild(shown);
    }
    if (shown) {
      if (status.errors) {
        shown.textContent = "The last change could not be built; this is the previous version.\\n\\n" + status.text;
      } else {
        shown.remove(); shown = null;
      }
    }
    if (last !== null && last !== status.version && !status.errors) location.reload();
    last = status.version;
  }
  function poll() {
    fetch("/__somos/status.json", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(render).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
"""


class DevServer:
    """The build state, the last result, and the WSGI app serving the output folder."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.state = BuildState()
        self.lock = threading.Lock()
        self.status = {"version": 0, "errors": False, "text": ""}
        self.published = False
        self.search_lock = threading.Lock()  # one Pagefind run at a time, the latest last
        self.search_thread: threading.Thread | None = None

    def rebuild(self) -> BuildResult:
        from somos_site.cli import report

        with self.lock:
            previous = self.state.outputs  # replaced, never changed, by the build
            # The first build publishes atomically (with the output-folder safety checks);
            # later ones change only the files that differ.
            first = not self.published
            result = run(self.options, write_output=first, state=self.state)
            report(result)
            changed: list[str] = []
            if result.ok:
                if not first:
                    changed = write.sync(self.options.out_dir, previous, result.outputs)
                self.published = True
                text = ""
            else:
                text = "\n".join(format_diagnostic(d) for d in result.diagnostics if d.severity == "error")
            # The new version is on disk: the browser reloads now, before the search index.
            self.status = {"version": self.status["version"] + 1, "errors": not result.ok, "text": text}
            search = result.site is not None and result.site.config.search
            if result.ok and search and any(path.endswith(".html") for path in changed):
                self.search_thread = threading.Thread(target=self.refresh_search, daemon=True)
                self.search_thread.start()
            return result

    def refresh_search(self) -> None:
        """Pagefind over the published site, after the reload; its index replaces the old
        one whole. An error here leaves the old index, and says so."""
        with self.search_lock:
            try:
                write.refresh_search_index(self.options.out_dir)
            except (OSError, RuntimeError) as failure:
                print(f"search index not updated: {failure}", file=sys.stderr, flush=True)

    def rebuild_everything(self) -> None:
        """Templates or static files changed: nothing of the last build can be reused."""
        self.state = BuildState()
        self.published = False
        self.rebuild()

    def resolve(self, path_info: str) -> Path | None:
        """The file for a request path, or None; never anything outside the output."""
        root = self.options.out_dir.resolve()
        path = path_info
        for _ in range(3):  # encoded twice is still an attempt
            path = unquote(path)
        if "\x00" in path or any(part == ".." for part in path.replace("\\", "/").split("/")):
            return None
        target = (root / path.lstrip("/")).resolve()
        if target != root and root not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path == STATUS_PATH:
            return respond(start_response, "200 OK", "application/json", json.dumps(self.status).encode())
        if path == OVERLAY_PATH:
            return respond(start_response, "200 OK", "text/javascript", OVERLAY_SCRIPT)
        target = self.resolve(path)
        if target is None:
            not_found = self.resolve("/404.html")
            body = not_found.read_bytes() if not_found else b"Not found"
            return respond(start_response, "404 Not Found", "text/html; charset=utf-8", inject(body))
        if target.name == "index.html" and not path.endswith(("/", "index.html")):  # a folder without its slash
            return respond(start_response, "301 Moved Permanently", "text/plain", b"", [("Location", path + "/")])
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        body = target.read_bytes()
        if kind == "text/html":
            body, kind = inject(body), "text/html; charset=utf-8"
        return respond(start_response, "200 OK", kind, body)


def inject(body: bytes) -> bytes:
    return body.replace(b"</body>", f'<script src="{OVERLAY_PATH}"></script></body>'.encode(), 1)


def respond(start_response, status: str, kind: str, body: bytes, extra: list | None = None):
    headers = [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
    start_response(status, headers + (extra or []))
    return [body]


def serve(options: Options, host: str, port: int) -> int:
    from livereload import Server

    server_app = DevServer(options)
    server_app.rebuild()
    server = Server(app=server_app)
    server.watch(str(options.content_dir), server_app.rebuild, delay=0.2)
    for folder in (options.templates_dir, options.static_dir, options.template_overrides):
        if folder is not None and folder.is_dir():
            server.watch(str(folder), server_app.rebuild_everything, delay=0.2)
    print(f"serving {options.out_dir} on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
    server.serve(host=host, port=port, debug=False, restart_delay=0)
    return 0
