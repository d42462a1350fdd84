"""Where each page lives. Clean URLs: `events/the-leak` is `/events/the-leak/`, stored as
`events/the-leak/index.html`; the default language at the root, others under `/LANG/`."""

from __future__ import annotations

from urllib.parse import urlsplit

# Pages the generator makes itself; content may not take these URLs.
GENERATED = ("timeline", "map", "verdicts", "404.html", "static")


def page_path(folder: str, slug: str, lang: str, default_lang: str) -> str:
    """The site-relative URL path of an entry, without the base path: 'es/events/x/'."""
    prefix = "" if lang == default_lang else f"{lang}/"
    if folder == "pages":
        return prefix if slug == "index" else f"{prefix}{slug}/"
    return f"{prefix}{folder}/{slug}/"


def listing_path(folder: str, lang: str, default_lang: str) -> str:
    prefix = "" if lang == default_lang else f"{lang}/"
    return f"{prefix}{folder}/"


def output_file(path: str) -> str:
    """The file a URL path is written to."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def base_path(base_url: str) -> str:
    """'/somos/' for 'https://example.org/somos/'."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"
