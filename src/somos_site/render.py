"""Stage 5, render: the resolved site through Jinja2 templates into an in-memory output
tree (`{path: bytes}`). Nothing touches the output folder here."""

from __future__ import annotations

import html
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import markdown as python_markdown
from markupsafe import Markup, escape

from somos_site import corrections, opendata, parallel, quotes
from somos_site.diagnostics import Diagnostic, Span, error
from somos_site.discovery import discovery_files, feed_path, last_change
from somos_site.i18n import load_translations
from somos_site.indexes import SiteIndex
from somos_site.load import display_path
from somos_site.markdown import PLACEHOLDER, collapse_full_stops
from somos_site.model import CitedKey, Entry, QuoteRef, RenderedBody
from somos_site.outputs import SiteFiles, digest
from somos_site.resolve import Site, front_matter_sources
from somos_site.schema import (
    FIGURE_KIND_LABELS,
    REALM_LABELS,
    RELATION_LABELS,
    SOURCE_KIND_LABELS,
    TYPES,
    VERDICT_LABELS,
    ContentType,
    Ref,
)
from somos_site.structured import json_ld
from somos_site.templatecache import CompiledTemplates, translations
from somos_site.urls import base_path, listing_path, output_file, page_path
from somos_site.visuals import (
    ChartText,
    ChartValue,
    MapPoint,
    MapText,
    TimelineEpisode,
    TimelineEvent,
    TimelineText,
    figure_chart,
    map_svg,
    on_basemap,
    timeline_svg,
)

# Header navigation: (label, what it links to: a type listing or an entry id). The types
# come from the schema, in its order; then two pages of the site, when it has them.
NAV = (
    *((content_type.label, content_type.folder) for content_type in TYPES.values() if content_type.nav),
    ("Fact & fiction", "pages/fact-and-fiction"),
    ("About", "pages/sources-and-method"),
)


# The types each generated view shows (titles, dates, relations); the search page lists
# only which listings exist and is always rendered again.
VIEW_SOURCES = {
    "timeline": {"events", "episodes"},
    "map": {"places", "sources"},  # GeoNames credit: whether a source is published by GeoNames
    "verdicts": {"claims", "characters", "people", "organizations", "events", "places"},
}
# The words of the graphics that render.py translates (the i18n test checks them).
TIMELINE_DESCRIPTION = (
    "The real events on a scale of years, with the episodes beside them and a line from each episode "
    "to the events it depicts. Both lists follow the graphic."
)
GRAPHIC_MESSAGES = (
    "Values grouped by what they count:",
    "Every value is in the table below, with its sources.",
    "No number given",
    "%(who)s, %(when)s",
    "Coahuila",
    "Texas",
    "Rio Grande (Río Bravo)",
    "Timeline: what happened and what the series shows",
    TIMELINE_DESCRIPTION,
    "What really happened",
    "Episodes",
)
# Base-map areas that label a place page when the site has one.
BASEMAP_PLACES = {"coahuila": "places/coahuila", "durango": "places/durango", "river": "places/rio-grande"}
KEEP = "@keep"  # an owner meaning: unchanged, keep the last build's file
# Owners of the whole-site files: feeds and sitemap, and the open data files. A rebuild
# that changes nothing they show keeps them (`keep` of `render`) instead of making them.
DISCOVERY, DATA = "@discovery", "@data"
# Names the settings of `make_env` for the compiled-template cache: change it with them.
ENV_SIGNATURE = "somos-env-1:trim,lstrip,keep-newline,i18n,strict-undefined,autoescape-html-xml"

# Each verdict has its own symbol (beside its word and colour, so colour is never the only
# cue); realms use none of them.
VERDICT_ICONS = {
    "documented": "✓",
    "dramatised": "≈",
    "composite": "⊕",
    "time-compressed": "⇥",
    "invented": "✗",
    "disputed": "±",
    "unknown": "?",
}
KIND_RANK = {kind: rank for rank, kind in enumerate(SOURCE_KIND_LABELS)}
RELIABILITY_RANK = {"primary": 0, "standard": 1, "low": 2}


def source_strength(source: Entry | None) -> tuple[int, int]:
    """Sort key putting the strongest evidence first: kind, then reliability; a missing
    source (already reported by resolve) last."""
    if source is None:
        return (len(KIND_RANK), len(RELIABILITY_RANK))
    return (KIND_RANK[source.fields.kind], RELIABILITY_RANK[source.fields.reliability])


def is_fiction(entry: Entry) -> bool:
    return entry.realm == "fiction"


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


class TemplateRenderError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# Front-matter text is plain text with emphasis (`*Somos.*`) and typographic quotes: no
# raw HTML, no links, no images. Every `<` and `&` is escaped before Markdown sees the text,
# and the patterns that could make a link are removed, so the only tags in the result are
# the ones emphasis and code spans make.
_inline_md = python_markdown.Markdown(extensions=["smarty"])
for _pattern in (
    "reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref",
    "autolink", "automail", "html",
):  # fmt: skip
    _inline_md.inlinePatterns.deregister(_pattern)


@cache
def inline_html(text: str) -> Markup:
    """Inline Markdown (emphasis in titles such as *Somos.*) without a paragraph."""
    _inline_md.reset()
    rendered = _inline_md.convert(html.escape(text, quote=False))
    return Markup(re.sub(r"^<p>(.*)</p>$", r"\1", rendered, flags=re.S))


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(inline_html(text))))


def title_lang(item: Entry, around: str) -> str:
    """The language of a source's title when it differs from the text around it, for `lang=`.

    Sources keep their original titles in every edition; a source in several languages
    gives no single answer, so its title is left to the surrounding language."""
    languages = getattr(item.fields, "language", ())
    return languages[0] if len(languages) == 1 and languages[0] != around else ""


class Renderer:
    def __init__(
        self,
        site: Site,
        template_dirs: list[Path],
        base_url: str,
        static_files: frozenset[str],
        compiled_dir: Path | None = None,
        spool: Path | None = None,
    ) -> None:
        self.site = site
        self.spool = spool  # where entry pages are streamed as rendered (None: kept in memory)
        self.base_url = base_url
        self.base = base_path(base_url)
        self.static_files = static_files
        self.default = site.default_lang
        self.languages = list(site.config.languages)
        # Computed once per build: entries by type and language, sorted listings, the nav.
        self.index = SiteIndex(site, self.languages, sort_entries)
        self.nav_items: dict[str, list[tuple[str, str, str]]] = {}
        self.urls: dict[tuple[str, str | None], str] = {}
        self.translations = {lang: translations(template_dirs, lang, load_translations) for lang in self.languages}
        self.compiled = CompiledTemplates(compiled_dir, ENV_SIGNATURE)
        self.envs = {lang: self.make_env(template_dirs, lang) for lang in self.languages}
        self._archive_links: dict[tuple[str, str, str], Markup] = {}
        self._fragments: dict[tuple, Markup] = {}

    def make_env(self, template_dirs: list[Path], lang: str) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
            # One environment per build: templates cannot change under it, and checking
            # their files on every include (thousands per page) costs more than rendering.
            auto_reload=False,
            bytecode_cache=self.compiled,
        )
        env.install_gettext_translations(self.translations[lang], newstyle=True)
        translate = self.translations[lang].gettext
        env.filters.update(
            inline=inline_html,
            plain=plain,
            date=lambda value: value.format(lang, translate) if value else "",
            verdict_label=lambda v: translate(VERDICT_LABELS[v]) if v else "",
            relation_label=lambda r: translate(RELATION_LABELS[r]),
            verdict_icon=lambda v: VERDICT_ICONS.get(v, ""),
            source_kind_label=lambda k: translate(SOURCE_KIND_LABELS[k]),
            realm_label=lambda r: translate(REALM_LABELS[r]),
            type_label=lambda t: translate(t.label),
            type_name=lambda t: translate(t.singular.capitalize()),
        )
        env.globals.update(
            site=self.site,
            config=self.site.config.in_language(lang),
            url_for=self.url_for,
            link=self.link,
            listing_url=self.listing_url,
            static_url=self.static_url,
            absolute=self.absolute,
            get=self.site.get,
            entries_of=self.entries_of,
            nav=self.nav,
            types=TYPES,
            verdicts=VERDICT_LABELS,
            view_url=self.view_url,
            has_view=self.has_view,
            figure_chart=self.figure_chart,
            language_names=self.site.config.languages,
            structured_data=self.structured_data,
            feed_url=lambda lang: self.base + feed_path(lang, self.default),
            base_path=self.base,
            title_lang=title_lang,
            corrections_of=corrections.logged,
            correction_dates=corrections.first_per_date,
            last_updated=lambda entry: last_change(self, entry),
            cite=lambda entry, lang: opendata.citation(self, entry, lang),
            data_url=lambda name, fmt, lang: self.base + opendata.data_path(name, fmt, lang, self.default),
            datasets=lambda lang: opendata.available(self, lang),
            report_error_url=self.report_error_url,
            archive_link=self.archive_link,
            corrections_log=self.corrections_log,
            is_fiction=is_fiction,
            fiction_marker=self.fiction_marker,
            fragment=self.fragment,
            note_items=self.note_items,
        )
        return env

    def fragment(self, name: str, lang: str, **values: Any) -> Markup:
        """The partial `name` rendered with only `lang` and `values` (entries, strings),
        once per build and kept: the same source or entry link appears in the notes,
        source lists and connections of hundreds of pages, and rendering its partial each
        time was most of a page's template work. Such a partial sees nothing of the page
        around it (a reference to `page` is an undefined-variable error, not a stale value)."""
        key = (name, lang, *((k, fragment_key(v)) for k, v in values.items()))
        found = self._fragments.get(key)
        if found is None:
            template = self.envs[lang].get_template(name)
            found = self._fragments[key] = Markup(template.render(lang=lang, **values))
        return found

    # -- languages -----------------------------------------------------------------------

    def published(self, entry_id: str, lang: str) -> bool:
        """Is there a page for `entry_id` in `lang`: a translation, or a fallback page?"""
        if (entry_id, lang) in self.site.entries:
            return True
        return self.site.config.missing_translation == "fallback" and self.site.get(entry_id) is not None

    def page_lang(self, entry_id: str, lang: str) -> str:
        return lang if self.published(entry_id, lang) else self.default

    def translated(self, entry_id: str) -> list[str]:
        return [lang for lang in self.languages if (entry_id, lang) in self.site.entries]

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

    def gettext(self, lang: str) -> Callable[[str], str]:
        return self.translations[lang].gettext

    plain = staticmethod(plain)

    def listing_alternates(self, folder: str) -> list[tuple[str, str]]:
        found = [(lang, self.absolute(self.listing_url(folder, lang))) for lang in self.languages_present()]
        if len(found) > 1:
            found.append(("x-default", self.absolute(self.listing_url(folder, self.default))))
        return found

    # -- helpers for templates -----------------------------------------------------------

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

    def mark_fiction_links(self, html_text: str, body: RenderedBody, lang: str) -> str:
        """Give the entry links of a body that point to fiction the fiction marker."""

        def mark(match: re.Match) -> str:
            target = self.site.get(body.refs[int(match.group(2))].target, lang)
            if target is None or not is_fiction(target):
                return match.group(0)
            opening = match.group(1).replace('class="xref"', 'class="xref to-fiction"', 1)
            return opening + match.group(3) + str(self.fiction_marker(lang)) + match.group(4)

        return XREF.sub(mark, html_text)

    def has_anchor(self, entry: Entry, anchor: str) -> bool:
        return anchor in self.site.bodies[(entry.id, entry.lang)].element_ids

    def listing_url(self, folder: str, lang: str | None = None) -> str:
        return self.base + listing_path(folder, lang or self.default, self.default)

    def static_url(self, path: str) -> str:
        if path.lstrip("/") not in self.static_files:
            raise KeyError(f"no file static/{path}")
        return f"{self.base}static/{path.lstrip('/')}"

    def absolute(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.removeprefix(self.base)

    def entries_of(self, folder: str, lang: str | None = None) -> list[Entry]:
        return self.index.listing(folder, lang)

    def nav(self, lang: str, current: str = "") -> list[tuple[str, str, bool]]:
        return [
            (label, url, current == target if "/" in target else current.startswith(target + "/") or current == target)
            for label, target, url in self.nav_targets(lang)
        ]

    def nav_targets(self, lang: str) -> list[tuple[str, str, str]]:
        """(label, target, URL) of the header navigation in `lang`, once per build: the
        same on every page but for which item is active."""
        if lang in self.nav_items:
            return self.nav_items[lang]
        translate = self.gettext(lang)
        items = []
        for label, target in NAV:
            if "/" not in target:
                entries = self.index.of_type(target, lang)
                if len(entries) == 1:  # a listing of one is a detour: link the entry
                    target = entries[0].id
                elif not entries:
                    continue
            if "/" in target:
                if self.site.get(target, lang) is None:
                    continue
                url = self.url_for(target, lang)
            else:
                url = self.listing_url(target, lang)
            items.append((translate(label), target, url))
        self.nav_items[lang] = items
        return items

    def view_url(self, name: str, lang: str | None = None) -> str:
        """URL of a generated view: 'timeline', 'map' or 'verdicts'."""
        return self.listing_url(name, lang)

    def has_view(self, name: str, lang: str) -> bool:
        return name in self.view_names(lang)

    @cache  # noqa: B019 - one renderer per build, so the cache dies with it
    def view_names(self, lang: str) -> tuple[str, ...]:
        """The generated views that exist in `lang`, in the order of `generated_views`,
        without drawing their graphics: templates ask on many pages (every place links
        the map), and each render worker would otherwise draw the timeline and the map
        again only to learn that they exist."""
        names = []
        if self.entries_of("events", lang):
            names.append("timeline")
        if self.map_points(lang):
            names.append("map")
        if self.entries_of("claims", lang) or self.entries_of("characters", lang):
            names.append("verdicts")
        if self.site.get("pages/corrections") is None and self.corrections_log(lang):
            names.append("corrections")
        if self.site.config.search:
            names.append("search")
        return tuple(names)

    def figure_chart(self, entry: Entry, lang: str) -> Markup:
        translate = self.gettext(lang)
        values = [
            ChartValue(
                v.value,
                plain(v.label),
                plain(v.given_by),
                v.date.format(lang, self.gettext(lang)),
                plain(v.counts or ""),
                v.kind,
            )
            for v in entry.fields.values
        ]
        names = {"figure": plain(entry.title), "unit": entry.fields.unit}
        counted = dict.fromkeys(v.counts for v in values if v.counts)
        numbers = "; ".join(counted) + ". " + translate("Every value is in the table below, with its sources.")
        text = ChartText(
            title=translate("%(figure)s: every value, in %(unit)s, and who gives it") % names,
            description=translate("Values grouped by what they count:") + " " + numbers,
            unit=entry.fields.unit,
            legend={kind: translate(label) for kind, label in FIGURE_KIND_LABELS.items()},
            no_number=translate("No number given"),
            given=translate("%(who)s, %(when)s"),
        )
        return figure_chart(values, text)

    def structured_data(self, page: PageView) -> Markup:
        return json_ld(page, self)

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
        translate = self.gettext(lang)
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
            subject = quote("Error on " + self.absolute(page_url)) if page_url else ""
            return target + (f"?subject={subject}" if subject and "?" not in target else "")
        if target.startswith(("http://", "https://")):
            return target
        entry_id, _, anchor = target.partition("#")
        entry = self.site.get(entry_id, lang)
        if entry is None:
            return None
        keep = anchor and self.has_anchor(entry, anchor)
        return self.url_for(entry, lang) + (f"#{anchor}" if keep else "")

    def corrections_log(self, lang: str) -> list[corrections.LoggedCorrection]:
        """Every correction of the pages shown in `lang`, newest first."""
        shown = [self.site.get(i, lang) for i in self.site.ids() if self.published(i, lang)]
        return corrections.log([e for e in shown if e is not None])

    def map_points(self, lang: str) -> list[MapPoint]:
        return [
            MapPoint(plain(p.title), self.url_for(p, lang), p.fields.coordinates.lat, p.fields.coordinates.lon)
            for p in self.entries_of("places", lang)
            if p.fields.coordinates
        ]

    def timeline_graphic(self, events: list[Entry], episodes: list[Entry], lang: str) -> Markup:
        translate = self.gettext(lang)
        marks = [
            TimelineEvent(
                slug=e.slug,
                title=plain(e.title),
                url=self.url_for(e, lang),
                start=e.fields.date.earliest,
                end=e.fields.date.latest,
                exact=e.fields.date.earliest == e.fields.date.latest and not e.fields.date.approximate,
                approximate=e.fields.date.approximate,
                when=e.fields.date.format(lang, translate),
            )
            for e in events
        ]
        lanes = [
            TimelineEpisode(
                number=e.fields.number,
                title=plain(e.title),
                url=self.url_for(e, lang),
                depicts=tuple(r.target.split("/", 1)[1] for r in e.fields.depicts),
            )
            for e in episodes
        ]
        text = TimelineText(
            title=translate("Timeline: what happened and what the series shows"),
            description=translate(TIMELINE_DESCRIPTION),
            events_lane=translate("What really happened"),
            episodes_lane=translate("Episodes"),
        )
        return timeline_svg(marks, lanes, text)

    def map_graphic(self, points: list[MapPoint], lang: str) -> Markup:
        translate = self.gettext(lang)
        # Area labels of the base map link to their place pages when the site has them.
        links = {key: self.url_for(i, lang) for key, i in BASEMAP_PLACES.items() if self.site.get(i, lang)}
        text = MapText(
            title=translate("Map of the places in this story"),
            description=translate("Places with a sourced coordinate:")
            + " "
            + "; ".join(f"{p.label} ({p.lat:.4f}, {p.lon:.4f})" for p in points),
            coahuila=translate("Coahuila"),
            texas=translate("Texas"),
            river=translate("Rio Grande (Río Bravo)"),
            links=links,
            region_title=translate("1. The region"),
            detail_title=translate("2. Around %(place)s, in detail"),
            detail_label=translate("%(place)s area: map 2"),
        )
        return map_svg(points, text)

    @cache  # noqa: B019 - one renderer per build, so the cache dies with it
    def generated_views(self, lang: str) -> list[tuple[str, str, Callable[[], dict[str, Any]]]]:
        """(name, template, context) of the pages made from the data rather than a file. The
        context is a function: a rebuild that keeps a view's last page (the timeline after a
        body edit, say) does not lay out its graphic again."""
        views: list[tuple[str, str, Callable[[], dict[str, Any]]]] = []
        events = self.entries_of("events", lang)
        if events:
            episodes = self.entries_of("episodes", lang)
            views.append(
                (
                    "timeline",
                    "timeline.html",
                    lambda: {
                        "events": events,
                        "episodes": episodes,
                        "svg": self.timeline_graphic(events, episodes, lang),
                    },
                )
            )
        points = self.map_points(lang)
        if points:
            places = self.entries_of("places", lang)

            def map_context(points=points, lang=lang, places=places) -> dict[str, Any]:
                svg = self.map_graphic(points, lang)
                context = {"svg": svg, "places": places, "basemap": on_basemap(points)}
                context["panels"] = 2 if 'id="map-detail"' in svg else 1  # the region, then the detail
                # GeoNames' licence (CC BY 4.0) asks for credit where its coordinates are shown.
                context["geonames"] = any(s.fields.publisher == "GeoNames" for s in self.entries_of("sources", lang))
                return context

            views.append(("map", "map.html", map_context))
        claims = self.entries_of("claims", lang)
        characters = self.entries_of("characters", lang)
        if claims or characters:
            by_verdict = [(v, [c for c in claims if c.fields.verdict == v]) for v in VERDICT_LABELS]
            context = {"by_verdict": [(v, cs) for v, cs in by_verdict if cs], "characters": characters}
            views.append(("verdicts", "verdicts.html", lambda: context))
        if "corrections" in self.view_names(lang):
            views.append(("corrections", "corrections.html", dict))  # no page of its own to hold the log
        listings = [(folder, t) for folder, t in TYPES.items() if folder != "pages" and self.entries_of(folder, lang)]
        if self.site.config.search:
            views.append(("search", "search.html", lambda: {"listings": listings}))
        return views

    # -- page views ----------------------------------------------------------------------

    def fill_placeholders(self, body: RenderedBody, lang: str) -> Markup:
        def substitute(match: re.Match) -> str:
            if match.group(1) == "Q":
                return str(self.quote_html(body.quotes[int(match.group(2))], lang))
            ref = body.refs[int(match.group(2))]
            target = self.site.get(ref.target, lang)
            if match.group(1) == "H":
                if target is None:
                    return "#"
                anchor = ref.anchor if ref.anchor and self.has_anchor(target, ref.anchor) else None
                return self.url_for(target, lang) + (f"#{anchor}" if anchor else "")
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
        label = self.gettext(lang)("translation; original")
        href = self.url_for(source, lang) + "#" + quotes.anchor(quote)
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
        inverses = tuple((self.gettext(lang)(label), self.lookup(ids, lang)) for label, ids in typed)
        # Links already listed under a typed relation are not repeated as plain backlinks.
        shown = {i for _, ids in typed for i in ids}
        backlinks = self.lookup(tuple(i for i in site.backlinks.get(entry.id, ()) if i not in shown), lang)
        return PageView(
            entry=entry,
            lang=lang,
            url=self.url_for(entry, lang),
            body=self.fill_placeholders(body, lang),
            toc=body.toc,
            notes=notes,
            sources=sources,
            backlinks=backlinks,
            inverses=inverses,
            crumbs=self.crumbs(entry, lang),
            alternates=tuple(self.alternates(entry.id)),
            switch=tuple(self.switch(entry.id, lang)),
            episodes=self.episodes_of(entry, lang),
        )

    def note_items(self, note: Note, lang: str) -> Markup:
        """The sources of one note, one line each: the source (partials/note-source.html,
        made once per source) or its bare key, the locator, then "; " or a final ".".
        Written here rather than as a loop in notes.html: a page has dozens of notes."""
        last = len(note.items) - 1
        lines = []
        for number, (source, key, locator) in enumerate(note.items):
            shown = self.fragment("partials/note-source.html", lang, source=source) if source else escape(key)
            where = Markup(", ") + escape(locator) if locator else ""
            lines.append(f"{shown}{where}{'; ' if number < last else '.'}\n")
        return Markup("".join(lines))

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
        translate = self.gettext(lang)
        home = Crumb(translate("Home"), self.base + page_path("pages", "index", lang, self.default))
        if entry.type.folder == "pages":
            return () if entry.slug == "index" else (home, Crumb(entry.title, None))
        listing = Crumb(translate(entry.type.label), self.listing_url(entry.type.folder, lang))
        return (home, listing, Crumb(entry.title, None))

    # -- rendering -----------------------------------------------------------------------

    def render(self, names: tuple[str, ...], context: dict[str, Any], origin: str) -> str:
        env = self.envs[context["lang"]]
        try:
            return env.select_template(list(names)).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            path = display_path(Path(exc.filename)) if exc.filename else exc.name or names[0]
            raise TemplateRenderError(
                error("template-error", exc.message or "syntax error", Span(path, exc.lineno or 0, 1))
            ) from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateRenderError(
                error("template-error", f"template not found: {exc.name}", hint=f"while rendering {origin}")
            ) from exc
        except Exception as exc:
            raise TemplateRenderError(self.runtime_error(exc, origin)) from exc

    def runtime_error(self, exc: Exception, origin: str) -> Diagnostic:
        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename and Path(f.filename).suffix in (".html", ".xml", ".txt")
        ]
        span = Span(display_path(Path(frames[-1].filename)), frames[-1].lineno or 0, 1) if frames else None
        message = str(exc) if isinstance(exc, jinja2.UndefinedError) else f"{type(exc).__name__}: {exc}"
        return error("template-error", message, span, hint=f"while rendering {origin}")

    def render_site(
        self, only: set[str] | None = None, listed: set[str] | None = None, keep: frozenset[str] = frozenset()
    ) -> tuple[dict[str, bytes], list[Diagnostic]]:
        """Render every page, or with `only` the pages of those entry ids plus every
        listing, view, feed and sitemap (which depend on many entries at once)."""
        outputs: dict[str, bytes] = {}
        diagnostics: list[Diagnostic] = []
        seen_failures: set[tuple] = set()
        listings: list[tuple[str, list[tuple[str, str]]]] = []  # (URL path, alternates) of listings and views
        self.owners: dict[str, str] = {}  # output file -> the entry id whose page it is

        def in_sitemap(name: str, lang: str) -> str:
            """Record a listing or view page for the sitemap; returns its output path."""
            path = listing_path(name, lang, self.default)
            listings.append((path, self.listing_alternates(name)))
            return path

        failures: list[Diagnostic] = []  # of listings, views and the 404 pages

        def emit(path: str, names: tuple[str, ...], context: dict[str, Any], origin: str) -> None:
            try:
                outputs[output_file(path)] = self.render(names, context, origin).encode("utf-8")
            except TemplateRenderError as failure:
                failures.append(failure.diagnostic)

        # Entry pages, in worker processes on a large site; started first so that the
        # listings below render here while the workers run.
        ids = [entry_id for entry_id in self.site.ids() if only is None or entry_id in only]
        pages = parallel.render_pages(self, ids)
        # With `only`, a listing or view none of whose entries changed keeps its last output.
        # `listed`: the entries whose listed details changed (all of `only` if not given).
        shown = only if listed is None else listed
        touched = None if only is None else {entry_id.split("/", 1)[0] for entry_id in shown}
        for lang in self.languages_present():
            for folder, content_type in TYPES.items():
                entries = self.entries_of(folder, lang)
                if folder == "pages" or not entries:
                    continue
                if touched is not None and folder not in touched:
                    self.owners[output_file(in_sitemap(folder, lang))] = KEEP
                    continue
                context = {
                    "lang": lang,
                    "type": content_type,
                    "entries": entries,
                    "url": self.listing_url(folder, lang),
                    "switch": self.listing_switch(folder, lang),
                    "alternates": self.listing_alternates(folder),
                }
                emit(
                    in_sitemap(folder, lang),
                    (f"{content_type.singular}-list.html", "list.html"),
                    context,
                    f"/{folder}/",
                )
            for name, template, context in self.generated_views(lang):
                if touched is not None and VIEW_SOURCES.get(name) and touched.isdisjoint(VIEW_SOURCES[name]):
                    self.owners[output_file(in_sitemap(name, lang))] = KEEP
                    continue
                url = self.view_url(name, lang)
                extra = {
                    "lang": lang,
                    "url": url,
                    "switch": self.listing_switch(name, lang),
                    "alternates": self.listing_alternates(name),
                }
                # The search page has no content of its own to offer a search engine.
                path = listing_path(name, lang, self.default) if name == "search" else in_sitemap(name, lang)
                emit(path, (template,), {**extra, **context()}, f"/{name}/")
            not_found = "404.html" if lang == self.default else f"{lang}/404.html"
            context = {"lang": lang, "url": self.base + not_found, "switch": [], "alternates": []}
            emit(not_found, ("404.html",), context, not_found)
        for group, make in ((DISCOVERY, lambda: discovery_files(self, listings)), (DATA, self.data_files)):
            if group not in keep:
                made = make()
                outputs.update(made)
                self.owners.update(dict.fromkeys(made, group))
        page_failures: list[Diagnostic] = []
        self.spooled: dict[str, tuple[str, int, Path]] = {}
        for part_outputs, part_failures, part_owners, part_spooled in pages:  # in the order of `ids`
            outputs.update(part_outputs)
            self.owners.update(part_owners)
            self.spooled.update(part_spooled)
            page_failures += part_failures
        for diagnostic in page_failures + failures:
            key = (*diagnostic.sort_key()[:3], diagnostic.message)
            if key not in seen_failures:  # one broken template line, one report
                seen_failures.add(key)
                diagnostics.append(diagnostic)
        return dict(sorted(outputs.items())), diagnostics

    def entry_pages(self, ids: list[str]) -> parallel.PagesPart:
        """The pages of the entries `ids` in every language they are published in: (output
        files, template errors in page order, output file -> entry id, spooled files).
        With a spool folder, each page is written there as soon as it is rendered and only
        its hash and length are returned (`SiteFiles.spooled`), so neither a worker nor
        this process holds the site's pages."""
        outputs: dict[str, bytes] = {}
        failures: list[Diagnostic] = []
        owners: dict[str, str] = {}
        spooled: dict[str, tuple[str, int, Path]] = {}
        made: set[Path] = set()
        for entry_id in ids:
            for lang in self.languages:
                if not self.published(entry_id, lang):
                    continue
                entry = self.site.get(entry_id, lang)
                page = self.view(entry, lang)
                path = page_path(entry.type.folder, entry.slug, lang, self.default)
                names = ("home.html",) if entry.id == "pages/index" else ()
                owners[output_file(path)] = entry_id
                context = {
                    "page": page,
                    "lang": lang,
                    "url": page.url,
                    "switch": page.switch,
                    "alternates": page.alternates,
                }
                try:
                    html_text = self.render(
                        (*names, f"{entry.type.singular}.html", "entry.html"), context, entry.file.display
                    )
                except TemplateRenderError as failure:
                    failures.append(failure.diagnostic)
                    continue
                data = html_text.encode("utf-8")
                if self.spool is None:
                    outputs[output_file(path)] = data
                else:
                    spooled[output_file(path)] = (digest(data), len(data), self.spool)
                    write_spooled(self.spool / output_file(path), data, made)
        return outputs, failures, owners, spooled

    def data_files(self) -> dict[str, bytes]:
        return opendata.data_files(self)

    def languages_present(self) -> list[str]:
        """Languages with at least one page, in the order of site.yaml."""
        return self.index.languages_present(self.published)


def fragment_key(value: Any) -> Any:
    """What identifies a value given to a cached partial: an entry by id and language."""
    return ("entry", value.id, value.lang) if isinstance(value, Entry) else value


_sort_keys: dict[tuple[int, str], tuple[Entry, tuple]] = {}


def sort_entries(folder: str, entries: list[Entry]) -> list[Entry]:
    """In listing order. An entry's key is made once per entry object: `serve` sorts the
    same 8,000 events again after each edit, and unchanged entries are the same objects."""

    def key(entry: Entry) -> tuple:
        found = _sort_keys.get((id(entry), folder))
        if found is not None and found[0] is entry:
            return found[1]
        if len(_sort_keys) > 100_000:  # entries of past builds: start again
            _sort_keys.clear()
        made = _sort_keys[(id(entry), folder)] = (entry, entry_key(entry))
        return made[1]

    def entry_key(entry: Entry) -> tuple:
        fields = entry.fields
        if folder == "episodes":
            return (fields.number, entry.slug)
        if folder == "events":
            return (*fields.date.sort_key(), entry.slug)
        if folder == "pages":
            return (fields.weight, entry.title.casefold(), entry.slug)
        return (plain(entry.title).casefold(), entry.slug)

    return sorted(entries, key=key)


def render(
    site: Site,
    template_dirs: list[Path],
    base_url: str,
    static_files: frozenset[str],
    only: set[str] | None = None,
    listed: set[str] | None = None,
    compiled_dir: Path | None = None,
    keep: frozenset[str] = frozenset(),
    spool: Path | None = None,
) -> tuple[Mapping[str, bytes], list[Diagnostic], dict[str, str]]:
    """`compiled_dir`: where compiled templates are kept between builds (None: in memory
    only). `keep`: the whole-site groups (DISCOVERY, DATA) the caller keeps from the last
    build. `spool`: a folder to stream the entry pages to as they are rendered (they are
    then a `SiteFiles` reading them from there); None keeps them in memory."""
    renderer = Renderer(site, template_dirs, base_url, static_files, compiled_dir, spool)
    outputs, diagnostics = renderer.render_site(only, listed, keep)
    if spool is None:
        return outputs, diagnostics, renderer.owners
    return SiteFiles(outputs, spooled=dict(sorted(renderer.spooled.items()))), diagnostics, renderer.owners


def write_spooled(target: Path, data: bytes, made: set[Path]) -> None:
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    target.write_bytes(data)


def nav_signature(site: Site) -> tuple:
    """What the header and footer of every page depend on: which navigation targets exist
    (a type with one entry links straight to it) and the titles of the footer pages."""
    counts = tuple(min(len(site.of_type(target)), 2) for _, target in NAV if "/" not in target)
    singles = tuple(e.id for _, t in NAV if "/" not in t and len(site.of_type(t)) == 1 for e in site.of_type(t))
    footer = tuple((i, lang, e.title) for (i, lang), e in site.entries.items() if i.startswith("pages/"))
    return (counts, singles, footer, tuple(site.config.languages))
