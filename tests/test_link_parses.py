"""The link check's parse of each entry page is made by the worker that rendered it; the
check parses only the pages rendered in this process (listings, views), and reports what
it reports when it parses everything itself."""

from __future__ import annotations

import pytest
from helpers import REPO
from test_incremental import report
from test_parallel import build

from somos_site import check, parallel
from somos_site.pipeline import BuildState, Options, run


def count_parses(monkeypatch) -> list[bytes]:
    """The pages the check parses itself (the render module keeps its own reference)."""
    seen: list[bytes] = []
    original = check.parse_page
    monkeypatch.setattr(check, "parse_page", lambda data: seen.append(data) or original(data))
    return seen


@pytest.mark.parametrize("workers", [1, 2])
def test_the_check_parses_no_entry_page_again(minimal_site, monkeypatch, workers):
    seen = count_parses(monkeypatch)
    monkeypatch.setenv("SOMOS_WORKERS", str(workers))
    monkeypatch.setattr(parallel, "THRESHOLD", 1 if workers > 1 else 10**9)
    state = BuildState()
    built = run(Options.for_project(REPO, content_dir=minimal_site, cache_dir=None), write_output=False, state=state)
    assert built.ok
    entry_pages = [built.outputs[p] for p, owner in state.owners.items() if not owner.startswith("@")]
    assert len(entry_pages) > 10
    assert seen, "listings and views are parsed by the check"
    assert not set(entry_pages) & set(seen), "an entry page was parsed again by the check"


def test_a_broken_link_is_reported_the_same_from_the_workers_parse(minimal_site, monkeypatch):
    page = minimal_site / "events" / "the-raid.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[A missing page](/nowhere/)\n", encoding="utf-8")
    forked = build(minimal_site, monkeypatch, 2)
    offered = []  # what the render offered; dropped, so that this build's check parses every page
    original = check.check_links
    monkeypatch.setattr(
        check, "check_links", lambda *a, **k: offered.append(k.pop("offered", None)) or original(*a, **k)
    )
    parsed_here = build(minimal_site, monkeypatch, 2)
    assert any("/nowhere/" in line for line in report(forked))
    assert report(forked) == report(parsed_here)
    assert offered and all(offered), "the render offered its parses (dropped here: the check parsed all)"
