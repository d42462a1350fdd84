"""Review screenshots of the built site: the home page, an event, a character, a claim, a
figure, the timeline and the map, in light and dark mode, on a phone and a laptop.

    python bench/screenshots.py [--out test-artifacts/review] [--full] [--site DIR] [--pages PATH ...]

Builds the shipped site into a temporary folder (or takes `--site`, an already built
one), serves it on 127.0.0.1 and drives Debian's Chromium (/usr/bin/chromium) with
Playwright. Writes one PNG per page, theme and device: `event-dark-phone.png` and so on
(first screen only; `--full` for whole pages), plus `event-print.pdf`, the print view in a
dark system theme."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests"), str(REPO / "tests" / "browser")]

from helpers import run_cli  # noqa: E402
from support import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402

PAGES = {
    "home": "",
    "event": "events/allende-massacre/",
    "character": "characters/dona-chayo/",
    "claim": "claims/did-the-dea-leak-cause-the-massacre/",
    "figure": "figures/death-toll/",
    "timeline": "timeline/",
    "map": "map/",
}
DEVICES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def shoot(site: Path, out: Path, pages: dict[str, str], full: bool) -> list[Path]:
    from playwright.sync_api import sync_playwright

    server, base = serve_folder(site)
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for device, viewport in DEVICES.items():
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1)
                    page = context.new_page()
                    for name, path in pages.items():
                        page.goto(base + path, wait_until="load")
                        if "?q=" in path:  # a search: wait for its results
                            page.locator(".pagefind-ui__result").first.wait_for(timeout=15000)
                        target = out / f"{name}-{scheme}-{device}.png"
                        page.screenshot(path=str(target), full_page=full)
                        written.append(target)
                    context.close()
            if "event" in pages:  # the print view, from a dark system theme
                context = browser.new_context(color_scheme="dark")
                page = context.new_page()
                page.goto(base + pages["event"], wait_until="load")
                page.emulate_media(media="print", color_scheme="dark")
                target = out / "event-print.pdf"
                target.write_bytes(page.pdf(format="A4"))
                written.append(target)
            browser.close()
    finally:
        server.shutdown()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(REPO / "test-artifacts" / "review"))
    parser.add_argument("--site", help="an already built site (default: build the shipped one)")
    parser.add_argument("--full", action="store_true", help="whole pages, not the first screen")
    parser.add_argument("--pages", nargs="*", help="NAME=PATH pairs instead of the default set")
    args = parser.parse_args()
    pages = dict(PAGES) if not args.pages else dict(item.split("=", 1) for item in args.pages)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(args.site) if args.site else Path(folder) / "site"
        if not args.site:
            result = run_cli(["build", "--out", str(site)])
            if result.code != 0:
                print(result.err, file=sys.stderr)
                return 1
        written = shoot(site, out, pages, args.full)
    print(f"{len(written)} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
