"""`new TYPE "Title"`: a file the build reports until its placeholders are filled."""

from __future__ import annotations

import re

import pytest
from helpers import run_cli

from somos_site.schema import TYPES

# What an editor would write in place of each kind of placeholder, in the minimal site.
EXISTING = {"series": "series/demo", "episodes": "episodes/1", "events": "events/the-raid", "people": "people/creator"}


def fill(text: str) -> str:
    def value(match: re.Match) -> str:
        comment = match.group(2)
        if comment.startswith("an id like"):
            wanted = re.findall(r"(\w+)/slug", comment)
            return next(EXISTING[t] for t in wanted if t in EXISTING)
        if comment.startswith("a list of an id"):
            wanted = re.findall(r"(\w+)/slug", comment)
            return "[" + next(EXISTING[t] for t in wanted if t in EXISTING) + "]"
        if comment.startswith("a list of one of:"):
            return "[" + comment.split(":")[1].split(",")[0].strip() + "]"
        if comment.startswith("one of:"):
            return comment.split(":")[1].split(",")[0].strip()
        if comment.startswith("a date"):
            return "2011-03"
        if comment.startswith(("a whole number", "a number")):
            return "1"
        if comment.startswith("true or false"):
            return "true"
        if comment.startswith("a list of source ids"):
            return "[report-2017]"
        if comment.startswith("a URL"):
            return "https://example.org/new"
        return "Filled in"

    text = re.sub(r"(\w+: |\n\s+)?\[?TODO\]?  # (.*)", lambda m: (m.group(1) or "") + value(m), text)
    text = re.sub(r"(\w+: )\[?TODO\]?  # (.*)", lambda m: m.group(1) + value(m), text)
    return re.sub(r"TODO: write .*", "Written from the sources [@report-2017].", text)


@pytest.mark.parametrize("folder", [*sorted(set(TYPES) - {"pages"}), "pages"])
def test_new_file_is_reported_until_filled_then_accepted(folder, minimal_site):
    created = run_cli(["new", folder, "A brand new entry", "--content", str(minimal_site)])
    assert created.code == 0, created.err
    path = minimal_site / folder / "a-brand-new-entry.md"
    assert created.out.strip() == str(path)

    unfilled = run_cli(["check", "--content", str(minimal_site)])
    assert unfilled.code == 1 and "error[placeholder]" in unfilled.err
    assert all("[placeholder]" in line for line in unfilled.err.splitlines() if "error[" in line), unfilled.err

    path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    filled = run_cli(["check", "--content", str(minimal_site)])
    assert filled.code == 0, path.read_text(encoding="utf-8") + filled.err


def test_new_refuses_to_overwrite(minimal_site):
    before = (minimal_site / "pages" / "about.md").read_bytes()
    result = run_cli(["new", "pages", "About", "--content", str(minimal_site)])
    assert result.code == 1 and "already exists" in result.err
    assert (minimal_site / "pages" / "about.md").read_bytes() == before
