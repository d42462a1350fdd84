"""Feeds, sitemap, hreflang and JSON-LD on a built site (the minimal fixture)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import JSON_LD_REQUIRED, MINIMAL, run_cli

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("discovery") / "site"
    result = run_cli(["build", "--content", str(MINIMAL / "content"), "--out", str(out)])
    assert result.code == 0, result.err
    return out


@pytest.mark.parametrize("feed", ["feed.xml", "es/feed.xml", "corrections.xml", "es/corrections.xml"])
def test_atom_feeds_have_the_required_elements_and_stable_ids(site, feed):
    root = ET.parse(site / feed).getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']").get("href").endswith(feed)
    ids = [entry.findtext(f"{ATOM}id") for entry in root.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    for entry in root.iter(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}id").startswith("tag:example.org,2026:")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{ATOM}updated"))
        assert entry.findtext(f"{ATOM}title") and entry.find(f"{ATOM}link").get("href").startswith("https://")
    if feed == "feed.xml":
        assert len(ids) > 10


def test_sitemap_lists_every_real_page_with_reciprocal_language_alternates(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = {u.findtext(f"{SITEMAP}loc"): u for u in root.iter(f"{SITEMAP}url")}
    assert "https://example.org/" in urls and "https://example.org/es/" in urls
    assert "https://example.org/events/the-raid/" in urls
    assert "https://example.org/es/events/the-raid/" not in urls  # a fallback page, not a translation
    home = {link.get("hreflang"): link.get("href") for link in urls["https://example.org/"].iter(f"{XHTML}link")}
    assert home == {"en": "https://example.org/", "es": "https://example.org/es/", "x-default": "https://example.org/"}
    spanish = {link.get("hreflang"): link.get("href") for link in urls["https://example.org/es/"].iter(f"{XHTML}link")}
    assert spanish == home
    assert (site / "robots.txt").read_text(encoding="utf-8").endswith("Sitemap: https://example.org/sitemap.xml\n")


def test_language_switch_and_hreflang_agree(site):
    english = (site / "index.html").read_text(encoding="utf-8")
    spanish = (site / "es" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and '<html lang="es">' in spanish
    assert '<a href="/es/" hreflang="es" lang="es">Español</a>' in english
    assert '<a href="/" hreflang="en" lang="en">English</a>' in spanish
    for page in (english, spanish):
        assert '<link rel="alternate" hreflang="es" href="https://example.org/es/">' in page
        assert '<link rel="alternate" hreflang="x-default" href="https://example.org/">' in page
    fallback = (site / "es" / "events" / "the-raid" / "index.html").read_text(encoding="utf-8")
    assert "todavía no está traducida" in fallback and 'lang="en" data-pagefind-body' in fallback
    assert '<meta name="robots" content="noindex">' in fallback


def structured(page: Path) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert len(found) == 1, page
    return json.loads(found[0])


def test_every_entry_page_carries_json_ld_with_the_properties_of_its_type(site):
    seen = set()
    for page in sorted(site.rglob("index.html")):
        text = page.read_text(encoding="utf-8")
        if "application/ld+json" not in text:
            continue
        data = structured(page)
        assert data["@context"] == "https://schema.org"
        for name in JSON_LD_REQUIRED[data["@type"]]:
            assert data.get(name), f"{page}: {data['@type']} lacks {name}"
        seen.add(data["@type"])
    assert seen >= {"TVSeries", "TVEpisode", "Person", "Place", "Organization", "Event", "CreativeWork", "ClaimReview"}
    claim = structured(site / "claims" / "is-it-true" / "index.html")
    assert claim["reviewRating"]["alternateName"] == "Composite"
    place = structured(site / "places" / "town" / "index.html")
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 28.3472, "longitude": -100.8542}


def test_open_graph_and_canonical(site):
    page = (site / "events" / "the-raid" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/events/the-raid/">' in page
    assert '<meta property="og:title" content="The raid · Minimal companion">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card" content="summary">' in page


@pytest.mark.parametrize(
    ("root", "name", "other"),
    [("", "Minimal companion", "Acompañante mínimo"), ("es/", "Acompañante mínimo", "Minimal companion")],
)
def test_each_language_shows_the_site_title_and_description_in_that_language(site, root, name, other):
    page = (site / root / "events" / "the-raid" / "index.html").read_text(encoding="utf-8")
    assert f'<meta property="og:site_name" content="{name}">' in page
    assert f" · {name}</title>" in page
    assert other not in page
    feed = ET.parse(site / root / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == name
    spanish_home = (site / "es" / "index.html").read_text(encoding="utf-8")
    assert "Un sitio de prueba diminuto" in spanish_home


def test_not_found_page_in_each_language(site):
    assert "Page not found" in (site / "404.html").read_text(encoding="utf-8")
    assert "Página no encontrada" in (site / "es" / "404.html").read_text(encoding="utf-8")


def test_foreign_language_source_titles_carry_their_language(site):
    english = (site / "people" / "creator" / "index.html").read_text(encoding="utf-8")
    spanish = (site / "es" / "people" / "creator" / "index.html").read_text(encoding="utf-8")
    assert "<cite>A review</cite>" in english
    assert '<cite lang="en">A review</cite>' in spanish
    # A fallback page is English as a whole, so its title needs no mark of its own.
    fallback = (site / "es" / "sources" / "review-2021" / "index.html").read_text(encoding="utf-8")
    assert '<h1 data-pagefind-weight="0.1">A review</h1>' in fallback  # a source record ranks low
    # A source in two languages gives its title no single language.
    toll = (site / "es" / "figures" / "toll" / "index.html").read_text(encoding="utf-8")
    assert "<cite>A report: on the raid</cite>" in toll
