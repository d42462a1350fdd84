"""The persistent build state (`buildstate`): a `build` that starts from the last build's
state on disk publishes byte for byte what a clean full build publishes, for every kind
of edit, and rewrites nothing it need not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import REPO, eventually
from test_incremental import EDITS, FILES, apply, report

from somos_site import buildstate, pipeline, render
from somos_site.pipeline import Options, run


def search_off(content: Path) -> None:
    """Pagefind's index is not byte-stable between runs; the pages are what we compare."""
    config = content / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_tree(built: Path, reference: Path) -> None:
    mine, theirs = tree(built), tree(reference)
    assert sorted(mine) == sorted(theirs)
    for path, data in theirs.items():
        assert mine[path] == data, path


def options(content: Path, out: Path, cache: Path | None, **extra) -> Options:
    return Options.for_project(REPO, content_dir=content, out_dir=out, cache_dir=cache, **extra)


def spy_render(monkeypatch) -> list:
    """Records the `only` argument of every render: None means every page was rendered."""
    asked: list = []
    original = render.render
    monkeypatch.setattr(
        pipeline.render,
        "render",
        lambda *a, **k: asked.append(a[4] if len(a) > 4 else k.get("only")) or original(*a, **k),
    )
    return asked


def full_build(content: Path, out: Path):
    """The reference: no cache, no state, nothing reused."""
    return run(options(content, out, None))


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("folder", sorted(FILES))
def test_a_build_from_the_saved_state_equals_a_full_build(tmp_path, minimal_site, folder, edit, monkeypatch):
    search_off(minimal_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run(options(minimal_site, out, cache)).ok
    assert buildstate.state_file(cache, out).is_file()

    apply(minimal_site, FILES[folder], edit)
    asked = spy_render(monkeypatch)
    warm = run(options(minimal_site, out, cache))
    monkeypatch.undo()
    full = full_build(minimal_site, tmp_path / "full")

    assert report(warm) == report(full)
    assert warm.ok == full.ok
    if full.ok:
        assert_same_tree(out, tmp_path / "full")
    if edit == "body" and folder != "pages":
        assert asked and asked[0] is not None, "the saved state was not used: every page was rendered"


def test_nothing_changed_renders_no_page_and_rewrites_no_file(tmp_path, minimal_site, monkeypatch):
    search_off(minimal_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    run(options(minimal_site, out, cache))
    before = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    asked = spy_render(monkeypatch)
    again = run(options(minimal_site, out, cache))
    assert again.ok and asked == [], "an unchanged site renders nothing"
    assert {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()} == before, "no file was rewritten"


def test_one_edit_rewrites_only_the_pages_it_changes(tmp_path, minimal_site):
    search_off(minimal_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    run(options(minimal_site, out, cache))
    before = {str(p.relative_to(out)): p.stat().st_ino for p in out.rglob("*.html")}
    apply(minimal_site, FILES["events"], "body")
    assert run(options(minimal_site, out, cache)).ok
    after = {str(p.relative_to(out)): p.stat().st_ino for p in out.rglob("*.html")}
    rewritten = {p for p in after if before.get(p) != after[p]}
    assert "events/the-raid/index.html" in rewritten
    assert len(rewritten) < len(after) / 2, rewritten


@pytest.mark.parametrize("change", ["template", "translation", "config", "static", "base-url", "drafts"])
def test_changes_every_page_depends_on_give_a_full_builds_output(tmp_path, minimal_site, change):
    search_off(minimal_site)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    static = tmp_path / "static"
    shutil.copytree(REPO / "static", static)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extra: dict = {"templates_dir": templates, "template_overrides": templates, "static_dir": static}
    assert run(options(minimal_site, out, cache, **extra)).ok
    if change == "template":
        footer = templates / "base.html"
        footer.write_text(footer.read_text(encoding="utf-8").replace("</footer>", "<p>Edited.</p></footer>", 1))
    elif change == "translation":
        catalogue = next(templates.rglob("*.po"))
        text = catalogue.read_text(encoding="utf-8")
        catalogue.write_text(text.replace('msgstr "Inicio"', 'msgstr "Portada"'), encoding="utf-8")
    elif change == "config":
        config = minimal_site / "site.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace("Minimal companion", "Minimal"), encoding="utf-8")
    elif change == "static":
        css = next(static.rglob("*.css"))
        css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    elif change == "base-url":
        extra["base_url"] = "https://example.org/sub/"
    elif change == "drafts":
        extra["drafts"] = True
    warm = run(options(minimal_site, out, cache, **extra))
    full = run(options(minimal_site, tmp_path / "full", None, **extra))
    assert warm.ok and full.ok
    assert report(warm) == report(full)
    assert_same_tree(out, tmp_path / "full")
    if change == "template":
        assert b"<p>Edited.</p>" in (out / "events" / "the-raid" / "index.html").read_bytes()


def test_an_output_folder_changed_by_hand_is_rebuilt_in_full(tmp_path, minimal_site, monkeypatch):
    search_off(minimal_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    run(options(minimal_site, out, cache))
    (out / "events" / "the-raid" / "index.html").write_text("edited by hand", encoding="utf-8")
    (out / "places" / "town" / "index.html").unlink()
    asked = spy_render(monkeypatch)
    assert run(options(minimal_site, out, cache)).ok
    assert asked == [None], "a state that no longer describes the output folder is not used"
    monkeypatch.undo()
    full_build(minimal_site, tmp_path / "full")
    assert_same_tree(out, tmp_path / "full")


def test_a_damaged_or_deleted_state_costs_time_never_correctness(tmp_path, minimal_site):
    search_off(minimal_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    run(options(minimal_site, out, cache))
    buildstate.state_file(cache, out).write_bytes(b"not a pickle")
    apply(minimal_site, FILES["people"], "title")
    assert run(options(minimal_site, out, cache)).ok
    eventually(lambda: not (cache / "trash").exists(), what="the spool's background deletion")
    shutil.rmtree(cache)
    apply(minimal_site, FILES["places"], "body")
    assert run(options(minimal_site, out, cache)).ok
    full_build(minimal_site, tmp_path / "full")
    assert_same_tree(out, tmp_path / "full")


def test_a_failed_build_keeps_the_site_and_the_state_usable(tmp_path, minimal_site):
    search_off(minimal_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    run(options(minimal_site, out, cache))
    published = tree(out)
    raid = minimal_site / FILES["events"]
    good = raid.read_text(encoding="utf-8")
    raid.write_text(good + "\nSee [[places/nowhere]].\n", encoding="utf-8")
    assert not run(options(minimal_site, out, cache)).ok
    assert tree(out) == published
    raid.write_text(good + "\nA fixed sentence.\n", encoding="utf-8")
    assert run(options(minimal_site, out, cache)).ok
    full_build(minimal_site, tmp_path / "full")
    assert_same_tree(out, tmp_path / "full")


def test_with_search_the_index_is_kept_when_no_page_changed(tmp_path, minimal_site):
    out, cache = tmp_path / "out", tmp_path / "cache"
    run(options(minimal_site, out, cache))
    index = sorted(p.relative_to(out) for p in (out / "pagefind").rglob("*"))
    assert index
    config = minimal_site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # no page changes
    assert run(options(minimal_site, out, cache)).ok
    assert sorted(p.relative_to(out) for p in (out / "pagefind").rglob("*")) == index
    apply(minimal_site, FILES["events"], "body")
    assert run(options(minimal_site, out, cache)).ok
    assert (out / "pagefind").is_dir()
    assert b"A further sentence" in (out / "events" / "the-raid" / "index.html").read_bytes()
