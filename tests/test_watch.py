"""`serve`'s file watcher hands the rebuild the paths that changed, and the rebuild given
those paths publishes what a full build publishes, without listing the content folder."""

from __future__ import annotations

import shutil
import time

import pytest
from helpers import REPO
from watchdog.events import (
    DirModifiedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from somos_site import load
from somos_site.pipeline import Options, run
from somos_site.serve import DevServer
from somos_site.watch import EventWatcher, changed_paths


def test_reads_are_not_changes_and_a_move_names_both_paths():
    assert changed_paths(FileOpenedEvent("/c/a.md")) == []
    assert changed_paths(FileClosedNoWriteEvent("/c/a.md")) == []
    assert changed_paths(DirModifiedEvent("/c/events")) == []  # its file has its own event
    assert changed_paths(FileModifiedEvent("/c/a.md")) == ["/c/a.md"]
    assert changed_paths(FileCreatedEvent("/c/b.md")) == ["/c/b.md"]
    assert changed_paths(FileDeletedEvent("/c/b.md")) == ["/c/b.md"]
    assert changed_paths(FileMovedEvent("/c/a.md", "/c/b.md")) == ["/c/a.md", "/c/b.md"]


def test_each_task_is_called_with_its_changed_paths_once(tmp_path):
    calls = []
    watcher = EventWatcher()
    watcher.watch(str(tmp_path), lambda paths: calls.append(paths), delay=0.2)
    watcher.record(str(tmp_path), [str(tmp_path / "a.md"), str(tmp_path / "b.md"), str(tmp_path / "a.md")])
    assert watcher.examine() == (str(tmp_path / "b.md"), 0.2)
    assert calls == [[str(tmp_path / "a.md"), str(tmp_path / "b.md")]]
    assert watcher.examine() == (None, None) and len(calls) == 1  # taken: not reported twice


def test_a_change_saved_before_the_server_starts_is_examined_when_it_does(tmp_path, monkeypatch):
    """Watching starts at `watch`, before the first build and before the server listens; a
    change saved in between wakes livereload's examine as soon as the server starts, and is
    not held back by livereload's own first "change"."""
    calls, woken = [], []
    watcher = EventWatcher()
    watcher.watch(str(tmp_path), lambda paths: calls.append(paths), delay=0.2)
    try:
        assert watcher.observer.is_alive()
        watcher.record(str(tmp_path), [str(tmp_path / "a.md")])  # saved before the server started

        class Loop:
            def add_callback(self, callback):
                woken.append(callback)

        monkeypatch.setattr("tornado.ioloop.IOLoop.current", staticmethod(lambda: Loop()))
        watcher._changes.append(("__livereload__", 0))  # what livereload's serve() adds
        examine = object()
        assert watcher.start(examine) is True
        assert woken == [examine], "a change waiting at the start is examined at once"
        assert watcher.examine() == ("__livereload__", 0)
        assert len(woken) == 2, "livereload's own change must not hold back the waiting path"
        assert watcher.examine() == (str(tmp_path / "a.md"), 0.2)
        assert calls == [[str(tmp_path / "a.md")]]
    finally:
        watcher.stop()


def test_the_operating_system_reports_a_saved_file(tmp_path):
    watcher = EventWatcher()
    watcher.watch(str(tmp_path), lambda paths: None)  # starts the observer
    try:
        target = tmp_path / "a.md"
        target.write_text("---\ntitle: A\n---\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        seen: list[str] = []
        while str(target) not in seen and time.monotonic() < deadline:  # waits on the event itself
            seen += watcher.take().get(str(tmp_path), [])
            time.sleep(0.01)
        assert str(target) in seen
    finally:
        watcher.stop()


def published(folder) -> dict:
    """The published files, less the search index (`serve` makes it again after the reload,
    in the background)."""
    files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    return {name: path.read_bytes() for name, path in files.items() if not name.startswith("pagefind/")}


def test_a_rebuild_from_the_change_set_publishes_what_a_full_build_does(tmp_path, minimal_site, monkeypatch):
    app = DevServer(Options.for_project(REPO, content_dir=minimal_site, out_dir=tmp_path / "out", cache_dir=None))
    assert app.rebuild().ok
    raid = minimal_site / "events" / "the-raid.md"
    raid.write_text(raid.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    town = minimal_site / "places" / "town.md"
    village = minimal_site / "places" / "village.md"
    village.write_text(town.read_text(encoding="utf-8").replace("title: ", "title: Village ", 1), encoding="utf-8")
    listed = []
    original = load.markdown_files
    monkeypatch.setattr(load, "markdown_files", lambda folder: listed.append(folder) or original(folder))
    result = app.rebuild([str(raid), str(village)])
    monkeypatch.setattr(load, "markdown_files", original)
    assert listed == []
    fresh = tmp_path / "fresh"
    shutil.copytree(minimal_site, fresh)
    full = run(Options.for_project(REPO, content_dir=fresh, out_dir=tmp_path / "full", cache_dir=None))
    assert result.ok and full.ok
    mine, theirs = published(tmp_path / "out"), published(tmp_path / "full")
    assert "places/village/index.html" in theirs and sorted(mine) == sorted(theirs)
    for path, data in theirs.items():
        assert mine[path] == data.replace(str(fresh).encode(), str(minimal_site).encode()), path


def test_after_an_internal_error_the_next_rebuild_lists_the_folder(tmp_path, minimal_site, monkeypatch):
    """The change set is relative to the last build that ran to its end."""
    app = DevServer(Options.for_project(REPO, content_dir=minimal_site, out_dir=tmp_path / "out", cache_dir=None))
    assert app.rebuild().ok
    monkeypatch.setattr("somos_site.serve.run", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        app.rebuild([str(minimal_site / "events" / "the-raid.md")])
    monkeypatch.undo()
    asked = []
    original = run
    monkeypatch.setattr("somos_site.serve.run", lambda *a, **k: asked.append(k.get("changed")) or original(*a, **k))
    assert app.rebuild([str(minimal_site / "events" / "the-raid.md")]).ok
    assert asked == [None]
