"""The rendered-Markdown cache and parallel rendering never change the output."""

from __future__ import annotations

from pathlib import Path

from somos_site import markdown
from somos_site.load import load_content
from somos_site.validate import validate


def entries(content: Path):
    loaded, _ = load_content(content, [])
    validated, _ = validate(loaded)
    return validated.entries


def test_cached_parallel_and_serial_renders_are_identical(minimal_site, tmp_path, monkeypatch):
    serial = markdown.render_bodies(entries(minimal_site))
    monkeypatch.setattr(markdown, "PARALLEL_THRESHOLD", 1)
    parallel = markdown.render_bodies(entries(minimal_site), tmp_path / "cache")
    assert parallel == serial
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == len(serial)
    cached = markdown.render_bodies(entries(minimal_site), tmp_path / "cache")
    assert cached == serial


def test_the_cache_is_never_stale_and_survives_damage(minimal_site, tmp_path):
    cache = tmp_path / "cache"
    markdown.render_bodies(entries(minimal_site), cache)
    page = minimal_site / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    for stored in cache.rglob("*.pickle"):
        stored.write_bytes(b"not a pickle")  # a damaged cache costs time, never correctness
    bodies = markdown.render_bodies(entries(minimal_site), cache)
    assert "A new paragraph." in bodies[("pages/about", "en")].html
    assert bodies == markdown.render_bodies(entries(minimal_site))
