"""`serve`: build, serve the output on 127.0.0.1 with livereload, and on every change
rebuild what the change affects and reload the browser.

When a rebuild fails, the last good build stays served and every page shows an overlay
with the same diagnostics as the terminal; fixing the file clears it."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import json
import mimetypes
import re
import socket
import sys
import threading
from pathlib import Path
from urllib.parse import unquote

from somos_site import lock, write
from somos_site.diagnostics import format_capped, print_report
from somos_site.i18n import load_translations
from somos_site.pipeline import BuildResult, BuildState, Options, run, template_dirs
from somos_site.watch import EventWatcher

OVERLAY_PATH = "/__somos/overlay.js"
STATUS_PATH = "/__somos/status.json"
# The overlay speaks the page's language: the status carries the interface strings of
# every language of the site, translated with the theme's catalogues.
OVERLAY_SCRIPT = b"""(function () {
  var shown = null, bar = null, last = null;
  var lang = (document.documentElement.lang || "en").split("-")[0];
  function t(status, text) { var own = (status.strings || {})[lang] || {}; return own[text] || text; }
  function showWarnings(status) {
    var dismissed = sessionStorage.getItem("somos-dismissed");
    if (bar && (!status.warnings || bar.dataset.text !== status.warnings)) { bar.remove(); bar = null; }
    if (!status.warnings || status.errors || bar || dismissed === status.warnings) return;
    bar = document.createElement("div");
    bar.id = "somos-warnings";
    bar.setAttribute("role", "status");
    bar.dataset.text = status.warnings;
    bar.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:99998;max-height:40vh;overflow:auto;" +
      "background:#fff4c2;color:#222;border-top:3px solid #b58900;font:13px/1.5 ui-monospace,monospace;" +
      "padding:.75rem 1rem";
    var title = document.createElement("strong");
    title.textContent = t(status, "Warnings from the last build (the site was built):");
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = t(status, "Dismiss");
    close.style.cssText = "float:right;font:inherit;cursor:pointer";
    close.addEventListener("click", function () {
      sessionStorage.setItem("somos-dismissed", status.warnings); bar.remove(); bar = null;
    });
    var text = document.createElement("pre");
    text.style.cssText = "margin:.5rem 0 0;white-space:pre-wrap";
    text.textContent = status.warnings;
    bar.append(close, title, text);
    document.body.appendChild(bar);
  }
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
        shown.textContent = t(status, "The last change could not be built; this is the previous version.") +
          "\\n\\n" + status.text;
      } else {
        shown.remove(); shown = null;
      }
    }
    // A new good build reloads the page first: drawing its warnings on the page about to
    // go away would show a bar that vanishes a moment later.
    if (last !== null && last !== status.version && !status.errors) { location.reload(); return; }
    last = status.version;
    showWarnings(status);
  }
  function poll() {
    fetch("/__somos/status.json", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(render).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
"""
OVERLAY_STRINGS = (
    "The last change could not be built; this is the previous version.",
    "Warnings from the last build (the site was built):",
    "Dismiss",
)


class DevServer:
    """The build state, the last result, and the WSGI app serving the output folder."""

    def __init__(self, options: Options, host: str = "127.0.0.1") -> None:
        self.options = options
        self.host = host
        self.state = BuildState()
        self.state_complete = False  # `state` is what the last build left, to its end
        self.lock = threading.Lock()
        self.status = {"version": 0, "errors": False, "text": "", "warnings": "", "strings": {}}
        self.published = False
        self.search_lock = threading.Lock()  # one Pagefind run at a time, the latest last
        self.search_thread: threading.Thread | None = None
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

    def rebuild(self, changed: list[str] | None = None) -> BuildResult:
        """Build again. `changed`: the content paths the file watcher saw change since the
        last build (then only those are looked at); None when it is not known."""
        with self.lock:
            previous = self.state.outputs  # replaced, never changed, by the build
            # The first build publishes atomically (with the output-folder safety checks);
            # later ones change only the files that differ.
            first = not self.published
            # A change set is relative to the last load: trusted only when that build ran
            # to its end (an internal error may leave the state half updated).
            known = changed is not None and self.state_complete
            self.state_complete = False
            result = run(self.options, write_output=first, state=self.state, changed=changed if known else None)
            self.state_complete = True
            print_report(result.diagnostics)
            written: list[str] = []
            if result.ok:
                if not first:
                    written = write.sync(self.options.out_dir, previous, result.outputs)
                self.published = True
                text = ""
            else:
                text = "\n".join(format_capped([d for d in result.diagnostics if d.severity == "error"]))
            warnings = "\n".join(format_capped([d for d in result.diagnostics if d.severity == "warning"]))
            # The new version is on disk: the browser reloads now, before the search index.
            self.status = {
                "version": self.status["version"] + 1,
                "errors": not result.ok,
                "text": text,
                "warnings": warnings,
                "strings": self.overlay_strings(result),
            }
            search = result.site is not None and result.site.config.search
            if result.ok and search and any(path.endswith(".html") for path in written):
                self.search_thread = threading.Thread(target=self.refresh_search, daemon=True)
                self.search_thread.start()
            return result

    def refresh_search(self) -> None:
        """Pagefind over the published site, after the reload; its index replaces the old
        one whole. An error here leaves the old index, and says so."""
        with self.search_lock:
            try:
                write.refresh_search_index(self.options.out_dir)
            except (OSError, RuntimeError, write.PublishError) as failure:
                print(f"search index not updated: {failure}", file=sys.stderr, flush=True)

    def overlay_strings(self, result: BuildResult) -> dict[str, dict[str, str]]:
        languages = result.site.config.languages if result.site else self.status["strings"]
        strings = {}
        for lang in languages:
            translate = load_translations(template_dirs(self.options), lang).gettext
            strings[lang] = {text: translate(text) for text in OVERLAY_STRINGS}
        return strings

    def rebuild_everything(self) -> None:
        """Templates or static files changed: nothing of the last build can be reused."""
        with self.lock:
            self.state = BuildState()
            self.state_complete = False
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


DEFAULT_PORT = 8000
PORTS_TRIED = 20


class PortBusyError(Exception):
    """The server cannot listen where asked: a port taken by another program, or an
    address that is not one of this machine's."""


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            # Not a busy port but an address this machine cannot listen on.
            raise PortBusyError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return True


def choose_port(host: str, asked: int | None) -> int:
    """The port asked for, or else the first free one from 8000: a second site's server
    (or anything else on 8000) should not stop this one."""
    if asked is not None:
        if not port_is_free(host, asked):
            raise PortBusyError(
                f"port {asked} is already in use on {host}; stop the program using it or choose another --port"
            )
        return asked
    for port in range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED):
        if port_is_free(host, port):
            if port != DEFAULT_PORT:
                print(f"port {DEFAULT_PORT} is busy; using port {port} instead", file=sys.stderr, flush=True)
            return port
    raise PortBusyError(f"ports {DEFAULT_PORT}-{DEFAULT_PORT + PORTS_TRIED - 1} are all in use; choose one with --port")


def serve(options: Options, host: str, port: int | None) -> int:
    from livereload import Server

    try:
        port = choose_port(host, port)
    except PortBusyError as exc:
        print(f"somos-site: error: {exc}", file=sys.stderr)
        return 2
    server_app = DevServer(options, host)
    server_app.claim_output()
    # Told which files changed (watch.py), the rebuild reads only those. Watching starts
    # before the first build, so that nothing saved from then on is missed.
    server = Server(app=server_app, watcher=EventWatcher())
    server.watch(str(options.content_dir.resolve()), server_app.rebuild, delay=0.2)
    for folder in {options.templates_dir, options.template_overrides, *options.static_dirs()}:
        if folder is not None and folder.is_dir():
            server.watch(str(folder), server_app.rebuild_everything, delay=0.2)
    server_app.rebuild()
    print(f"serving {options.out_dir} on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
    server.serve(host=host, port=port, debug=False, restart_delay=0)
    return 0
