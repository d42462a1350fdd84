"""Browser tests: the built site served on 127.0.0.1 and driven in Debian's Chromium.

They skip only when no Chromium is installed, and never when CI=true (then a missing
browser is a failure). No tool may download its own browser here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import run_cli
from support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, WAIT, require, serve_folder

BROWSER_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items) -> None:
    """Every test in this folder is a browser test: `pytest -m "not browser"` skips them all."""
    for item in items:
        if BROWSER_TESTS in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    # SOMOS_CONTENT points the browser tests at another content folder (the checks that
    # name pages of the shipped site then fail, by design).
    content = ["--content", os.environ["SOMOS_CONTENT"]] if os.environ.get("SOMOS_CONTENT") else []
    result = run_cli(["build", "--out", str(out), *content])
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="session")
def site_url(built_site):
    server, url = serve_folder(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM})")
    playwright_api = pytest.importorskip("playwright.sync_api") if os.environ.get("CI") != "true" else None
    if playwright_api is None:
        import playwright.sync_api as playwright_api
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Clicks, fills and navigations wait for their condition up to WAIT, not Playwright's 30 s.
    context.set_default_timeout(WAIT)
    context.set_default_navigation_timeout(WAIT)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS / "screenshots", ignore_errors=True)
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
