"""The reader experience in Chromium: axe in light and dark mode and after every control is
used, the story and the realm frame in a phone's first screen, notes that open in place,
the verdict filter, search in the site's colours, and print from a dark system theme."""

from __future__ import annotations

import re

import pytest
from support import WAIT
from test_reader import pages_to_check

ENTRY_PAGES = {
    "series": "series/somos/",
    "episode": "episodes/6/",
    "character": "characters/dona-chayo/",
    "event": "events/allende-massacre/",
    "person": "people/ginger-thompson/",
    "place": "places/allende/",
    "organization": "organizations/dea/",
    "figure": "figures/death-toll/",
    "claim": "claims/did-the-dea-leak-cause-the-massacre/",
    "source": "sources/propublica-2017/",
    "page": "fact-and-fiction/",
    "home": "",
}
PHONE = {"width": 390, "height": 844}


def axe_clean(page, where: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, f"{where}: {results.generate_report()}"


@pytest.fixture
def dark_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def test_every_page_type_has_no_axe_violations_in_dark_mode(dark_page, site_url, built_site):
    paths = sorted({*pages_to_check(built_site), *ENTRY_PAGES.values(), "es/characters/dona-chayo/"})
    for path in paths:
        dark_page.goto(site_url + path)
        assert dark_page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        axe_clean(dark_page, f"/{path} (dark)")
    assert dark_page.console_errors == []


# The article's first sentence: from the start of the first paragraph of the body to the
# first full stop followed by a space (or the paragraph's end), as a DOM range.
FIRST_SENTENCE = """() => {
  const p = document.querySelector('.entry .body > p');
  if (!p) return null;
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  range.setStart(p, 0);
  let node, end = null;
  while ((node = walker.nextNode())) {
    const at = node.textContent.search(/[.?!](\\s|$)/);
    if (at >= 0) { range.setEnd(node, at + 1); end = node; break; }
  }
  if (!end) range.setEndAfter(p.lastChild);
  const box = range.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, text: range.toString()};
}"""


def test_touch_targets_are_big_enough_on_a_phone(phone, site_url):
    """axe's WCAG 2.2 target-size rule (24 px or spacing), which Lighthouse's mobile audit
    runs and axe's default set does not."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": ["target-size"]}}
    for kind, path in sorted(ENTRY_PAGES.items()):
        phone.goto(site_url + path)
        results = Axe().run(phone, options=options)
        assert results.violations_count == 0, f"{kind}: {results.generate_report()}"


@pytest.mark.parametrize("kind", sorted(ENTRY_PAGES))
def test_first_sentence_and_realm_frame_are_in_a_phones_first_screen(phone, site_url, kind):
    phone.goto(site_url + ENTRY_PAGES[kind])
    sentence = phone.evaluate(FIRST_SENTENCE)
    assert sentence is not None, "no paragraph in the article body"
    assert sentence["text"].strip()
    assert sentence["bottom"] <= PHONE["height"], f"{kind}: first sentence ends at {sentence['bottom']}px"
    if kind in ("home", "page"):
        return  # site pages carry no realm band
    band = phone.locator(".entry-header .realm-band")
    box = band.bounding_box()
    assert band.is_visible() and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    if kind == "character":
        assert band.inner_text().upper().startswith("FICTION")
        assert "not a real person" in band.inner_text()
        border = phone.evaluate("getComputedStyle(document.querySelector('article.entry')).borderTopStyle")
        assert border == "solid"


def test_every_entry_page_starts_its_story_in_a_phones_first_screen(phone, site_url, built_site):
    """The same check on every entry page of both editions, not one per type."""
    folders = ("series", "episodes", "characters", "events", "people", "places", "organizations", "figures", "claims")
    paths = [
        page.parent.relative_to(built_site).as_posix() + "/"
        for edition in (built_site, built_site / "es")
        for folder in folders
        for page in sorted((edition / folder).glob("*/index.html"))
    ]
    assert len(paths) > 200
    late = []
    for path in paths:
        phone.goto(site_url + path)
        sentence = phone.evaluate(FIRST_SENTENCE)
        band = phone.locator(".entry-header .realm-band").bounding_box()
        if sentence is None or sentence["bottom"] > PHONE["height"] or band["y"] + band["height"] > PHONE["height"]:
            late.append((path, sentence and round(sentence["bottom"])))
    assert late == []


def test_a_note_opens_in_place_on_focus_hover_and_tap_and_axe_stays_clean(page, site_url):
    page.goto(site_url + "events/allende-massacre/")
    cite = page.locator("sup.cite a").first
    cite.focus()
    pop = page.locator(".note-pop")
    pop.wait_for(state="visible")
    assert cite.get_attribute("aria-expanded") == "true"
    assert cite.get_attribute("aria-controls") == pop.get_attribute("id")
    note_text = page.locator("#note-1 .note-body").inner_text()
    assert pop.locator(".note-pop-body").inner_text().strip() == note_text.strip()
    assert pop.locator(".kind").count() >= 1  # the source's kind shows in the popover
    axe_clean(page, "event page with a note open")
    page.keyboard.press("Escape")
    pop.wait_for(state="detached")
    assert cite.get_attribute("aria-expanded") == "false"
    page.locator("body").click(position={"x": 5, "y": 5})
    second = page.locator("sup.cite a").nth(1)
    second.hover()
    pop.wait_for(state="visible")
    second.click()  # pins it; the link does not jump
    assert not page.url.endswith("#note-2")
    pop.locator(".note-pop-more").click()
    page.wait_for_url(re.compile(r"#note-2$"))
    assert page.url.endswith("#note-2")


def test_a_note_opens_on_tap_and_stays_inside_a_phone_screen(phone, site_url):
    phone.goto(site_url + "characters/dona-chayo/")
    phone.locator("sup.cite a").first.tap()
    pop = phone.locator(".note-pop")
    pop.wait_for(state="visible")
    box = pop.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    axe_clean(phone, "character page on a phone with a note open")


def test_without_javascript_notes_are_plain_footnotes(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "events/allende-massacre/")
    page.locator("sup.cite a").first.click()
    assert page.url.endswith("#note-1")
    assert page.locator(".note-pop").count() == 0
    context.close()


def test_verdict_filter_uses_buttons_and_stays_accessible(page, site_url):
    page.goto(site_url + "verdicts/")
    buttons = page.locator(".verdict-filter button[data-verdict]")
    buttons.first.wait_for()
    assert page.locator(".verdict-filter a[aria-pressed]").count() == 0
    for index in range(buttons.count()):
        button = buttons.nth(index)
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        visible = page.locator(".verdict-group:visible")
        verdict = button.get_attribute("data-verdict")
        assert visible.count() == 1 and visible.first.get_attribute("data-verdict") == verdict
    axe_clean(page, "verdicts with a filter on")
    page.get_by_role("button", name="Show all verdicts").click()
    assert page.locator(".verdict-group:visible").count() == buttons.count()
    axe_clean(page, "verdicts with every filter off")


def test_opened_spoilers_and_aside_groups_stay_accessible_in_both_themes(browser, site_url):
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(site_url + "episodes/6/")
        closed = page.locator("details:not([open]) > summary")
        while closed.count():
            closed.first.click()
        assert page.locator("details:not([open])").count() == 0
        axe_clean(page, f"episode 6 with every spoiler and group open ({scheme})")
        context.close()


def results_of(page) -> list[str]:
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=WAIT)
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__result-link').length >= 5", timeout=WAIT)
    links = page.locator(".pagefind-ui__result-link")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


@pytest.mark.parametrize(
    "query", ["Allende massacre", "death toll", "DEA", "es/:masacre de Allende", "es/:cifra de muertos"]
)
def test_source_records_rank_below_the_pages_that_use_them(page, site_url, query):
    prefix, _, words = query.rpartition(":")
    page.goto(f"{site_url}{prefix}search/?q={words}")
    hrefs = results_of(page)
    kinds = ["source" if "/sources/" in href else "entry" for href in hrefs]
    assert kinds == sorted(kinds), hrefs  # every entry before every source record


def test_a_source_record_is_found_by_its_title_and_shown_with_it(page, site_url):
    page.goto(site_url + "search/?q=Chilling New Report")
    link = page.locator(".pagefind-ui__result-link").first
    link.wait_for(timeout=WAIT)
    assert link.get_attribute("href").endswith("/sources/propublica-2016/")
    assert link.inner_text() == "Source: Chilling New Report Cites Greater Death Toll in Allende Massacre"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_reads_well_in_both_themes_and_ranks_entries_first(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "search/?q=Allende massacre")
    hrefs = results_of(page)
    assert page.locator("input:not([type=checkbox])").count() == 1  # one search box on the page
    assert any(href.endswith("/events/allende-massacre/") for href in hrefs), hrefs  # found by its other name
    assert not any("/sources/" in href for href in hrefs[:3]), hrefs
    excerpts = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    assert excerpts and not any(re.search(r"When\S|Where\S|Who\S|Real world|Fact check", e) for e in excerpts), excerpts
    text_colour = page.locator(".pagefind-ui__result-excerpt").first.evaluate("el => getComputedStyle(el).color")
    body_colour = page.evaluate("getComputedStyle(document.body).color")
    assert text_colour == body_colour
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 4", timeout=WAIT)
    filters = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert {"Type", "Realm", "Verdict", "Episode"} <= {f.strip() for f in filters}, filters
    axe_clean(page, f"search with a query ({scheme})")
    realm = page.locator(".pagefind-ui__filter-block", has=page.locator('input[name="Realm"]'))
    realm.locator("summary").click()
    realm.locator('input[value="Fiction"]').check()
    page.wait_for_function(
        "[...document.querySelectorAll('.pagefind-ui__result-link')].every(a => a.pathname.includes('/characters/'))",
        timeout=WAIT,
    )
    axe_clean(page, f"search with a realm filter on ({scheme})")
    context.close()


def test_print_from_a_dark_theme_is_light_with_spoilers_open_and_no_search(browser, site_url):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_url + "episodes/6/")
    page.emulate_media(media="print", color_scheme="dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    for selector in ("h1", ".realm-band", ".body p"):
        colour = page.locator(selector).first.evaluate("el => getComputedStyle(el).color")
        assert colour == "rgb(0, 0, 0)", (selector, colour)
    hidden = page.locator("details.spoiler:not([open]) > :not(summary)").first
    assert hidden.bounding_box() is not None and hidden.bounding_box()["height"] > 0
    for selector in (".search-form", ".main-nav", ".language-switch"):
        assert page.locator(selector).evaluate("el => getComputedStyle(el).display") == "none", selector
    page.goto(site_url + "events/allende-massacre/")
    page.emulate_media(media="print", color_scheme="dark")
    url = page.locator(".source-url").first.evaluate("el => getComputedStyle(el, '::after').content")
    assert "http" in url  # the source's address prints
    context.close()


def test_every_event_page_prints_on_at_most_two_a4_pages(browser, site_url, built_site):
    """In both languages, from a dark system theme, as a reader would print it; the
    longest event page (the massacre, with 34 sources, in Spanish) tests the layout."""
    events = sorted(
        str(p.parent.relative_to(built_site))
        for lang in ("", "es/")
        for p in built_site.glob(f"{lang}events/*/index.html")
    )
    assert "events/allende-massacre" in events and "es/events/allende-massacre" in events
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    too_long = {}
    for path in events:
        page.goto(f"{site_url}{path}/")
        page.emulate_media(media="print", color_scheme="dark")
        count = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))
        if not 1 <= count <= 2:
            too_long[path] = count
    context.close()
    assert not too_long, f"event pages printing on more than two A4 pages: {too_long}"
