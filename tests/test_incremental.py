"""An incremental rebuild after any single-file change is byte-identical to a full build,
and only re-renders the pages the change affects."""

from __future__ import annotations

import shutil

import pytest
from helpers import REPO

from somos_site import pipeline, render
from somos_site.diagnostics import format_diagnostic
from somos_site.pipeline import BuildState, Options, run

# One file of each content type in the minimal fixture site.
FILES = {
    "series": "series/demo.md",
    "episodes": "episodes/1.md",
    "characters": "characters/hero.md",
    "people": "people/creator.md",
    "events": "events/the-raid.md",
    "places": "places/town.md",
    "organizations": "organizations/gang.md",
    "figures": "figures/toll.md",
    "claims": "claims/is-it-true.md",
    "sources": "sources/review-2021.md",
    "pages": "pages/about.md",
}
EDITS = ["body", "title", "add", "delete", "rename", "translate"]


def apply(content, relative: str, edit: str) -> None:
    path = content / relative
    text = path.read_text(encoding="utf-8")
    if edit == "body":
        path.write_text(text + "\nA further sentence, with a [[places/town#history|link]].\n", encoding="utf-8")
    elif edit == "title":
        path.write_text(text.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    elif edit == "add":
        path.with_name("a-new-one.md").write_text(text.replace("title: ", "title: New ", 1), encoding="utf-8")
    elif edit == "delete":
        path.unlink()
    elif edit == "rename":
        path.rename(path.with_name("renamed.md"))
    elif edit == "translate":
        path.with_name(path.stem + ".es.md").write_text(text.replace("title: ", "title: ES ", 1), encoding="utf-8")


def report(result) -> list[str]:
    return [format_diagnostic(d) for d in result.diagnostics]


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("folder", sorted(FILES))
def test_incremental_rebuild_equals_a_full_build(tmp_path, minimal_site, folder, edit, monkeypatch):
    options = Options.for_project(REPO, content_dir=minimal_site, cache_dir=None)
    state = BuildState()
    first = run(options, write_output=False, state=state)
    assert first.ok

    apply(minimal_site, FILES[folder], edit)
    asked: list = []
    original = render.render
    monkeypatch.setattr(
        pipeline.render,
        "render",
        lambda *a, **k: asked.append(a[4] if len(a) > 4 else k.get("only")) or original(*a, **k),
    )
    incremental = run(options, write_output=False, state=state)
    monkeypatch.setattr(pipeline.render, "render", original)

    fresh_copy = tmp_path / "fresh"
    shutil.copytree(minimal_site, fresh_copy)
    full = run(Options.for_project(REPO, content_dir=fresh_copy, cache_dir=None), write_output=False)

    assert incremental.ok == full.ok
    assert report(incremental) == [line.replace(str(fresh_copy), str(minimal_site)) for line in report(full)] or (
        [d.code for d in incremental.diagnostics] == [d.code for d in full.diagnostics]
    )
    if full.ok:
        assert sorted(incremental.outputs) == sorted(full.outputs)
        for path, data in full.outputs.items():
            assert incremental.outputs[path] == data.replace(str(fresh_copy).encode(), str(minimal_site).encode()), path
    if edit == "body" and folder not in ("pages",):
        assert asked and asked[0] is not None, "a body edit must not re-render every page"


def test_an_unrelated_edit_rerenders_few_pages(minimal_site, monkeypatch):
    options = Options.for_project(REPO, content_dir=minimal_site, cache_dir=None)
    state = BuildState()
    run(options, write_output=False, state=state)
    apply(minimal_site, "sources/review-2021.md", "body")
    seen = {}
    original = render.render

    def spy(*args, **kwargs):
        seen["only"] = args[4]
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline.render, "render", spy)
    run(options, write_output=False, state=state)
    assert seen["only"] == {"sources/review-2021", "claims/is-it-true", "people/creator", "figures/toll"} or (
        "sources/review-2021" in seen["only"] and len(seen["only"]) < len(state.site.ids_set)
    )
