"""`check` starts from the state the last build saved (`buildstate`), as a build does: it
reports exactly what a check from nothing reports, for every kind of edit, and it reads
that state without changing it, the output folder or the cache's record of the build."""

from __future__ import annotations

import threading

import pytest
from test_buildstate import options, search_off, spy_render, tree
from test_hostile_input import held_by_another_process
from test_incremental import EDITS, FILES, apply, report

from somos_site import buildstate
from somos_site.pipeline import run


def check(content, out, cache):
    return run(options(content, out, cache), write_output=False)


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("folder", ["events", "people", "sources"])
def test_a_check_after_a_build_reports_what_a_check_from_nothing_reports(tmp_path, minimal_site, folder, edit):
    search_off(minimal_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run(options(minimal_site, out, cache)).ok
    apply(minimal_site, FILES[folder], edit)
    from_state = check(minimal_site, out, cache)
    from_nothing = check(minimal_site, tmp_path / "elsewhere", None)
    assert report(from_state) == report(from_nothing)
    assert from_state.ok == from_nothing.ok


def test_a_check_uses_the_saved_state_and_changes_nothing(tmp_path, minimal_site, monkeypatch):
    search_off(minimal_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run(options(minimal_site, out, cache)).ok
    saved = buildstate.state_file(cache, out).read_bytes()
    published = tree(out)
    apply(minimal_site, FILES["events"], "body")
    asked = spy_render(monkeypatch)
    assert check(minimal_site, out, cache).ok
    assert asked and asked[0] is not None, "every page was rendered: the saved state was not used"
    assert buildstate.state_file(cache, out).read_bytes() == saved
    assert tree(out) == published


def test_a_check_while_another_process_holds_the_output_is_a_full_one(tmp_path, minimal_site, monkeypatch):
    search_off(minimal_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run(options(minimal_site, out, cache)).ok
    apply(minimal_site, FILES["people"], "title")
    monkeypatch.setenv("SOMOS_LOCK_TIMEOUT", "3600")  # it must not wait for the folder at all
    with held_by_another_process(out):
        asked = spy_render(monkeypatch)
        done = []
        checking = threading.Thread(target=lambda: done.append(check(minimal_site, out, cache)), daemon=True)
        checking.start()
        checking.join(timeout=300)  # a hang detector: a check that waits for the lock never ends
        assert done, "the check waited for the busy output folder"
    busy = done[0]
    assert asked == [None], "a busy output folder's state is not read"
    assert report(busy) == report(check(minimal_site, tmp_path / "elsewhere", None))
