"""Search (Pagefind, in each language) and a site served under a sub-path, in Chromium."""

from __future__ import annotations

import pytest
from helpers import MINIMAL, run_cli
from support import WAIT, serve_folder


def settled_results(page) -> list[str]:
    """Pagefind fills results in one by one: wait until the first page of them is there."""
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=WAIT)
    page.wait_for_function(
        "document.querySelectorAll('.pagefind-ui__result-link').length >= Math.min(5,"
        " parseInt((document.querySelector('.pagefind-ui__message') || {textContent: '1'}).textContent) || 1)",
        timeout=WAIT,
    )
    links = page.locator(".pagefind-ui__result-link")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


SEARCHES = [
    ("", "DEA", "organizations/dea/"),
    ("", "Chayo", "characters/dona-chayo/"),
    ("es/", "DEA", "organizations/dea/"),
    ("es/", "Chayo", "characters/dona-chayo/"),
]


@pytest.mark.parametrize(("prefix", "query", "expected"), SEARCHES)
def test_search_finds_the_expected_page_in_each_language(page, site_url, prefix, query, expected):
    page.goto(f"{site_url}{prefix}search/?q={query}")
    hrefs = settled_results(page)
    assert any(href.endswith("/" + expected) for href in hrefs), hrefs
    if prefix == "es/":
        assert all("/es/" in href for href in hrefs), hrefs
    assert page.console_errors == []


FILTERS = [
    ("", "Type", "Organization", "/organizations/"),
    ("es/", "Tipo", "Organización", "/es/organizations/"),
    ("", "Verdict", "Documented", "/claims/"),
    ("es/", "Veredicto", "Documentado", "/es/claims/"),
    ("", "Realm", "Fiction", "/characters/"),
    ("es/", "Ámbito", "Ficción", "/es/characters/"),
]


@pytest.mark.parametrize(("prefix", "name", "value", "path"), FILTERS)
def test_a_search_filter_narrows_the_results_in_each_language(page, site_url, prefix, name, value, path):
    page.goto(f"{site_url}{prefix}search/?q=Allende")
    unfiltered = settled_results(page)
    assert any(path not in href for href in unfiltered), unfiltered
    checkbox = page.locator(f'input.pagefind-ui__filter-checkbox[name="{name}"][value="{value}"]')
    page.locator(".pagefind-ui__filter-block", has=checkbox).locator("summary").click()
    checkbox.check()
    page.wait_for_function(
        "path => [...document.querySelectorAll('.pagefind-ui__result-link')].every(a => a.pathname.includes(path))",
        arg=path,
        timeout=WAIT,
    )
    filtered = settled_results(page)
    assert filtered and all(path in href for href in filtered), filtered
    assert page.console_errors == []


@pytest.fixture(scope="module")
def sub_path_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("subpath") / "site"
    result = run_cli(["build", "--out", str(out), "--base-url", "https://example.org/somos/"])
    assert result.code == 0, result.err  # includes the link check under /somos/
    server, url = serve_folder(out, mount="/somos/")
    yield url
    server.shutdown()


def test_site_under_a_sub_path_navigates_and_finds(page, sub_path_url):
    page.goto(sub_path_url)
    assert page.locator("link[rel=stylesheet]").first.get_attribute("href").startswith("/somos/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="What happened").click()
    assert page.url.endswith("/somos/events/")
    page.locator(".entry-list a").first.click()
    assert "/somos/events/" in page.url
    page.goto(sub_path_url + "search/?q=DEA")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=WAIT)
    assert page.locator(".pagefind-ui__result-link").first.get_attribute("href").startswith("/somos/")
    assert page.console_errors == []


def test_spanish_edition_under_a_sub_path_switches_and_finds(page, sub_path_url):
    page.goto(sub_path_url + "events/allende-massacre/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    assert page.url == sub_path_url + "es/events/allende-massacre/"
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(sub_path_url + "es/search/?q=Chayo")
    hrefs = settled_results(page)
    assert any(href == "/somos/es/characters/dona-chayo/" for href in hrefs), hrefs
    assert all(href.startswith("/somos/es/") for href in hrefs), hrefs
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    assert page.url == sub_path_url + "search/"
    assert page.console_errors == []


@pytest.fixture(scope="module")
def bilingual_url(tmp_path_factory):
    """The fixture site has English and Spanish pages: one search index per language."""
    out = tmp_path_factory.mktemp("bilingual") / "site"
    result = run_cli(["build", "--out", str(out), "--content", str(MINIMAL / "content")])
    assert result.code == 0, result.err
    server, url = serve_folder(out)
    yield url
    server.shutdown()


@pytest.mark.parametrize(
    ("prefix", "query", "expected"), [("", "raid", "events/the-raid/"), ("es/", "raid", "es/events/the-raid/")]
)
def test_each_language_searches_its_own_index(page, bilingual_url, prefix, query, expected):
    page.goto(f"{bilingual_url}{prefix}search/?q={query}")
    hrefs = settled_results(page)
    assert any(href.endswith("/" + expected) for href in hrefs), hrefs
    assert all(href.startswith("/es/") == (prefix == "es/") for href in hrefs), hrefs


def test_language_switch_leads_to_the_counterpart(page, bilingual_url):
    page.goto(bilingual_url)
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    assert page.url == bilingual_url + "es/"
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    assert page.url == bilingual_url
