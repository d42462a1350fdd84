"""Stage 6, check: what can only be judged on the whole site. Links and anchors in the
rendered HTML, and the editorial checks (uncited facts, unused sources, unsourced
figures and claims)."""

from __future__ import annotations

import dataclasses
import html
import re
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from sys import intern
from urllib.parse import unquote, urljoin, urlsplit

from somos_site.diagnostics import Diagnostic, Span, error, warning
from somos_site.editorial import editorial_checks, figure_values
from somos_site.incremental import MISSING, Memo
from somos_site.model import Entry
from somos_site.outputs import SiteFiles
from somos_site.resolve import Site
from somos_site.review import revision_hash
from somos_site.schema import Claim, Figure
from somos_site.urls import output_file

# Written into the output after the check (the search index): not there to check yet.
MADE_AFTER_CHECK = ("pagefind/",)
LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}


@dataclass
class ParsedPage:
    """What the link check keeps of a page, between builds too: its ids and its links.
    Kept compact (one page's parse is kept for every page of the site): the strings are
    interned, so the URLs and ids that recur on every page are stored once, and the
    positions sit in one array."""

    ids: frozenset[str] = frozenset()
    urls: tuple[str, ...] = ()  # every link's URL, in page order
    offsets: array = field(default_factory=lambda: array("q"))  # where each link starts
    # The links resolved against the page's URL under `base` (see `resolve_links`): kept
    # with the parse, so an unchanged page's links are only looked up, not parsed again.
    # One (target, fragment, problem) per link, shared between links that resolve alike.
    base: str | None = None
    resolved: tuple[tuple[str | None, str, str | None], ...] = ()


# The pages are this program's own output (attributes always double-quoted by the template
# engine), so a scan of the markup finds every id and link as an HTML parser would, twenty
# times faster; positions are computed only for the links that turn out to be broken.
TAG = re.compile(r"<(a|link|img|script|source|iframe)\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'\s(href|src|id|name)="([^"]*)"')
ID = re.compile(r'\sid="([^"]*)"')


def parse_page(data: bytes) -> ParsedPage:
    text = data.decode("utf-8")
    ids = {intern(html.unescape(i)) for i in ID.findall(text)}
    urls: list[str] = []
    offsets = array("q")
    for tag in TAG.finditer(text):
        name = tag.group(1).lower()
        wanted = LINK_ATTRIBUTES[name]
        for attribute, value in ATTRIBUTE.findall(tag.group(0)):
            if attribute == wanted:
                urls.append(intern(html.unescape(value)))
                offsets.append(tag.start())
            elif attribute == "name" and name == "a":
                ids.add(intern(html.unescape(value)))
    return ParsedPage(frozenset(ids), tuple(urls), offsets)


def position(data: bytes, offset: int) -> tuple[int, int]:
    text = data.decode("utf-8")
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme and parts.scheme not in ("http", "https")) or bool(parts.netloc)


def check_links(
    outputs: Mapping[str, bytes],
    static_files: frozenset[str],
    base: str,
    out_name: str,
    origins: dict[str, str],
    parsed: dict[str, tuple[str, ParsedPage]] | None = None,
    only: set[str] | None = None,
    offered: Mapping[str, tuple[str, ParsedPage]] | None = None,
) -> list[Diagnostic]:
    """Every internal href/src must exist, with its anchor. `parsed` keeps each page's
    parse between builds, by content hash: a page whose bytes did not change is neither
    read nor parsed again (with `SiteFiles`, whose hashes of unchanged pages are recorded).
    `only`: check the links of these pages alone (see `check_links_reusing`). `offered`:
    parses made already (by the render workers), used when their hash is the page's."""
    offered = offered or {}
    parsed = {} if parsed is None else parsed
    files = outputs if isinstance(outputs, SiteFiles) else SiteFiles(outputs)
    pages = {}
    for path in files:
        if not path.endswith(".html"):
            continue
        known = parsed.get(path)
        if known is None or known[0] != files.digest(path):
            known = offered.get(path)
            if known is None or known[0] != files.digest(path):
                known = (files.digest(path), parse_page(files[path]))
            parsed[path] = known
        pages[path] = known[1]
    for gone in set(parsed) - set(pages):
        del parsed[gone]
    existing = set(files) | {f"static/{p}" for p in static_files}
    diagnostics = []
    rooted: dict[str, tuple[str | None, str, str | None]] = {}  # "/x/" means the same on every page

    shared: dict[tuple, tuple] = {}  # one object per distinct resolution, for every page

    def resolve_rooted(url: str, path: str, page_url: str, base: str) -> tuple[str | None, str, str | None]:
        if url in rooted:
            return rooted[url]
        found = resolve_link(url, path, page_url, base)
        found = shared.setdefault(found, found)
        if url.startswith("/") and not url.startswith("//"):
            rooted[url] = found
        return found

    for path, page in pages.items():
        if only is not None and path not in only:
            continue
        if page.base != base:
            page_url = base + (path.removesuffix("index.html") if path.endswith("index.html") else path)
            page.resolved = tuple(resolve_rooted(url, path, page_url, base) for url in page.urls)
            page.base = base
        for url, offset, (target, fragment, problem) in zip(page.urls, page.offsets, page.resolved, strict=True):
            if problem is None and target is not None:
                if target not in existing:
                    exists = target + "/index.html" in existing
                    problem = (
                        f"'{url}' needs a trailing '/'" if exists else f"'{url}' points to a page that does not exist"
                    )
                elif fragment and target in pages and fragment not in pages[target].ids:
                    problem = f"'{url}' points to an anchor that does not exist"
            if problem:
                line, col = position(files[path], offset)
                hint = f"rendered from {origins[path]}" if path in origins else None
                diagnostics.append(error("link-broken", problem, Span(f"{out_name}/{path}", line, col), hint))
    return diagnostics


def resolve_link(url: str, path: str, page_url: str, base: str) -> tuple[str | None, str, str | None]:
    """(the output file a link points to or None for none to check, its decoded fragment,
    a problem found without looking at other pages)."""
    if url.startswith("#"):
        return path, unquote(url[1:]), None
    if is_external(url) or url.startswith(("http://", "https://")):
        return None, "", None
    parts = urlsplit(urljoin(page_url, url))
    target_path = unquote(parts.path)
    if not target_path.startswith(base):
        return None, "", f"'{url}' points outside the site's base path {base}"
    target = output_file(target_path[len(base) :])
    if target.startswith(MADE_AFTER_CHECK):
        return None, "", None
    return target, unquote(parts.fragment), None


def revision(entry: Entry) -> str:
    """The revision id a translation records: the first 12 hex digits of the SHA-256 of
    the original file (line endings normalised), leaving out its editorial records
    (review, corrections, archive notes, quotes, flags), so that recording them does not
    make every translation stale."""
    return revision_hash(entry.file.text)


def text_revision(text: str) -> str:
    """The revision of a file's text as a translation records it (see `revision`)."""
    return revision_hash(text)


def translation_checks(site: Site, entry: Entry) -> list[Diagnostic]:
    original = site.entries.get((entry.id, site.default_lang))
    if entry.lang == site.default_lang:
        return missing_translations(site, entry)
    if original is not None:
        # A stale translation is expected to differ from its original: say only that.
        stale = stale_translation(entry, original)
        return [stale] if stale else diverging_translation(site, entry, original)
    return []


def missing_translations(site: Site, entry: Entry) -> list[Diagnostic]:
    return [
        warning(
            "translation-missing",
            f"'{entry.id}' has no {name} translation",
            Span(entry.file.display, 1, 1, 3),
            f"add {entry.file.path.stem}.{lang}.md beside it",
        )
        for lang, name in site.config.languages.items()
        if lang != site.default_lang and (entry.id, lang) not in site.entries
    ]


def stale_translation(entry: Entry, original: Entry) -> Diagnostic | None:
    current = revision(original)
    recorded = entry.fields.source_revision
    if recorded == current:
        return None
    if recorded is None:
        message = f"this translation does not record which revision of {original.file.display} it translates"
    else:
        message = (
            f"this translation was made from an older revision of {original.file.display}, which has changed since"
        )
    return warning(
        "translation-stale",
        message,
        entry.span("source_revision") if recorded else Span(entry.file.display, 1, 1, 3),
        f"bring the translation up to date with the original, then set 'source_revision: {current}'",
    )


def language_neutral(value: object) -> object:
    """The value without what a translation translates (fields marked `translated`, and
    spans), so that a translation and its original compare equal."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(
            (f.name, language_neutral(getattr(value, f.name)))
            for f in dataclasses.fields(value)
            if f.compare and not f.metadata.get("translated")
        )
    if isinstance(value, tuple):
        return tuple(language_neutral(item) for item in value)
    return value


def diverging_translation(site: Site, entry: Entry, original: Entry) -> list[Diagnostic]:
    """A translation keeps its original's facts: the same references, dates, values and
    sources in the front matter, and the same sources cited and pages linked in the body."""
    diagnostics = []
    for f in dataclasses.fields(original.fields):
        if f.metadata.get("translated"):
            continue
        if language_neutral(getattr(entry.fields, f.name)) != language_neutral(getattr(original.fields, f.name)):
            diagnostics.append(
                diverges(entry, original, f"its '{f.name}' differs from the original's", entry.span(f.name))
            )
            break  # one field is enough to send the editor back to the original
    body, original_body = site.bodies[(entry.id, entry.lang)], site.bodies[(original.id, original.lang)]
    cited = {key.key: c.span for c in body.citations for key in c.keys}
    linked = {ref.target: ref.span for ref in body.refs}
    for what, mine, theirs in (
        ("cites", cited, {key.key for c in original_body.citations for key in c.keys}),
        ("links to", linked, {ref.target for ref in original_body.refs}),
    ):
        extra, lacking = sorted(set(mine) - theirs), sorted(theirs - set(mine))
        if extra:
            diagnostics.append(
                diverges(entry, original, f"its text {what} {quoted(extra)}, the original does not", mine[extra[0]])
            )
        if lacking:
            diagnostics.append(
                diverges(entry, original, f"its text never {what} {quoted(lacking)}, as the original does", None)
            )
    return diagnostics


def quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def diverges(entry: Entry, original: Entry, message: str, span: Span | None) -> Diagnostic:
    return warning(
        "translation-diverges",
        f"this translation does not match {original.file.display}: {message}",
        span or Span(entry.file.display, 1, 1, 3),
        "a translation keeps its original's references, dates, values and sources; translate only the text",
    )


def check_content(
    site: Site, memo: Memo | None = None, changed: set[str] | frozenset[str] | None = None
) -> list[Diagnostic]:
    """The content checks of every entry. With `memo` (the last build's results) and
    `changed` (the ids whose pages a change may affect, `pipeline.affected_ids`), an entry
    outside `changed` whose entry and body are the same objects keeps its last results;
    `changed` None: every entry is checked."""
    memo = memo if memo is not None else Memo()
    figures = figure_values(site)
    memo.start((figures, tuple(site.config.languages), site.default_lang))
    diagnostics: list[Diagnostic] = []
    for (entry_id, lang), entry in site.entries.items():
        body = site.bodies[(entry_id, lang)]
        inputs = (entry, body)
        found = MISSING if changed is None or entry_id in changed else memo.get((entry_id, lang), inputs)
        if found is MISSING:
            found = memo.put((entry_id, lang), inputs, entry_checks(site, entry, body, figures))
        diagnostics += found
    memo.keep(site.entries)
    return diagnostics


def entry_checks(site: Site, entry: Entry, body, figures) -> list[Diagnostic]:
    """Every content check of one entry: its translation, its text (editorial), its body's
    problems, uncited facts, unsourced values and claims, an uncited source."""
    diagnostics = translation_checks(site, entry) + editorial_checks(site, entry, figures)
    lang = entry.lang
    for problem in body.problems:
        # Removed markup is a warning (the page is safe without it; --strict refuses it);
        # a body too deep to render is an error.
        report = warning if problem.code == "html-unsafe" else error
        diagnostics.append(report(problem.code, problem.message, problem.span, problem.hint))
    if entry.realm == "reality":
        for span in body.uncited:
            diagnostics.append(
                warning(
                    "uncited-fact",
                    "this paragraph states a number, a date or a quotation without a citation",
                    span,
                    "add a citation such as [@source-id] after the statement",
                )
            )
    fields = entry.fields
    if isinstance(fields, Figure):
        for index, value in enumerate(fields.values):
            if not value.sources:
                diagnostics.append(
                    error(
                        "figure-value-unsourced",
                        f"the value '{value.label}' has no source",
                        entry.span(f"values[{index}]"),
                        "add 'sources: [source-id]' to this value",
                    )
                )
    if isinstance(fields, Claim):
        if not fields.sources:
            diagnostics.append(
                error(
                    "claim-unsourced",
                    "the claim lists no sources",
                    entry.span("title"),
                    "add 'sources: [source-id, ...]'",
                )
            )
        if fields.verdict is None:
            diagnostics.append(
                error(
                    "claim-verdict-missing",
                    "the claim has no verdict",
                    entry.span("title"),
                    "add 'verdict: documented' (or another)",
                )
            )
    if entry.type.folder == "sources" and lang == site.default_lang and entry.slug not in site.cited_by:
        diagnostics.append(
            warning(
                "source-uncited",
                f"no page cites the source '{entry.slug}'",
                Span(entry.file.display, 1, 1, 3),
                f"cite it with [@{entry.slug}] or delete the record",
            )
        )
    return diagnostics


def check_links_reusing(
    memo: Memo,
    files: SiteFiles,
    static_files: frozenset[str],
    base: str,
    out_name: str,
    origins: dict[str, str],
    parsed: dict[str, tuple[str, ParsedPage]],
    offered: Mapping[str, tuple[str, ParsedPage]] | None = None,
) -> list[Diagnostic]:
    """`check_links`, checking again only the pages whose bytes changed since the last
    build (`offered`: see `check_links`). A page's link problems depend on its own bytes and on which files exist and
    which ids the pages it points into have: so when the set of files is the same and no
    changed page lost or gained an id, every other page's problems are the last build's.
    Otherwise every page is checked (its parse still reused)."""
    existing = frozenset(files) | {f"static/{p}" for p in static_files}
    memo.start((existing, base, out_name))
    pages = [p for p in files if p.endswith(".html")]
    changed = {p for p in pages if memo.get(p, (files.digest(p), origins.get(p))) is MISSING}
    ids_before = {p: parsed[p][1].ids for p in changed if p in parsed}
    found = check_links(files, static_files, base, out_name, origins, parsed, only=changed, offered=offered)
    if any(parsed[p][1].ids != ids for p, ids in ids_before.items()):
        memo.saved = {}
        changed = set(pages)
        found = check_links(files, static_files, base, out_name, origins, parsed)
    by_page: dict[str, list[Diagnostic]] = {p: [] for p in changed}
    prefix = f"{out_name}/"
    for diagnostic in found:
        by_page[diagnostic.span.path.removeprefix(prefix)].append(diagnostic)
    diagnostics: list[Diagnostic] = []
    for path in pages:
        inputs = (files.digest(path), origins.get(path))
        if path in by_page:
            memo.put(path, inputs, by_page[path])
        diagnostics += memo.get(path, inputs)
    memo.keep(pages)
    return diagnostics
