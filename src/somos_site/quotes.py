"""Quote integrity: quotations are data kept with their source.

A source records its quotes (exact wording, language, who, where, translations). A page
quotes by reference, `[@source "quote-id"]`, and the build prints the recorded wording.
A quotation typed into a page (four words or more in quotation marks, followed by a
citation in the same paragraph) must be, word for word, a recorded quote of a source it
cites, or one of its recorded translations: otherwise `quote-mismatch` (with the nearest
recorded wording) or `quote-unrecorded`. Titles in quotation marks are not quotations:
the title of any entry (or a title quoted in one), or a source's `other_titles`."""

from __future__ import annotations

import difflib
import re
from functools import partial

from somos_site.diagnostics import Diagnostic, Span, did_you_mean, error
from somos_site.incremental import MISSING, Memo
from somos_site.model import Entry
from somos_site.resolve import Site
from somos_site.schema import Quote, Source

QUOTED = re.compile(r'"([^"\n]+?)"|“([^”\n]+?)”|«([^»\n]+?)»|<q\b[^>]*>(.+?)</q>')
CITATION = re.compile(r"\[@[^\[\]\n]+?\]")
MIN_WORDS = 4  # shorter quoted phrases are names, terms and nicknames
NEAR = 0.75  # at least this similar to a recorded wording: a mismatch, not a new quote


def find(source: Entry | None, quote_id: str) -> Quote | None:
    if source is None or not isinstance(source.fields, Source):
        return None
    return next((q for q in source.fields.quotes if q.id == quote_id), None)


def anchor(quote: Quote) -> str:
    return f"quote-{quote.id}"


def normalise(text: str) -> str:
    """Wording as compared: no Markdown emphasis or tags, straight quotes, one space."""
    text = re.sub(r"<[^>]+>|[*_]", "", text)
    text = text.replace("’", "'").replace("‘", "'").replace("…", "...")
    return re.sub(r"\s+", " ", text).strip().strip(",;:").strip().casefold()


def wordings(quote: Quote) -> list[str]:
    return [quote.text, *(w for variants in (quote.translations or {}).values() for w in variants)]


def check_quotes(site: Site, memo: Memo | None = None, titles_memo: Memo | None = None) -> list[Diagnostic]:
    """Quotations: a quote id a page uses must be recorded by its source, and a quotation
    typed in the text must be the wording of a source it cites. With `memo`, an entry and
    body that are the same objects as in the last build, checked against the same sources
    and titles, keep their last results (`titles_memo`: each title's normalised forms)."""
    memo = memo if memo is not None else Memo()
    titles_memo = titles_memo if titles_memo is not None else Memo()
    sources = {
        e.slug: e for (i, lang), e in site.entries.items() if lang == site.default_lang and i.startswith("sources/")
    }
    titles = all_titles(site, sources, titles_memo)
    memo.start((sources, frozenset(titles)))
    diagnostics: list[Diagnostic] = []
    for (entry_id, lang), entry in sorted(site.entries.items()):
        body = site.bodies[(entry_id, lang)]
        found = memo.get((entry_id, lang), (entry, body))
        if found is MISSING:
            found = memo.put((entry_id, lang), (entry, body), entry_quotes(entry, body, sources, titles))
        diagnostics += found
    memo.keep(site.entries)
    return diagnostics


def all_titles(site: Site, sources: dict[str, Entry], memo: Memo) -> frozenset[str]:
    """Every title a quotation may repeat (normalised), the last build's set while no
    title changed."""
    titles = {key: entry.title for key, entry in site.entries.items()}
    others = tuple(t for source in sources.values() for t in source.fields.other_titles)
    last = memo.aggregate
    if last is not None and last[0] == titles and last[1] == others:
        return last[2]
    found: set[str] = set()
    for title in titles.values():
        found |= memo.cached(title, (), partial(title_forms, title))
    memo.keep(titles.values())
    found |= {normalise(t) for t in others}
    memo.aggregate = (titles, others, frozenset(found))
    return memo.aggregate[2]


def title_forms(title: str) -> frozenset[str]:
    """A title as quotations are compared with it, and any title quoted inside it
    ('Episode 2: "A Mouth..."')."""
    return frozenset(
        {normalise(title)} | {normalise(next(g for g in m.groups() if g is not None)) for m in QUOTED.finditer(title)}
    )


def entry_quotes(entry: Entry, body, sources: dict[str, Entry], titles: frozenset[str]) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for ref in body.quotes:
        source = sources.get(ref.key)
        if source is not None and find(source, ref.quote) is None:
            known = [q.id for q in source.fields.quotes]
            diagnostics.append(
                error(
                    "quote-unrecorded",
                    f"the source '{ref.key}' records no quote '{ref.quote}'",
                    ref.span,
                    did_you_mean(ref.quote, known) or "record it under 'quotes:' in the source, with its exact text",
                )
            )
    return diagnostics + typed_quotations(entry, sources, titles)


def typed_quotations(entry: Entry, sources: dict[str, Entry], titles: frozenset[str] | set[str]) -> list[Diagnostic]:
    found = []
    body, offset = entry.file.body, 0
    for paragraph in re.split(r"(\n\s*\n)", body):
        start = offset
        offset += len(paragraph)
        for match in QUOTED.finditer(paragraph):
            wording = next(g for g in match.groups() if g is not None)
            line_start = paragraph.rfind("\n", 0, match.start()) + 1
            if paragraph[line_start:].lstrip().startswith("???"):  # a spoiler block's label
                continue
            if len(normalise(wording).split()) < MIN_WORDS or normalise(wording) in titles:
                continue
            citation = CITATION.search(paragraph, match.end())
            if citation is None:
                continue  # an uncited quotation is `uncited-fact`'s business
            keys = re.findall(r"@([A-Za-z0-9][\w.-]*)", citation.group(0))
            recorded = [
                (w, k, q.id) for k in keys if k in sources for q in sources[k].fields.quotes for w in wordings(q)
            ]
            if any(normalise(w) == normalise(wording) for w, _, _ in recorded):
                continue
            span = span_at(entry, start + match.start(), match.end() - match.start())
            found.append(mismatch(wording, recorded, keys, span))
    return found


def mismatch(wording: str, recorded: list[tuple[str, str, str]], keys: list[str], span: Span) -> Diagnostic:
    scored = sorted(
        ((difflib.SequenceMatcher(None, normalise(wording), normalise(w)).ratio(), w, k, i) for w, k, i in recorded),
        reverse=True,
    )
    if scored and scored[0][0] >= NEAR:
        _, nearest, key, quote_id = scored[0]
        return error(
            "quote-mismatch",
            f"this quotation differs from the wording recorded for '{key}'",
            span,
            f'did you mean "{nearest}"? quote it exactly, or by reference: [@{key} "{quote_id}"]',
        )
    cited = ", ".join(f"'{k}'" for k in keys)
    return error(
        "quote-unrecorded",
        f"this quotation is not a recorded quote of {cited}",
        span,
        "record it under 'quotes:' in the source with its exact text and locator, then quote it as "
        '[@source "id"]; a title in quotation marks goes under the source\'s other_titles',
    )


def span_at(entry: Entry, offset: int, length: int) -> Span:
    body = entry.file.body
    line = body.count("\n", 0, offset)
    col = offset - (body.rfind("\n", 0, offset) + 1) + 1
    return Span(entry.file.display, entry.file.body_first_line + line, col, length)
