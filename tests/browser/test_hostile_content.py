"""A site built from hostile content (tests/hostile.py), loaded in Chromium: no dialog opens
and no script from content runs, on the pages that show the payloads and in search results
(whose excerpts Pagefind's UI inserts as HTML)."""

from __future__ import annotations

import shutil

import pytest
from helpers import MINIMAL, run_cli
from hostile import PAYLOAD_NUMBERS, make_hostile
from support import WAIT, serve_folder

# Before any page script: record every alert/confirm/prompt, and any script that runs from
# content would have to call one of them (every payload calls alert(N)).
TRAP = """
window.__calls = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__calls.push(name + '(' + args.join(',') + ')'); };
}
"""
PAGES = [
    "events/the-raid/",
    "es/events/the-raid/",
    "places/town/",
    "figures/toll/",
    "people/creator/",
    "sources/report-2017/",
    "timeline/",
    "map/",
    "events/",
    "",
]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(MINIMAL / "content", root / "content")
    make_hostile(root / "content")
    out = root / "site"
    result = run_cli(["build", "--out", str(out), "--content", str(root / "content")])
    assert result.code == 0, result.err
    server, url = serve_folder(out)
    yield url
    server.shutdown()


def open_trapped(page, url: str) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(TRAP)
    page.goto(url, wait_until="load")
    return dialogs


@pytest.mark.parametrize("path", PAGES)
def test_no_dialog_and_no_script_from_content_runs(page, hostile_url, path):
    dialogs = open_trapped(page, hostile_url + path)
    # Give any injected handler (onerror of a broken image, ontoggle, onload) its chance.
    page.wait_for_function("document.readyState === 'complete'")
    page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)))")
    assert dialogs == []
    assert page.evaluate("window.__calls") == []
    # The payloads are on the page as text, not as elements or handlers.
    assert page.locator("[onerror], [onload], [ontoggle], [onclick], iframe, object, embed").count() == 0
    dangerous_links = "[...document.querySelectorAll('a[href]')].filter(a => /^\\s*(javascript|data):/i.test(a.href))"
    assert page.evaluate(dangerous_links + ".length") == 0


def test_the_title_shows_as_the_text_it_is(page, hostile_url):
    open_trapped(page, hostile_url + "events/the-raid/")
    assert page.locator("h1").first.inner_text().startswith("<img src=x onerror=alert(101)>")


@pytest.mark.parametrize("query", ["onerror", "raid", "script", "iframe"])
def test_search_results_show_payloads_as_text(page, hostile_url, query):
    dialogs = open_trapped(page, f"{hostile_url}search/?q={query}")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=WAIT)
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__result-excerpt').length > 0", timeout=WAIT)
    assert dialogs == []
    assert page.evaluate("window.__calls") == []
    results = page.locator(".pagefind-ui__results")
    assert results.locator("img[onerror], iframe, script, svg[onload]").count() == 0
    assert any(str(n) in results.inner_text() for n in PAYLOAD_NUMBERS) or query == "raid"
