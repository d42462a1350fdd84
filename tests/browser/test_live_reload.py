"""`serve` in a real browser: an edit reloads the page, a broken reference shows the
overlay over the last good page, and fixing it clears the overlay."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time

import pytest
from helpers import MINIMAL, REPO
from playwright.sync_api import expect
from support import WAIT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dev_server(tmp_path):
    shutil.copytree(MINIMAL, tmp_path / "site")
    content = tmp_path / "site" / "content"
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--content", str(content), "--out", str(tmp_path / "out"),
         "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + WAIT / 1000
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield content, f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=10)


def test_edit_reloads_error_shows_overlay_fix_clears_it(page, dev_server):
    content, url = dev_server
    page.goto(url + "events/the-raid/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "The raid"
    source = content / "events" / "the-raid.md"
    good = source.read_text(encoding="utf-8")

    source.write_text(good.replace("title: The raid", "title: The night raid"), encoding="utf-8")
    page.wait_for_function("document.querySelector('h1').textContent === 'The night raid'", timeout=WAIT)

    broken = good.replace("title: The raid", "title: The broken raid").replace("[[figures/toll]]", "[[figures/tol]]")
    source.write_text(broken, encoding="utf-8")
    overlay = page.locator("#somos-overlay")
    overlay.wait_for(timeout=WAIT)
    assert "error[ref-missing]" in overlay.inner_text() and "did you mean 'figures/toll'" in overlay.inner_text()
    assert page.locator("h1").inner_text() == "The night raid"  # the last good build stays served

    source.write_text(good, encoding="utf-8")
    overlay.wait_for(state="detached", timeout=WAIT)
    page.wait_for_function("document.querySelector('h1').textContent === 'The raid'", timeout=WAIT)


def test_warnings_show_as_a_dismissible_bar_in_the_pages_language(page, dev_server):
    content, url = dev_server
    page.goto(url + "es/")
    bar = page.locator("#somos-warnings")
    bar.wait_for(timeout=WAIT)  # the fixture site lacks some translations: warnings from the start
    assert "Avisos de la última construcción" in bar.inner_text()
    assert "warning[translation-missing]" in bar.inner_text()
    page.get_by_role("button", name="Cerrar").click()
    bar.wait_for(state="detached", timeout=WAIT)

    original = content / "pages" / "index.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    # New warnings (this page's translation is now stale) bring the bar back after the reload.
    page.wait_for_function(
        "(document.querySelector('#somos-warnings') || {textContent: ''}).textContent.includes('translation-stale')",
        timeout=WAIT,
    )
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.get_by_role("button", name="Cerrar")).to_be_visible(timeout=WAIT)
