"""Stage 5, render: the resolved site through Jinja2 templates into an in-memory output
tree (`{path: bytes}`). Nothing touches the output folder here."""

from __future__ import annotations

import html
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import markdown as python_markdown
from markupsafe import Markup, escape

from somos_site import corrections, opendata, quotes
from somos_site.diagnostics import Diagnostic, Span, error
from somos_site.discovery import discovery_files, feed_path, last_change
from somos_site.i18n import load_translations
from somos_site.load import display_path
from somos_site.markdown import PLACEHOLDER, collapse_full_stops
from somos_site.model import CitedKey, Entry, QuoteRef, RenderedBody
from somos_site.resolve import Site, front_matter_sources
from somos_site.schema import REALM_LABELS, RELATION_LABELS, TYPES, VERDICT_LABELS, ContentType, Ref
from somos_site.structured import json_ld
from somos_site.urls import base_path, listing_path, output_file, page_path
from somos_site.visuals import ChartValue, MapPoint, figure_chart, map_svg

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
    "map": {"places"},
    "verdicts": {"claims", "characters", "people", "organizations", "events", "places"},
}
KEEP = "@keep"  # an owner meaning: unchanged, keep the last build's file


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
    def __init__(self, site: Site, template_dirs: list[Path], base_url: str, static_files: frozenset[str]) -> None:
        self.site = site
        self.base_url = base_url
        self.base = base_path(base_url)
        self.static_files = static_files
        self.default = site.default_lang
        self.languages = list(site.config.languages)
        self.translations = {lang: load_translations(template_dirs, lang) for lang in self.languages}
        self.envs = {lang: self.make_env(template_dirs, lang) for lang in self.languages}
        self._archive_links: dict[tuple[str, str, str], Markup] = {}

    def make_env(self, template_dirs: list[Path], lang: str) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        env.install_gettext_translations(self.translations[lang], newstyle=True)
        translate = self.translations[lang].gettext
        env.filters.update(
            inline=inline_html,
            plain=plain,
            date=lambda value: value.format(lang, translate) if value else "",
            verdict_label=lambda v: translate(VERDICT_LABELS[v]) if v else "",
            relation_label=lambda r: translate(RELATION_LABELS[r]),
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
        )
        return env

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
        entry = self.site.get(entry_id, lang)
        if entry is None:
            raise KeyError(f"no entry {entry_id!r}")
        page_lang = self.page_lang(entry_id, lang or self.default)
        return self.base + page_path(entry.type.folder, entry.slug, page_lang, self.default)

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
        return Markup('<a href="{}">{}</a>').format(href, inline_html(text or entry.title))

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
        return sort_entries(folder, self.site.of_type(folder, lang))

    def nav(self, lang: str, current: str = "") -> list[tuple[str, str, bool]]:
        translate = self.gettext(lang)
        items = []
        for label, target in NAV:
            if "/" not in target:
                entries = self.site.of_type(target, lang)
                if len(entries) == 1:  # a listing of one is a detour: link the entry
                    target = entries[0].id
                elif not entries:
                    continue
            if "/" in target:
                if self.site.get(target, lang) is None:
                    continue
                url, active = self.url_for(target, lang), current == target
            else:
                url = self.listing_url(target, lang)
                active = current.startswith(target + "/") or current == target
            items.append((translate(label), url, active))
        return items

    def view_url(self, name: str, lang: str | None = None) -> str:
        """URL of a generated view: 'timeline', 'map' or 'verdicts'."""
        return self.listing_url(name, lang)

    def has_view(self, name: str, lang: str) -> bool:
        return any(view == name for view, _, _ in self.generated_views(lang))

    def figure_chart(self, entry: Entry, lang: str) -> Markup:
        values = [
            ChartValue(v.value, plain(v.label), plain(v.given_by), v.date.format(lang, self.gettext(lang)))
            for v in entry.fields.values
            if v.value is not None
        ]
        title = self.gettext(lang)("%(figure)s: every value, in %(unit)s, and who gives it") % {
            "figure": plain(entry.title),
            "unit": entry.fields.unit,
        }
        return figure_chart(values, title)

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

    @cache  # noqa: B019 - one renderer per build, so the cache dies with it
    def generated_views(self, lang: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(name, template, context) of the pages made from the data rather than a file."""
        translate = self.gettext(lang)
        views = []
        events = self.entries_of("events", lang)
        if events:
            context = {"events": events, "episodes": self.entries_of("episodes", lang)}
            views.append(("timeline", "timeline.html", context))
        points = self.map_points(lang)
        if points:
            description = (
                translate("Places with known coordinates:")
                + " "
                + "; ".join(f"{p.label} ({p.lat:.4f}, {p.lon:.4f})" for p in points)
            )
            svg = map_svg(points, translate("Map of the places in this story"), description)
            views.append(("map", "map.html", {"svg": svg, "places": self.entries_of("places", lang)}))
        claims = self.entries_of("claims", lang)
        characters = self.entries_of("characters", lang)
        if claims or characters:
            by_verdict = [(v, [c for c in claims if c.fields.verdict == v]) for v in VERDICT_LABELS]
            context = {"by_verdict": [(v, cs) for v, cs in by_verdict if cs], "characters": characters}
            views.append(("verdicts", "verdicts.html", context))
        if self.site.get("pages/corrections") is None and self.corrections_log(lang):
            views.append(("corrections", "corrections.html", {}))  # no page of its own to hold the log
        listings = [(folder, t) for folder, t in TYPES.items() if folder != "pages" and self.entries_of(folder, lang)]
        if self.site.config.search:
            views.append(("search", "search.html", {"listings": listings}))
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

        return Markup(collapse_full_stops(PLACEHOLDER.sub(substitute, body.html)))

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
        notes = tuple(
            Note(c.number, tuple((site.get(f"sources/{k.key}", lang), k.key, self.locator(k)) for k in c.keys))
            for c in body.citations
        )
        keys = [k.key for c in body.citations for k in c.keys] + [k.key for k in front_matter_sources(entry.fields)]
        sources = tuple(s for s in (site.get(f"sources/{k}", lang) for k in dict.fromkeys(keys)) if s is not None)
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
        )

    def locator(self, key: CitedKey) -> str | None:
        """A citation's locator; for a quotation, the one recorded with it."""
        if key.locator or key.quote is None:
            return key.locator
        quote = quotes.find(self.site.get(f"sources/{key.key}"), key.quote)
        return quote.locator if quote else None

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
        self, only: set[str] | None = None, listed: set[str] | None = None
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

        def emit(path: str, names: tuple[str, ...], context: dict[str, Any], origin: str) -> None:
            try:
                outputs[output_file(path)] = self.render(names, context, origin).encode("utf-8")
            except TemplateRenderError as failure:
                key = (*failure.diagnostic.sort_key()[:3], failure.diagnostic.message)
                if key not in seen_failures:  # one broken template line, one report
                    seen_failures.add(key)
                    diagnostics.append(failure.diagnostic)

        for entry_id in self.site.ids():
            if only is not None and entry_id not in only:
                continue
            for lang in self.languages:
                if not self.published(entry_id, lang):
                    continue
                entry = self.site.get(entry_id, lang)
                page = self.view(entry, lang)
                path = page_path(entry.type.folder, entry.slug, lang, self.default)
                names = ("home.html",) if entry.id == "pages/index" else ()
                self.owners[output_file(path)] = entry_id
                emit(
                    path,
                    (*names, f"{entry.type.singular}.html", "entry.html"),
                    {"page": page, "lang": lang, "url": page.url, "switch": page.switch, "alternates": page.alternates},
                    entry.file.display,
                )
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
                emit(path, (template,), {**extra, **context}, f"/{name}/")
            not_found = "404.html" if lang == self.default else f"{lang}/404.html"
            context = {"lang": lang, "url": self.base + not_found, "switch": [], "alternates": []}
            emit(not_found, ("404.html",), context, not_found)
        outputs.update(discovery_files(self, listings))
        outputs.update(opendata.data_files(self))
        return outputs, diagnostics

    def languages_present(self) -> list[str]:
        """Languages with at least one page, in the order of site.yaml."""
        return [lang for lang in self.languages if any(self.published(i, lang) for i in self.site.ids())]


def sort_entries(folder: str, entries: list[Entry]) -> list[Entry]:
    def key(entry: Entry) -> tuple:
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
) -> tuple[dict[str, bytes], list[Diagnostic], dict[str, str]]:
    renderer = Renderer(site, template_dirs, base_url, static_files)
    outputs, diagnostics = renderer.render_site(only, listed)
    return outputs, diagnostics, renderer.owners


def nav_signature(site: Site) -> tuple:
    """What the header and footer of every page depend on: which navigation targets exist
    (a type with one entry links straight to it) and the titles of the footer pages."""
    counts = tuple(min(len(site.of_type(target)), 2) for _, target in NAV if "/" not in target)
    singles = tuple(e.id for _, t in NAV if "/" not in t and len(site.of_type(t)) == 1 for e in site.of_type(t))
    footer = tuple((i, lang, e.title) for (i, lang), e in site.entries.items() if i.startswith("pages/"))
    return (counts, singles, footer, tuple(site.config.languages))
