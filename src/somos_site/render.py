"""Stage 5, render: the resolved site through Jinja2 templates into an output tree
(`{path: bytes}`, or pages streamed to a spool folder). Nothing touches the output folder.

The renderer owns the template environments and the order of the pages; what a page
shows comes from `routing` (URLs and languages), `views` (entry pages), `navigation`,
`graphics` and `generated` (the pages made from the data)."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from somos_site import corrections, opendata, parallel
from somos_site.check import ParsedPage, parse_page
from somos_site.diagnostics import Diagnostic, Span, error
from somos_site.discovery import discovery_files, feed_path, last_change
from somos_site.generated import VIEW_SOURCES, GeneratedViews
from somos_site.graphics import Graphics
from somos_site.i18n import load_translations
from somos_site.indexes import SiteIndex, sort_entries
from somos_site.load import display_path
from somos_site.model import Entry
from somos_site.navigation import Navigation
from somos_site.outputs import SiteFiles, digest
from somos_site.resolve import Site
from somos_site.routing import Router
from somos_site.schema import REALM_LABELS, RELATION_LABELS, SOURCE_KIND_LABELS, TYPES, VERDICT_LABELS
from somos_site.structured import json_ld
from somos_site.templatecache import CompiledTemplates, translations
from somos_site.text import inline_html, is_fiction, plain, title_lang
from somos_site.urls import listing_path, output_file, page_path
from somos_site.views import Note, PageViews

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


class TemplateRenderError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class MadePages:
    """What a build's render collects: output files and their owners, the pages streamed
    to the spool, the listings and views for the sitemap, and template errors."""

    def __init__(self) -> None:
        self.outputs: dict[str, bytes] = {}
        self.owners: dict[str, str] = {}  # output file -> the entry id whose page it is
        self.spooled: dict[str, tuple[str, int, Path]] = {}
        self.listings: list[tuple[str, list[tuple[str, str]]]] = []  # (URL path, alternates)
        self.failures: list[Diagnostic] = []  # of listings, views and the 404 pages
        self.page_failures: list[Diagnostic] = []
        self.parses: dict[str, tuple[str, ParsedPage]] = {}  # entry pages: (hash, link-check parse)

    def in_sitemap(self, router: Router, name: str, lang: str) -> str:
        """Record a listing or view page for the sitemap; returns its output path."""
        path = listing_path(name, lang, router.default)
        self.listings.append((path, router.listing_alternates(name)))
        return path

    def emit(self, renderer: Renderer, path: str, names: tuple[str, ...], context: dict[str, Any], origin: str) -> None:
        try:
            self.outputs[output_file(path)] = renderer.render(names, context, origin).encode("utf-8")
        except TemplateRenderError as failure:
            self.failures.append(failure.diagnostic)

    def add_part(self, part: parallel.PagesPart) -> None:
        part_outputs, part_failures, part_owners, part_spooled, part_parses = part
        self.outputs.update(part_outputs)
        self.owners.update(part_owners)
        self.spooled.update(part_spooled)
        self.parses.update(part_parses)
        self.page_failures += part_failures

    def diagnostics(self) -> list[Diagnostic]:
        """The template errors, entry pages' first; one broken template line, one report."""
        seen: set[tuple] = set()
        found = []
        for diagnostic in self.page_failures + self.failures:
            key = (*diagnostic.sort_key()[:3], diagnostic.message)
            if key not in seen:
                seen.add(key)
                found.append(diagnostic)
        return found


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
        self.default = site.default_lang
        self.languages = list(site.config.languages)
        self.translations = {lang: translations(template_dirs, lang, load_translations) for lang in self.languages}
        # Computed once per build: entries by type and language, sorted listings, the nav.
        index = SiteIndex(site, self.languages, sort_entries)
        self.router = Router(site, index, base_url, static_files, self.translations)
        self.views = PageViews(self.router)
        self.navigation = Navigation(self.router)
        self.graphics = Graphics(self.router)
        self.generated = GeneratedViews(self.router, self.graphics)
        self.compiled = CompiledTemplates(compiled_dir, ENV_SIGNATURE)
        self.envs = {lang: self.make_env(template_dirs, lang) for lang in self.languages}
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
        env.filters.update(template_filters(self.translations[lang].gettext, lang))
        env.globals.update(template_globals(self, lang))
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

    def render(self, names: tuple[str, ...], context: dict[str, Any], origin: str) -> str:
        return render_template(self.envs[context["lang"]], names, context, origin)

    def load_templates(self) -> None:
        """Compile (or load from the cache) every template of every language now, so that
        forked render workers share them instead of each compiling its own. A template
        that fails here is reported when a page uses it, with the page as context."""
        for env in self.envs.values():
            for name in env.list_templates(extensions=["html", "xml", "txt"]):
                with contextlib.suppress(jinja2.TemplateError):
                    env.get_template(name)

    def render_site(
        self, only: set[str] | None = None, listed: set[str] | None = None, keep: frozenset[str] = frozenset()
    ) -> tuple[dict[str, bytes], list[Diagnostic]]:
        """Render every page, or with `only` the pages of those entry ids plus every
        listing, view, feed and sitemap (which depend on many entries at once)."""
        made = MadePages()
        # Entry pages, in worker processes on a large site; started first so that the
        # listings below render here while the workers run.
        ids = [entry_id for entry_id in self.site.ids() if only is None or entry_id in only]
        pages = parallel.render_pages(self.entry_pages, ids, before_fork=self.load_templates)
        # With `only`, a listing or view none of whose entries changed keeps its last output.
        # `listed`: the entries whose listed details changed (all of `only` if not given).
        shown = only if listed is None else listed
        touched = None if only is None else {entry_id.split("/", 1)[0] for entry_id in shown}
        for lang in self.router.languages_present():
            self.listing_pages(lang, touched, made)
            self.view_pages(lang, touched, made)
            not_found = "404.html" if lang == self.default else f"{lang}/404.html"
            context = {"lang": lang, "url": self.router.base + not_found, "switch": [], "alternates": []}
            made.emit(self, not_found, ("404.html",), context, not_found)
        for group, make in ((DISCOVERY, lambda: discovery_files(self.router, made.listings)), (DATA, self.data_files)):
            if group not in keep:
                files = make()
                made.outputs.update(files)
                made.owners.update(dict.fromkeys(files, group))
        for part in pages:  # in the order of `ids`
            made.add_part(part)
        self.owners, self.spooled, self.parses = made.owners, made.spooled, made.parses
        return dict(sorted(made.outputs.items())), made.diagnostics()

    def listing_pages(self, lang: str, touched: set[str] | None, made: MadePages) -> None:
        """The listing of each type in `lang`; with `touched`, only of the types changed."""
        router = self.router
        for folder, content_type in TYPES.items():
            # Whether the type has entries, without sorting them for a listing kept as it is.
            if folder == "pages" or not router.index.of_type(folder, lang):
                continue
            path = made.in_sitemap(router, folder, lang)
            if touched is not None and folder not in touched:
                made.owners[output_file(path)] = KEEP
                continue
            entries = router.entries_of(folder, lang)
            context = {
                "lang": lang,
                "type": content_type,
                "entries": entries,
                "url": router.listing_url(folder, lang),
                "switch": router.listing_switch(folder, lang),
                "alternates": router.listing_alternates(folder),
            }
            made.emit(self, path, (f"{content_type.singular}-list.html", "list.html"), context, f"/{folder}/")

    def view_pages(self, lang: str, touched: set[str] | None, made: MadePages) -> None:
        """The generated views in `lang`; with `touched`, only those showing a changed type."""
        router = self.router
        for name, template, context in self.generated.views(lang):
            # The search page has no content of its own to offer a search engine.
            path = listing_path(name, lang, self.default) if name == "search" else made.in_sitemap(router, name, lang)
            if touched is not None and VIEW_SOURCES.get(name) and touched.isdisjoint(VIEW_SOURCES[name]):
                made.owners[output_file(path)] = KEEP
                continue
            extra = {
                "lang": lang,
                "url": router.view_url(name, lang),
                "switch": router.listing_switch(name, lang),
                "alternates": router.listing_alternates(name),
            }
            made.emit(self, path, (template,), {**extra, **context()}, f"/{name}/")

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
        parses: dict[str, tuple[str, ParsedPage]] = {}
        made: set[Path] = set()
        for entry_id in ids:
            for lang in self.languages:
                if not self.router.published(entry_id, lang):
                    continue
                entry = self.site.get(entry_id, lang)
                page = self.views.view(entry, lang)
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
                hashed = digest(data)
                # Parsed for the link check here, in the worker, while the page is at hand.
                parses[output_file(path)] = (hashed, parse_page(data))
                if self.spool is None:
                    outputs[output_file(path)] = data
                else:
                    spooled[output_file(path)] = (hashed, len(data), self.spool)
                    write_spooled(self.spool / output_file(path), data, made)
        return outputs, failures, owners, spooled, parses

    def data_files(self) -> dict[str, bytes]:
        return opendata.data_files(self.router)


def template_filters(translate: Callable[[str], str], lang: str) -> dict[str, Callable]:
    return {
        "inline": inline_html,
        "plain": plain,
        "date": lambda value: value.format(lang, translate) if value else "",
        "verdict_label": lambda v: translate(VERDICT_LABELS[v]) if v else "",
        "relation_label": lambda r: translate(RELATION_LABELS[r]),
        "verdict_icon": lambda v: VERDICT_ICONS.get(v, ""),
        "source_kind_label": lambda k: translate(SOURCE_KIND_LABELS[k]),
        "realm_label": lambda r: translate(REALM_LABELS[r]),
        "type_label": lambda t: translate(t.label),
        "type_name": lambda t: translate(t.singular.capitalize()),
    }


def template_globals(renderer: Renderer, lang: str) -> dict[str, Any]:
    """What templates may call: the router's URLs and links, the page views' helpers,
    the navigation, the graphics, and the site's data files and citations."""
    router, views, site = renderer.router, renderer.views, renderer.site
    return {
        "site": site,
        "config": site.config.in_language(lang),
        "url_for": router.url_for,
        "link": router.link,
        "listing_url": router.listing_url,
        "static_url": router.static_url,
        "absolute": router.absolute,
        "get": site.get,
        "entries_of": router.entries_of,
        "nav": renderer.navigation.nav,
        "types": TYPES,
        "verdicts": VERDICT_LABELS,
        "view_url": router.view_url,
        "has_view": renderer.generated.has_view,
        "figure_chart": renderer.graphics.figure_chart,
        "language_names": site.config.languages,
        "structured_data": lambda page: json_ld(page, router),
        "feed_url": lambda lang: router.base + feed_path(lang, router.default),
        "base_path": router.base,
        "title_lang": title_lang,
        "corrections_of": corrections.logged,
        "correction_dates": corrections.first_per_date,
        "last_updated": lambda entry: last_change(router, entry),
        "cite": lambda entry, lang: opendata.citation(router, entry, lang),
        "data_url": lambda name, fmt, lang: router.base + opendata.data_path(name, fmt, lang, router.default),
        "datasets": lambda lang: opendata.available(router, lang),
        "report_error_url": views.report_error_url,
        "archive_link": views.archive_link,
        "corrections_log": renderer.generated.corrections_log,
        "is_fiction": is_fiction,
        "fiction_marker": router.fiction_marker,
        "fragment": renderer.fragment,
        "note_items": renderer.note_items,
    }


def render_template(env: jinja2.Environment, names: tuple[str, ...], context: dict[str, Any], origin: str) -> str:
    """The first of the templates `names` that exists, rendered; any failure becomes a
    `template-error` diagnostic at the template line at fault."""
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
        raise TemplateRenderError(runtime_error(exc, origin)) from exc


def runtime_error(exc: Exception, origin: str) -> Diagnostic:
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename and Path(f.filename).suffix in (".html", ".xml", ".txt")
    ]
    span = Span(display_path(Path(frames[-1].filename)), frames[-1].lineno or 0, 1) if frames else None
    message = str(exc) if isinstance(exc, jinja2.UndefinedError) else f"{type(exc).__name__}: {exc}"
    return error("template-error", message, span, hint=f"while rendering {origin}")


def fragment_key(value: Any) -> Any:
    """What identifies a value given to a cached partial: an entry by id and language."""
    return ("entry", value.id, value.lang) if isinstance(value, Entry) else value


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
    parses: dict[str, tuple[str, ParsedPage]] | None = None,
) -> tuple[Mapping[str, bytes], list[Diagnostic], dict[str, str]]:
    """`compiled_dir`: where compiled templates are kept between builds (None: in memory
    only). `keep`: the whole-site groups (DISCOVERY, DATA) the caller keeps from the last
    build. `spool`: a folder to stream the entry pages to as they are rendered (they are
    then a `SiteFiles` reading them from there); None keeps them in memory. `parses`, when
    given, receives each entry page's hash and link-check parse, made by the worker that
    rendered it (the check then need not parse those pages again, in one process)."""
    renderer = Renderer(site, template_dirs, base_url, static_files, compiled_dir, spool)
    outputs, diagnostics = renderer.render_site(only, listed, keep)
    if parses is not None:
        parses.update(renderer.parses)
    if spool is None:
        return outputs, diagnostics, renderer.owners
    return SiteFiles(outputs, spooled=dict(sorted(renderer.spooled.items()))), diagnostics, renderer.owners


def write_spooled(target: Path, data: bytes, made: set[Path]) -> None:
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    target.write_bytes(data)
