"""Page views: everything a template needs to show one entry, as plain data (its body
with links filled in, numbered notes with their sources strongest first, sources by kind,
typed relations and backlinks, breadcrumbs, language counterparts)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from somos_site import quotes
from somos_site.markdown import PLACEHOLDER, collapse_full_stops
from somos_site.model import CitedKey, Entry, QuoteRef, RenderedBody
from somos_site.resolve import front_matter_sources
from somos_site.routing import Router
from somos_site.schema import SOURCE_KIND_LABELS, ContentType
from somos_site.text import inline_html, is_fiction
from somos_site.urls import page_path

KIND_RANK = {kind: rank for rank, kind in enumerate(SOURCE_KIND_LABELS)}
RELIABILITY_RANK = {"primary": 0, "standard": 1, "low": 2}


def source_strength(source: Entry | None) -> tuple[int, int]:
    """Sort key putting the strongest evidence first: kind, then reliability; a missing
    source (already reported by resolve) last."""
    if source is None:
        return (len(KIND_RANK), len(RELIABILITY_RANK))
    return (KIND_RANK[source.fields.kind], RELIABILITY_RANK[source.fields.reliability])


# An entry link the Markdown extension wrote: `<a class="xref" href="PLACEHOLDER">text</a>`.
XREF = re.compile(r'(<a class="xref" href="\ue000H(\d+)\ue001"[^>]*>)(.*?)(</a>)', re.S)


@dataclass(frozen=True)
class Note:
    number: int
    items: tuple[tuple[Entry | None, str, str | None], ...]  # (source, key, locator)


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None


@dataclass(frozen=True)
class PageView:
    """Everything a template needs to show one entry."""

    entry: Entry
    lang: str
    url: str
    body: Markup
    toc: tuple[tuple[int, str, str], ...]
    notes: tuple[Note, ...]
    sources: tuple[Entry, ...]
    backlinks: tuple[Entry, ...]
    inverses: tuple[tuple[str, tuple[Entry, ...]], ...]
    crumbs: tuple[Crumb, ...]
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, absolute URL)
    switch: tuple[tuple[str, str, str], ...] = ()  # (language, name, URL)
    episodes: tuple[Entry, ...] = ()  # the episodes this page is about (a search filter)

    @property
    def source_groups(self) -> tuple[tuple[str, tuple[Entry, ...]], ...]:
        """The page's sources grouped by kind, strongest kind first."""
        groups = [(kind, tuple(s for s in self.sources if s.fields.kind == kind)) for kind in SOURCE_KIND_LABELS]
        return tuple((kind, found) for kind, found in groups if found)

    @property
    def fallback(self) -> bool:
        """The entry is shown in another language than the page's (no translation yet)."""
        return self.entry.lang != self.lang

    @property
    def fields(self):
        return self.entry.fields

    @property
    def type(self) -> ContentType:
        return self.entry.type


class PageViews:
    """Builds the view of each entry page from the resolved site."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.site = router.site
        self._archive_links: dict[tuple[str, str, str], Markup] = {}

    def fill_placeholders(self, body: RenderedBody, lang: str) -> Markup:
        def substitute(match: re.Match) -> str:
            if match.group(1) == "Q":
                return str(self.quote_html(body.quotes[int(match.group(2))], lang))
            ref = body.refs[int(match.group(2))]
            target = self.site.get(ref.target, lang)
            if match.group(1) == "H":
                if target is None:
                    return "#"
                anchor = ref.anchor if ref.anchor and self.router.has_anchor(target, ref.anchor) else None
                return self.router.url_for(target, lang) + (f"#{anchor}" if anchor else "")
            return str(inline_html(target.title)) if target else str(escape(ref.target))

        return Markup(collapse_full_stops(PLACEHOLDER.sub(substitute, self.mark_fiction_links(body.html, body, lang))))

    def quote_html(self, ref: QuoteRef, lang: str) -> Markup:
        """The recorded wording of a quotation in the page's language: the original, or a
        translation marked as one, with the original a click away on the source's page."""
        source = self.site.get(f"sources/{ref.key}")
        quote = quotes.find(source, ref.quote)
        if source is None or quote is None:  # reported by check (quote-unrecorded)
            return escape(f'[@{ref.key} "{ref.quote}"]')
        variants = (quote.translations or {}).get(lang, ()) if quote.language != lang else ()
        translated = variants[0] if variants else None
        if translated is None:
            return Markup('<q lang="{}">{}</q>').format(quote.language, inline_html(quote.text))
        label = self.router.gettext(lang)("translation; original")
        href = self.router.url_for(source, lang) + "#" + quotes.anchor(quote)
        return Markup('<q lang="{}">{}</q> <span class="quote-translation">(<a href="{}">{}</a>)</span>').format(
            lang, inline_html(translated), href, label
        )

    def view(self, entry: Entry, lang: str) -> PageView:
        """The page of `entry` for readers of `lang` (a fallback page when they differ)."""
        site = self.site
        body = site.bodies[(entry.id, entry.lang)]
        notes = tuple(self.note(c.number, c.keys, lang) for c in body.citations)
        keys = [k.key for c in body.citations for k in c.keys] + [k.key for k in front_matter_sources(entry.fields)]
        found = (site.get(f"sources/{k}", lang) for k in dict.fromkeys(keys))
        sources = tuple(sorted((s for s in found if s is not None), key=source_strength))
        typed = site.inverses.get(entry.id, ())
        inverses = tuple((self.router.gettext(lang)(label), self.lookup(ids, lang)) for label, ids in typed)
        # Links already listed under a typed relation are not repeated as plain backlinks.
        shown = {i for _, ids in typed for i in ids}
        backlinks = self.lookup(tuple(i for i in site.backlinks.get(entry.id, ()) if i not in shown), lang)
        return PageView(
            entry=entry,
            lang=lang,
            url=self.router.url_for(entry, lang),
            body=self.fill_placeholders(body, lang),
            toc=body.toc,
            notes=notes,
            sources=sources,
            backlinks=backlinks,
            inverses=inverses,
            crumbs=self.crumbs(entry, lang),
            alternates=tuple(self.router.alternates(entry.id)),
            switch=tuple(self.router.switch(entry.id, lang)),
            episodes=self.episodes_of(entry, lang),
        )

    def locator(self, key: CitedKey) -> str | None:
        """A citation's locator; for a quotation, the one recorded with it."""
        if key.locator or key.quote is None:
            return key.locator
        quote = quotes.find(self.site.get(f"sources/{key.key}"), key.quote)
        return quote.locator if quote else None

    def note(self, number: int, keys, lang: str) -> Note:
        """One numbered note, its sources strongest first (the order cited breaks ties)."""
        items = [(self.site.get(f"sources/{k.key}", lang), k.key, self.locator(k)) for k in keys]
        return Note(number, tuple(sorted(items, key=lambda item: source_strength(item[0]))))

    def episodes_of(self, entry: Entry, lang: str) -> tuple[Entry, ...]:
        """The episodes a page is about, for the search's episode filter: the episode
        itself, the episodes a character appears in or a claim is shown in, and the
        episodes depicting an event."""
        fields = entry.fields
        if entry.type.folder == "episodes":
            return (entry,)
        ids = [r.target for r in getattr(fields, "appears_in", ()) + getattr(fields, "depicted_in", ())]
        ids += [i for label, found in self.site.inverses.get(entry.id, ()) if label == "Depicted in" for i in found]
        return self.lookup(tuple(dict.fromkeys(ids)), lang)

    def lookup(self, ids: tuple[str, ...], lang: str) -> tuple[Entry, ...]:
        return tuple(e for e in (self.site.get(i, lang) for i in ids) if e is not None)

    def crumbs(self, entry: Entry, lang: str) -> tuple[Crumb, ...]:
        translate = self.router.gettext(lang)
        home = Crumb(translate("Home"), self.router.base + page_path("pages", "index", lang, self.router.default))
        if entry.type.folder == "pages":
            return () if entry.slug == "index" else (home, Crumb(entry.title, None))
        listing = Crumb(translate(entry.type.label), self.router.listing_url(entry.type.folder, lang))
        return (home, listing, Crumb(entry.title, None))

    def mark_fiction_links(self, html_text: str, body: RenderedBody, lang: str) -> str:
        """Give the entry links of a body that point to fiction the fiction marker."""

        def mark(match: re.Match) -> str:
            target = self.site.get(body.refs[int(match.group(2))].target, lang)
            if target is None or not is_fiction(target):
                return match.group(0)
            opening = match.group(1).replace('class="xref"', 'class="xref to-fiction"', 1)
            return opening + match.group(3) + str(self.router.fiction_marker(lang)) + match.group(4)

        return XREF.sub(mark, html_text)

    def archive_link(self, source: Entry, lang: str) -> Markup:
        """After a source in a note: its original and its archived copy, when it has one
        (made once per source and language: a page repeats the same source in many notes)."""
        archive = getattr(source.fields, "archive", None)
        if archive is None:
            return Markup("")
        key = (source.id, source.lang, lang)
        if key not in self._archive_links:
            self._archive_links[key] = self._archive_link(source, archive, lang)
        return self._archive_links[key]

    def _archive_link(self, source: Entry, archive, lang: str) -> Markup:
        translate = self.router.gettext(lang)
        label = translate("archived copy of %(date)s") % {"date": archive.date.format(lang)}
        return Markup(
            ' (<a href="{}" rel="external noopener">{}</a>, <a href="{}" rel="external noopener">{}</a>)'
        ).format(source.fields.url, translate("original"), archive.url, label)

    def report_error_url(self, lang: str, page_url: str | None = None) -> str | None:
        """Where readers report an error (site.yaml `report_error`): an e-mail address gets
        the page's address as its subject; an entry id becomes that page's URL."""
        target = self.site.config.report_error
        if not target:
            return None
        if target.startswith("mailto:"):
            subject = quote("Error on " + self.router.absolute(page_url)) if page_url else ""
            return target + (f"?subject={subject}" if subject and "?" not in target else "")
        if target.startswith(("http://", "https://")):
            return target
        entry_id, _, anchor = target.partition("#")
        entry = self.site.get(entry_id, lang)
        if entry is None:
            return None
        keep = anchor and self.router.has_anchor(entry, anchor)
        return self.router.url_for(entry, lang) + (f"#{anchor}" if keep else "")
