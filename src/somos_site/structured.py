"""Schema.org JSON-LD for each page, so search engines read what a page is about:
TVSeries, TVEpisode, Person, Place, Organization, Event, CreativeWork (sources) and
ClaimReview (claims with their verdict)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from somos_site.corrections import json_ld as corrections_json_ld
from somos_site.dates import FuzzyDate
from somos_site.schema import VERDICT_LABELS
from somos_site.text import plain

if TYPE_CHECKING:
    from somos_site.routing import Router
    from somos_site.views import PageView

SCHEMA_TYPES = {
    "series": "TVSeries",
    "episodes": "TVEpisode",
    "people": "Person",
    "places": "Place",
    "organizations": "Organization",
    "events": "Event",
    "sources": "CreativeWork",
    "claims": "ClaimReview",
}
# A verdict as a 1-5 rating, the scale ClaimReview readers expect (5: accurate).
VERDICT_RATINGS = {
    "documented": 5,
    "composite": 3,
    "dramatised": 3,
    "time-compressed": 3,
    "disputed": 2,
    "invented": 1,
    "unknown": 0,
}


def iso(date: FuzzyDate | None) -> str | None:
    """Schema.org takes ISO 8601 with reduced precision (2011, 2011-03, 2011-03-18)."""
    return date.start.iso().lstrip("~") if date else None


def json_ld(page: PageView, router: Router) -> Markup:
    data = describe(page, router)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup('<script type="application/ld+json">{}</script>').format(Markup(script_safe(text)))


def script_safe(text: str) -> str:
    """JSON that cannot end or confuse the <script> element around it: `<`, `>` and `&` as
    JSON escapes (`</script>`, `<!--` and `-->` are all harmless then; JSON readers see the
    same string)."""
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def describe(page: PageView, r: Router) -> dict[str, Any]:

    entry, fields, lang = page.entry, page.entry.fields, page.lang
    url = r.absolute(page.url)

    def ref(entry_id: str, kind: str) -> dict[str, Any]:
        target = r.site.get(entry_id, lang)
        return (
            {"@type": kind, "name": plain(target.title), "url": r.absolute(r.url_for(target, lang))} if target else {}
        )

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(entry.type.folder, "WebPage"),
        "@id": url,
        "url": url,
        "name": plain(entry.title),
        "inLanguage": entry.lang,
    }
    if fields.summary:
        data["description"] = plain(fields.summary)
    if fields.wikidata:
        data["sameAs"] = [f"https://www.wikidata.org/wiki/{fields.wikidata}"]
    if fields.corrections:
        data["correction"] = corrections_json_ld(entry, plain)
    folder = entry.type.folder
    if folder == "series":
        data["datePublished"] = iso(fields.release)
        data["creator"] = [ref(c.target, "Person") for c in fields.creators]
        data["director"] = [ref(c.target, "Person") for c in fields.directors]
        data["productionCompany"] = [ref(c.target, "Organization") for c in fields.companies]
        if fields.episode_count:
            data["numberOfEpisodes"] = fields.episode_count
    elif folder == "episodes":
        data["episodeNumber"] = fields.number
        data["partOfSeries"] = ref(fields.series.target, "TVSeries")
    elif folder == "people":
        data["description"] = plain(fields.role)
        if fields.aliases:
            data["alternateName"] = list(fields.aliases)
    elif folder == "places":
        if fields.coordinates:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": fields.coordinates.lat,
                "longitude": fields.coordinates.lon,
            }
        if fields.within:
            data["containedInPlace"] = ref(fields.within.target, "Place")
    elif folder == "organizations":
        if fields.abbreviation:
            data["alternateName"] = fields.abbreviation
    elif folder == "events":
        data["startDate"] = iso(fields.date)
        if fields.date.end:
            data["endDate"] = fields.date.end.iso().lstrip("~")
        places = [ref(p.target, "Place") for p in fields.places]
        if places:
            data["location"] = places
        if fields.aliases:
            data["alternateName"] = list(fields.aliases)
    elif folder == "sources":
        data["publisher"] = {"@type": "Organization", "name": fields.publisher}
        if fields.author:
            data["author"] = {"@type": "Person", "name": fields.author}
        if fields.date:
            data["datePublished"] = iso(fields.date)
        data["sameAs"] = [fields.url, *fields.also]
        data["inLanguage"] = list(fields.language)
    elif folder == "claims":
        data["claimReviewed"] = plain(entry.title)
        data["author"] = {
            "@type": "Organization",
            "name": plain(r.site.config.in_language(entry.lang).title),
            "url": r.base_url,
        }
        verdict = fields.verdict or "unknown"
        data["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": VERDICT_RATINGS[verdict],
            "bestRating": 5,
            "worstRating": 0,
            "alternateName": r.gettext(lang)(VERDICT_LABELS[verdict]),
        }
        data["itemReviewed"] = {"@type": "Claim", "name": plain(entry.title)}
        if r.site.config.published:
            data["datePublished"] = iso(fields.updated or r.site.config.published)
    return data
