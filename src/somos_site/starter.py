"""`init DIR`: a new companion site that builds as it is, with one entry of every type.

Its text is example text that says so: an editor replaces it with the real series, the
real events and the sources they rest on. The theme is not copied: it comes from the
installed package, and a `templates/` or `static/` folder beside `content/` overrides it
file by file."""

from __future__ import annotations

import sys
from pathlib import Path

from somos_site.load import CONFIG_NAME

SITE_YAML = """\
# The site's settings. Every field is described in the somos-site documentation
# (docs/content-format.md in its repository).
title: "My companion site"
description: "A sourced companion to a drama based on real events."
# The public address of the site, ending with '/'. `build` warns while it is this
# placeholder; set it here or pass --base-url when you publish.
base_url: "https://example.org/"
default_language: en
languages:
  en: English
# To add Spanish: add `es: Español` above, then translate each page with
#   somos-site new TYPE "Título" --lang es --from TYPE/slug
# The licence of the downloadable data (figures, timeline, claims, sources as CSV/JSON).
data_licence:
  name: "CC BY 4.0"
  url: "https://creativecommons.org/licenses/by/4.0/"
"""

ENTRIES = {
    "pages/index.md": """\
---
title: Start here
summary: What this site is about, and how to read it.
---
This site is a companion to [[series/the-series]]. It separates what the
series invented from what the sources document, and it cites a source for every fact.

Begin with [[events/the-event]], or read [[pages/how-this-site-works]] to see how the
site is made.
""",
    "pages/how-this-site-works.md": """\
---
title: How this site works
summary: The folders, the files and the commands of this site.
weight: 1
---
Every page of this site is one Markdown file in `content/`, in the folder of its type.
The file `content/events/the-event.md` is the entry `events/the-event`, and its page is
`/events/the-event/`. Between the two `---` lines at the top of a file are its fields;
below them is its text.

## The folders

- `series/` and `episodes/`: the drama itself.
- `characters/`: its fictional people, each with a `relations` list saying what real
  element inspired it (`composite_of`, `inspired_by`) or that it is `invented`.
- `events/`, `people/`, `places/`, `organizations/`: what really happened, and who and
  where, each fact with a citation.
- `sources/`: one record per source; `[@source-id]` in a text cites it.
- `figures/`: a number the sources disagree on, with every value and who gives it.
- `claims/`: a question readers ask ("is it a true story?") with a verdict and sources.
- `pages/`: pages like this one; `pages/index` is the home page.

## Links and citations

`[[type/slug]]` links to another entry, `[[type/slug|your text]]` with your own words,
`[[type/slug#heading]]` to one of its headings. `[@source-id]` cites a source,
`[@source-id, p. 31]` a page of it.

## The commands

- `somos-site serve`: build the site, show it at http://127.0.0.1:8000/ and rebuild
  when a file changes.
- `somos-site check --strict`: report every problem, at its file, line and column.
- `somos-site new event "Title"`: a new file with every required field to fill in.
- `somos-site build --base-url https://your.address/`: publish the site into `_site/`.

## Changing the look

The theme comes with somos-site. A file in a `templates/` or `static/` folder beside
`content/` replaces the theme's file of the same name, for example
`static/style.css`.
""",
    "series/the-series.md": """\
---
title: "*The Series*"
summary: The drama this site is a companion to (example text to replace).
release: 2021
creators: [people/the-creator]
based_on: [example-report]
episode_count: 1
---
Example text: say here what the series is and which real events it is based on,
citing the source that tells [@example-report].
""",
    "episodes/1.md": """\
---
title: "Episode 1"
summary: The first episode (example text to replace).
number: 1
series: series/the-series
title_confirmed: true
depicts: [events/the-event]
---
Example text: what the episode shows. Put anything that gives the story away in a
collapsed block:

??? spoiler "Spoiler: episode 1"
    What happens at the end.
""",
    "characters/the-character.md": """\
---
title: The Character
summary: A fictional character (example text to replace).
series: series/the-series
appears_in: [episodes/1]
relations:
  - relation: composite_of
    target: events/the-event
    note: Example text; say which real accounts the character draws on.
---
Example text: who the character is in the drama.
""",
    "people/the-creator.md": """\
---
title: The Creator
summary: The person who created the series (example text to replace).
role: Creator of the series
realm: production
---
Example text: who made the series, according to a source [@example-report].
""",
    "events/the-event.md": """\
---
title: The event
summary: The real event behind the series (example text to replace).
date: ~2011-03
places: [places/the-town]
participants: [organizations/the-organization]
---
Example text: what happened, each fact with its citation [@example-report]. The
sources disagree on how many people were affected: see [[figures/the-toll]].
""",
    "places/the-town.md": """\
---
title: The Town
summary: Where the event happened (example text to replace).
kind: town
---
Example text: where the town is and what the sources say of it [@example-report].
""",
    "organizations/the-organization.md": """\
---
title: The Organization
summary: An organisation involved in the event (example text to replace).
kind: other
---
Example text: what the organisation is, according to a source [@example-report].
""",
    "figures/the-toll.md": """\
---
title: The toll
summary: A number the sources disagree on (example text to replace).
unit: people
values:
  - value: 10
    label: "10"
    given_by: An official report
    date: 2014
    sources: [example-report]
  - value: 20
    label: up to 20
    given_by: A later investigation
    date: 2017
    sources: [example-report]
---
The sources give different numbers; every value is shown with who gives it
[@example-report].
""",
    "claims/is-it-a-true-story.md": """\
---
title: Is *The Series* a true story?
summary: What readers ask first (example text to replace).
verdict: composite
answer: It is a drama built from real events; its characters are composites.
depicted_in: [episodes/1]
about: [events/the-event, characters/the-character]
sources: [example-report]
---
Example text: explain the verdict, citing the sources [@example-report].
""",
    "sources/example-report.md": """\
---
title: An example report
kind: investigation
summary: A source record (example text to replace with a real source).
publisher: An example publisher
date: 2017
url: https://example.org/report
language: [en]
# An archived copy (archive: {url: ..., date: ...}) keeps the source readable if the
# link breaks; without one, say why.
no_archive: "Example text: no archived copy was made yet."
---
Example text: what the source is and why it can be trusted.
""",
}

GITIGNORE = "_site/\n_report/\n.cache/\n"


def init(folder: Path) -> int:
    """Write the starter site into `folder` (created, or empty). Exit code 0 or 2."""
    folder = folder.absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"somos-site: error: {folder} already exists and is not empty; choose a new folder", file=sys.stderr)
        return 2
    content = folder / "content"
    files = {content / CONFIG_NAME: SITE_YAML, folder / ".gitignore": GITIGNORE}
    files.update({content / relative: text for relative, text in ENTRIES.items()})
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"created a new site in {folder}")
    print(f"next: cd {folder} && somos-site serve")
    return 0
