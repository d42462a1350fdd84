"""Editorial checks on what the text says, part of stage 6 (check): how a cross-reference
reads in its sentence, spoilers kept in their blocks, summaries that state no contested
value, and numbers backed by a source that gives them.

They read the resolved site only (entries, rendered bodies and their paragraphs), so they
run in `check` beside the other content checks and are reported the same way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from somos_site.diagnostics import Diagnostic, warning
from somos_site.markdown import CITATION, CITED_ITEM, NOT_PROSE, WIKILINK
from somos_site.model import Entry, Paragraph
from somos_site.resolve import Site
from somos_site.schema import Figure
from somos_site.text import plain

# -- link-text grammar -------------------------------------------------------------------

ARTICLES = {
    "en": {"the", "a", "an"},
    "es": {"el", "la", "los", "las", "un", "una", "unos", "unas", "del", "al"},
}
# Words that start a title with an article. Spanish pages also quote English source titles
# ("The Zetas Cartel..."); "A" is left out there, as it is also a Spanish preposition.
TITLE_ARTICLES = {
    "en": {"the", "a", "an"},
    "es": {"el", "la", "los", "las", "un", "una", "unos", "unas", "the", "an"},
}
# Determiners that, with an adjective between, still clash with a title's own article
# ("the real The DEA obtains...", "su verdadera La ...").
DETERMINERS = {
    "en": ARTICLES["en"] | {"this", "that", "these", "those", "its", "their", "his", "her", "our"},
    "es": ARTICLES["es"] | {"este", "esta", "ese", "esa", "su", "sus", "aquel", "aquella"},
}
POSSESSIVES = {
    "en": {"its", "their", "his", "our", "my", "your"},
    "es": {"su", "sus", "mi", "mis", "nuestro", "nuestra"},
}
# Words after a determiner that end its noun phrase: "the attack in [[...]]" is fine.
CONNECTORS = {
    "en": {"of", "in", "on", "at", "to", "by", "for", "with", "from", "and", "or", "as", "into", "about", "than"},
    "es": {"de", "en", "con", "por", "para", "y", "e", "o", "u", "a", "que", "sobre", "como", "entre", "desde"},
}
TOKEN = re.compile(r"[^\W\d_]+|[^\w\s]")


def first_word(text: str) -> str:
    found = re.search(r"[^\W\d_]+", text)
    return found.group(0).casefold() if found else ""


def article_clash(before: str, title: str, lang: str) -> str | None:
    """The words before a link that clash with the article its text starts with, if any."""
    lang = lang if lang in ARTICLES else "en"
    if first_word(title) not in TITLE_ARTICLES[lang] or not re.match(r"\W*[^\W\d_]", title):
        return None
    tokens = TOKEN.findall(before)
    last = tokens[-1] if tokens else ""
    if last.casefold() in ARTICLES[lang] | POSSESSIVES[lang]:
        return last
    determined = len(tokens) >= 2 and tokens[-2].casefold() in DETERMINERS[lang]
    if determined and last.isalpha() and last.islower() and last not in CONNECTORS[lang]:
        return f"{tokens[-2]} {last}"
    return None


def check_link_text(site: Site, entry: Entry) -> Iterator[Diagnostic]:
    body = site.bodies[(entry.id, entry.lang)]
    lines = entry.file.text.split("\n") if body.refs else []
    for ref in body.refs:
        target = site.get(ref.target, entry.lang)
        if target is None:
            continue  # reported by resolve
        text = ref.text if ref.text else plain(target.title)
        if first_word(text) not in TITLE_ARTICLES.get(entry.lang, TITLE_ARTICLES["en"]):
            continue
        line = lines[ref.span.line - 1] if 0 < ref.span.line <= len(lines) else ""
        before = line[: max(ref.span.col - 1, 0)]
        clash = article_clash(before, text, entry.lang)
        if clash is None:
            continue
        yield warning(
            "link-text-grammar",
            f"'{clash} [[{ref.target}{'|' + ref.text if ref.text else ''}]]' reads '{clash} {text}'",
            ref.span,
            f"rewrite the sentence, or give the link its own text: [[{ref.target}|{without_article(text)}]]",
        )


def without_article(title: str) -> str:
    """The title with its article dropped, for the hint's suggested link text."""
    return re.sub(r"^\W*[^\W\d_]+\s+", "", title, count=1)


# -- spoilers ----------------------------------------------------------------------------

EPISODE_REF = re.compile(r"\[\[\s*episodes/")
SHARED_WORDS = 8  # a run of this many words shared with a spoiler block gives it away
# Text shown outside the page, uncollapsed: in listings, feeds, meta descriptions, JSON-LD
# (a claim's answer is its line in the verdicts view).
SHOWN_FIELDS = ("summary", "answer")


def check_spoilers(site: Site, entry: Entry) -> Iterator[Diagnostic]:
    """A page about reality (an event, a person, a place...) that says what an episode
    shows keeps it in a spoiler block; a summary (meta description, feeds, JSON-LD,
    listings) never repeats a spoiler block."""
    body = site.bodies[(entry.id, entry.lang)]
    if entry.realm == "reality":
        for paragraph in body.paragraphs:
            if not paragraph.in_spoiler and EPISODE_REF.search(paragraph.text):
                yield warning(
                    "spoiler-unmarked",
                    "this paragraph of a page about reality tells what an episode shows outside a spoiler block",
                    paragraph.span,
                    'indent it under a collapsed block: ??? spoiler "Spoiler: episode N"',
                )
    hidden = {tuple(run) for p in body.paragraphs if p.in_spoiler for run in runs(words(p.text), SHARED_WORDS)}
    for name in SHOWN_FIELDS if hidden else ():
        shown = words(getattr(entry.fields, name, None) or "")
        run = next((r for r in runs(shown, SHARED_WORDS) if tuple(r) in hidden), None)
        if run:
            yield warning(
                "spoiler-unmarked",
                f"the {name} repeats a spoiler block ('{' '.join(run)}...'); it is shown uncollapsed in "
                "lists, feeds and the meta description",
                entry.span(name),
                f"say in the {name} only what the page shows before its spoiler blocks",
            )


def words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+", re.sub(CITATION, "", NOT_PROSE.sub(" ", text)))]


def runs(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(len(items) - size + 1):
        yield items[start : start + size]


# -- numbers and figures -----------------------------------------------------------------

MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
    "octubre", "noviembre", "diciembre",
]  # fmt: skip
MONTH = r"(?:" + "|".join(MONTH_NAMES) + r")\b"
NUMBER = re.compile(r"(?<![\w.,:/-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w:/]|[.,]\d)")
DAY_BEFORE_MONTH = re.compile(
    r"\s*(?:(?:[–-]|al|a|y|to|and)\s*(?:el\s+)?\d{1,2}\s*)?(?:de\s+)?" + MONTH, re.I
)  # "18 March", "18–20 March", "18 de marzo", "del 18 al 20 de marzo", "entre el 18 y el 20 de marzo"
MONTH_BEFORE_DAY = re.compile(MONTH + r"\s*$", re.I)


@dataclass(frozen=True)
class Stated:
    value: int
    start: int  # offset in the text it was found in
    end: int


def stated_numbers(text: str) -> list[Stated]:
    """The counts a text states: numbers that are not years, days of a month or times."""
    found = []
    for match in NUMBER.finditer(text):
        value = int(match.group(1).replace(",", ""))
        if 1900 <= value <= 2100 and len(match.group(1)) == 4:
            continue  # a year
        just_before = text[max(0, match.start() - 12) : match.start()]
        if DAY_BEFORE_MONTH.match(text, match.end()) or MONTH_BEFORE_DAY.search(just_before):
            continue  # a day of a month
        found.append(Stated(value, match.start(), match.end()))
    return found


def prose(text: str) -> str:
    """A paragraph's words without references, citations, code, links and markup, with
    each removed span replaced by a space so that numbers never run together."""
    return re.sub(CITATION, " ", NOT_PROSE.sub(" ", text))


@dataclass(frozen=True)
class FigureValues:
    """A contested figure: its values, the sources giving each, and the words its labels
    count with (to tell "28 dead" from "27 other prisoners")."""

    id: str
    sources_of: dict[int, frozenset[str]]
    vocabulary: frozenset[str]
    # source id -> the numbers of the values it is credited with, labels included
    # ("28 kidnapped (11 confirmed killed, 17 missing)" credits 28, 11 and 17).
    credited: dict[str, frozenset[int]]

    @property
    def contested(self) -> bool:
        return len(self.sources_of) > 1


# Function words that may follow a number without saying what it counts.
STOP_WORDS = {
    "more", "than", "about", "around", "nearly", "almost", "some", "with", "from", "over", "under", "those",
    "them", "their", "including", "also", "were", "cerca", "unos", "unas", "otros", "otras", "entre", "desde",
    "hasta", "según", "para", "sobre", "como", "todos", "todas", "cada", "fueron", "eran",
}  # fmt: skip
OTHER = re.compile(r"\b(?:other|others|another|otros|otras|otro|otra)\s*$", re.I)


def stem(word: str) -> str:
    return word.casefold()[:5]


def figure_values(site: Site) -> dict[str, FigureValues]:
    found = {}
    for figure in site.of_type("figures"):
        if not isinstance(figure.fields, Figure):
            continue
        sources: dict[int, set[str]] = {}
        credited: dict[str, set[int]] = {}
        for value in figure.fields.values:
            numbers = {n.value for n in stated_numbers(value.label)}
            if value.value is not None and float(value.value).is_integer():
                sources.setdefault(int(value.value), set()).update(k.key for k in value.sources)
                numbers.add(int(value.value))
            for key in value.sources:
                credited.setdefault(key.key, set()).update(numbers)
        texts = []
        for lang in site.config.languages:
            translated = site.entries.get((figure.id, lang))
            if translated is not None:
                fields = translated.fields
                texts += [translated.title, fields.unit, fields.summary or "", *(v.label for v in fields.values)]
        vocabulary = {stem(w) for t in texts for w in re.findall(r"[^\W\d_]{4,}", t) if w.casefold() not in STOP_WORDS}
        found[figure.id] = FigureValues(
            figure.id,
            {v: frozenset(s) for v, s in sources.items()},
            frozenset(vocabulary),
            {k: frozenset(v) for k, v in credited.items()},
        )
    return found


def counts_other_thing(text: str, number: Stated, figure: FigureValues) -> bool:
    """Does the number count something else than the figure does ("some 60 gunmen",
    "with 27 others")? Known when the word after it is a noun that the figure's title,
    unit, summary and labels never use, or when "other(s)" comes before it."""
    if OTHER.search(text[: number.start]):
        return True
    following = re.match(r"\+?\s+([^\W\d_]+)", text[number.end :])
    if not following:
        return False
    word = following.group(1)
    return len(word) >= 4 and word.casefold() not in STOP_WORDS and stem(word) not in figure.vocabulary


QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»")


def unquoted(text: str) -> str:
    """The text with quotations blanked out: a number quoted is reported, not stated."""
    return QUOTED.sub(lambda m: " " * len(m.group(0)), text)


ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|announced|according|reported|reports|estimated|estimates|testified|claimed|counted|"
    r"recognized|recognised|lists|listed|shows|gives|gave|"
    r"dijo|dice|dicen|anunció|según|informó|informa|declaró|estimó|estima|calculó|afirmó|contó|reconoció|"
    r"indica|muestra|da|dio|conclusion|conclusión|count|conteo|cifra|figure)\b",
    re.I,
)


def check_summary(site: Site, entry: Entry, figures: dict[str, FigureValues]) -> Iterator[Diagnostic]:
    """A summary is read out of context (meta description, feeds, JSON-LD, listings): it
    must not state one value of a contested figure as the fact. A range of two values or
    more, a value with who gives it ("the mayor said"), or, in a source's own summary, a
    value the figure credits to that source, are fine."""
    summary = entry.fields.summary
    if not summary or entry.type.folder == "figures":
        return
    text = unquoted(prose(summary))
    numbers = stated_numbers(text)
    stated = {
        figure.id: [n for n in numbers if n.value in figure.sources_of and not counts_other_thing(text, n, figure)]
        for figure in figures.values()
        if figure.contested
    }
    # Two values of one figure or more are a range: their numbers are accounted for.
    ranged = {n.start for found in stated.values() if len({n.value for n in found}) > 1 for n in found}
    # A source's own summary may state what the figures credit it with, in any figure.
    own = frozenset().union(*(f.credited.get(entry.slug, ()) for f in figures.values()))
    if entry.type.folder != "sources":
        own = frozenset()
    for figure_id, found in stated.items():
        figure = figures[figure_id]
        for number in found:
            if number.start in ranged:
                continue
            clause = re.split(r"[;.]\s", text[: number.start])[-1]
            if ATTRIBUTION.search(clause):
                continue
            if number.value in own:
                continue
            others = sorted(v for v in figure.sources_of if v != number.value)
            yield warning(
                "summary-contested-value",
                f"the summary states {number.value} as a fact, but {figure.id} records it as one contested "
                f"value among others ({', '.join(map(str, others))})",
                entry.span("summary"),
                "say who gives the value, give the range, or leave the number out and link the figure in the body",
            )
            return


def cited_keys(text: str) -> set[str]:
    keys = set()
    for match in re.finditer(CITATION, text):
        for item in match.group(1).split(";"):
            parsed = CITED_ITEM.match(item.strip())
            if parsed:
                keys.add(parsed.group(1))
    return keys


def linked_figures(paragraph: Paragraph, figures: dict[str, FigureValues]) -> list[FigureValues]:
    if "figures/" not in paragraph.text:
        return []
    targets = {m.group(1).strip() for m in re.finditer(WIKILINK, paragraph.text)}
    return [figures[t] for t in sorted(targets) if t in figures]


def check_paragraph_values(site: Site, entry: Entry, figures: dict[str, FigureValues]) -> Iterator[Diagnostic]:
    """Where a paragraph that links a figure states one of its values, one of the
    paragraph's citations must be a source the figure credits with that value. On a page
    that is not about reality (the series, the site's own pages), a paragraph citing
    nothing is only pointing to the figure and is left alone."""
    for paragraph in site.bodies[(entry.id, entry.lang)].paragraphs:
        about = linked_figures(paragraph, figures)
        if not about:
            continue
        cited = cited_keys(paragraph.text)
        if not cited and entry.realm != "reality":
            continue  # a pointer to the figure, not a sourced statement (uncited-fact covers reality)
        text = prose(paragraph.text)
        reported: set[int] = set()
        for number in stated_numbers(text):
            givers = [f for f in about if number.value in f.sources_of and not counts_other_thing(text, number, f)]
            if not givers or number.value in reported:
                continue
            supporting = frozenset().union(*(f.sources_of[number.value] for f in givers))
            if cited & supporting:
                continue
            reported.add(number.value)
            names = ", ".join(sorted(supporting))
            yield warning(
                "value-unsupported",
                f"this paragraph states {number.value}, a value of {givers[0].id}, but none of its citations "
                "is a source the figure gives for it",
                paragraph.span,
                f"cite a source that gives {number.value} ({names}), or correct the number",
            )


def editorial_checks(site: Site, entry: Entry, figures: dict[str, FigureValues]) -> list[Diagnostic]:
    """The editorial checks of one entry. It reads, of other entries, the titles of the
    pages it links to and the figures' values (see `check.check_content`'s reuse)."""
    return [
        *check_link_text(site, entry),
        *check_spoilers(site, entry),
        *check_summary(site, entry, figures),
        *check_paragraph_values(site, entry, figures),
    ]
