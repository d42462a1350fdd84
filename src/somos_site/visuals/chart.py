"""A contested figure as a chart: one row per value, grouped by what the value counts, on
one labelled axis, with exact counts and estimates drawn differently.

Marks: an exact count is a solid bar; "more than" a solid bar with an arrow past its end;
"about" a hatched bar; "up to" an open, dashed bar with a tick at its end (the value is a
ceiling, not a count). A value without a number is a line of text in its group."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

from somos_site.visuals.svg import NARROW, WIDE, Artboard, open_svg
from somos_site.visuals.text import num, text_width, wrap

KINDS = ("count", "at-least", "about", "up-to")


@dataclass(frozen=True)
class ChartValue:
    value: float | None
    label: str
    given_by: str
    when: str
    counts: str = ""  # what the value counts: the group it is drawn in
    kind: str = "count"  # one of KINDS


@dataclass(frozen=True)
class ChartText:
    """The chart's words, translated by the caller."""

    title: str
    description: str
    unit: str
    legend: dict[str, str]  # kind -> its legend label
    no_number: str  # shown instead of a bar for a value without a number
    given: str  # "%(who)s, %(when)s"


LABEL, GIVER, HEAD, TICK = 14, 13, 14, 13  # font sizes in user units
BAR = 14  # bar thickness
PAD = 2  # glyphs may overhang their advance a little: keep text off the very edge
ARROW = 12  # room past the largest bar for a "more than" arrow


def nice_ticks(largest: float, most: int) -> list[float]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least `largest`."""
    if largest <= 0:
        return [0.0, 1.0]
    for power in range(math.floor(math.log10(largest)) - 1, 12):
        for base in (1, 2, 5):
            step = base * 10**power
            count = math.ceil(largest / step)
            if count <= most:
                return [i * step for i in range(count + 1)]
    return [0.0, largest]


def groups(values: list[ChartValue]) -> list[tuple[str, list[ChartValue]]]:
    """Values grouped by what they count, in the order each group first appears, except that
    groups made only of estimates and bounds come after the groups that hold counts: the
    counts are what is known, the estimates what is feared."""
    found: dict[str, list[ChartValue]] = {}
    for item in values:
        found.setdefault(item.counts, []).append(item)
    return sorted(found.items(), key=lambda group: not any(v.kind == "count" and v.value is not None for v in group[1]))


def fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def legend(board: Artboard, kinds: list[str], text: ChartText, y: float, ident: str) -> float:
    """Swatches and their labels in a flowing row; returns the y below them."""
    x, row = PAD, y
    for kind in kinds:
        label = text.legend[kind]
        width = 40 + text_width(label, TICK) + 18
        if x > PAD and x + width > board.width - PAD:
            x, row = PAD, row + 24
        board.parts.append(mark(kind, x, row - 11, 22, ident))
        board.text(x + 40, row, [label], TICK, 16, "chart-legend")
        x += width
    return row + 14


def mark(kind: str, x: float, y: float, length: float, ident: str) -> str:
    """The bar of one value, `length` long, its top at `y`."""
    if kind == "up-to":
        return (
            f'<rect class="bar-open" x="{num(x + 0.75)}" y="{num(y + 0.75)}" width="{num(max(length - 1.5, 1))}" '
            f'height="{BAR - 1.5}"/><line class="bar-cap" x1="{num(x + length)}" y1="{num(y - 3)}" '
            f'x2="{num(x + length)}" y2="{num(y + BAR + 3)}"/>'
        )
    if kind == "about":
        return (
            f'<rect class="bar-hatch" x="{num(x + 0.5)}" y="{num(y + 0.5)}" width="{num(max(length - 1, 1))}" '
            f'height="{BAR - 1}" fill="url(#{ident}-hatch)"/>'
        )
    bar = f'<rect class="bar-solid" x="{num(x)}" y="{num(y)}" width="{num(max(length, 1.5))}" height="{BAR}"/>'
    if kind == "at-least":
        tip = x + length
        bar += (
            f'<path class="bar-arrow" d="M{num(tip + 1)} {num(y - 2)}L{num(tip + ARROW - 1)} {num(y + BAR / 2)}'
            f'L{num(tip + 1)} {num(y + BAR + 2)}Z"/>'
        )
    return bar


def layout(values: list[ChartValue], text: ChartText, width: float, ident: str) -> Artboard:
    """Narrow: each value's label, bar and giver stacked. Wide: label and giver in a column
    on the left, the bar beside them."""
    board = Artboard(width)
    numeric = [v.value for v in values if v.value is not None]
    kinds = [k for k in KINDS if any(v.kind == k and v.value is not None for v in values)]
    y = legend(board, kinds, text, 14, ident) + 14 if kinds else 0.0
    wide = width >= 500
    column = 290 if wide else width - 2 * PAD  # width of the label column
    left = PAD + column + 20 if wide else PAD  # where the axis starts
    plot = width - left - ARROW - 2  # the axis's length
    ticks = nice_ticks(max(numeric, default=1), 4 if plot < 400 else 6)
    scale = plot / ticks[-1]
    # The axis: its unit, then the tick values, then gridlines through every group.
    unit_box = board.text(left, y + TICK, [text.unit], TICK, 16, "chart-unit", bold=True)
    y = unit_box.bottom + 4
    for index, tick in enumerate(ticks):
        anchor = "start" if index == 0 else "end" if index == len(ticks) - 1 else "middle"
        board.text(left + tick * scale, y + TICK, [fmt(tick)], TICK, 16, "chart-tick", anchor=anchor)
    axis_y = y + TICK + 6
    board.parts.append(
        f'<line class="chart-axis" x1="{num(left)}" y1="{num(axis_y)}" x2="{num(left + plot)}" y2="{num(axis_y)}"/>'
    )
    y = axis_y + 12
    bars: list[str] = []
    for counts, members in groups(values):
        if counts:
            lines = wrap(counts, width - 2 * PAD, HEAD, bold=True)
            head = board.text(PAD, y + HEAD, lines, HEAD, 18, "chart-group", bold=True)
            y = head.bottom + 6
        for item in members:
            label = board.text(PAD, y + LABEL, wrap(item.label, column, LABEL), LABEL, 18, "chart-label")
            mark_y = label.y + 2 if wide else label.bottom + 4
            if item.value is None:
                lines = wrap(text.no_number, width - left - PAD, GIVER)
                box = board.text(left, mark_y + GIVER, lines, GIVER, 16, "chart-none")
                mark_bottom = box.bottom
            else:
                bars.append(mark(item.kind, left, mark_y, item.value * scale, ident))
                mark_bottom = mark_y + BAR + 3
            giver = text.given % {"who": item.given_by, "when": item.when}
            giver_y = label.bottom + 2 if wide else mark_bottom + 2
            who = board.text(PAD, giver_y + GIVER, wrap(giver, column, GIVER), GIVER, 16, "chart-who")
            y = max(who.bottom, mark_bottom) + 12
        y += 6
    grid = "".join(
        f'<line class="chart-grid" x1="{num(left + t * scale)}" y1="{num(axis_y)}" '
        f'x2="{num(left + t * scale)}" y2="{num(y)}"/>'
        for t in ticks[1:]
    )
    board.height = math.ceil(y)
    hatch = (
        f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect class="hatch-bg" width="6" height="6"/>'
        f'<line class="hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>'
    )
    board.parts = [hatch, grid, *board.parts, *bars]
    return board


def figure_chart(values: list[ChartValue], text: ChartText, ident: str = "chart") -> Markup:
    """The chart as two artboards (narrow and wide); empty when there is nothing to draw."""
    if not values:
        return Markup("")
    boards = []
    for cls, width in (("artboard-narrow", NARROW), ("artboard-wide", WIDE)):
        board = layout(values, text, width, f"{ident}-{cls[9:]}")
        boards.append(
            open_svg(board, cls, f"{ident}-{cls[9:]}", text.title, text.description) + "".join(board.parts) + "</svg>"
        )
    return Markup(f'<div class="graphic figure-chart">{"".join(boards)}</div>')


def chart_layouts(values: list[ChartValue], text: ChartText) -> list[Artboard]:
    """Both artboards, for tests that check the layout without a browser."""
    return [layout(values, text, width, "t") for width in (NARROW, WIDE)]
