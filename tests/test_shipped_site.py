"""The shipped Somos. companion site: complete, cited, careful, and fully linked."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser

import pytest
from helpers import REPO

from somos_site.diagnostics import format_diagnostic
from somos_site.pipeline import Options, run
from somos_site.schema import Character, Episode, Figure

CONTENT = REPO / "content"
MINIMUMS = {
    "episodes": 6,
    "characters": 12,
    "events": 15,
    "people": 15,
    "places": 8,
    "organizations": 8,
    "figures": 3,
    "claims": 8,
}
REQUIRED_PAGES = ["index", "fact-and-fiction", "sources-and-method", "content-note", "corrections"]
# Private people the fact sheet names but the site must not (victims' relatives), and the
# nickname of a real officer that must never be tied to the fictional Doña Chayo.
NEVER_NAMED = ["Silvia Eugenia Garza Villarreal", "Olga Lidia Saucedo", "La Chayo"]
# Words that mark a paragraph about the 250-calls figure as reporting the claim, not the fact.
UNVERIFIED_MARKERS = (
    r"seed|claims/250|figures/emergency-calls|not found|unverified|no verificad|no se encontr|no corroborad"
)


@pytest.fixture(scope="module")
def result():
    built = run(Options.for_project(REPO, strict=True), write_output=False)
    assert built.ok, "\n".join(format_diagnostic(d) for d in built.diagnostics[:30])
    return built


def english(result, folder: str):
    return [e for (i, lang), e in result.site.entries.items() if lang == "en" and i.startswith(folder + "/")]


def test_check_strict_passes_with_no_warning_at_all(result):
    assert result.diagnostics == []


@pytest.mark.parametrize(("folder", "minimum"), sorted(MINIMUMS.items()))
def test_content_counts(result, folder, minimum):
    assert len(english(result, folder)) >= minimum


def test_at_least_25_sources_are_cited_and_every_source_is(result):
    sources = english(result, "sources")
    assert len(sources) >= 25
    assert all(s.slug in result.site.cited_by for s in sources)


def test_the_required_pages_exist(result):
    assert {e.slug for e in english(result, "pages")} >= set(REQUIRED_PAGES)


def test_every_character_is_mapped_to_reality_and_fictional(result):
    for entry in english(result, "characters"):
        fields: Character = entry.fields
        assert entry.realm == "fiction"
        assert fields.relations and all(r.note for r in fields.relations)


def test_every_episode_links_the_real_events_it_depicts(result):
    episodes = english(result, "episodes")
    assert sorted(e.fields.number for e in episodes) == [1, 2, 3, 4, 5, 6]
    for entry in episodes:
        fields: Episode = entry.fields
        assert fields.depicts, entry.id


def test_the_death_toll_shows_at_least_eight_sourced_values(result):
    toll: Figure = result.site.get("figures/death-toll").fields
    assert len(toll.values) >= 8
    assert all(v.sources and v.given_by for v in toll.values)
    numbers = {v.value for v in toll.values}
    assert {28, 300} <= numbers


def test_no_private_person_or_forbidden_link_is_named(result):
    for path in sorted(CONTENT.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for name in NEVER_NAMED:
            assert name.casefold() not in text.casefold(), f"{path} names {name!r}"


def test_the_unverified_250_calls_figure_is_never_stated_as_fact(result):
    for path in sorted(CONTENT.rglob("*.md")):
        for paragraph in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            if paragraph.lstrip().startswith("#"):
                continue  # a heading names the claim; the paragraphs under it are checked
            if re.search(r"\b250\b", paragraph) and re.search(r"call|llamad", paragraph, re.I):
                assert re.search(UNVERIFIED_MARKERS, paragraph), f"{path}: {paragraph[:200]}"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("//"):
            self.hrefs.append(href.split("#")[0])


@pytest.mark.parametrize("root", ["", "es/"])
def test_every_page_is_within_three_clicks_of_its_home_page(result, root):
    def in_language(path: str) -> bool:
        return path.startswith(root) and (root or not path.startswith("es/"))

    pages = {p: data for p, data in result.outputs.items() if p.endswith("index.html") and in_language(p)}
    home = root + "index.html"
    depth = {home: 0}
    queue = deque([home])
    while queue:
        current = queue.popleft()
        if depth[current] == 3:
            continue
        parser = Links()
        parser.feed(pages[current].decode("utf-8"))
        for href in parser.hrefs:
            target = href.lstrip("/") + ("index.html" if href.endswith("/") else "")
            if target in pages and target not in depth:
                depth[target] = depth[current] + 1
                queue.append(target)
    unreachable = sorted(set(pages) - set(depth))
    assert unreachable == []


@pytest.mark.parametrize("root", ["", "es/"])
def test_violent_event_pages_carry_a_content_note(result, root):
    massacre = result.site.get("events/allende-massacre")
    assert massacre.fields.content_note
    html = result.outputs[f"{root}events/allende-massacre/index.html"].decode("utf-8")
    assert 'class="content-note"' in html


def test_contested_figures_show_every_value_on_the_page(result):
    html = result.outputs["figures/death-toll/index.html"].decode("utf-8")
    toll = result.site.get("figures/death-toll").fields
    assert html.count("<tr>") >= len(toll.values)


def test_every_page_stays_within_the_60_kb_transfer_budget(result):
    """HTML plus every stylesheet and script it links (whatever their names), compressed
    as servers send them: what a reader downloads before any search."""
    import gzip

    linked = re.compile(r'(?:href|src)="[^"]*?/?(static/[^"?#]+\.(?:css|js))')
    compressed = {}
    for path, data in result.outputs.items():
        if not path.endswith(".html"):
            continue
        assets = sorted(set(linked.findall(data.decode("utf-8"))))
        assert assets, f"{path} links no stylesheet"
        for asset in assets:
            if asset not in compressed:
                compressed[asset] = len(gzip.compress((REPO / asset).read_bytes(), 9))  # static/ is copied as is
        size = len(gzip.compress(data, 9)) + sum(compressed[asset] for asset in assets)
        assert size <= 60 * 1024, f"{path}: {size} bytes"
    assert "static/visuals.css" in compressed  # the graphics' stylesheet is counted too


def test_editorial_records_are_on_the_shipped_site(result):
    """Corrections logged, data downloadable, implicated people with a legal status, every
    source with an archive or the reason it has none."""
    log = result.outputs["corrections/index.html"].decode("utf-8")
    assert log.count("<dt>The page said</dt>") >= 30
    assert result.outputs["es/corrections/index.html"].decode("utf-8").count("<dt>La página decía</dt>") >= 30
    for lang in ("", "es/"):
        for name in ("figures", "timeline", "claims", "sources"):
            assert f"{lang}data/{name}.csv" in result.outputs and f"{lang}data/{name}.json" in result.outputs
    people = english(result, "people")
    implicated = [p for p in people if "implicated" in p.fields.flags]
    assert len(implicated) >= 5 and all(p.fields.legal_status for p in implicated)
    assert all(s.fields.archive or s.fields.no_archive for s in english(result, "sources"))


def test_the_massacre_has_a_known_start_and_a_disputed_end_everywhere(result):
    """Its duration is disputed: no endDate in JSON-LD, and no label states 18–20 March."""
    for path, marker in (
        ("events/allende-massacre/index.html", "end disputed"),
        ("es/events/allende-massacre/index.html", "fin en disputa"),
    ):
        page = result.outputs[path].decode("utf-8")
        data = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
        assert '"startDate":"2011-03-18"' in data and "endDate" not in data
        assert marker in page
    for path in ("timeline/index.html", "es/timeline/index.html"):
        timeline = result.outputs[path].decode("utf-8")
        assert "18–20 March 2011</time>" not in timeline and "18 al 20 de marzo de 2011</time>" not in timeline
