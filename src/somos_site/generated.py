"""The pages made from the data rather than from a file: the timeline, the map, the
verdicts, the corrections log (when the site has no page of its own for it) and search."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from somos_site import corrections
from somos_site.graphics import Graphics
from somos_site.routing import Router
from somos_site.schema import TYPES, VERDICT_LABELS
from somos_site.visuals import on_basemap

# The types each generated view shows (titles, dates, relations); the search page lists
# only which listings exist and is always rendered again.
VIEW_SOURCES = {
    "timeline": {"events", "episodes"},
    "map": {"places", "sources"},  # GeoNames credit: whether a source is published by GeoNames
    "verdicts": {"claims", "characters", "people", "organizations", "events", "places"},
}

# (name, template, context): the context is a function, so that a rebuild that keeps a
# view's last page (the timeline after a body edit, say) does not lay out its graphic again.
GeneratedView = tuple[str, str, Callable[[], dict[str, Any]]]


class GeneratedViews:
    def __init__(self, router: Router, graphics: Graphics) -> None:
        self.router = router
        self.graphics = graphics

    def has_view(self, name: str, lang: str) -> bool:
        return name in self.view_names(lang)

    @cache  # noqa: B019 - one instance per build, so the cache dies with it
    def view_names(self, lang: str) -> tuple[str, ...]:
        """The generated views that exist in `lang`, in the order of `views`, without
        drawing their graphics: templates ask on many pages (every place links the map),
        and each render worker would otherwise draw the timeline and the map again only
        to learn that they exist."""
        router = self.router
        names = []
        if router.entries_of("events", lang):
            names.append("timeline")
        if self.graphics.map_points(lang):
            names.append("map")
        if router.entries_of("claims", lang) or router.entries_of("characters", lang):
            names.append("verdicts")
        if router.site.get("pages/corrections") is None and self.corrections_log(lang):
            names.append("corrections")
        if router.site.config.search:
            names.append("search")
        return tuple(names)

    def corrections_log(self, lang: str) -> list[corrections.LoggedCorrection]:
        """Every correction of the pages shown in `lang`, newest first."""
        router = self.router
        shown = [router.site.get(i, lang) for i in router.site.ids() if router.published(i, lang)]
        return corrections.log([e for e in shown if e is not None])

    @cache  # noqa: B019 - one instance per build, so the cache dies with it
    def views(self, lang: str) -> list[GeneratedView]:
        """(name, template, context) of each generated view in `lang`."""
        entries_of = self.router.entries_of
        views: list[GeneratedView] = []
        events = entries_of("events", lang)
        if events:
            episodes = entries_of("episodes", lang)
            views.append(("timeline", "timeline.html", lambda: self.timeline_context(events, episodes, lang)))
        points = self.graphics.map_points(lang)
        if points:
            views.append(("map", "map.html", lambda: self.map_context(points, lang)))
        claims = entries_of("claims", lang)
        characters = entries_of("characters", lang)
        if claims or characters:
            by_verdict = [(v, [c for c in claims if c.fields.verdict == v]) for v in VERDICT_LABELS]
            context = {"by_verdict": [(v, cs) for v, cs in by_verdict if cs], "characters": characters}
            views.append(("verdicts", "verdicts.html", lambda: context))
        if "corrections" in self.view_names(lang):
            views.append(("corrections", "corrections.html", dict))  # no page of its own to hold the log
        # Which types have entries (their listings need not be sorted to say so).
        of_type = self.router.index.of_type
        listings = [(folder, t) for folder, t in TYPES.items() if folder != "pages" and of_type(folder, lang)]
        if self.router.site.config.search:
            views.append(("search", "search.html", lambda: {"listings": listings}))
        return views

    def timeline_context(self, events, episodes, lang: str) -> dict[str, Any]:
        return {"events": events, "episodes": episodes, "svg": self.graphics.timeline_graphic(events, episodes, lang)}

    def map_context(self, points, lang: str) -> dict[str, Any]:
        svg = self.graphics.map_graphic(points, lang)
        context = {"svg": svg, "places": self.router.entries_of("places", lang), "basemap": on_basemap(points)}
        context["panels"] = 2 if 'id="map-detail"' in svg else 1  # the region, then the detail
        # GeoNames' licence (CC BY 4.0) asks for credit where its coordinates are shown.
        sources = self.router.entries_of("sources", lang)
        context["geonames"] = any(s.fields.publisher == "GeoNames" for s in sources)
        return context
