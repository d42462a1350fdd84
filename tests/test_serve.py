"""The dev server's app: the last good build stays served, errors become an overlay
status, and no request reaches outside the output folder."""

from __future__ import annotations

import io
import json

from helpers import REPO

from somos_site.pipeline import Options
from somos_site.serve import DevServer


def get(app: DevServer, path: str) -> tuple[str, dict, bytes]:
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path, "wsgi.input": io.BytesIO()}, start_response))
    return seen["status"], seen["headers"], body


def make(minimal_site, tmp_path) -> DevServer:
    app = DevServer(Options.for_project(REPO, content_dir=minimal_site, out_dir=tmp_path / "out", cache_dir=None))
    assert app.rebuild().ok
    return app


def test_pages_are_served_with_the_overlay_script(minimal_site, tmp_path):
    app = make(minimal_site, tmp_path)
    status, headers, body = get(app, "/events/the-raid/")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/html")
    assert b'<script src="/__somos/overlay.js"></script></body>' in body
    assert get(app, "/events/the-raid")[0].startswith("301")
    assert get(app, "/static/style.css")[1]["Content-Type"] == "text/css"


def test_a_broken_change_keeps_the_last_good_build_and_reports_it(minimal_site, tmp_path):
    app = make(minimal_site, tmp_path)
    page = minimal_site / "events" / "the-raid.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(
        good.replace("title: The raid", "title: The night raid").replace("[[figures/toll]]", "[[figures/tol]]")
    )
    assert not app.rebuild().ok
    status = json.loads(get(app, "/__somos/status.json")[2])
    assert (
        status["errors"] and "error[ref-missing]" in status["text"] and "did you mean 'figures/toll'" in status["text"]
    )
    assert b">The raid</h1>" in get(app, "/events/the-raid/")[2]

    page.write_text(good.replace("title: The raid", "title: The night raid"), encoding="utf-8")
    assert app.rebuild().ok
    assert json.loads(get(app, "/__somos/status.json")[2])["errors"] is False
    assert b">The night raid</h1>" in get(app, "/events/the-raid/")[2]
    assert (tmp_path / "out" / "events" / "the-raid" / "index.html").read_bytes() == app.state.outputs[
        "events/the-raid/index.html"
    ]


def test_path_traversal_gets_404(minimal_site, tmp_path):
    app = make(minimal_site, tmp_path)
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/%252e%252e/secret.txt", "/static/../../secret.txt",
                 "/..%2fsecret.txt", "/..\\\\secret.txt", "/%2e%2e%5csecret.txt"]:  # fmt: skip
        status, _, body = get(app, path)
        assert status == "404 Not Found", path
        assert b"secret" not in body


def test_the_search_index_is_refreshed_after_the_reload_not_before(minimal_site, tmp_path, monkeypatch):
    from somos_site import write

    app = make(minimal_site, tmp_path)
    assert (tmp_path / "out" / "pagefind").is_dir()
    seen = []
    original = write.refresh_search_index

    def spy(out):
        # The browser's reload signal is the status version: already bumped, and the
        # edited page already on disk, when the index is made again.
        page = (tmp_path / "out" / "events" / "the-raid" / "index.html").read_bytes()
        seen.append((app.status["version"], b"A sentence for the index." in page))
        original(out)

    monkeypatch.setattr(write, "refresh_search_index", spy)
    version = app.status["version"]
    page = minimal_site / "events" / "the-raid.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence for the index.\n", encoding="utf-8")
    assert app.rebuild().ok
    app.search_thread.join(timeout=120)
    assert seen == [(version + 1, True)]
    assert (tmp_path / "out" / "pagefind" / "pagefind-entry.json").is_file()
    assert not (tmp_path / "out" / ".pagefind-next").exists()


def test_warnings_reach_the_overlay_with_its_strings_in_every_language(minimal_site, tmp_path):
    app = make(minimal_site, tmp_path)
    assert "translation-stale" not in json.loads(get(app, "/__somos/status.json")[2])["warnings"]
    original = minimal_site / "pages" / "index.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert app.rebuild().ok
    status = json.loads(get(app, "/__somos/status.json")[2])
    assert not status["errors"]
    assert "pages/index.es.md:4:18: warning[translation-stale]" in status["warnings"]
    assert status["strings"]["es"]["Dismiss"] == "Cerrar"
    assert status["strings"]["en"]["Dismiss"] == "Dismiss"
    assert b"somos-warnings" in get(app, "/__somos/overlay.js")[2]
