"""Small pieces shared by the graphics: laid-out artboards and SVG text blocks.

Every graphic is laid out twice, like a newsroom's artboards: a narrow one for phones and a
wide one for larger screens; CSS shows one of them (visuals.css). Each layout keeps the
boxes of its labels so tests can check, without a browser, that none overlap or leave it."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import escape

from somos_site.visuals.text import Box, num, text_box

NARROW, WIDE = 340, 700  # artboard widths in user units (CSS px at full size)


@dataclass
class Artboard:
    width: float
    height: float = 0.0
    parts: list[str] = field(default_factory=list)
    labels: list[tuple[Box, str]] = field(default_factory=list)
    penalty: int = 0  # how far the layout falls short of its ideal (lower is better)

    def text(
        self,
        x: float,
        baseline: float,
        lines: list[str],
        size: float,
        leading: float,
        cls: str,
        anchor: str = "start",
        bold: bool = False,
    ) -> Box:
        """A block of lines as one <text>; records its box and returns it."""
        box = text_box(x, baseline, lines, size, leading, anchor, bold)
        # One line is plain text; more are tspans, each after the first stepping down one
        # line (the first sits at the <text>'s own x and y).
        spans = (
            str(escape(lines[0]))
            if len(lines) == 1
            else "".join(
                f"<tspan>{escape(line)}</tspan>"
                if i == 0
                else f'<tspan x="{num(x)}" dy="{num(leading)}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)
            )
        )
        # Size and weight as attributes, not CSS: the markup alone says how big its text is,
        # which is what the layout was computed for (and what the tests read back).
        extra = ("" if anchor == "start" else f' text-anchor="{anchor}"') + (' font-weight="700"' if bold else "")
        self.parts.append(
            f'<text class="{cls}" x="{num(x)}" y="{num(baseline)}" font-size="{num(size)}"{extra}>{spans}</text>'
        )
        self.labels.append((box, " ".join(lines)))
        return box

    def overlapping(self) -> list[tuple[str, str]]:
        found = []
        for i, (a, text_a) in enumerate(self.labels):
            for b, text_b in self.labels[i + 1 :]:
                if a.overlaps(b):
                    found.append((text_a, text_b))
        return found

    def outside(self) -> list[str]:
        return [text for box, text in self.labels if not box.inside(self.width, self.height)]


def open_svg(board: Artboard, cls: str, ident: str, title: str, description: str, links: bool = False) -> str:
    """The <svg> start tag, its title and its description. A graphic without links is one
    image to assistive technology; one with links (map, timeline) is a labelled group, so
    its links stay reachable by keyboard and screen reader, as in any other part of a page."""
    role = (
        f'role="group" aria-labelledby="{ident}-title" aria-describedby="{ident}-desc"'
        if links
        else f'role="img" aria-labelledby="{ident}-title {ident}-desc"'
    )
    return (
        f'<svg class="artboard {cls}" viewBox="0 0 {num(board.width)} {num(board.height)}" '
        f'width="{num(board.width)}" height="{num(board.height)}" {role} xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
    )
