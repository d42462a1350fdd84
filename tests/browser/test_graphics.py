"""The graphics in a real browser, at a 390 px phone and a 1280 px laptop, light and dark:
the rendered text of the timeline, the map and a figure chart. No two labels overlap, none
is cut or leaves its SVG, and all text is at least 12 px on screen. Screenshots of each are
saved in test-artifacts/screenshots/graphics/ for review."""

from __future__ import annotations

import pytest

PAGES = ["timeline/", "map/", "figures/death-toll/", "es/figures/emergency-calls/", "es/map/"]
VIEWPORTS = [(390, 844), (1280, 800)]

# Every <text> of the artboard on show: its box on screen and its font size on screen.
# SVG text never wraps or clips itself: a label is cut only if it ends in an ellipsis or
# runs past the edge of its SVG (which `overflow: visible` would otherwise hide from view).
MEASURE = """
() => {
  const boards = [...document.querySelectorAll('svg.artboard')].filter(s => s.getBoundingClientRect().width > 0);
  return boards.map(svg => {
    const frame = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      const size = parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a;
      return {text: t.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
              size};
    });
    return {cls: svg.getAttribute('class'), frame: {left: frame.left, top: frame.top, right: frame.right,
            bottom: frame.bottom}, texts};
  });
}
"""


def overlap(a: dict, b: dict, slack: float = 0.5) -> bool:
    return not (
        a["right"] - slack <= b["left"]
        or b["right"] - slack <= a["left"]
        or a["bottom"] - slack <= b["top"]
        or b["bottom"] - slack <= a["top"]
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_graphic_labels_do_not_overlap_are_whole_and_readable(browser, site_url, artifacts, width, height, scheme):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(site_url + path)
            page.wait_for_function("document.fonts.ready.then(() => true)")
            page.locator("svg.artboard:visible").first.wait_for(state="visible")
            boards = page.evaluate(MEASURE)
            # One artboard per graphic is shown; the map has two panels (the region, the detail).
            panels = 2 if path.endswith("map/") else 1
            assert len(boards) == panels, f"/{path}: {panels} artboard(s) shown at {width} px, not {len(boards)}"
            expected = "artboard-narrow" if width < 600 else "artboard-wide"
            problems = []
            for board in boards:
                assert expected in board["cls"], (path, width, board["cls"])
                problems += board_problems(board)
            assert problems == [], f"/{path} at {width} px ({scheme}): {problems}"
            name = path.strip("/").replace("/", "-")
            folder = artifacts / "screenshots" / "graphics"  # apart from the page screenshots
            folder.mkdir(parents=True, exist_ok=True)
            for index, shown in enumerate(page.locator("svg.artboard:visible").all()):
                suffix = f"-{index + 1}" if panels > 1 else ""
                shown.screenshot(path=str(folder / f"{name}{suffix}-{width}-{scheme}.png"))
    finally:
        context.close()


def board_problems(board: dict) -> list[str]:
    """What is wrong with the text of one shown artboard: too small, cut, outside, overlapping."""
    frame, texts = board["frame"], board["texts"]
    problems = []
    for i, a in enumerate(texts):
        if a["size"] < 12:
            problems.append(f"'{a['text']}' is {a['size']:.1f} px")
        if "…" in a["text"]:
            problems.append(f"'{a['text']}' is cut")
        inside = (
            a["left"] >= frame["left"] - 0.5
            and a["right"] <= frame["right"] + 0.5
            and a["top"] >= frame["top"] - 0.5
            and a["bottom"] <= frame["bottom"] + 0.5
        )
        if not inside:
            problems.append(f"'{a['text']}' leaves the graphic")
        problems += [f"'{a['text']}' overlaps '{b['text']}'" for b in texts[i + 1 :] if overlap(a, b)]
    return problems


def test_the_figure_table_fits_a_phone(browser, site_url):
    """On a 390 px phone the table of values stacks: no column is pushed off the screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(site_url + "figures/death-toll/")
        table = page.locator(".figure-values table")
        table.wait_for(state="visible")
        widest = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('.figure-values td, .figure-values th')]"
            ".map(c => c.getBoundingClientRect().right))"
        )
        assert widest <= 390, widest
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_graphic_pages_have_no_axe_violations(browser, site_url, width, height, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    try:
        for path in ("timeline/", "map/", "figures/death-toll/"):
            page.goto(site_url + path)
            page.locator("svg.artboard:visible").first.wait_for(state="visible")
            results = Axe().run(page)
            assert results.violations_count == 0, f"/{path} {width} px {scheme}: {results.generate_report()}"
    finally:
        context.close()
