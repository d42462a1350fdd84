"""A synthetic site of N pages in this project's content format: events, people, places
and sources that cite and reference each other, about 7 KB of Markdown per page."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

PARAGRAPH = (
    "In the weeks that followed, residents of {place} described what they had seen to "
    "investigators, and several of those accounts were later compared with the official record "
    "[@{source}, p. {page}]. The accounts agree on the broad sequence but differ on the details, "
    "which is why this page links to [[{other}]] and to [[{person}|one of the people involved]]. "
    "A reader can follow each statement to its source and judge the evidence for themselves; "
    "where the sources disagree, the page says so instead of choosing one version [@{source2}]."
)


def make_site(root: Path, pages: int, seed: int = 7) -> Path:
    """Write the site under root/content and return that folder."""
    rng = random.Random(seed)
    content = root / "content"
    (content / "pages").mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(
        'title: "Synthetic"\nbase_url: "https://example.org/"\ndefault_language: en\n'
        "published: 2026-01-01\nsearch: false\nlanguages:\n  en: English\n",
        encoding="utf-8",
    )
    sources = max(10, pages // 20)
    places = max(10, pages // 10)
    people = max(10, pages // 10)
    events = max(1, pages - sources - places - people - 1)
    ids = {
        "sources": [f"source-{i:05d}" for i in range(sources)],
        "places": [f"place-{i:05d}" for i in range(places)],
        "people": [f"person-{i:05d}" for i in range(people)],
        "events": [f"event-{i:05d}" for i in range(events)],
    }
    for folder in ids:
        (content / folder).mkdir(exist_ok=True)
    for slug in ids["sources"]:
        write(content / "sources" / f"{slug}.md",
              f'title: "Report {slug}"\npublisher: "Archive"\nurl: "https://example.org/{slug}"\n'
              "language: [en]\nkind: investigation\ndate: 2016-10", body(rng, ids, 3))  # fmt: skip
    for slug in ids["places"]:
        write(content / "places" / f"{slug}.md", f'title: "Place {slug}"\nkind: town', body(rng, ids, 9))
    for slug in ids["people"]:
        front = f'title: "Person {slug}"\nrole: "A public official"'
        write(content / "people" / f"{slug}.md", front, body(rng, ids, 12))
    for index, slug in enumerate(ids["events"]):
        # One day each, a day apart: a real chronicle, not thousands of events sharing
        # twelve months (which would stack the timeline graphic into thousands of lanes).
        day = dt.date(1990, 1, 1) + dt.timedelta(days=index)
        front = (
            f'title: "Event {slug}"\ndate: {day.isoformat()}\n'
            f"places: [places/{rng.choice(ids['places'])}]\nparticipants: [people/{rng.choice(ids['people'])}]"
        )
        write(content / "events" / f"{slug}.md", front, body(rng, ids, 12))
    write(content / "pages" / "index.md", 'title: "Home"', "A synthetic site for the benchmark.")
    return content


def body(rng: random.Random, ids: dict[str, list[str]], paragraphs: int) -> str:
    """Headings, cited paragraphs, lists of cross-references, a table and a code block:
    the mix of the peers' benchmark pages, in this project's syntax, and free of warnings
    (every statement with a number carries a citation)."""
    parts = []
    for number in range(paragraphs):
        if number % 3 == 0:
            parts.append(f"## Section {number}\n")
        parts.append(
            PARAGRAPH.format(
                place=rng.choice(ids["places"]),
                source=rng.choice(ids["sources"]),
                source2=rng.choice(ids["sources"]),
                page=rng.randint(1, 300),
                other="events/" + rng.choice(ids["events"]),
                person="people/" + rng.choice(ids["people"]),
            )
        )
        if number % 4 == 1:
            first, second = rng.choice(ids["sources"]), rng.choice(ids["sources"])
            parts.append(f"| Year | Value |\n|---|---|\n| 2011 | 28 [@{first}] |\n| 2016 | 42 [@{second}] |")
        if number % 4 == 2:
            places = [rng.choice(ids["places"]) for _ in range(4)]
            parts.append(
                "\n".join(f"- See [[places/{slug}]] and the [archive](https://example.org/)." for slug in places)
            )
        if number % 6 == 5:
            parts.append("```\nrecord = lookup(archive, 'case file')\nprint(record.summary)\n```")
    return "\n\n".join(parts)


def write(path: Path, front: str, text: str) -> None:
    path.write_text(f"---\n{front}\n---\n{text}\n", encoding="utf-8")
