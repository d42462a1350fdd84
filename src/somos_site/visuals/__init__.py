"""Graphics made at build time as plain SVG: the timeline, the map of places and the charts
of contested figures. No tiles, no scripts, no network: markup that prints, works without
JavaScript and follows the site's colours in light and dark mode (static/visuals.css)."""

from somos_site.visuals.chart import ChartText, ChartValue, figure_chart
from somos_site.visuals.mapping import MapPoint, MapText, map_svg, on_basemap
from somos_site.visuals.timeline import TimelineEpisode, TimelineEvent, TimelineText, timeline_svg

__all__ = [
    "ChartText",
    "ChartValue",
    "MapPoint",
    "MapText",
    "TimelineEpisode",
    "TimelineEvent",
    "TimelineText",
    "figure_chart",
    "map_svg",
    "on_basemap",
    "timeline_svg",
]
