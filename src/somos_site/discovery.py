"""What helps readers and search engines find pages: Atom feeds (per language, of pages
and of corrections), sitemap.xml with language alternates, and robots.txt."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from somos_site.corrections import logged
from somos_site.dates import FuzzyDate
from somos_site.text import plain

if TYPE_CHECKING:
    from somos_site.model import Entry
    from somos_site.routing import Router

FEED_SIZE = 50


def timestamp(date: FuzzyDate | None) -> str:
    day = date.earliest if date else None
    return f"{day.isoformat()}T00:00:00Z" if day else "1970-01-01T00:00:00Z"


def feed_path(lang: str, default: str, name: str = "feed.xml") -> str:
    return name if lang == default else f"{lang}/{name}"


def tag_id(r: Router, *parts: str) -> str:
    """A stable Atom id (RFC 4151 tag URI) that survives a change of hosting path."""
    host = urlsplit(r.base_url).hostname or "localhost"
    year = r.site.config.published.start.year if r.site.config.published else 2000
    return f"tag:{host},{year}:" + "/".join(parts)


def last_change(r: Router, entry: Entry) -> FuzzyDate | None:
    dates = [entry.fields.updated, *(c.date for c in entry.fields.corrections)]
    known = [d for d in dates if d is not None]
    return max(known, key=FuzzyDate.sort_key) if known else r.site.config.published


def atom(r: Router, lang: str, title: str, self_path: str, items: list[tuple[str, str, str, str, str]]) -> bytes:
    """items: (id, title, absolute URL, updated timestamp, summary)."""
    updated = max((item[3] for item in items), default=timestamp(r.site.config.published))
    home = r.absolute(r.url_for("pages/index", lang)) if r.site.get("pages/index") else r.base_url
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <id>{escape(tag_id(r, lang, self_path))}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(plain(r.site.config.in_language(lang).title))}</name></author>",
        f'  <link rel="self" href={quoteattr(r.absolute(r.base + self_path))}/>',
        f'  <link rel="alternate" href={quoteattr(home)}/>',
    ]
    for item_id, item_title, url, item_updated, summary in items:
        lines += [
            "  <entry>",
            f"    <id>{escape(item_id)}</id>",
            f"    <title>{escape(item_title)}</title>",
            f'    <link rel="alternate" href={quoteattr(url)}/>',
            f"    <updated>{item_updated}</updated>",
            f"    <summary>{escape(summary)}</summary>" if summary else "",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


def feeds(r: Router) -> dict[str, bytes]:
    outputs = {}
    default = r.default
    translate = r.gettext
    for lang in r.languages_present():
        entries = [r.site.entries[(i, lang)] for i in r.site.ids() if (i, lang) in r.site.entries]
        dated = sorted(
            entries, key=lambda e: (last_change(r, e).sort_key() if last_change(r, e) else (), e.id), reverse=True
        )
        items = [
            (
                tag_id(r, lang, e.id),
                plain(e.title),
                r.absolute(r.url_for(e, lang)),
                timestamp(last_change(r, e)),
                plain(e.fields.summary or ""),
            )
            for e in dated[:FEED_SIZE]
        ]
        path = feed_path(lang, default)
        outputs[path] = atom(r, lang, translate(lang)("New and updated pages"), path, items)
        corrections = [
            (
                tag_id(r, lang, e.id, "corrections", item.key),
                f"{plain(e.title)}: {item.correction.date.format(lang, translate(lang))}",
                r.absolute(r.url_for(e, lang)) + "#" + item.anchor,
                timestamp(item.correction.date),
                plain(item.correction.right),
            )
            for e in entries
            for item in logged(e)
        ]
        corrections.sort(key=lambda item: (item[3], item[0]), reverse=True)
        path = feed_path(lang, default, "corrections.xml")
        outputs[path] = atom(r, lang, translate(lang)("Corrections"), path, corrections)
    return outputs


def alternate_links(alternates: list[tuple[str, str]]) -> list[str]:
    """A page's `xhtml:link`s; none for a page that exists in one language only."""
    if len(alternates) < 2:
        return []
    return [f'    <xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(href)}/>' for code, href in alternates]


def sitemap(r: Router, listings: list[tuple[str, list[tuple[str, str]]]]) -> bytes:
    """Every page, with `xhtml:link` alternates for the languages it is translated into.
    `listings` are (URL path, hreflang alternates) of the generated listing and view pages."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for entry_id in r.site.ids():
        for lang in r.translated(entry_id):
            entry = r.site.entries[(entry_id, lang)]
            lines.append("  <url>")
            lines.append(f"    <loc>{escape(r.absolute(r.url_for(entry, lang)))}</loc>")
            changed = last_change(r, entry)
            if changed:
                lines.append(f"    <lastmod>{changed.earliest.isoformat()}</lastmod>")
            lines.extend(alternate_links(r.alternates(entry_id)))
            lines.append("  </url>")
    for path, alternates in listings:
        lines.append(f"  <url>\n    <loc>{escape(r.absolute(r.base + path))}</loc>")
        lines.extend(alternate_links(alternates))
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(r: Router) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {r.base_url}sitemap.xml\n".encode()


def discovery_files(r: Router, listings: list[tuple[str, list[tuple[str, str]]]]) -> dict[str, bytes]:
    return {**feeds(r), "sitemap.xml": sitemap(r, listings), "robots.txt": robots(r)}
