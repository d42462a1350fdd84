"""Shared helpers: the repository's paths and a way to run the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import os
import time
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


def eventually(condition, timeout: float = 120.0, what: str = "the condition") -> None:
    """Wait until `condition()` holds (work a background process finishes), polling; a
    generous deadline, because a shared CI machine can be slow."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.05)
