"""The shipped site in both languages: every page has its counterpart, and the three ways of
pointing at it (language switch, hreflang, sitemap alternates) agree."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from helpers import JSON_LD_REQUIRED, REPO

from somos_site.diagnostics import format_diagnostic
from somos_site.pipeline import Options, run

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BASE = "https://example.org/"
FALLBACK_NOTICE = "todavía no está traducida"


@pytest.fixture(scope="module")
def result():
    built = run(Options.for_project(REPO, strict=True), write_output=False)
    assert built.ok, "\n".join(format_diagnostic(d) for d in built.diagnostics[:30])
    return built


class LanguageLinks(HTMLParser):
    """The page's hreflang <link>s and its language-switch <a>s, each keyed by language."""

    def __init__(self) -> None:
        super().__init__()
        self.alternates: dict[str, str] = {}
        self.switch: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        code = attributes.get("hreflang")
        if code is None:
            return
        if tag == "link" and attributes.get("rel") == "alternate":
            self.alternates[code] = attributes["href"]
        elif tag == "a":
            self.switch[code] = attributes["href"]


def language_links(html: bytes) -> LanguageLinks:
    parser = LanguageLinks()
    parser.feed(html.decode("utf-8"))
    return parser


def page_paths(result) -> tuple[set[str], set[str]]:
    """English and Spanish page paths, relative to their language root ("" is a home page)."""
    english, spanish = set(), set()
    for path in result.outputs:
        if not path.endswith("index.html"):
            continue
        relative = path.removesuffix("index.html")
        if relative.startswith("es/"):
            spanish.add(relative.removeprefix("es/"))
        else:
            english.add(relative)
    return english, spanish


def test_every_entry_is_translated_and_every_translation_has_an_original(result):
    ids = defaultdict(set)
    for entry_id, lang in result.site.entries:
        ids[lang].add(entry_id)
    assert set(ids) == {"en", "es"}
    assert sorted(ids["en"] - ids["es"]) == []
    assert sorted(ids["es"] - ids["en"]) == []


def test_every_page_has_a_counterpart_that_is_a_real_translation(result):
    english, spanish = page_paths(result)
    assert len(english) > 300
    assert english == spanish
    fallbacks = [p for p in spanish if FALLBACK_NOTICE in result.outputs[f"es/{p}index.html"].decode("utf-8")]
    assert fallbacks == []


def test_language_switch_hreflang_and_sitemap_alternates_agree(result):
    sitemap = ET.fromstring(result.outputs["sitemap.xml"])
    sitemap_alternates = {
        url.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        for url in sitemap.iter(f"{SITEMAP}url")
    }
    english, _ = page_paths(result)
    disagreements = []
    for relative in sorted(english):
        expected = {"en": BASE + relative, "es": f"{BASE}es/{relative}", "x-default": BASE + relative}
        # Each page's switch offers the other language, at the same page.
        switches = {
            f"{relative}index.html": {"es": f"/es/{relative}"},
            f"es/{relative}index.html": {"en": "/" + relative},
        }
        for output, switch in switches.items():
            links = language_links(result.outputs[output])
            if links.alternates != expected:
                disagreements.append((output, "hreflang", links.alternates))
            if links.switch != switch:
                disagreements.append((output, "switch", links.switch))
        for loc in (expected["en"], expected["es"]):
            if loc in sitemap_alternates and sitemap_alternates[loc] != expected:
                disagreements.append((loc, "sitemap", sitemap_alternates[loc]))
    assert disagreements == []


def test_the_sitemap_lists_every_entry_page_in_both_languages(result):
    locs = {url.findtext(f"{SITEMAP}loc") for url in ET.fromstring(result.outputs["sitemap.xml"]).iter(f"{SITEMAP}url")}
    for entry_id, lang in result.site.entries:
        prefix = "" if lang == "en" else "es/"
        path = "" if entry_id == "pages/index" else entry_id.removeprefix("pages/") + "/"
        assert f"{BASE}{prefix}{path}" in locs, (entry_id, lang)


def test_json_ld_parses_on_every_page_and_carries_the_properties_of_its_type(result):
    types = set()
    for path, data in sorted(result.outputs.items()):
        if not path.endswith(".html"):
            continue
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', data.decode("utf-8"), re.S)
        assert len(blocks) <= 1, path
        for block in blocks:
            item = json.loads(block)
            missing = [name for name in JSON_LD_REQUIRED[item["@type"]] if not item.get(name)]
            assert missing == [], f"{path}: {item['@type']} lacks {missing}"
            assert item["url"].startswith(BASE + ("es/" if path.startswith("es/") else "")), path
            types.add(item["@type"])
    assert types >= {"TVSeries", "TVEpisode", "Person", "Place", "Organization", "Event", "CreativeWork", "ClaimReview"}
