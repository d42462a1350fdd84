"""`serve`: build, serve the output on 127.0.0.1 with livereload, and on every change
rebuild what the change affects and reload the browser.

When a rebuild fails, the last good build stays served and every page shows an overlay
with the same diagnostics as the terminal; fixing the file clears it."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import mimetypes
import re
import sys
import threading
from pathlib import Path
from urllib.parse import unquote

from somos_site import lock, write
from somos_site.diagnostics import format_capped
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

    def __init__(self, options: Options, host: str = "127.0.0.1") -> None:
        self.options = options
        self.host = host
        self.state = BuildState()
        self.lock = threading.Lock()
        self.status = {"version": 0, "errors": False, "text": ""}
        self.published = False
        self.holding = contextlib.ExitStack()

    def claim_output(self) -> None:
        """Hold the output folder's lock while serving (this server rewrites files in it);
        the process exiting lets it go."""
        self.holding.enter_context(
            lock.hold(self.options.out_dir, "serve", waiting=lambda m: print(m, file=sys.stderr, flush=True))
        )

    def host_allowed(self, header: str | None) -> bool:
        """Answer only requests that name this machine's loopback or the --host given: a
        page on another domain that rebinds its name to 127.0.0.1 (DNS rebinding) sends its
        own name as Host and is turned away."""
        if not header:
            return True  # HTTP/1.0 clients; browsers always send Host
        name = re.sub(r":\d+$", "", header.strip()).strip("[]").lower().rstrip(".")
        if name in ("localhost", self.host.strip("[]").lower()) or name.endswith(".localhost"):
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False
        # An IP address cannot be rebound; any is fine when listening on all of them.
        return address.is_loopback or self.host in ("0.0.0.0", "::", "")

    def rebuild(self) -> BuildResult:
        from somos_site.cli import report

        with self.lock:
            previous = dict(self.state.outputs)
            # The first build publishes atomically (with the output-folder safety checks);
            # later ones change only the files that differ.
            result = run(self.options, write_output=not self.published, state=self.state)
            report(result)
            if result.ok:
                if self.published:
                    write.sync(self.options.out_dir, previous, result.outputs)
                self.published = True
                text = ""
            else:
                text = "\n".join(format_capped([d for d in result.diagnostics if d.severity == "error"]))
            self.status = {"version": self.status["version"] + 1, "errors": not result.ok, "text": text}
            return result

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
        try:
            target = (root / path.lstrip("/")).resolve()
            if target != root and root not in target.parents:
                return None
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None
        except (OSError, ValueError):  # a name too long for the file system, say: no such page
            return None

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "HEAD":  # the headers a GET would send, no body
            return [b"" for _ in self.answer(environ, start_response)]
        return self.answer(environ, start_response)

    def answer(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if not self.host_allowed(environ.get("HTTP_HOST")):
            return respond(start_response, "421 Misdirected Request", "text/plain", b"Unexpected Host header")
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
            # Always a path on this server: `//events` must not become `//events/`, a URL
            # of the host "events".
            location = "/" + re.sub(r"^[/\\]+", "", path) + "/"
            return respond(start_response, "301 Moved Permanently", "text/plain", b"", [("Location", location)])
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

    server_app = DevServer(options, host)
    server_app.claim_output()
    server_app.rebuild()
    server = Server(app=server_app)
    server.watch(str(options.content_dir), server_app.rebuild, delay=0.2)
    for folder in (options.templates_dir, options.static_dir, options.template_overrides):
        if folder is not None and folder.is_dir():
            server.watch(str(folder), server_app.rebuild_everything, delay=0.2)
    print(f"serving {options.out_dir} on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
    server.serve(host=host, port=port, debug=False, restart_delay=0)
    return 0
