"""What a reader does in a real browser: navigate, follow citations and backlinks, open
spoilers, read in dark mode, print, use the keyboard, and read on a 320 px phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import WAIT

TYPES = [
    "series",
    "episodes",
    "characters",
    "events",
    "people",
    "places",
    "organizations",
    "figures",
    "claims",
    "sources",
]


def first_page_of(site: Path, folder: str) -> str:
    entries = sorted(p.name for p in (site / folder).iterdir() if p.is_dir())
    return f"{folder}/{entries[0]}/"


def pages_to_check(site: Path) -> list[str]:
    """The home page, every listing and generated view, and one page of every type."""
    listings = [p.parent.relative_to(site).as_posix() + "/" for p in sorted(site.glob("*/index.html"))]
    return ["", *listings, *(first_page_of(site, folder) for folder in TYPES)]


def test_every_page_type_and_view_has_no_axe_violations_and_no_console_errors(page, site_url, built_site):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for path in pages_to_check(built_site):
        page.goto(site_url + path)
        results = axe.run(page)
        assert results.violations_count == 0, f"/{path}: {results.generate_report()}"
        assert page.console_errors == [], f"/{path}: {page.console_errors}"


def test_header_navigation_and_breadcrumbs(page, site_url):
    page.goto(site_url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="What happened").click()
    assert page.url.endswith("/events/")
    assert page.get_by_role("heading", level=1).inner_text() == "What happened"
    page.locator(".entry-list a").first.click()
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    breadcrumbs.get_by_role("link", name="What happened").click()
    assert page.url.endswith("/events/")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Home").click()
    assert page.url == site_url


def test_citations_jump_to_their_note_and_back(page, site_url, built_site):
    page.goto(site_url + first_page_of(built_site, "events"))
    first = page.locator("sup.cite a").first
    first.click()  # opens the note in place; its link leads to the numbered note
    page.locator(".note-pop .note-pop-more").click()
    page.wait_for_url("**#note-1")
    assert page.url.endswith("#note-1")
    assert page.locator("#note-1").evaluate("el => el.matches(':target')")
    page.locator("#note-1 a.backref").click()
    assert page.url.endswith("#cite-ref-1")
    assert page.locator("#cite-ref-1").is_visible()


def test_backlinks_lead_to_the_pages_that_link_here(page, site_url):
    page.goto(site_url + "places/allende/")
    links = page.locator("section.relations a")
    assert links.count() > 3
    target = links.first.get_attribute("href")
    links.first.click()
    assert page.url.endswith(target)
    assert page.locator('a[href$="/places/allende/"]').count() > 0


def test_spoilers_are_collapsed_until_opened(page, site_url):
    page.goto(site_url + "episodes/6/")
    spoiler = page.locator("details.spoiler").first
    assert spoiler.get_attribute("open") is None
    assert "Spoiler" in spoiler.locator("summary").inner_text()
    spoiler.locator("summary").click()
    assert spoiler.get_attribute("open") is not None


def test_dark_mode_and_print_media(page, site_url):
    page.goto(site_url + "events/allende-massacre/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light != dark
    page.emulate_media(media="print", color_scheme="light")
    header_navs = page.locator(".site-header nav")  # main menu and language switch
    assert header_navs.count() == 2
    assert header_navs.evaluate_all("els => els.map(el => getComputedStyle(el).display)") == ["none", "none"]
    assert page.locator("section.notes").is_visible()  # citations print as notes
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_keyboard_skip_link_and_visible_focus(page, site_url):
    page.goto(site_url + "characters/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-48px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


@pytest.mark.parametrize("width", [320])
def test_no_horizontal_scrolling_on_a_small_phone(browser, site_url, built_site, width):
    context = browser.new_context(viewport={"width": width, "height": 640})
    context.set_default_timeout(WAIT)
    page = context.new_page()
    for path in pages_to_check(built_site):
        page.goto(site_url + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"/{path} is {scroll_width}px wide at {width}px"
    context.close()


def test_verdict_filter_works_with_javascript(page, site_url):
    page.goto(site_url + "verdicts/")
    links = page.locator(".verdict-filter button[data-verdict]")
    links.first.wait_for()
    assert links.count() >= 2
    verdict = links.first.get_attribute("data-verdict")
    links.first.click()
    visible = page.locator(".verdict-group:visible")
    assert visible.count() == 1 and visible.first.get_attribute("data-verdict") == verdict
    page.get_by_role("button", name="Show all verdicts").click()
    assert page.locator(".verdict-group:visible").count() == links.count()


def test_screenshots_at_phone_and_desktop_widths(browser, site_url, built_site, artifacts):
    shots = ["", "timeline/", "map/", "verdicts/", *(first_page_of(built_site, f) for f in TYPES)]
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(WAIT)
        page = context.new_page()
        for path in shots:
            page.goto(site_url + path)
            name = (path.strip("/").replace("/", "_") or "home") + f"-{width}.png"
            page.screenshot(path=str(artifacts / "screenshots" / name), full_page=True)
        context.close()
    assert len(list((artifacts / "screenshots").glob("*.png"))) == 2 * len(shots)
