"""Entry pages rendered in forked worker processes give the bytes and the diagnostics of
a serial render, whatever the number of workers."""

from __future__ import annotations

import shutil

import pytest
from helpers import REPO
from test_incremental import report

from somos_site import parallel, render
from somos_site.outputs import SiteFiles
from somos_site.pipeline import Options, run, template_dirs
from somos_site.urls import output_file, page_path


def build(content, monkeypatch, workers: int, **extra):
    monkeypatch.setenv("SOMOS_WORKERS", str(workers))
    monkeypatch.setattr(parallel, "THRESHOLD", 1 if workers > 1 else 10**9)
    return run(Options.for_project(REPO, content_dir=content, cache_dir=None, **extra), write_output=False)


@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_render_is_byte_identical_to_serial(minimal_site, monkeypatch, workers):
    calls = []
    original = parallel._collect  # called only when worker processes render
    monkeypatch.setattr(
        parallel, "_collect", lambda pool, pending: calls.append(len(pending)) or original(pool, pending)
    )
    serial = build(minimal_site, monkeypatch, 1)
    assert not calls
    forked = build(minimal_site, monkeypatch, workers)
    assert serial.ok and forked.ok
    assert calls and calls[0] > 1, "the pages were not split between worker processes"
    assert list(forked.outputs) == list(serial.outputs)
    for path in serial.outputs:
        assert forked.outputs[path] == serial.outputs[path], path
    assert report(forked) == report(serial)


def test_parallel_render_reports_a_template_error_once_as_serial_does(minimal_site, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    entry = templates / "entry.html"
    text = entry.read_text(encoding="utf-8")
    assert "{% block head %}" in text
    entry.write_text(text.replace("{% block head %}", "{% block head %}{{ nope.x }}", 1), encoding="utf-8")
    serial = build(minimal_site, monkeypatch, 1, templates_dir=templates, template_overrides=templates)
    forked = build(minimal_site, monkeypatch, 2, templates_dir=templates, template_overrides=templates)
    assert not serial.ok
    assert [d.code for d in serial.diagnostics if d.severity == "error"] == ["template-error"]
    assert report(forked) == report(serial)


def test_the_shipped_site_renders_the_same_in_parallel(monkeypatch):
    content = REPO / "content"
    serial = build(content, monkeypatch, 1)
    forked = build(content, monkeypatch, 2)
    assert serial.ok and forked.ok
    assert dict(forked.outputs) == dict(serial.outputs)


def published_build(content, out, cache, monkeypatch, workers: int):
    monkeypatch.setenv("SOMOS_WORKERS", str(workers))
    monkeypatch.setattr(parallel, "THRESHOLD", 1 if workers > 1 else 10**9)
    options = Options.for_project(REPO, content_dir=content, out_dir=out, cache_dir=cache)
    return run(options, write_output=True)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_streamed_build_publishes_the_bytes_of_a_serial_build_in_memory(minimal_site, tmp_path, monkeypatch, workers):
    """A publishing build streams its entry pages to a spool as they are rendered (in the
    workers when there are several) and never holds them all; the published files are the
    bytes a serial build holding everything in memory makes, and the spool is gone after."""
    streamed_trees = []
    original = render.render
    monkeypatch.setattr(
        render, "render", lambda *a, **k: (lambda found: streamed_trees.append(found[0]) or found)(original(*a, **k))
    )
    serial = build(minimal_site, monkeypatch, 1)
    assert serial.ok
    out, cache = tmp_path / "out", tmp_path / "cache"
    streamed = published_build(minimal_site, out, cache, monkeypatch, workers)
    assert streamed.ok and streamed.written, report(streamed)
    tree = streamed_trees[-1]
    assert isinstance(tree, SiteFiles)
    site = streamed.site
    pages = [output_file(page_path(e.type.folder, e.slug, e.lang, site.default_lang)) for e in site.entries.values()]
    assert pages and all(p in tree.spooled and p not in tree.memory for p in pages), "entry pages were held in memory"
    assert list(streamed.outputs) == list(serial.outputs)
    for path in serial.outputs:
        assert (out / path).read_bytes() == serial.outputs[path], path
        assert streamed.outputs[path] == serial.outputs[path], path
    assert report(streamed) == report(serial)
    assert not any((cache / "spool").iterdir()), "the spool was not deleted"


def test_a_streamed_build_that_fails_keeps_its_pages_readable_and_publishes_nothing(
    minimal_site, tmp_path, monkeypatch
):
    broken = next((minimal_site / "events").glob("*.md"))
    broken.write_text(broken.read_text(encoding="utf-8") + "\nSee [[events/no-such-event]].\n", encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    failed = published_build(minimal_site, out, cache, monkeypatch, 2)
    assert not failed.ok and not failed.written
    assert not out.exists()
    serial = build(minimal_site, monkeypatch, 1)
    assert dict(failed.outputs) == dict(serial.outputs)  # read back before the spool went
    assert not any((cache / "spool").iterdir())


def test_which_views_exist_is_known_without_drawing_them(monkeypatch):
    """Templates ask `has_view` on many pages (the home page, every place page), in the
    render workers too; it must answer without drawing the timeline and the map, and name
    exactly the views `GeneratedViews.views` makes."""
    captured = []
    original = render.Renderer.render_site
    monkeypatch.setattr(render.Renderer, "render_site", lambda self, *a: captured.append(self) or original(self, *a))
    result = build(REPO / "content", monkeypatch, 1)
    assert result.ok
    built = captured[-1]
    fresh = render.Renderer(
        built.site, template_dirs(Options.for_project(REPO)), built.router.base_url, built.router.static_files
    )
    drawn = []
    monkeypatch.setattr(fresh.graphics, "timeline_graphic", lambda *a: drawn.append("timeline"))
    monkeypatch.setattr(fresh.graphics, "map_graphic", lambda *a: drawn.append("map"))
    for lang in fresh.languages:
        for name in ("timeline", "map", "verdicts", "corrections", "search"):
            fresh.generated.has_view(name, lang)
    assert drawn == []
    for lang in built.languages:
        assert built.generated.view_names(lang) == tuple(name for name, _, _ in built.generated.views(lang))
    assert {"timeline", "map", "verdicts"} <= set(built.generated.view_names("en"))
