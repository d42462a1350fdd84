"""Text measuring, wrapping and boxes for graphics laid out at build time.

SVG text does not wrap and the build has no browser, so labels are measured with the
advance widths of DejaVu Sans, the widest common system font (see metrics.py): a label
that fits here fits in any of the site's system fonts."""

from __future__ import annotations

from dataclasses import dataclass

from somos_site.visuals import metrics

# The widest glyph's share of an em, for characters outside the table.
FALLBACK_EM = 1.0
# A line's extent above and below its baseline, as browsers measure a text box: DejaVu
# Sans's ascender and descender (1901 and 483 of 2048 units), rounded up.
ASCENT, DESCENT = 0.93, 0.24


def text_width(text: str, size: float, bold: bool = False) -> float:
    table = metrics.BOLD if bold else metrics.REGULAR
    units = metrics.BOLD_UNITS if bold else metrics.REGULAR_UNITS
    total = sum(table.get(ch, FALLBACK_EM * units) for ch in text)
    return total / units * size


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap into lines no wider than `width`; a single word longer than the
    width is split at the width rather than cut off, so nothing is ever lost."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size, bold) > width:
            # A width under one character (a timeline with very many overlapping spans) still
            # takes one character per line rather than failing.
            cut = next((i for i in range(len(word), 0, -1) if text_width(word[:i], size, bold) <= width), 1)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in SVG user units."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (
            self.right + gap <= other.x
            or other.right + gap <= self.x
            or self.bottom + gap <= other.y
            or other.bottom + gap <= self.y
        )

    def inside(self, width: float, height: float) -> bool:
        return self.x >= 0 and self.y >= 0 and self.right <= width and self.bottom <= height


def text_box(
    x: float, baseline: float, lines: list[str], size: float, leading: float, anchor: str = "start", bold: bool = False
) -> Box:
    """The box of a block of lines whose first baseline is at `baseline`."""
    width = max(text_width(line, size, bold) for line in lines)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    top = baseline - size * ASCENT
    return Box(left, top, width, size * ASCENT + leading * (len(lines) - 1) + size * DESCENT)


def num(value: float) -> str:
    """A coordinate for SVG markup: one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
