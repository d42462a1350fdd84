"""Entry pages rendered in forked worker processes give the bytes and the diagnostics of
a serial render, whatever the number of workers."""

from __future__ import annotations

import shutil

import pytest
from helpers import REPO
from test_incremental import report

from somos_site import parallel
from somos_site.pipeline import Options, run


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
