"""The search index is made from the spooled entry pages while the build checks the site
(`write.EarlyIndex`), and it is the index the staging folder would get: the same pages,
the same records. When another page carries Pagefind's marker the spool is not the whole
story, and the staging folder is indexed as before."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from helpers import REPO

from somos_site import write
from somos_site.pipeline import Options, run


def records(index: Path) -> dict[str, dict]:
    """Pagefind's page records (URL, words, title, language) by URL. Its file names are
    content hashes that differ from run to run even on one input; the records do not."""
    found = {}
    for fragment in (index / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        found[record["url"]] = record
    return found


def spy_on_indexing(monkeypatch) -> list[tuple[Path, Path | None]]:
    calls: list[tuple[Path, Path | None]] = []
    real = write.index_for_search

    def spy(root: Path, output: Path | None = None) -> None:
        calls.append((root, output))
        real(root, output)

    monkeypatch.setattr(write, "index_for_search", spy)
    return calls


def test_the_index_is_made_from_the_spool_and_equals_the_staging_folders(minimal_site, tmp_path, monkeypatch):
    calls = spy_on_indexing(monkeypatch)
    out, cache = tmp_path / "out", tmp_path / "cache"
    result = run(Options.for_project(REPO, content_dir=minimal_site, out_dir=out, cache_dir=cache))
    assert result.ok and result.written
    assert len(calls) == 1, calls  # the spool only: the staging folder was not indexed again
    root, output = calls[0]
    assert root.parent == cache / "spool" and output is not None
    assert not output.exists() and list((cache / "spool").iterdir()) == [], "the spool and its index stay behind"
    write.verify_search_index(out / "pagefind")
    again = tmp_path / "again"
    shutil.copytree(out, again, ignore=shutil.ignore_patterns("pagefind"))
    write.index_for_search(again)
    published = records(out / "pagefind")
    assert published and published == records(again / "pagefind")


def test_a_marked_page_outside_the_spool_has_the_staging_folder_indexed(minimal_site, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    templates.mkdir()
    listing = (REPO / "templates" / "list.html").read_text(encoding="utf-8")
    marked = listing.replace("<h1>{{ heading }}</h1>", "<h1 data-pagefind-body>{{ heading }}</h1>", 1)
    assert marked != listing
    (templates / "list.html").write_text(marked, encoding="utf-8")
    calls = spy_on_indexing(monkeypatch)
    out, cache = tmp_path / "out", tmp_path / "cache"
    options = Options.for_project(
        REPO, content_dir=minimal_site, out_dir=out, cache_dir=cache, template_overrides=templates
    )
    result = run(options)
    assert result.ok and result.written
    assert [output for _, output in calls][-1] is None and ".staging-" in calls[-1][0].name
    assert not any(p.name.endswith(".pagefind") for p in (cache / "spool").iterdir())
    urls = records(out / "pagefind")
    assert "/events/" in urls, sorted(urls)  # the marked listing is searchable


def test_an_indexer_that_hangs_is_reported_once_not_tried_again(minimal_site, tmp_path, monkeypatch):
    started = []

    def hanging(command, **kwargs):
        started.append(command)
        raise write.subprocess.TimeoutExpired(command, write.SEARCH_TIMEOUT)

    monkeypatch.setattr(write.subprocess, "run", hanging)
    out, cache = tmp_path / "out", tmp_path / "cache"
    result = run(Options.for_project(REPO, content_dir=minimal_site, out_dir=out, cache_dir=cache))
    assert not result.written and not out.exists()
    assert any("did not finish" in d.message for d in result.diagnostics), [d.message for d in result.diagnostics]
    assert len(started) == 1, "a second indexer would hang as long again"
