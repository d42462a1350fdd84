"""An incremental rebuild after any single-file change is byte-identical to a full build,
and only re-renders the pages the change affects."""

from __future__ import annotations

import shutil

import pytest
from helpers import REPO

from somos_site import load, pipeline, render
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


def apply(content, relative: str, edit: str) -> list:
    """Make the edit; the paths it touched, as the file watcher reports them to `serve`."""
    path = content / relative
    text = path.read_text(encoding="utf-8")
    if edit == "body":
        path.write_text(text + "\nA further sentence, with a [[places/town#history|link]].\n", encoding="utf-8")
    elif edit == "title":
        path.write_text(text.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    elif edit == "add":
        path.with_name("a-new-one.md").write_text(text.replace("title: ", "title: New ", 1), encoding="utf-8")
        return [path.with_name("a-new-one.md")]
    elif edit == "delete":
        path.unlink()
    elif edit == "rename":
        path.rename(path.with_name("renamed.md"))
        return [path, path.with_name("renamed.md")]
    elif edit == "translate":
        path.with_name(path.stem + ".es.md").write_text(text.replace("title: ", "title: ES ", 1), encoding="utf-8")
        return [path.with_name(path.stem + ".es.md")]
    return [path]


def report(result) -> list[str]:
    return [format_diagnostic(d) for d in result.diagnostics]


@pytest.mark.parametrize("watched", [False, True], ids=["listed", "watched"])
@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("folder", sorted(FILES))
def test_incremental_rebuild_equals_a_full_build(tmp_path, minimal_site, folder, edit, watched, monkeypatch):
    """`watched`: the rebuild is given the watcher's change set (as `serve` is) and lists
    nothing; `listed`: it finds the changes itself."""
    options = Options.for_project(REPO, content_dir=minimal_site, cache_dir=None)
    state = BuildState()
    first = run(options, write_output=False, state=state)
    assert first.ok

    changed = apply(minimal_site, FILES[folder], edit)
    listings = count_listings(monkeypatch)
    asked: list = []
    original = render.render
    monkeypatch.setattr(
        pipeline.render,
        "render",
        lambda *a, **k: asked.append(a[4] if len(a) > 4 else k.get("only")) or original(*a, **k),
    )
    incremental = run(options, write_output=False, state=state, changed=changed if watched else None)
    monkeypatch.setattr(pipeline.render, "render", original)
    assert listings == ([] if watched else [minimal_site.resolve()]), "the change set replaces the listing"

    fresh_copy = tmp_path / "fresh"
    shutil.copytree(minimal_site, fresh_copy)
    full = run(Options.for_project(REPO, content_dir=fresh_copy, cache_dir=None), write_output=False)

    assert incremental.ok == full.ok
    mine, theirs = same_report(incremental, full, minimal_site, fresh_copy)
    assert mine == theirs
    if full.ok:
        assert sorted(incremental.outputs) == sorted(full.outputs)
        for path, data in full.outputs.items():
            assert incremental.outputs[path] == data.replace(str(fresh_copy).encode(), str(minimal_site).encode()), path
    if edit == "body" and folder not in ("pages",):
        assert asked and asked[0] is not None, "a body edit must not re-render every page"


def count_listings(monkeypatch) -> list:
    """The folders `load` lists from now on."""
    listed: list = []
    original = load.markdown_files
    monkeypatch.setattr(load, "markdown_files", lambda folder: listed.append(folder) or original(folder))
    return listed


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


# One serve session: each edit applied to the same state, each result compared with a full
# build of a copy of the content as it then is. The edits go through the paths that reuse
# the last build's results (`incremental`): an error introduced and then fixed, a heading
# other pages link to renamed and restored, a recorded quote renamed, a new citation, a
# figure's value, a deletion, a rename and back, and a site.yaml change.
SESSION = [
    ("events/the-raid.md", "append", "\nOne more sentence about the raid.\n"),
    ("events/the-raid.md", "append", "\nSee [[events/no-such-event]] too.\n"),
    ("events/the-raid.md", "replace", ("\nSee [[events/no-such-event]] too.\n", "\n")),
    ("places/town.md", "replace", ("## History", "## Past")),
    ("places/town.md", "replace", ("## Past", "## History")),
    ("sources/report-2017.md", "replace", ("id: no-one-came", "id: nobody-came")),
    ("sources/report-2017.md", "replace", ("id: nobody-came", "id: no-one-came")),
    ("places/town.md", "append", "\nA later account [@review-2021].\n"),
    ("figures/toll.md", "replace", ("value: ", "value: 1")),
    ("people/creator.md", "delete", None),
    ("places/town.md", "rename", "places/city.md"),
    ("places/city.md", "rename", "places/town.md"),
    ("site.yaml", "replace", ("title: ", "title: Renamed ")),
    ("events/the-raid.md", "append", "\nAnd a last sentence.\n"),
    # A file that cannot be read stays reported while other files change, until fixed.
    ("places/town.md", "replace", ("---\n", "")),
    ("events/the-raid.md", "append", "\nOne sentence more.\n"),
    ("places/town.md", "prepend", "---\n"),
    # Likewise a file read with a problem (invalid YAML): reported until fixed.
    ("events/the-raid.md", "replace", ("\n---\n", "\nplaces: [unclosed\n---\n")),
    ("places/town.md", "append", "\nOne more sentence about the town.\n"),
    ("events/the-raid.md", "replace", ("\nplaces: [unclosed\n", "\n")),
]


def edit(content, relative: str, how: str, what) -> list:
    """Make the edit; the paths it touched (the file watcher's change set)."""
    path = content / relative
    if how == "append":
        path.write_text(path.read_text(encoding="utf-8") + what, encoding="utf-8")
    elif how == "prepend":
        path.write_text(what + path.read_text(encoding="utf-8"), encoding="utf-8")
    elif how == "replace":
        text = path.read_text(encoding="utf-8")
        assert what[0] in text, (relative, what[0])
        path.write_text(text.replace(what[0], what[1], 1), encoding="utf-8")
    elif how == "delete":
        path.unlink()
    elif how == "rename":
        path.rename(content / what)
        return [path, content / what]
    return [path]


def same_report(incremental, full, incremental_dir, full_dir) -> list[str]:
    """The incremental build's diagnostics as lines, and the full build's with its folder's
    name replaced by the incremental one's (they are copies of each other)."""
    import os

    mine = [format_diagnostic(d) for d in incremental.diagnostics]
    theirs = [format_diagnostic(d) for d in full.diagnostics]
    for a, b in ((str(full_dir), str(incremental_dir)), (os.path.relpath(full_dir), os.path.relpath(incremental_dir))):
        theirs = [line.replace(a, b) for line in theirs]
    return mine, theirs


@pytest.mark.parametrize("watched", [False, True], ids=["listed", "watched"])
def test_a_session_of_edits_equals_full_builds_at_every_step(tmp_path, minimal_site, watched):
    options = Options.for_project(REPO, content_dir=minimal_site, cache_dir=None)
    state = BuildState()
    assert run(options, write_output=False, state=state).ok
    for step, (relative, how, what) in enumerate(SESSION):
        changed = edit(minimal_site, relative, how, what)
        incremental = run(options, write_output=False, state=state, changed=changed if watched else None)
        fresh_copy = tmp_path / f"fresh-{step}"
        shutil.copytree(minimal_site, fresh_copy)
        full = run(Options.for_project(REPO, content_dir=fresh_copy, cache_dir=None), write_output=False)
        mine, theirs = same_report(incremental, full, minimal_site, fresh_copy)
        assert mine == theirs, (step, relative, how)
        assert incremental.ok == full.ok
        if full.ok:
            assert sorted(incremental.outputs) == sorted(full.outputs), step
            for path, data in full.outputs.items():
                expected = data.replace(str(fresh_copy).encode(), str(minimal_site).encode())
                assert incremental.outputs[path] == expected, (step, path)


def test_the_session_reports_what_each_edit_breaks(tmp_path, minimal_site):
    """The session above does break things (else it would prove little): the missing
    entry, the renamed heading and the renamed quote are each reported, and fixed."""
    options = Options.for_project(REPO, content_dir=minimal_site, cache_dir=None)
    state = BuildState()
    run(options, write_output=False, state=state)
    codes = []
    for relative, how, what in SESSION[:7]:
        edit(minimal_site, relative, how, what)
        codes.append(
            {d.code for d in run(options, write_output=False, state=state).diagnostics if d.severity == "error"}
        )
    assert "ref-missing" in codes[1] and not codes[2]
    assert "anchor-missing" in codes[3] and not codes[4]
    assert "quote-unrecorded" in codes[5] and not codes[6]
