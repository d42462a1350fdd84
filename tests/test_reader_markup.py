"""What a reader meets in the built HTML of the shipped site, checked on every page:
citation numbers in reading order, sources ordered and grouped by strength, every link to
fiction marked, verdicts and realms never sharing a word."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from helpers import REPO

from somos_site.diagnostics import format_diagnostic
from somos_site.pipeline import Options, run
from somos_site.schema import REALM_LABELS, SOURCE_KIND_LABELS, VERDICT_LABELS
from somos_site.views import KIND_RANK


@pytest.fixture(scope="module")
def result():
    built = run(Options.for_project(REPO, strict=True), write_output=False)
    assert built.ok, "\n".join(format_diagnostic(d) for d in built.diagnostics[:30])
    return built


@pytest.fixture(scope="module")
def pages(result) -> dict[str, str]:
    return {path: data.decode("utf-8") for path, data in result.outputs.items() if path.endswith(".html")}


class Reading(HTMLParser):
    """Citation numbers, note ids and source-list kinds in document (reading) order."""

    def __init__(self) -> None:
        super().__init__()
        self.cites: list[int] = []
        self.notes: list[int] = []
        self.kinds_in_notes: list[list[str]] = []
        self.list_kinds: list[str] = []
        self.in_note = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        ident, classes = a.get("id") or "", (a.get("class") or "").split()
        if tag == "sup" and "cite" in classes:
            self.cites.append(int(ident.removeprefix("cite-ref-")))
        if tag == "li" and ident.startswith("note-"):
            self.notes.append(int(ident.removeprefix("note-")))
            self.kinds_in_notes.append([])
        if tag == "span" and "kind" in classes and self.kinds_in_notes and len(self.notes) and not self.list_started:
            self.kinds_in_notes[-1].append(next(c.removeprefix("kind-") for c in classes if c.startswith("kind-")))
        if tag == "h3" and "kind-heading" in classes:
            self.list_kinds.append("")
        if tag == "span" and "kind" in classes and self.list_kinds and self.list_kinds[-1] == "":
            self.list_kinds[-1] = next(c.removeprefix("kind-") for c in classes if c.startswith("kind-"))

    @property
    def list_started(self) -> bool:
        return bool(self.list_kinds)


def read(html_text: str) -> Reading:
    reading = Reading()
    reading.feed(html_text)
    return reading


def test_citation_numbers_increase_in_reading_order_on_every_page(pages):
    checked = 0
    for path, text in pages.items():
        reading = read(text)
        if not reading.cites:
            continue
        checked += 1
        expected = list(range(1, len(reading.cites) + 1))
        assert reading.cites == expected, f"{path}: note numbers in reading order are {reading.cites}"
        assert reading.notes == expected, f"{path}: the notes are listed as {reading.notes}"
    assert checked > 100


def test_a_citation_in_a_list_or_spoiler_is_numbered_where_it_is_read(pages):
    """Episode 6 has citations in paragraphs, then in a spoiler block, then after it."""
    text = pages["episodes/6/index.html"]
    spoiler = text.index('<details class="spoiler"')
    before = [int(n) for n in re.findall(r'id="cite-ref-(\d+)"', text[:spoiler])]
    inside = [int(n) for n in re.findall(r'id="cite-ref-(\d+)"', text[spoiler : text.index("</details>", spoiler)])]
    assert before and inside and max(before) < min(inside)


def test_each_note_lists_its_sources_strongest_first_and_the_list_groups_by_kind(pages):
    checked = 0
    for path, text in pages.items():
        reading = read(text)
        for number, kinds in enumerate(reading.kinds_in_notes, 1):
            ranks = [KIND_RANK[k] for k in kinds]
            assert ranks == sorted(ranks), f"{path}: note {number} lists {kinds}"
        if reading.list_kinds:
            checked += 1
            ranks = [KIND_RANK[k] for k in reading.list_kinds]
            assert ranks == sorted(set(ranks)), f"{path}: source groups {reading.list_kinds}"
    assert checked > 100


def test_every_source_record_has_a_kind_right_after_its_title():
    for path in sorted((REPO / "content" / "sources").glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        title = next(i for i, line in enumerate(lines) if line.startswith("title:"))
        kind = lines[title + 1].removeprefix("kind: ")
        assert kind in SOURCE_KIND_LABELS, f"{path.name}: line {title + 2} is {lines[title + 1]!r}"


FICTION_LINK = re.compile(
    r'<a (?:class="(?:xref )?to-fiction" )?href="(/(?:es/)?characters/[^"/]+/)"[^>]*>(.*?)</a>', re.S
)


def test_every_link_to_a_fictional_character_carries_the_marker(pages):
    """In body text, 'Portrayed by' lists, listings, backlinks, tables: everywhere but the
    navigation and breadcrumbs, which name listings, not characters."""
    checked = 0
    for path, text in pages.items():
        main = text[text.index("<main") : text.index("</main>")] if "<main" in text else ""
        for href, inner in FICTION_LINK.findall(main):
            if href.rstrip("/").endswith("characters"):
                continue
            checked += 1
            assert 'class="fiction-mark"' in inner, f"{path}: link to {href} has no fiction marker: {inner!r}"
    assert checked > 200


def test_verdicts_and_realms_never_share_a_name():
    assert not set(VERDICT_LABELS.values()) & set(REALM_LABELS.values())


def test_a_claim_page_shows_its_verdict_and_no_realm_word(pages):
    text = pages["claims/did-the-dea-leak-cause-the-massacre/index.html"]
    article = text[text.index("<article") : text.index("</article>")]
    assert 'class="verdict-badge verdict-documented"' in article
    assert "Real world" not in article and "realm-band band-claim" in article


def test_fiction_pages_wear_the_fiction_band_in_both_languages(pages):
    for path in ("characters/dona-chayo/index.html", "es/characters/dona-chayo/index.html"):
        header = pages[path][pages[path].index('<header class="entry-header">') :]
        assert header.index('class="realm-band band-fiction"') < header.index("<h1")
    assert "FICCIÓN" in pages["es/characters/dona-chayo/index.html"].upper()


def test_search_excerpts_skip_labels_and_lists(pages):
    """Fact labels, connections, notes and source lists stay out of the search index, so
    excerpts read as sentences; source records weigh less than the pages citing them."""
    event = pages["events/allende-massacre/index.html"]
    assert re.search(r"<dt data-pagefind-ignore>When</dt>", event)
    for section in ('class="relations"', 'class="notes"', 'class="source-list"'):
        start = event.index(section)
        assert "data-pagefind-ignore" in event[start : event.index(">", start)], section
    source = pages["sources/propublica-2017/index.html"]
    assert '<h1 data-pagefind-weight="0.1"' in source
