"""Shared helpers: the repository's paths and a way to run the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from somos_site.cli import main

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "sites" / "minimal"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(args: list[str], cwd: Path | None = None) -> CliResult:
    """Run `build.py ARGS` in-process from `cwd`, capturing both streams."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd or REPO)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args, project_root=REPO)
    finally:
        os.chdir(previous)
    return CliResult(code, out.getvalue(), err.getvalue())


# The properties each schema.org type must carry in a page's JSON-LD.
JSON_LD_REQUIRED = {
    "TVSeries": ["name", "url", "datePublished"],
    "TVEpisode": ["name", "url", "episodeNumber", "partOfSeries"],
    "Person": ["name", "url"],
    "Place": ["name", "url"],
    "Organization": ["name", "url"],
    "Event": ["name", "url", "startDate"],
    "CreativeWork": ["name", "url", "publisher"],
    "ClaimReview": ["url", "claimReviewed", "reviewRating", "author", "itemReviewed"],
    "WebPage": ["name", "url"],
}
