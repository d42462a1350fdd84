"""Spoilers stay hidden everywhere: the text of a spoiler block of the shipped site reaches
neither the search index nor a meta description, JSON-LD, a feed or a listing summary."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest
from helpers import REPO, run_cli

from somos_site.markdown import render_source

WINDOW = 8  # words in a row: shorter runs ("in the Piedras Negras prison") are shared prose
SPOILER = re.compile(r'<details class="spoiler"[^>]*>(.*?)</details>', re.S)


def words(text: str) -> list[str]:
    text = re.sub(r"\[\d+\]", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))
    return re.findall(r"\w+", text.casefold())


def windows(text: str) -> set[str]:
    found = words(text)
    return {" ".join(found[i : i + WINDOW]) for i in range(len(found) - WINDOW + 1)}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("spoilers") / "site"
    result = run_cli(["build", "--content", str(REPO / "content"), "--out", str(out)])
    assert result.code == 0, result.err
    assert (out / "pagefind" / "fragment").is_dir(), "the shipped site builds with search on"
    return out


@pytest.fixture(scope="module")
def spoilers(site) -> dict[str, set[str]]:
    """Page URL -> the word windows of its spoiler blocks (the <summary> label excluded)."""
    found = {}
    for page in site.rglob("index.html"):
        source = page.read_text(encoding="utf-8")
        blocks = SPOILER.findall(source)
        text = " ".join(re.sub(r"<summary>.*?</summary>", " ", b, flags=re.S) for b in blocks)
        # A run of words that the page also shows outside its spoilers (a linked title in the
        # connections list, say) reveals nothing when it is indexed.
        main = re.search(r"<main\b.*?</main>", source, re.S)
        outside = SPOILER.sub(" ", main.group(0) if main else "")
        shown = windows(re.sub(r"<script\b.*?</script>", " ", outside, flags=re.S))
        if text.strip():
            found["/" + page.parent.relative_to(site).as_posix().strip(".") + "/"] = windows(text) - shown
    return {url.replace("//", "/"): w for url, w in found.items()}


def fragments(site: Path) -> dict[str, str]:
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes()).decode("utf-8")
        record = json.loads(data[data.index("{") :])  # after Pagefind's signature
        found[record["url"]] = " ".join(words(record["content"]))
    return found


def test_the_search_index_holds_no_spoiler_text(site, spoilers):
    indexed = fragments(site)
    assert len(spoilers) >= 20, "the shipped site has spoiler blocks on many pages"
    assert set(spoilers) <= set(indexed), "every page with a spoiler block is indexed"
    assert "irene" in indexed["/characters/irene/"], "the fragments were read and decompressed"
    leaks = [(url, window) for url, content in indexed.items() for window in spoilers.get(url, ()) if window in content]
    assert leaks == []


def test_no_spoiler_text_in_descriptions_json_ld_feeds_or_listings(site, spoilers):
    every = set().union(*spoilers.values())
    exposed = []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = SPOILER.sub(" ", text)  # the blocks themselves are allowed on their page
        heads = re.findall(r'<meta [^>]*content="([^"]*)"', text)
        heads += re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
        heads += re.findall(r'<p class="summary"[^>]*>(.*?)</p>', text, re.S)
        exposed += [(page, w) for head in heads for w in windows(head) & every]
    for feed in site.rglob("*.xml"):
        summaries = re.findall(r"<summary>(.*?)</summary>", feed.read_text(encoding="utf-8"), re.S)
        exposed += [(feed, w) for s in summaries for w in windows(s) & every]
    assert exposed == []


def test_spoiler_blocks_are_marked_for_pagefind_to_skip():
    body = render_source('Intro.\n\n??? spoiler "Spoiler: episode 6"\n    Irene survives.\n', "x.md", 1)
    assert '<details class="spoiler" data-pagefind-ignore="all">' in body.html
    assert [(p.text, p.in_spoiler) for p in body.paragraphs] == [("Irene survives.", True)]


def test_a_body_keeps_the_paragraphs_the_editorial_checks_read():
    """Spoiler blocks, episode mentions and figure links: the rest is not kept (every
    body stays in memory for the whole build)."""
    text = (
        "Plain prose.\n\nAs [[episodes/e6]] shows.\n\nSee [[figures/dead]].\n\n"
        '??? spoiler "Spoiler: episode 6"\n    Irene survives.\n'
    )
    body = render_source(text, "x.md", 1)
    assert [(p.text, p.in_spoiler) for p in body.paragraphs] == [
        ("As [[episodes/e6]] shows.", False),
        ("See [[figures/dead]].", False),
        ("Irene survives.", True),
    ]
