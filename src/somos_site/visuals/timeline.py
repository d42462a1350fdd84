"""The timeline on a time scale: the real events along a vertical axis of years, the
episodes in a lane beside it, and a line from each episode to every event it depicts.

A date known to the day is a dot; a month, a year, a range or an approximate date is a bar
over the whole span it may cover (dashed when approximate), so uncertainty is drawn, not
hidden. Bars that overlap in time sit side by side. Labels keep to their date's height
when they can and are pushed down, with an elbow to their mark, when events crowd."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from somos_site.visuals.svg import NARROW, WIDE, Artboard, open_svg
from somos_site.visuals.text import ASCENT, num, wrap

TITLE, WHEN, YEAR, CHIP = 14, 13, 13, 13  # font sizes
BAR = 6  # width of a range bar
DOT = 5


@dataclass(frozen=True)
class TimelineEvent:
    slug: str
    title: str
    url: str
    start: dt.date
    end: dt.date
    exact: bool  # a single day, known to the day
    approximate: bool
    when: str  # the date as the page writes it


@dataclass(frozen=True)
class TimelineEpisode:
    number: int
    title: str
    url: str
    depicts: tuple[str, ...]  # event slugs


@dataclass(frozen=True)
class TimelineText:
    title: str
    description: str
    events_lane: str
    episodes_lane: str


@dataclass(frozen=True)
class Geometry:
    """Where the columns of one artboard go."""

    width: float
    chip_x: float  # centre of the episode chips
    chip_r: float
    episode_label: float  # left of episode titles (0: numbers only)
    axis: float  # x of the time axis
    labels: float  # left of the event labels
    per_year: float  # vertical scale


def geometry(width: float) -> Geometry:
    if width < 500:
        return Geometry(width, 16, 13, 0, 96, 132, 40)
    return Geometry(width, 16, 13, 36, 300, 336, 40)


def lanes(events: list[TimelineEvent]) -> dict[str, int]:
    """Side-by-side columns for marks that overlap in time (first free column wins)."""
    ends: list[dt.date] = []
    found = {}
    for event in sorted(events, key=lambda e: (e.start, e.end)):
        column = next((i for i, end in enumerate(ends) if end < event.start), len(ends))
        if column == len(ends):
            ends.append(event.end)
        else:
            ends[column] = event.end
        found[event.slug] = column
    return found


def layout(
    events: list[TimelineEvent], episodes: list[TimelineEpisode], text: TimelineText, width: float, ident: str
) -> Artboard:
    g = geometry(width)
    board = Artboard(width)
    first = min(e.start for e in events).year
    last = max(e.end for e in events).year + 1
    column = lanes(events)
    # The labels start past the last column of bars, however many overlapping spans there are.
    labels_x = max(g.labels, g.axis + 4 + (max(column.values()) + 1) * (BAR + 3) + 14)
    label_width = width - labels_x - 2
    wrapped = {e.slug: (wrap(e.when, label_width, WHEN), wrap(e.title, label_width, TITLE)) for e in events}
    # Lane headings, wrapped to their lanes; the axis starts below the taller one.
    heads = [
        board.text(2, 16, wrap(text.episodes_lane, g.axis - 4, WHEN, bold=True), WHEN, 16, "tl-lane", bold=True),
        board.text(labels_x, 16, wrap(text.events_lane, label_width, WHEN, bold=True), WHEN, 16, "tl-lane", bold=True),
    ]
    top = max(h.bottom for h in heads) + 26
    # Each year is a band as tall as its events' labels need (and never under `per_year`);
    # inside a band, days are spaced evenly, so every date sits at its true place in its year.
    need: dict[int, float] = {}
    for event in events:
        when_lines, title_lines = wrapped[event.slug]
        need[event.start.year] = need.get(event.start.year, 0) + 16 * len(when_lines) + 18 * len(title_lines) + 12
    band_top: dict[int, float] = {}
    band: dict[int, float] = {}
    y = float(top)
    for year in range(first, last + 1):
        band_top[year], band[year] = y, max(g.per_year, need.get(year, 0))
        y += band[year]

    def y_of(day: dt.date) -> float:
        start = dt.date(day.year, 1, 1)
        length = (dt.date(day.year + 1, 1, 1) - start).days
        return band_top[day.year] + (day - start).days / length * band[day.year]

    axis_end = y_of(dt.date(last, 1, 1))
    marks: list[str] = []
    links: list[str] = []
    # Years: a tick and the year, left of the axis.
    for year in range(first, last + 1):
        y = y_of(dt.date(year, 1, 1))
        marks.append(f'<line class="tl-tick" x1="{num(g.axis - 6)}" y1="{num(y)}" x2="{num(g.axis)}" y2="{num(y)}"/>')
        if year < last:
            board.text(g.axis - 10, y + YEAR * 0.35, [str(year)], YEAR, 16, "tl-year", anchor="end", bold=True)
    anchor: dict[str, tuple[float, float]] = {}  # where links and connectors meet each event's mark
    for event in events:
        x = g.axis + 4 + column[event.slug] * (BAR + 3) + BAR / 2
        y1, y2 = y_of(event.start), y_of(event.end + dt.timedelta(days=1))
        if event.exact:
            x = g.axis
            marks.append(f'<circle class="tl-dot" cx="{num(x)}" cy="{num(y1)}" r="{DOT}"/>')
            anchor[event.slug] = (x, y1)
        else:
            cls = "tl-range tl-approximate" if event.approximate else "tl-range"
            height = max(y2 - y1, BAR)
            marks.append(
                f'<rect class="{cls}" x="{num(x - BAR / 2)}" y="{num(y1)}" width="{BAR}" '
                f'height="{num(height)}" rx="3"/>'
            )
            anchor[event.slug] = (x, y1 + min(height / 2, 10))
    # Event labels: as high as their mark allows, never over the one above.
    floor = top - 10.0
    connectors: list[str] = []
    for event in sorted(events, key=lambda e: (e.start, e.end)):
        x, y = anchor[event.slug]
        when_lines, title_lines = wrapped[event.slug]
        want = y - WHEN * 0.35
        baseline = max(want, floor + WHEN * ASCENT)
        when_box = board.text(labels_x, baseline, when_lines, WHEN, 16, "tl-when")
        board.parts.append(f'<a href="{escape(event.url)}">')
        title_box = board.text(labels_x, when_box.bottom + TITLE * ASCENT + 1, title_lines, TITLE, 18, "tl-title")
        board.parts.append("</a>")
        floor = title_box.bottom + 10
        ty = baseline - WHEN * 0.35
        connectors.append(
            f'<path class="tl-connector" d="M{num(x + (DOT if event.exact else BAR / 2))} {num(y)}'
            f'H{num(labels_x - 14)}L{num(labels_x - 4)} {num(ty)}"/>'
        )
    bottom = max(floor, axis_end + 10)
    # Episodes: chips in order, each near the events it depicts, with a curve to each.
    chip_floor = top
    for episode in episodes:
        targets = [anchor[s] for s in episode.depicts if s in anchor]
        ideal = sum(t[1] for t in targets) / len(targets) if targets else chip_floor
        cy = max(ideal, chip_floor + g.chip_r)
        lines = wrap(episode.title, g.axis - 70 - g.episode_label, WHEN) if g.episode_label else []
        block = max(2 * g.chip_r, len(lines) * 16)
        chip_floor = cy + block - g.chip_r + 10
        # Lines leave from the end of the lane (past the titles, where there are titles).
        start = g.axis - 64 if g.episode_label else g.chip_x + g.chip_r
        for tx, ty in targets:
            mid = (start + tx) / 2
            links.append(
                f'<path class="tl-link" d="M{num(start)} {num(cy)}C{num(mid)} {num(cy)} '
                f'{num(mid)} {num(ty)} {num(tx)} {num(ty)}"/>'
            )
        board.parts.append(f'<a href="{escape(episode.url)}">')
        board.parts.append(f'<circle class="tl-chip" cx="{num(g.chip_x)}" cy="{num(cy)}" r="{g.chip_r}"/>')
        board.text(
            g.chip_x, cy + CHIP * 0.35, [str(episode.number)], CHIP, 16, "tl-chip-number", anchor="middle", bold=True
        )
        if lines:
            board.text(g.episode_label, cy - (len(lines) - 1) * 8 + WHEN * 0.35, lines, WHEN, 16, "tl-episode")
        board.parts.append("</a>")
        bottom = max(bottom, chip_floor)
    board.height = math.ceil(bottom + 6)
    axis = f'<line class="tl-axis" x1="{num(g.axis)}" y1="{num(top - 8)}" x2="{num(g.axis)}" y2="{num(axis_end)}"/>'
    board.parts = [axis, *links, *connectors, *marks, *board.parts]
    return board


def timeline_svg(
    events: list[TimelineEvent], episodes: list[TimelineEpisode], text: TimelineText, ident: str = "timeline"
) -> Markup:
    if not events:
        return Markup("")
    boards = []
    for cls, width in (("artboard-narrow", NARROW), ("artboard-wide", WIDE)):
        name = f"{ident}-{cls[9:]}"
        board = layout(events, episodes, text, width, name)
        boards.append(
            open_svg(board, cls, name, text.title, text.description, links=True) + "".join(board.parts) + "</svg>"
        )
    return Markup(f'<div class="graphic timeline-graphic">{"".join(boards)}</div>')


def timeline_layouts(
    events: list[TimelineEvent], episodes: list[TimelineEpisode], text: TimelineText
) -> list[Artboard]:
    return [layout(events, episodes, text, width, "t") for width in (NARROW, WIDE)]
