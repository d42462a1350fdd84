"""Helpers for the browser tests: the system Chromium, skipping rules, a local server."""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import REPO

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = REPO / "test-artifacts"
# How long a browser test waits for a condition, in milliseconds. Generous on purpose: on a
# loaded 2-core machine a page can take many seconds to build, load or reload, and a test
# that waits on a condition costs nothing extra when the machine is fast.
WAIT = int(os.environ.get("SOMOS_BROWSER_WAIT_MS", "180000"))


def require(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required under CI=true")
    pytest.skip(f"{what} is not installed")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def serve_folder(folder: Path, mount: str = "/"):
    """Serve `folder` at `mount` (e.g. '/somos/') on a free port of 127.0.0.1."""

    class Handler(QuietHandler):
        def translate_path(self, path: str) -> str:
            if not path.startswith(mount):
                return str(folder / "__outside_the_mount__")
            return super().translate_path("/" + path[len(mount) :])

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{mount}"
