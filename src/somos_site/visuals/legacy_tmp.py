"""Static SVG made at build time: the map of places and the charts of contested figures.
No tiles, no scripts, no network: plain markup that prints and works without JavaScript."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class MapPoint:
    label: str
    url: str
    lat: float
    lon: float


def project(points: list[MapPoint], width: int, height: int, margin: int) -> list[tuple[MapPoint, float, float]]:
    """Equirectangular projection scaled by cos(latitude): faithful enough for a region a
    few hundred kilometres wide."""
    lats = [p.lat for p in points]
    mid_lat = math.radians((max(lats) + min(lats)) / 2)
    xs = [p.lon * math.cos(mid_lat) for p in points]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    placed = []
    for point, x in zip(points, xs, strict=True):
        px = margin + (x - min(xs)) * scale
        py = height - margin - (point.lat - min(lats)) * scale
        placed.append((point, round(px, 1), round(py, 1)))
    return placed


def map_svg(points: list[MapPoint], title: str, description: str) -> Markup:
    if not points:
        return Markup("")
    width, height, margin = 640, 420, 90
    parts = [
        f'<svg class="map" viewBox="0 0 {width} {height}" role="group" aria-labelledby="map-title" '
        f'aria-describedby="map-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(description)}</desc>',
        f'<rect class="map-bg" x="0" y="0" width="{width}" height="{height}"/>',
    ]
    for point, x, y in project(points, width, height, margin):
        anchor = "end" if x > width / 2 else "start"
        dx = -10 if anchor == "end" else 10
        parts.append(
            f'<a href="{escape(point.url)}"><circle class="map-point" cx="{x}" cy="{y}" r="7"/>'
            f'<text class="map-label" x="{x + dx}" y="{y + 5}" text-anchor="{anchor}">{escape(point.label)}</text></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class ChartValue:
    value: float
    label: str
    given_by: str
    when: str


def figure_chart(values: list[ChartValue], title: str) -> Markup:
    """One row per value: a bar from zero and the value's label, giver and date."""
    if not values:
        return Markup("")
    row, top, left, width = 50, 6, 4, 640
    bar_width = 260
    largest = max(v.value for v in values) or 1
    height = top * 2 + row * len(values)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, item in enumerate(values):
        y = top + index * row
        length = max(2.0, round(item.value / largest * bar_width, 1))
        giver = shorten(f"{item.given_by} ({item.when})", 74)
        label = shorten(item.label, 48)
        # The bar and its value on one line, who gives it and when on the line below.
        parts.append(
            f'<g class="chart-row"><rect class="chart-bar" x="{left}" y="{y}" width="{length}" height="16"/>'
            f'<text class="chart-value" x="{left + length + 6}" y="{y + 13}">{escape(label)}</text>'
            f'<text class="chart-giver" x="{left}" y="{y + 36}">{escape(giver)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def shorten(text: str, limit: int) -> str:
    """SVG text does not wrap: long labels are cut (the table beside the chart has them whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
