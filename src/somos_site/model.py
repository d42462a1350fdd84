"""Data passed between pipeline stages. Everything here is immutable after its stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from somos_site.diagnostics import Span
from somos_site.schema import Common, ContentType, SiteConfig


@dataclass(frozen=True)
class SourceFile:
    """A content file split into front matter (as a YAML node tree) and body."""

    path: Path
    display: str  # the path as diagnostics print it
    folder: str
    slug: str
    lang: str | None  # the suffix of `slug.es.md`; None for the default language
    text: str
    front_matter: yaml.Node | None
    front_matter_first_line: int  # file line of the first front-matter line (1-based)
    body_start: int  # where the body starts in `text`
    body_first_line: int
    yaml_ok: bool = True  # False when the front matter failed to parse (already reported)

    @property
    def body(self) -> str:
        """The Markdown after the front matter, cut from the text when asked: every file
        stays in memory for the whole build, and a copy of its body would double it."""
        return self.text[self.body_start :]

    @cached_property
    def lines(self) -> list[str]:
        """Split once: a file with thousands of diagnostics must not be split for each."""
        return self.text.split("\n")

    def line(self, number: int) -> str:
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""


@dataclass(frozen=True)
class LoadedContent:
    config_file: SourceFile | None
    files: tuple[SourceFile, ...]
    static_files: frozenset[str]
    # path -> (mtime, size) of each file when it was read: the next load reads it again
    # only when this changed
    stamps: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # the `*.md` files that could not be read, or were read with problems (reported): the
    # next load reads them again, so that their problems are reported again
    unread: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One validated content file: its identity, typed fields and body."""

    type: ContentType
    slug: str
    lang: str
    file: SourceFile
    fields: Common
    positions: dict[str, Span] = field(compare=False)

    @cached_property
    def id(self) -> str:
        """Made once: asked for some 90,000 times in a one-file rebuild at 10,000 pages, and
        the link graph and the indexes keep it tens of times a page (a copy each, 4 KB)."""
        return f"{self.type.folder}/{self.slug}"

    @property
    def realm(self) -> str:
        return self.fields.realm or self.type.default_realm

    @property
    def title(self) -> str:
        return self.fields.title

    def span(self, field_path: str) -> Span:
        return self.positions.get(field_path) or Span(self.file.display, 1, 1)


@dataclass(frozen=True)
class ValidatedContent:
    config: SiteConfig
    entries: tuple[Entry, ...]
    # Ids of files that exist but failed validation: references to them are not
    # reported again as missing.
    broken_ids: frozenset[str] = frozenset()
    draft_ids: frozenset[str] = frozenset()  # left out of this build (no --drafts)
    # Protected people (private victims or minors): known to the build, never published.
    protected: tuple[Entry, ...] = ()


@dataclass(frozen=True, slots=True)
class BodyRef:
    """A `[[type/slug#anchor|text]]` found in a body. `index` numbers its placeholders."""

    index: int
    target: str
    anchor: str | None
    text: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class CitedKey:
    key: str
    locator: str | None
    quote: str | None = None  # the id of a recorded quotation, for `[@key "quote-id"]`


@dataclass(frozen=True, slots=True)
class Citation:
    """One `[@a, p. 3; @b]` in a body; `number` is its note number on the page."""

    number: int
    keys: tuple[CitedKey, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class BodyProblem:
    """A finding made while rendering a body (markup the sanitiser removed, nesting too
    deep); the check stage reports it."""

    code: str
    message: str
    span: Span
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph or list item of a body, as written (raw Markdown), for the checks that
    judge a statement with its citations: which figure values it states, whether it
    sits inside a spoiler block."""

    text: str
    span: Span
    in_spoiler: bool


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A `[@key "quote-id"]` in a body; `index` numbers its placeholder."""

    index: int
    key: str
    quote: str
    span: Span


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A body turned into HTML. Cross-references are placeholders that `render` fills,
    so this HTML depends on the file alone (and can be cached by content hash).

    The HTML is kept as UTF-8 (`html` decodes it when a page is rendered): as a str it
    takes two bytes a character, because the placeholders are private-use characters,
    and every body of the site stays in memory for the whole build (11 KB a page saved)."""

    markup: bytes
    refs: tuple[BodyRef, ...]
    citations: tuple[Citation, ...]
    element_ids: frozenset[str]
    toc: tuple[tuple[int, str, str], ...]  # (level, id, text)
    uncited: tuple[Span, ...]  # paragraphs stating a number/date/quote without a citation
    paragraphs: tuple[Paragraph, ...] = ()
    problems: tuple[BodyProblem, ...] = ()
    quotes: tuple[QuoteRef, ...] = ()  # `[@key "id"]` references, filled in by render

    @property
    def html(self) -> str:
        return self.markup.decode("utf-8")
