"""Stage 3, markdown: bodies to HTML with Python-Markdown and two extensions of ours.

`[[type/slug#anchor|text]]` and `[@id, locator; @id2]` are inline processors, so they never
fire inside code spans or blocks. Their output holds placeholders (private-use characters)
that the render stage fills with URLs and titles: the HTML made here depends on the file
alone, which is what makes it safe to cache by content hash.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import pickle
import re
import xml.etree.ElementTree as etree
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from slugify import slugify

from somos_site import __version__, sanitize
from somos_site.diagnostics import Span
from somos_site.linear_markdown import make_linear
from somos_site.model import BodyProblem, BodyRef, Citation, CitedKey, Entry, Paragraph, QuoteRef, RenderedBody

# Bump when the extensions below change what they produce, or how a rendered body is
# pickled (3: the body's classes have slots; 4: its HTML as UTF-8; 5: only the paragraphs
# the checks read): it is part of the cache key.
MARKUP_REVISION = "5"

OPEN, CLOSE = "\ue000", "\ue001"
PLACEHOLDER = re.compile(f"{OPEN}([HTQ])(\\d+){CLOSE}")

WIKILINK = r"\[\[([^\[\]|#\n]+?)(?:#([^\[\]|\n]+?))?(?:\|([^\[\]\n]+?))?\]\]"
CITATION = r"\[(@[^\[\]\n]+?)\]"
QUOTE_REF = r'\[@([A-Za-z0-9][\w.-]*)\s+"([a-z0-9][a-z0-9-]*)"\]'
CITATION_INDEX = "data-somos-citation"  # collection order, replaced by the reading-order number
CITED_ITEM = re.compile(r"^@([A-Za-z0-9][\w.-]*)\s*(?:,\s*(.+?))?\s*$")

# What makes a paragraph a checkable fact: a digit (numbers, dates) or a quotation mark.
FACT_MARKERS = re.compile(r"[0-9\"“”«»]")
# Python-Markdown's placeholders for stashed raw HTML (STX wzxhzdk:N ETX) are not prose
# either: their digits would make every paragraph with inline HTML look like a fact.
NOT_PROSE = re.compile(r"\[\[[^\]]*\]\]|`[^`]*`|\]\([^)]*\)|\{:?[^}]*\}|<[^>]+>|https?://\S+|\x02[^\x03]*\x03")


# Lists and blockquotes nested deeper than this are refused: Python-Markdown parses them
# recursively (hundreds of levels end in RecursionError and hundreds of MB), and no text
# needs more than a handful.
MAX_NESTING = 50
NESTING_MARKERS = re.compile(r"(?:>[ \t]?|(?:[-*+]|\d{1,9}[.)])[ \t]+)")


# A link whose text ends a sentence with its own full stop ("*Somos.*", "Jr."), followed
# by the sentence's full stop: "[[series/somos]]." must read "Somos.", not "Somos..".
# An ellipsis ("...") is left alone.
DOUBLED_FULL_STOP = re.compile(r"(?<!\.)\.((?:</(?:em|strong|i|b|cite|span)>)*</a>)\.(?![.\w])")


def collapse_full_stops(html: str) -> str:
    return DOUBLED_FULL_STOP.sub(r".\1", html)


def placeholder(kind: str, index: int) -> str:
    return f"{OPEN}{kind}{index}{CLOSE}"


def heading_slug(value: str, separator: str = "-") -> str:
    return slugify(value, separator=separator)


@dataclass
class Collected:
    """What the extensions found during one conversion."""

    refs: list[tuple[str, str | None, str | None, str]] = field(default_factory=list)
    citations: list[tuple[tuple[CitedKey, ...], str]] = field(default_factory=list)
    unchecked_facts: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    quotes: list[tuple[str, str, str]] = field(default_factory=list)  # (key, quote id, raw)
    paragraphs: list[tuple[str, bool]] = field(default_factory=list)  # (raw text, in a spoiler)


class WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, found: SomosExtension) -> None:
        super().__init__(pattern)
        self.found = found

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 (Python-Markdown's API)
        target, anchor, text = m.group(1).strip(), m.group(2), m.group(3)
        refs = self.found.collected.refs
        index = len(refs)
        refs.append((target, anchor.strip() if anchor else None, text.strip() if text else None, m.group(0)))
        link = etree.Element("a", {"href": placeholder("H", index), "class": "xref"})
        link.text = text.strip() if text else AtomicString(placeholder("T", index))
        return link, m.start(0), m.end(0)


class CitationProcessor(InlineProcessor):
    def __init__(self, pattern: str, found: SomosExtension) -> None:
        super().__init__(pattern)
        self.found = found

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802
        keys = []
        for item in m.group(1).split(";"):
            parsed = CITED_ITEM.match(item.strip())
            if not parsed:
                return None, None, None  # not a citation, e.g. "[@ home]"
            keys.append(CitedKey(parsed.group(1), parsed.group(2)))
        citations = self.found.collected.citations
        citations.append((tuple(keys), m.group(0)))
        # Numbered later by CitationNumberer: inline processing visits paragraphs before
        # lists and spoiler blocks, so the order seen here is not the reading order.
        sup = etree.Element("sup", {"class": "cite", CITATION_INDEX: str(len(citations) - 1)})
        etree.SubElement(sup, "a", {"role": "doc-noteref"})
        return sup, m.start(0), m.end(0)


class QuoteProcessor(InlineProcessor):
    """`[@source "quote-id"]`: the recorded wording (filled in by render, which knows the
    page's language) and a note citing the source at the quotation's locator."""

    def __init__(self, pattern: str, found: SomosExtension) -> None:
        super().__init__(pattern)
        self.found = found

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802
        key, quote = m.group(1), m.group(2)
        quotes = self.found.collected.quotes
        index = len(quotes)
        quotes.append((key, quote, m.group(0)))
        citations = self.found.collected.citations
        citations.append(((CitedKey(key, None, quote),), m.group(0)))
        wrapper = etree.Element("span", {"class": "quote"})
        wrapper.text = AtomicString(placeholder("Q", index))
        # Numbered with the other citations by CitationNumberer, in reading order.
        sup = etree.SubElement(wrapper, "sup", {"class": "cite", CITATION_INDEX: str(len(citations) - 1)})
        etree.SubElement(sup, "a", {"role": "doc-noteref"})
        return wrapper, m.start(0), m.end(0)


class CitationNumberer(Treeprocessor):
    """After inline processing, number the citations in document (reading) order and put
    the collected citations in that order, so note 1 is the first one a reader meets."""

    def __init__(self, md: markdown.Markdown, found: SomosExtension) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        collected = self.found.collected.citations
        order = []
        for sup in root.iter("sup"):
            index = sup.attrib.pop(CITATION_INDEX, None)
            if index is None:
                continue
            order.append(int(index))
            number = len(order)
            sup.set("id", f"cite-ref-{number}")
            link = sup[0]
            link.set("href", f"#note-{number}")
            link.text = AtomicString(f"[{number}]")
        self.found.collected.citations = [collected[i] for i in order]


class FactFinder(Treeprocessor):
    """Before inline processing, note paragraphs and list items that state a number, a
    date or a quotation and carry no citation."""

    def __init__(self, md: markdown.Markdown, found: SomosExtension) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag not in ("p", "li"):
                continue
            if element.tag == "li" and any(child.tag == "p" for child in element):
                continue
            raw = element.text or ""
            if "[@" in raw:
                continue
            if FACT_MARKERS.search(NOT_PROSE.sub("", raw)):
                self.found.collected.unchecked_facts.append(raw)


def is_spoiler(element: etree.Element) -> bool:
    return element.tag == "details" and "spoiler" in (element.get("class") or "").split()


def kept_for_checks(text: str, in_spoiler: bool) -> bool:
    """Whether a paragraph's raw text is kept for the editorial checks: they read only a
    spoiler block's paragraphs, those that mention an episode and those that link a
    figure (`editorial.check_spoilers`, `editorial.check_paragraph_values`). Every body of
    the site is kept in memory for the whole build: the rest would be its text again."""
    return in_spoiler or "episodes/" in text or "figures/" in text


class SpoilerGuard(Treeprocessor):
    """Keeps spoiler blocks out of the search index (Pagefind skips `data-pagefind-ignore`
    elements, so a search excerpt never reveals them) and, before inline processing,
    notes every paragraph and list item with whether it sits inside a spoiler block."""

    def __init__(self, md: markdown.Markdown, found: SomosExtension) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        self.visit(root, False)

    def visit(self, element: etree.Element, in_spoiler: bool) -> None:
        if is_spoiler(element):
            element.set("data-pagefind-ignore", "all")
            in_spoiler = True
        leaf_item = element.tag == "li" and not any(child.tag == "p" for child in element)
        if (
            (element.tag == "p" or leaf_item)
            and (element.text or "").strip()
            and kept_for_checks(element.text, in_spoiler)
        ):
            self.found.collected.paragraphs.append((element.text, in_spoiler))
        for child in element:
            self.visit(child, in_spoiler)


class IdCollector(Treeprocessor):
    def __init__(self, md: markdown.Markdown, found: SomosExtension) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        self.found.collected.ids.update(el.get("id") for el in root.iter() if el.get("id"))


class SomosExtension(Extension):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.collected = Collected()

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # Above links (160) so `[@id]` is not read as a reference link; below code spans
        # (190) and escapes (180) so code stays literal.
        md.inlinePatterns.register(QuoteProcessor(QUOTE_REF, self), "somos-quote", 176)
        md.inlinePatterns.register(WikiLinkProcessor(WIKILINK, self), "somos-wikilink", 175)
        md.inlinePatterns.register(CitationProcessor(CITATION, self), "somos-citation", 174)
        md.treeprocessors.register(FactFinder(md, self), "somos-facts", 25)
        md.treeprocessors.register(SpoilerGuard(md, self), "somos-spoilers", 24)
        # After inline processing (20), before the table of contents (5) and ids (1).
        md.treeprocessors.register(CitationNumberer(md, self), "somos-cite-numbers", 15)
        md.treeprocessors.register(IdCollector(md, self), "somos-ids", 1)

    def reset(self) -> None:
        self.collected = Collected()


EXTENSION_CONFIG = {
    "toc": {"slugify": heading_slug, "toc_depth": "2-4"},
    "pymdownx.details": {},
    "footnotes": {"BACKLINK_TEXT": "↩"},
}
EXTENSIONS = [
    "tables",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "sane_lists",
    "smarty",
    "toc",
    "pymdownx.details",
]


class BodyRenderer:
    """One Markdown instance reused for every body (creating one costs more than a page)."""

    def __init__(self) -> None:
        self.extension = SomosExtension()
        self.md = markdown.Markdown(
            extensions=[*EXTENSIONS, self.extension], extension_configs=EXTENSION_CONFIG, output_format="html"
        )
        make_linear(self.md)  # Python-Markdown's own queues are quadratic in the number of blocks

    def render(self, body: str, display: str, first_line: int) -> RenderedBody:
        locate = Locator(body, display, first_line)
        too_deep = deepest_nesting(body)
        if too_deep is not None:
            return refused(locate, *too_deep)
        self.md.reset()
        try:
            html = self.md.convert(body)
        except RecursionError:  # nesting the scan above did not foresee
            return refused(locate, 0, MAX_NESTING + 1)
        found = self.extension.collected
        html, dropped = sanitize.sanitize_body(html)
        problems = tuple(
            BodyProblem(
                "html-unsafe",
                f"{item.what} is not allowed and was removed",
                locate.find_anywhere(item.needle),
                "see 'Raw HTML' in docs/content-format.md for what a body may contain",
            )
            for item in dropped
        )
        locate.restart()
        refs = tuple(
            BodyRef(index, target, anchor, text, locate.find(raw))
            for index, (target, anchor, text, raw) in enumerate(found.refs)
        )
        locate.restart()
        citations = tuple(
            Citation(number, keys, locate.find(raw)) for number, (keys, raw) in enumerate(found.citations, 1)
        )
        locate.restart()
        uncited = tuple(locate.find_line(raw.split("\n", 1)[0].strip()) for raw in found.unchecked_facts)
        toc = tuple(_flatten_toc(self.md.toc_tokens))
        locate.restart()
        paragraphs = tuple(
            Paragraph(text, locate.find_line(text.split("\n", 1)[0].strip()), in_spoiler)
            for text, in_spoiler in found.paragraphs
        )
        quotes = tuple(QuoteRef(i, key, quote, locate.find(raw)) for i, (key, quote, raw) in enumerate(found.quotes))
        return RenderedBody(
            html.encode("utf-8"), refs, citations, frozenset(found.ids), toc, uncited, paragraphs, problems, quotes
        )


def deepest_nesting(body: str) -> tuple[int, int] | None:
    """(offset of the first line nested deeper than MAX_NESTING, its depth), or None.
    Depth counts blockquote markers, list markers and 4-column indents at the line start."""
    offset = 0
    for line in body.split("\n"):
        stripped = line.lstrip(" \t")
        indent = len(line[: len(line) - len(stripped)].expandtabs(4))
        depth = indent // 4
        if depth <= MAX_NESTING:
            position = 0
            while depth <= MAX_NESTING:
                marker = NESTING_MARKERS.match(stripped, position)
                if not marker or marker.end() == position:
                    break
                depth += 1
                position = marker.end()
        if depth > MAX_NESTING:
            return offset + len(line) - len(stripped), depth
        offset += len(line) + 1
    return None


def refused(locate: Locator, offset: int, depth: int) -> RenderedBody:
    """An empty body with the diagnostic that says why: nesting beyond MAX_NESTING."""
    span = locate.span_at(offset, 1)
    problem = BodyProblem(
        "nesting-too-deep",
        f"lists or quotes are nested {depth} levels deep here; at most {MAX_NESTING} are allowed",
        span,
        "flatten the list or quote; readers cannot follow that many levels anyway",
    )
    return RenderedBody(b"", (), (), frozenset(), (), (), problems=(problem,))


def _flatten_toc(tokens: list[dict]) -> list[tuple[int, str, str]]:
    flat = []
    for token in tokens:
        flat.append((token["level"], token["id"], token["name"]))
        flat.extend(_flatten_toc(token.get("children", [])))
    return flat


class Locator:
    """Maps text the extensions saw back to line:col in the real file. Occurrences of the
    same text are taken in document order.

    Linear in the size of the body however many things are looked up: line starts are
    computed once (a position is a binary search), and each search starts where the last
    one of the same sequence ended, since the extensions report in document order."""

    def __init__(self, body: str, display: str, first_line: int) -> None:
        self.body, self.display, self.first_line = body, display, first_line
        self.next_start: dict[str, int] = {}
        self.cursor = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", body)]
        self.lowered: str | None = None

    def restart(self) -> None:
        """A new sequence in document order begins (refs, then citations, then facts)."""
        self.next_start.clear()
        self.cursor = 0

    def find(self, raw: str) -> Span:
        start = max(self.next_start.get(raw, 0), self.cursor)
        offset = self.body.find(raw, start)
        if offset < 0:
            offset = self.body.find(raw, self.next_start.get(raw, 0))
        if offset < 0:
            offset = self.body.find(raw)
        if offset >= 0:
            self.next_start[raw] = offset + len(raw)
            self.cursor = offset
        return self.span_at(max(offset, 0), len(raw))

    def find_line(self, text: str) -> Span:
        return self.find(text) if text else Span(self.display, self.first_line, 1)

    def find_anywhere(self, needle: str) -> Span:
        """The next occurrence of `needle` in document order, ignoring case (HTML is
        case-insensitive); else the first one; else where the last one was found (markup
        written with entities, say), or the body's first line."""
        if self.lowered is None:
            self.lowered = self.body.lower()
            self.cursor = 0
        offset = self.lowered.find(needle.lower(), self.cursor) if needle else -1
        if offset < 0 and needle:
            offset = self.lowered.find(needle.lower())
        if offset < 0:
            return self.span_at(self.cursor, 1) if self.cursor else Span(self.display, self.first_line, 1)
        self.cursor = offset + 1
        return self.span_at(offset, len(needle))

    def span_at(self, offset: int, length: int) -> Span:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        col = offset - self.line_starts[line] + 1
        return Span(self.display, self.first_line + line, col, length)


# Bump when the HTML made from the same Markdown changes, so cached bodies are not reused.
MARKDOWN_REVISION = 2

_renderer: BodyRenderer | None = None
FORMAT = "quotes-1"  # the shape of RenderedBody: a change makes the old cache entries unused

# Below this many characters of Markdown to render, starting worker processes costs more
# than it saves: forking two workers and sending the bodies back costs about 0.3 s of CPU,
# half a second of rendering on one core (the shipped site, 0.53 MB, renders in 0.5 s on
# one core and took 0.6-1.2 s of CPU in two workers). Measured, rendering is about 1 s per
# MB; 2 MB is the 400 bodies of about 7 KB this threshold counted before.
PARALLEL_THRESHOLD = 2_000_000


def render_source(body: str, display: str, first_line: int) -> RenderedBody:
    global _renderer
    if _renderer is None:
        _renderer = BodyRenderer()
    return _renderer.render(body, display, first_line)


def render_body(entry: Entry) -> RenderedBody:
    return render_source(entry.file.body, entry.file.display, entry.file.body_first_line)


def _render_batch(batch: list[tuple[str, str, int]], keys: list[str], folder: Path | None) -> list[RenderedBody]:
    """Render a batch in a worker, and store each body in the cache there too: the
    writes are spread over the workers instead of following them in the parent."""
    cache = BodyCache(folder)
    rendered = []
    for item, key in zip(batch, keys, strict=True):
        body = render_source(*item)
        cache.put(key, body)
        rendered.append(body)
    return rendered


def cache_key(entry: Entry) -> str:
    """Everything the rendered body depends on: the text, where it sits in its file (for
    diagnostics), the extension set-up and this package's version."""
    digest = hashlib.sha256()
    setup = (__version__, MARKUP_REVISION, FORMAT, repr(EXTENSIONS), repr(sorted(EXTENSION_CONFIG)), sanitize.VERSION)
    for part in (*setup, str(MARKDOWN_REVISION), str(MAX_NESTING), entry.file.display):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(str(entry.file.body_first_line).encode() + b"\0" + entry.file.body.encode("utf-8"))
    return digest.hexdigest()


class BodyCache:
    """Rendered bodies on disk, one file per content hash: safe to delete, never stale,
    because the key covers everything the output depends on."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> RenderedBody | None:
        if self.folder is None:
            return None
        try:
            with self.path(key).open("rb") as stored:
                found = pickle.load(stored)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return found if isinstance(found, RenderedBody) else None

    def put(self, key: str, body: RenderedBody) -> None:
        if self.folder is None:
            return
        target = self.path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, target)  # readers never see half a file
        except OSError:
            pass  # a cache that cannot be written only costs time


def render_bodies(
    entries: tuple[Entry, ...],
    cache_dir: Path | None = None,
    previous: dict[Path, tuple[tuple[str, int, str, int], RenderedBody]] | None = None,
) -> dict[tuple[str, str], RenderedBody]:
    """Render every body: from `previous` (this process's last build, by file and body
    text), then the disk cache, then in worker processes when many are left. The result
    does not depend on how the work was split."""
    cache = BodyCache(cache_dir)
    previous = {} if previous is None else previous
    found: dict[tuple[str, str], RenderedBody] = {}
    remaining = []
    for entry in entries:
        known = previous.get(entry.file.path)
        if known is not None and known[0] == source_of(entry):
            found[(entry.id, entry.lang)] = known[1]
        else:
            remaining.append(entry)
    keys = {(e.id, e.lang): cache_key(e) for e in remaining}
    missing = []
    for entry in remaining:
        cached = cache.get(keys[(entry.id, entry.lang)])
        if cached is None:
            missing.append(entry)
        else:
            found[(entry.id, entry.lang)] = cached
    items = [(e.file.body, e.file.display, e.file.body_first_line) for e in missing]
    missing_keys = [keys[(e.id, e.lang)] for e in missing]
    workers = os.cpu_count() or 1
    if sum(len(item[0]) for item in items) >= PARALLEL_THRESHOLD and workers > 1:
        size = max(1, len(items) // (workers * 4))
        starts = range(0, len(items), size)
        batches = [items[i : i + size] for i in starts]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = pool.map(
                _render_batch, batches, [missing_keys[i : i + size] for i in starts], [cache_dir] * len(starts)
            )
            rendered = [body for batch in done for body in batch]
    else:
        rendered = _render_batch(items, missing_keys, cache_dir)
    for entry, body in zip(missing, rendered, strict=True):
        found[(entry.id, entry.lang)] = body
    for entry in remaining:  # the others are in `previous` as they are
        previous[entry.file.path] = (source_of(entry), found[(entry.id, entry.lang)])
    return found


def source_of(entry: Entry) -> tuple[str, int, str, int]:
    """What a rendered body depends on besides the Markdown set-up: text and position.
    The whole file's text, which is kept anyway (a copy of the body would not be): a
    change to the front matter alone costs a read of the disk cache."""
    return (entry.file.text, entry.file.body_start, entry.file.display, entry.file.body_first_line)
