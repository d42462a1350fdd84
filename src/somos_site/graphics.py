"""The graphics of the site in a reader's language: a figure's chart, the timeline and the
map, laid out by `visuals` from the entries and the words of that language."""

from __future__ import annotations

from markupsafe import Markup

from somos_site.model import Entry
from somos_site.routing import Router
from somos_site.schema import FIGURE_KIND_LABELS
from somos_site.text import plain
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
    timeline_svg,
)

# The words of the graphics that this module translates (the i18n test checks them).
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
    "Map of the places in this story",
    "Places with a sourced coordinate:",
    "%(figure)s: every value, in %(unit)s, and who gives it",
    "1. The region",
    "2. Around %(place)s, in detail",
    "%(place)s area: map 2",
)
# Base-map areas that label a place page when the site has one.
BASEMAP_PLACES = {"coahuila": "places/coahuila", "durango": "places/durango", "river": "places/rio-grande"}


class Graphics:
    def __init__(self, router: Router) -> None:
        self.router = router

    def figure_chart(self, entry: Entry, lang: str) -> Markup:
        translate = self.router.gettext(lang)
        values = [
            ChartValue(
                v.value,
                plain(v.label),
                plain(v.given_by),
                v.date.format(lang, translate),
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

    def map_points(self, lang: str) -> list[MapPoint]:
        url_for = self.router.url_for
        return [
            MapPoint(plain(p.title), url_for(p, lang), p.fields.coordinates.lat, p.fields.coordinates.lon)
            for p in self.router.entries_of("places", lang)
            if p.fields.coordinates
        ]

    def timeline_graphic(self, events: list[Entry], episodes: list[Entry], lang: str) -> Markup:
        translate = self.router.gettext(lang)
        url_for = self.router.url_for
        marks = [
            TimelineEvent(
                slug=e.slug,
                title=plain(e.title),
                url=url_for(e, lang),
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
                url=url_for(e, lang),
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
        router = self.router
        translate = router.gettext(lang)
        # Area labels of the base map link to their place pages when the site has them.
        links = {key: router.url_for(i, lang) for key, i in BASEMAP_PLACES.items() if router.site.get(i, lang)}
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
