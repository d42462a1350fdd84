"""Lighthouse 12 (Node 20) scores of the built site, on mobile and on desktop.

    python bench/lighthouse.py [--content DIR] [--pages PATH ...] [--form-factor mobile|desktop|both]

Builds the site into a temporary folder, serves it on 127.0.0.1, runs Lighthouse from the
npm registry (`npx lighthouse@12`) against Debian's Chromium, and prints the four category
scores per page and form factor: mobile is Lighthouse's default (a phone screen with
simulated slow 4G and a 4x slower CPU), desktop its `--preset=desktop`. The default pages
are the home page, an event, a character, a claim, a figure, the timeline and the map.
Targets (issue 13): 100 in all four categories."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests"), str(REPO / "tests" / "browser")]

from helpers import run_cli  # noqa: E402
from support import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402

LIGHTHOUSE = "lighthouse@12.8.2"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}


PAGES = [
    "",
    "events/allende-massacre/",
    "characters/dona-chayo/",
    "claims/did-the-dea-leak-cause-the-massacre/",
    "figures/death-toll/",
    "timeline/",
    "map/",
]


def scores(url: str, form_factor: str = "mobile") -> dict[str, int]:
    with tempfile.TemporaryDirectory() as report_dir:
        report = Path(report_dir) / "report.json"
        command = [
            "npx", "--yes", LIGHTHOUSE, url,
            "--output=json", f"--output-path={report}", "--quiet",
            "--only-categories=" + ",".join(CATEGORIES),
            "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
            *(["--preset=desktop"] if form_factor == "desktop" else []),
        ]  # fmt: skip
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        data = json.loads(report.read_text(encoding="utf-8"))
    for name, audit in data["audits"].items():  # say what cost points, not only how many
        if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0:
            items = (audit.get("details") or {}).get("items", [])
            nodes = [item.get("node", {}).get("snippet", "") for item in items[:3]]
            print(f"  failed: {name}: {audit['title']} {nodes}", file=sys.stderr)
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--content", help="content folder (default: the shipped site)")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--form-factor", choices=("mobile", "desktop", "both"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        build = ["build", "--out", str(out)] + (["--content", args.content] if args.content else [])
        result = run_cli(build)
        if result.code != 0:
            print(result.err, file=sys.stderr)
            return 1
        server, base = serve_folder(out)
        missed = 0
        try:
            factors = ("mobile", "desktop") if args.form_factor == "both" else (args.form_factor,)
            print(f"{'page':46} {'form factor':>11} " + " ".join(f"{c:>15}" for c in CATEGORIES))
            for path in args.pages:
                for factor in factors:
                    found = scores(base + path, factor)
                    missed += sum(found[c] < TARGETS[c] for c in CATEGORIES)
                    row = " ".join(f"{found[c]:>15}" for c in CATEGORIES)
                    print(f"{'/' + path:46} {factor:>11} {row}", flush=True)
        finally:
            server.shutdown()
    print("targets: " + ", ".join(f"{c} >= {t}" for c, t in TARGETS.items()) + (" (all met)" if not missed else ""))
    return 0 if not missed else 3


if __name__ == "__main__":
    sys.exit(main())
