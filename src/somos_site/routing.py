"""Where every page lives, in every language: the one place that answers "the URL of X in
language L", which languages a page exists in, and its counterparts in the others.

Templates, page views, feeds, structured data and the open data files all ask it; it
knows nothing of templates itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from markupsafe import Markup, escape

from somos_site.indexes import SiteIndex
from somos_site.model import Entry
from somos_site.resolve import Site
from somos_site.schema import Ref
from somos_site.text import inline_html, is_fiction
from somos_site.urls import base_path, listing_path, page_path


class Translations(Protocol):
    def gettext(self, message: str) -> str: ...


class Router:
    """URLs of entries, listings, views and static files, and language counterparts."""

    def __init__(
        self,
        site: Site,
        index: SiteIndex,
        base_url: str,
        static_files: frozenset[str],
        translations: Mapping[str, Translations],
    ) -> None:
        self.site = site
        self.index = index
        self.base_url = base_url
        self.base = base_path(base_url)
        self.static_files = static_files
        self.translations = translations
        self.default = site.default_lang
        self.languages = list(site.config.languages)
        self.urls: dict[tuple[str, str | None], str] = {}

    def gettext(self, lang: str) -> Callable[[str], str]:
        return self.translations[lang].gettext

    # -- which languages a page exists in -------------------------------------------------

    def published(self, entry_id: str, lang: str) -> bool:
        """Is there a page for `entry_id` in `lang`: a translation, or a fallback page?"""
        if (entry_id, lang) in self.site.entries:
            return True
        return self.site.config.missing_translation == "fallback" and self.site.get(entry_id) is not None

    def page_lang(self, entry_id: str, lang: str) -> str:
        return lang if self.published(entry_id, lang) else self.default

    def translated(self, entry_id: str) -> list[str]:
        return [lang for lang in self.languages if (entry_id, lang) in self.site.entries]

    def languages_present(self) -> list[str]:
        """Languages with at least one page, in the order of site.yaml."""
        return self.index.languages_present(self.published)

    def entries_of(self, folder: str, lang: str | None = None) -> list[Entry]:
        return self.index.listing(folder, lang)

    # -- URLs ----------------------------------------------------------------------------

    def url_for(self, item: Entry | str, lang: str | None = None) -> str:
        entry_id = item if isinstance(item, str) else item.id
        found = self.urls.get((entry_id, lang))  # asked for tens of times per page
        if found is None:
            entry = self.site.get(entry_id, lang)
            if entry is None:
                raise KeyError(f"no entry {entry_id!r}")
            page_lang = self.page_lang(entry_id, lang or self.default)
            found = self.urls[(entry_id, lang)] = self.base + page_path(
                entry.type.folder, entry.slug, page_lang, self.default
            )
        return found

    def listing_url(self, folder: str, lang: str | None = None) -> str:
        return self.base + listing_path(folder, lang or self.default, self.default)

    def view_url(self, name: str, lang: str | None = None) -> str:
        """URL of a generated view: 'timeline', 'map' or 'verdicts'."""
        return self.listing_url(name, lang)

    def static_url(self, path: str) -> str:
        if path.lstrip("/") not in self.static_files:
            raise KeyError(f"no file static/{path}")
        return f"{self.base}static/{path.lstrip('/')}"

    def absolute(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.removeprefix(self.base)

    def has_anchor(self, entry: Entry, anchor: str) -> bool:
        return anchor in self.site.bodies[(entry.id, entry.lang)].element_ids

    # -- counterparts in the other languages ----------------------------------------------

    def alternates(self, entry_id: str) -> list[tuple[str, str]]:
        """(hreflang, absolute URL) of every real translation, and x-default."""
        found = [(lang, self.absolute(self.url_for(entry_id, lang))) for lang in self.translated(entry_id)]
        if len(found) > 1:
            found.append(("x-default", self.absolute(self.url_for(entry_id, self.default))))
        return found

    def switch(self, entry_id: str, lang: str) -> list[tuple[str, str, str]]:
        """(language, its name, URL of this page in it) for the language switch."""
        names = self.site.config.languages
        return [
            (other, names[other], self.url_for(entry_id, other))
            for other in self.languages
            if other != lang and self.published(entry_id, other)
        ]

    def listing_switch(self, folder: str, lang: str) -> list[tuple[str, str, str]]:
        names = self.site.config.languages
        return [
            (other, names[other], self.listing_url(folder, other))
            for other in self.languages_present()
            if other != lang
        ]

    def listing_alternates(self, folder: str) -> list[tuple[str, str]]:
        found = [(lang, self.absolute(self.listing_url(folder, lang))) for lang in self.languages_present()]
        if len(found) > 1:
            found.append(("x-default", self.absolute(self.listing_url(folder, self.default))))
        return found

    # -- links ---------------------------------------------------------------------------

    def link(self, target: Ref | Entry | str, lang: str, text: str | None = None) -> Markup:
        """An <a> to an entry with its title as text; for a target that does not exist (an
        error already reported by resolve) the plain id, so one mistake gives one report."""
        anchor = None
        if isinstance(target, Ref):
            target, anchor = target.target, target.anchor
        entry = self.site.get(target, lang) if isinstance(target, str) else target
        if entry is None:
            return escape(target)
        href = self.url_for(entry, lang) + (f"#{anchor}" if anchor and self.has_anchor(entry, anchor) else "")
        if is_fiction(entry):
            return Markup('<a class="to-fiction" href="{}">{}{}</a>').format(
                href, inline_html(text or entry.title), self.fiction_marker(lang)
            )
        return Markup('<a href="{}">{}</a>').format(href, inline_html(text or entry.title))

    def fiction_marker(self, lang: str) -> Markup:
        """What every link to a fictional entry carries: a visible word, not only a colour."""
        return Markup(' <span class="fiction-mark">{}</span>').format(self.gettext(lang)("fiction"))
