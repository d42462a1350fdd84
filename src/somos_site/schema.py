"""The content model: every content type and its fields, declared in one place.

Each type is a dataclass. Field types drive validation (see `validate`), and field
metadata (`spec`) adds what a type hint cannot say: required, which types a reference may
point to, and the label of the inverse relation shown on the target's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from somos_site.dates import FuzzyDate
from somos_site.diagnostics import Span

Realm = Literal["fiction", "reality", "production"]
Verdict = Literal["documented", "dramatised", "composite", "time-compressed", "invented", "disputed", "unknown"]
RelationKind = Literal["composite_of", "inspired_by", "invented"]

VERDICT_LABELS = {
    "documented": "Documented",
    "dramatised": "Dramatised",
    "composite": "Composite",
    "time-compressed": "Time-compressed",
    "invented": "Invented",
    "disputed": "Disputed",
    "unknown": "Unknown",
}
PersonFlag = Literal["private", "victim", "minor", "living", "implicated"]
# `not-on-record`: the fact sheet gives no charge, conviction or other status.
LegalStatus = Literal["accused", "charged", "convicted", "acquitted", "released", "not-on-record"]
# How a figure's value relates to the number: an exact count, a floor ("more than 300"),
# an estimate ("about 60") or a ceiling ("as many as 300", "could reach 300").
FigureKind = Literal["count", "at-least", "about", "up-to"]
FIGURE_KIND_LABELS = {
    "count": "Count",
    "at-least": "At least, more than",
    "about": "About (estimate)",
    "up-to": "Up to (a ceiling)",
}
RELATION_LABELS = {"composite_of": "Composite of", "inspired_by": "Inspired by", "invented": "Invented"}
# Realms name what a page is about; verdicts (above) judge a claim. They never share a
# word, so "Documented" means only a verdict.
REALM_LABELS = {"fiction": "Fiction", "reality": "Real world", "production": "About the series"}


def spec(
    *,
    required: bool = False,
    to: tuple[str, ...] = (),
    inverse: str | None = None,
    translated: bool = False,
    **kw: Any,
) -> dict:
    """Field metadata: `to` lists the types a reference may point to; `inverse` names the
    list this reference adds to the target's page (e.g. an event's "Depicted in").
    `translated` marks a field a translation gives its own value (its text, its own
    revision); every other field of a translation must equal the original's."""
    return {"required": required, "to": to, "inverse": inverse, "translated": translated, **kw}


def opt(default: Any = None, **meta: Any) -> Any:
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple for list defaults")
    return field(default=default, metadata=spec(**meta))


def req(**meta: Any) -> Any:
    return field(metadata=spec(required=True, **meta))


@dataclass(frozen=True)
class Ref:
    """A reference to another entry, `TYPE/SLUG` with an optional `#anchor`."""

    target: str
    anchor: str | None = None
    span: Span | None = field(default=None, compare=False)

    @property
    def type(self) -> str:
        return self.target.split("/", 1)[0]


@dataclass(frozen=True)
class SourceKey:
    """A source id given in front matter (`sources: [propublica-2017]`)."""

    key: str
    span: Span | None = field(default=None, compare=False)


# -- nested values -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Image:
    src: str = req()
    alt: str | None = opt(translated=True)
    decorative: bool = opt(False)
    credit: str | None = opt(translated=True)
    licence: str | None = opt()


@dataclass(frozen=True, kw_only=True)
class Quote:
    """A quotation recorded with its source: the exact wording in its own language, who
    said or wrote it, where it is in the source, and any translations (with who made
    them). Pages quote by reference, `[@source "id"]`, and the build prints this wording."""

    id: str = req(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: str = req()
    language: Literal["en", "es", "fr"] = req()
    by: str | None = opt()
    locator: str | None = opt()
    translations: dict[str, tuple[str, ...]] | None = opt()  # language -> wordings used
    translated_by: str | None = opt()


@dataclass(frozen=True, kw_only=True)
class Archive:
    """An archived copy of an online source (a web archive's URL) and when it was made."""

    url: str = req(pattern=r"^https?://\S+$")
    date: FuzzyDate = req()


@dataclass(frozen=True, kw_only=True)
class Coordinates:
    lat: float = req(minimum=-90, maximum=90)
    lon: float = req(minimum=-180, maximum=180)


@dataclass(frozen=True, kw_only=True)
class Relation:
    relation: RelationKind = req()
    # Required by the fiction model unless the relation is `invented` (`relation-contradiction`),
    # so `new` writes a placeholder for it.
    target: Ref | None = opt(to=("people", "organizations", "events", "places"), inverse="Portrayed by", scaffold=True)
    note: str = req(translated=True)


@dataclass(frozen=True, kw_only=True)
class FigureValue:
    value: float | None = opt()
    label: str = req(translated=True)
    # What the value counts (people killed, missing, kidnapped...): the chart groups by it.
    counts: str | None = opt(translated=True)
    kind: FigureKind = opt("count")
    given_by: str = req(translated=True)
    given_by_ref: Ref | None = opt(to=("people", "organizations"), inverse="Figures given")
    date: FuzzyDate = req()
    sources: tuple[SourceKey, ...] = opt((), scaffold=True)
    note: str | None = opt(translated=True)


@dataclass(frozen=True, kw_only=True)
class Correction:
    """One structured correction: what the page said, what it says now, and why. The
    build lists it on the page, on the corrections page, in the corrections feed and
    in the page's JSON-LD; nothing about a correction is hand-written prose elsewhere."""

    date: FuzzyDate = req()
    wrong: str = req(translated=True)
    right: str = req(translated=True)
    why: str = req(translated=True)


ReviewState = Literal["draft", "in-review", "checked", "published"]
REVIEW_STATES: tuple[str, ...] = ("draft", "in-review", "checked", "published")
PUBLIC_REVIEW_STATES = ("checked", "published")


@dataclass(frozen=True, kw_only=True)
class Review:
    """Where an entry stands in the editorial workflow. A check records when, against
    what (a reviewer's name, or the revision of the fact sheet and its sources) and the
    hash of the text it checked, so `check` can tell when the text changed since."""

    state: ReviewState = req()
    date: FuzzyDate | None = opt()
    against: str | None = opt()
    hash: str | None = opt(pattern=r"^[0-9a-f]{12}$")


# -- entry types -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Common:
    """Fields every type accepts."""

    title: str = req(translated=True)
    summary: str | None = opt(translated=True)
    realm: Realm | None = opt()
    content_note: bool = opt(False)
    draft: bool = opt(False)
    related: tuple[Ref, ...] = opt((), to=("*",), inverse="Related")
    image: Image | None = opt()
    wikidata: str | None = opt(pattern=r"^Q[1-9][0-9]*$")
    # A translation has its own history: its own last change and corrections.
    updated: FuzzyDate | None = opt(translated=True)
    corrections: tuple[Correction, ...] = opt((), translated=True)
    # In a translation: the revision of the original it translates (the first 12 hex
    # digits of the SHA-256 of the original file), so `check` can tell when it is stale.
    source_revision: str | None = opt(pattern=r"^[0-9a-f]{12}$", translated=True)
    # The editorial state: a translation is reviewed on its own.
    review: Review | None = opt(translated=True)


@dataclass(frozen=True, kw_only=True)
class Series(Common):
    release: FuzzyDate = req()
    creators: tuple[Ref, ...] = opt((), to=("people",), inverse="Created")
    writers: tuple[Ref, ...] = opt((), to=("people",), inverse="Wrote")
    directors: tuple[Ref, ...] = opt((), to=("people",), inverse="Directed")
    producers: tuple[Ref, ...] = opt((), to=("people",), inverse="Produced")
    companies: tuple[Ref, ...] = opt((), to=("organizations",), inverse="Produced")
    network: Ref | None = opt(to=("organizations",), inverse="Released")
    based_on: tuple[SourceKey, ...] = opt(())
    filming_locations: tuple[Ref, ...] = opt((), to=("places",), inverse="Filming location of")
    episode_count: int | None = opt(minimum=1)


@dataclass(frozen=True, kw_only=True)
class Episode(Common):
    number: int = req(minimum=1)
    series: Ref = req(to=("series",), inverse="Episodes")
    title_confirmed: bool = req()
    depicts: tuple[Ref, ...] = req(to=("events",), inverse="Depicted in")
    spoilers: bool = opt(False)
    # The characters seen in the episode; when given, each character's `appears_in`
    # must agree with it (`cast-mismatch`). The episode page lists them from `appears_in`.
    cast: tuple[Ref, ...] = opt((), to=("characters",))


@dataclass(frozen=True, kw_only=True)
class Character(Common):
    series: Ref = req(to=("series",), inverse="Characters")
    actor: Ref | None = opt(to=("people",), inverse="Plays")
    appears_in: tuple[Ref, ...] = opt((), to=("episodes",), inverse="Characters")
    relations: tuple[Relation, ...] = req(min_items=1)


@dataclass(frozen=True, kw_only=True)
class Person(Common):
    role: str = req(translated=True)
    aliases: tuple[str, ...] = opt(())
    legal_status: LegalStatus | None = opt()
    # Sensitivity, as data the build enforces (see `sensitivity`): a `private` person
    # flagged `victim` or `minor` is never named on the site; an `implicated` person (named
    # in connection with a crime) must carry a `legal_status`.
    flags: tuple[PersonFlag, ...] = opt(())


@dataclass(frozen=True, kw_only=True)
class Event(Common):
    date: FuzzyDate = req()
    date_note: str | None = opt(translated=True)
    # The names the sources give the event ("Allende massacre"): shown, and weighted in search.
    aliases: tuple[str, ...] = opt((), translated=True)
    places: tuple[Ref, ...] = opt((), to=("places",), inverse="Events here")
    participants: tuple[Ref, ...] = opt((), to=("people", "organizations"), inverse="Took part in")
    timeline: Literal["real"] = opt("real")


PlaceKind = Literal["town", "city", "state", "region", "country", "prison", "ranch", "site", "river", "building"]


@dataclass(frozen=True, kw_only=True)
class Place(Common):
    kind: PlaceKind = req()
    coordinates: Coordinates | None = opt()
    within: Ref | None = opt(to=("places",), inverse="Places within")


OrgKind = Literal[
    "cartel", "government", "agency", "police", "prosecutor", "court", "human-rights",
    "academic", "media", "company", "collective", "other",
]  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Organization(Common):
    kind: OrgKind = req()
    abbreviation: str | None = opt()
    country: str | None = opt(translated=True)


SourceKind = Literal[
    "primary", "investigation", "news", "interview", "review", "reference", "user-generated", "machine-translation",
]  # fmt: skip

# What kind of evidence a source is, strongest first: notes and source lists show their
# sources in this order, so a reader sees a court file before a wiki page.
SOURCE_KIND_LABELS = {
    "primary": "Primary document",
    "investigation": "Investigative report",
    "news": "News report",
    "interview": "Interview",
    "review": "Review",
    "reference": "Reference work",
    "user-generated": "User-generated",
    "machine-translation": "Machine translation",
}


@dataclass(frozen=True, kw_only=True)
class Source(Common):
    publisher: str = req(translated=True)
    author: str | None = opt()
    date: FuzzyDate | None = opt()
    url: str = req(pattern=r"^https?://\S+$", web_url=True)
    also: tuple[str, ...] = opt((), web_url=True)
    language: tuple[Literal["en", "es", "fr"], ...] = req(min_items=1)
    kind: SourceKind = req()
    reliability: Literal["primary", "standard", "low"] = opt("standard")
    # An archived copy and the day the source was read; or, when there is no archived
    # copy, why (`archive-missing` otherwise).
    archive: Archive | None = opt()
    accessed: FuzzyDate | None = opt()
    no_archive: str | None = opt(translated=True)
    # Other titles the source is known by (e.g. its title in another language): quoted
    # in a page, they are titles, not quotations.
    other_titles: tuple[str, ...] = opt((), translated=True)
    # Its quotations, kept once in the original record (a translation need not repeat them).
    quotes: tuple[Quote, ...] = opt((), translated=True)


@dataclass(frozen=True, kw_only=True)
class Figure(Common):
    unit: str = req(translated=True)
    values: tuple[FigureValue, ...] = req(min_items=1)


@dataclass(frozen=True, kw_only=True)
class Claim(Common):
    verdict: Verdict | None = opt(scaffold=True)
    answer: str = req(translated=True)
    depicted_in: tuple[Ref, ...] = opt((), to=("episodes",), inverse="Claims about this episode")
    about: tuple[Ref, ...] = opt((), to=("*",), inverse="Claims")
    sources: tuple[SourceKey, ...] = opt((), scaffold=True)


@dataclass(frozen=True, kw_only=True)
class Page(Common):
    weight: int = opt(0)


@dataclass(frozen=True)
class ContentType:
    folder: str  # the id prefix and URL segment
    singular: str  # template name and label
    label: str  # plural label for index pages
    fields: type[Common]
    default_realm: Realm
    nav: bool = True  # the header menu links to its listing (or to its entry, if it has one)


TYPES: dict[str, ContentType] = {
    t.folder: t
    for t in (
        ContentType("series", "series", "Series", Series, "production"),
        ContentType("episodes", "episode", "Episodes", Episode, "production"),
        ContentType("characters", "character", "Characters", Character, "fiction"),
        ContentType("events", "event", "What happened", Event, "reality"),
        ContentType("people", "person", "People", Person, "reality"),
        ContentType("places", "place", "Places", Place, "reality"),
        ContentType("organizations", "organization", "Organisations", Organization, "reality"),
        ContentType("figures", "figure", "Figures", Figure, "reality", nav=False),
        ContentType("claims", "claim", "Claims", Claim, "reality", nav=False),
        ContentType("sources", "source", "Sources", Source, "reality"),
        ContentType("pages", "page", "Pages", Page, "production", nav=False),
    )
}


@dataclass(frozen=True, kw_only=True)
class SiteText:
    """The site's name and description in one of its other languages."""

    title: str | None = opt()
    description: str | None = opt()


@dataclass(frozen=True, kw_only=True)
class Licence:
    name: str = req()
    url: str | None = opt(pattern=r"^https?://\S+$")


@dataclass(frozen=True, kw_only=True)
class SiteConfig:
    title: str = req()
    description: str | None = opt()
    base_url: str = req(pattern=r"^https?://\S+/$", web_url=True)
    default_language: str = req(pattern=r"^[a-z]{2}$")
    languages: dict[str, str] = req()
    # A page missing in a language: `fallback` publishes the default-language page there
    # with a notice; `omit` links readers to the default-language page instead.
    missing_translation: Literal["fallback", "omit"] = opt("fallback")
    # Pagefind search. Its index is the one output that is not byte-identical from one
    # build to the next (an upstream limitation); `search: false` makes all of it so.
    search: bool = opt(True)
    # Every entry must carry a `review:` state (`review-missing` otherwise).
    review_required: bool = opt(False)
    # The licence of the page text (stated in the footer) and of the downloadable data.
    licence: Licence | None = opt()
    data_licence: Licence | None = opt()
    # Where readers report an error: a mailto: or https: URL, or an entry id (with #anchor).
    report_error: str | None = opt(pattern=r"^(mailto:\S+|https?://\S+|[a-z0-9-]+/[a-z0-9-]+(#[a-z0-9-]+)?)$")
    # The date feeds and the sitemap give pages that carry no `updated` date.
    published: FuzzyDate | None = opt()
    # The title and description in the other languages: `es: {title: ..., description: ...}`.
    translations: dict[str, SiteText] | None = opt()

    def in_language(self, lang: str) -> SiteConfig:
        """This configuration as a page in `lang` shows it (its own title and description)."""
        text = (self.translations or {}).get(lang)
        if text is None:
            return self
        return replace(self, title=text.title or self.title, description=text.description or self.description)
