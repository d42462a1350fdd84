"""The same bodies as sites for the peer generators the issue compares against: Hugo,
Pelican and MkDocs, each used only when its command is installed (`hugo` from apt;
`pelican` and `mkdocs` from PyPI, best in a separate virtualenv put at the end of PATH,
so that they cannot change this project's Markdown or Jinja2 versions).

Each peer gets one page per content file, the body as written (this project's `[[...]]`
and `[@...]` marks stay text), a template showing title and body, no search, no feeds and
no site-wide menu: what the naive script does, in the peer's own pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

HUGO_CONFIG = 'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'

PELICAN_CONFIG = """\
SITENAME = "Synthetic"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = False
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {}},
    "output_format": "html5",
}
"""

# `nav` names the home page only: a nav of every page would put 10,000 links on each of
# 10,000 pages, which measures the theme rather than the generator.
MKDOCS_CONFIG = """\
site_name: Synthetic
docs_dir: docs
site_dir: out
nav: [index.md]
plugins: []
markdown_extensions: [extra, toc]
validation:
  nav:
    omitted_files: ignore
"""


def split(path: Path) -> tuple[str, str]:
    """(title, body) of one of this project's content files."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    title = next((line for line in front.splitlines() if line.startswith("title:")), 'title: "x"')
    return title.partition(":")[2].strip().strip('"'), body


def hugo(content: Path, root: Path) -> list[str] | None:
    if shutil.which("hugo") is None:
        return None
    site = root / "hugo"
    if not site.exists():
        (site / "layouts" / "_default").mkdir(parents=True)
        (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
        page = "<!doctype html><title>{{ .Title }}</title><main>{{ .Content }}</main>"
        (site / "layouts" / "_default" / "single.html").write_text(page, encoding="utf-8")
        (site / "layouts" / "_default" / "list.html").write_text(page, encoding="utf-8")
        for path in content.rglob("*.md"):
            title, body = split(path)
            target = site / "content" / path.relative_to(content)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f'---\ntitle: "{title}"\n---\n{body}', encoding="utf-8")
    shutil.rmtree(site / "public", ignore_errors=True)
    return ["hugo", "--quiet", "--source", str(site)]


def pelican(content: Path, root: Path) -> list[str] | None:
    command = shutil.which("pelican")
    if command is None:
        return None
    site = root / "pelican"
    if not site.exists():
        (site / "content" / "pages").mkdir(parents=True)
        config = f"PATH = {str(site / 'content')!r}\n" + PELICAN_CONFIG
        (site / "pelicanconf.py").write_text(config, encoding="utf-8")
        for path in content.rglob("*.md"):
            title, body = split(path)
            slug = "-".join(path.relative_to(content).with_suffix("").parts)
            target = site / "content" / "pages" / f"{slug}.md"
            target.write_text(f"Title: {title}\nSlug: {slug}\n\n{body}", encoding="utf-8")
    shutil.rmtree(site / "output", ignore_errors=True)
    return [command, str(site / "content"), "-s", str(site / "pelicanconf.py"), "-o", str(site / "output"), "-q"]


def mkdocs(content: Path, root: Path) -> list[str] | None:
    command = shutil.which("mkdocs")
    if command is None:
        return None
    site = root / "mkdocs"
    if not site.exists():
        (site / "docs").mkdir(parents=True)
        (site / "mkdocs.yml").write_text(MKDOCS_CONFIG, encoding="utf-8")
        for path in content.rglob("*.md"):
            title, body = split(path)
            relative = path.relative_to(content)
            name = "index.md" if relative.as_posix() == "pages/index.md" else relative.as_posix()
            target = site / "docs" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f'---\ntitle: "{title}"\n---\n{body}', encoding="utf-8")
    shutil.rmtree(site / "out", ignore_errors=True)
    return [command, "build", "--quiet", "--config-file", str(site / "mkdocs.yml")]


PEERS = {"hugo": hugo, "pelican": pelican, "mkdocs": mkdocs}
