"""The map of places: a base map of Natural Earth borders and the Rio Grande, the places
whose coordinates the sources give, and labels placed so that none overlap.

Places that lie close together (the towns around Allende, a few kilometres apart) would
hide each other on a map of the whole region, and the whole region would be lost on a map
of them: when a cluster of places sits in a region that holds others too, the map is drawn
as two panels, the region with the cluster's extent outlined, then the cluster in detail.
Otherwise one map shows every place, with a small locator of the region in its corner.

The base map (data/basemap-coahuila.json, made by tools/basemap.py) is drawn only when
every place lies inside it; otherwise the places are drawn on a plain background.
Projection: equirectangular, longitudes scaled by the cosine of the middle latitude, which
is faithful enough for a region a thousand kilometres wide."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources

from markupsafe import Markup, escape

from somos_site.visuals.svg import NARROW, WIDE, Artboard, open_svg
from somos_site.visuals.text import Box, num, text_box, text_width

POINT, AREA, RIVER = 14, 13, 13  # font sizes
DOT = 5  # dot radius
MIN_SPAN = 0.7  # the detail map shows at least this many degrees of latitude
CLUSTER = 0.6  # places within this many degrees of one another form the detail map's cluster
LEADING = 18  # between the lines of a label
LOCATOR = (-106.5, 24.3, -96.7, 32.1)  # the extent of the small locator map: Coahuila and its neighbours


@dataclass(frozen=True)
class MapPoint:
    label: str
    url: str
    lat: float
    lon: float


@dataclass(frozen=True)
class MapText:
    """The map's words, translated by the caller; `links` give a page for an area label
    ("Coahuila", "river") when the site has one."""

    title: str
    description: str
    coahuila: str
    texas: str
    river: str
    links: dict[str, str]
    region_title: str = "1. The region"
    detail_title: str = "2. Around %(place)s, in detail"  # the place at the middle of the cluster
    detail_label: str = "%(place)s area: map 2"


@cache
def basemap() -> dict:
    source = resources.files("somos_site") / "data" / "basemap-coahuila.json"
    return json.loads(source.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Projection:
    west: float
    south: float
    east: float
    north: float
    box: Box

    # Kept once computed: a layout projects tens of thousands of points.
    @cached_property
    def factor(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @cached_property
    def scale(self) -> float:
        return self.box.width / ((self.east - self.west) * self.factor)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.box.x + (lon - self.west) * self.factor * self.scale,
            self.box.y + (self.north - lat) * self.scale,
        )

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        return (self.west + (x - self.box.x) / (self.factor * self.scale), self.north - (y - self.box.y) / self.scale)


def fit(west: float, south: float, east: float, north: float, box: Box) -> Projection:
    """The extent grown in one direction so it fills `box` at one scale."""
    factor = math.cos(math.radians((south + north) / 2))
    wide = (east - west) * factor
    tall = north - south
    if wide / tall < box.width / box.height:
        grow = (tall * box.width / box.height / factor - (east - west)) / 2
        west, east = west - grow, east + grow
    else:
        grow = (wide * box.height / box.width - tall) / 2
        south, north = south - grow, north + grow
    return Projection(west, south, east, north, box)


def path(points: list, project: Projection, closed: bool = False, step: float = 1.0) -> str:
    """SVG path data of a line or ring, cut to its panel (with a small margin) and thinned to
    points at least a pixel apart: the base map's data covers far more than a panel shows."""
    box = project.box
    edge = Box(box.x - 8, box.y - 8, box.width + 16, box.height + 16)
    coords = [project(lon, lat) for lon, lat in points]
    runs = [clip_ring(coords, edge)] if closed else clip_runs(coords, edge)
    data = []
    for run in runs:
        kept = thin(run, step)
        if len(kept) > 2 or (len(kept) == 2 and abs(kept[0][0] - kept[1][0]) + abs(kept[0][1] - kept[1][1]) >= step):
            data.append("M" + "L".join(f"{num(x)} {num(y)}" for x, y in kept) + ("Z" if closed else ""))
    return "".join(data)


def thin(points: list[tuple[float, float]], step: float = 1.0) -> list[tuple[float, float]]:
    kept = points[:1]
    for x, y in points[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= step:
            kept.append((x, y))
    if len(points) > 1 and kept[-1] != points[-1]:
        kept.append(points[-1])
    return kept


def clip_runs(points: list[tuple[float, float]], edge: Box) -> list[list[tuple[float, float]]]:
    """The stretches of a line inside `edge`, each with one point beyond it on either side."""
    runs: list[list[tuple[float, float]]] = []
    run: list[tuple[float, float]] = []
    for index, (x, y) in enumerate(points):
        if edge.x <= x <= edge.right and edge.y <= y <= edge.bottom:
            if not run and index > 0:
                run.append(points[index - 1])
            run.append((x, y))
        elif run:
            runs.append([*run, (x, y)])
            run = []
    if run:
        runs.append(run)
    return runs


def clip_ring(points: list[tuple[float, float]], edge: Box) -> list[tuple[float, float]]:
    """Sutherland-Hodgman against the rectangle `edge` (convex, so the result is exact)."""
    sides = (
        (lambda p: p[0] >= edge.x, 0, edge.x),
        (lambda p: p[0] <= edge.right, 0, edge.right),
        (lambda p: p[1] >= edge.y, 1, edge.y),
        (lambda p: p[1] <= edge.bottom, 1, edge.bottom),
    )
    out = list(points)
    for keep, axis, value in sides:
        ring, out = out, []
        for index, current in enumerate(ring):
            previous = ring[index - 1]
            if keep(current):
                if not keep(previous):
                    out.append(crossing(previous, current, axis, value))
                out.append(current)
            elif keep(previous):
                out.append(crossing(previous, current, axis, value))
        if not out:
            return []
    return out


def crossing(a: tuple[float, float], b: tuple[float, float], axis: int, value: float) -> tuple[float, float]:
    t = (value - a[axis]) / (b[axis] - a[axis])
    point = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
    return (value, point[1]) if axis == 0 else (point[0], value)


def inside_ring(lon: float, lat: float, ring: list) -> bool:
    """Even-odd test against the ring's edges that span `lat` (those of its band only: the
    label placement asks thousands of times about one ring of hundreds of points)."""
    bands = edge_bands(ring)
    if not bands.south <= lat < bands.north:
        return False  # every edge lies wholly above or below: none crosses
    found = False
    for x1, y1, x2, y2 in bands.edges[bands.band(lat)]:
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


@dataclass(frozen=True)
class EdgeBands:
    """A ring's edges sorted into horizontal bands: each band lists every edge whose
    latitude range meets it, so the edges crossing a latitude are all in that one band."""

    south: float
    north: float
    height: float
    edges: tuple[tuple[tuple[float, float, float, float], ...], ...]

    def band(self, lat: float) -> int:
        return band_of(lat, self.south, self.height)


def band_of(lat: float, south: float, height: float) -> int:
    return min(max(int((lat - south) / height), 0), BANDS - 1)


BANDS = 64
_edge_bands: dict[int, tuple[list, EdgeBands]] = {}


def edge_bands(ring: list) -> EdgeBands:
    """`EdgeBands` of a ring, made once per ring (the base map's rings live for the run)."""
    known = _edge_bands.get(id(ring))
    if known is not None and known[0] is ring:
        return known[1]
    ys = [y for _, y in ring]
    south, north = min(ys), max(ys)
    height = (north - south) / BANDS or 1.0
    members: list[list[tuple[float, float, float, float]]] = [[] for _ in range(BANDS)]
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        for index in range(band_of(min(y1, y2), south, height), band_of(max(y1, y2), south, height) + 1):
            members[index].append((x1, y1, x2, y2))
    bands = EdgeBands(south, north, height, tuple(tuple(m) for m in members))
    _edge_bands[id(ring)] = (ring, bands)
    return bands


def draw_base(board: Artboard, project: Projection, clip: str, step: float = 1.0, river: bool = True) -> None:
    """The base map's layers inside `project`'s panel, lines thinned to `step` units."""
    board.parts += base_parts(project, clip, step, river)


@lru_cache(maxsize=64)  # the layouts try several placements of names on one projection
def base_parts(project: Projection, clip: str, step: float, river: bool) -> tuple[str, ...]:
    data = basemap()
    box = project.box
    parts = [
        f'<g clip-path="url(#{clip})"><rect class="map-water" x="{num(box.x)}" y="{num(box.y)}" '
        f'width="{num(box.width)}" height="{num(box.height)}"/>'
    ]
    layers = [("map-land", data["land"], True)]
    layers += [
        ("map-focus" if name == "Coahuila" else "map-mexico", rings, True)
        for name, rings in data["mexico_states"].items()
    ]
    layers += [("map-state-line", data["state_lines"], False), ("map-coast", data["coastline"], False)]
    layers += [("map-border", data["border"], False)]
    if river:
        layers.append(("map-river", data["river"], False))
    for cls, shapes, closed in layers:
        # One path per layer: fewer elements, and the page stays small.
        d = "".join(path(shape, project, closed, step) for shape in shapes)
        if d:
            parts.append(f'<path class="{cls}" d="{d}"/>')
    parts.append("</g>")
    return tuple(parts)


class Placer:
    """Greedy label placement: each label takes the first candidate position that stays
    inside the artboard and clear of every dot, label and reserved box placed so far."""

    def __init__(self, board: Artboard, reserved: list[Box]) -> None:
        self.board = board
        self.taken: list[Box] = list(reserved)

    def free(self, box: Box, within: Box) -> bool:
        fits = box.x >= within.x + 2 and box.y >= within.y + 2
        fits = fits and box.right <= within.right - 2 and box.bottom <= within.bottom - 2
        return fits and not any(box.overlaps(other, gap=2) for other in self.taken)

    def take(self, box: Box) -> None:
        self.taken.append(box)


@dataclass(frozen=True)
class Marker:
    """One dot and its label: the names of the places it stands for, one line (and one
    link) each. Places closer than a dot's width share one dot."""

    points: tuple[MapPoint, ...]
    x: float
    y: float


def markers(points: list[MapPoint], project: Projection) -> list[Marker]:
    """Dots for `points`, those that would touch merged (north first within a dot)."""
    groups: list[list[tuple[MapPoint, float, float]]] = []
    for point in points:
        x, y = project(point.lon, point.lat)
        near = [g for g in groups if any(math.hypot(x - gx, y - gy) < 2 * DOT + 1 for _, gx, gy in g)]
        merged = [item for g in near for item in g] + [(point, x, y)]
        groups = [g for g in groups if g not in near] + [merged]
    found = []
    for group in groups:
        group.sort(key=lambda item: -item[0].lat)
        x = sum(gx for _, gx, _ in group) / len(group)
        y = sum(gy for _, _, gy in group) / len(group)
        found.append(Marker(tuple(p for p, _, _ in group), x, y))
    return sorted(found, key=lambda m: (m.y, m.x))


def block_candidates(x: float, y: float, width: float, height: float) -> list[tuple[float, float, bool]]:
    """(left, top, needs a leader line) of a label block around a dot: close first, then farther."""
    found = []
    for distance, leader in ((DOT + 4, False), (26, True), (44, True), (64, True)):
        d = distance
        found += [
            (x + d, y - height / 2, leader),  # right
            (x - d - width, y - height / 2, leader),  # left
            (x - width / 2, y - d - height, leader),  # above
            (x - width / 2, y + d, leader),  # below
            (x + d * 0.7, y - d * 0.7 - height, leader),  # upper right
            (x - d * 0.7 - width, y - d * 0.7 - height, leader),  # upper left
            (x + d * 0.7, y + d * 0.7, leader),  # lower right
            (x - d * 0.7 - width, y + d * 0.7, leader),  # lower left
        ]
    return found


def leader(x: float, y: float, box: Box) -> str:
    """A line from the dot to the nearest point of its label's box."""
    tx = min(max(x, box.x), box.right)
    ty = min(max(y, box.y), box.bottom)
    length = math.hypot(tx - x, ty - y) or 1
    sx, sy = x + (tx - x) / length * (DOT + 1), y + (ty - y) / length * (DOT + 1)
    return f'<line class="map-leader" x1="{num(sx)}" y1="{num(sy)}" x2="{num(tx)}" y2="{num(ty)}"/>'


def place_points(board: Artboard, placer: Placer, marks: list[Marker], frame: Box, same_side=None) -> None:
    """Each dot's names at the first free candidate; with `same_side(box, x, y)`, candidates
    on the dot's side of a border come first, so a name never sits across the river from
    its dot while there is room on its own side."""
    for mark in marks:
        x, y = mark.x, mark.y
        lines = [p.label for p in mark.points]
        shape = text_box(0, 0, lines, POINT, LEADING, bold=True)  # the block, its baseline at 0
        boxes = [
            (c, Box(c[0], c[1], shape.width, shape.height)) for c in block_candidates(x, y, shape.width, shape.height)
        ]
        passes = [lambda box, x=x, y=y: same_side(box, x, y), lambda box: True] if same_side else [lambda box: True]
        chosen = next(
            ((c, box) for accept in passes for c, box in boxes if placer.free(box, frame) and accept(box)), None
        )
        if chosen is None:  # crowded beyond every candidate: the nearest, and the tests will say so
            chosen = boxes[0]
            board.penalty += 100
        elif same_side and not same_side(chosen[1], x, y):
            board.penalty += 10
        board.penalty += 1 if chosen[0][2] else 0  # a leader line
        (left, top, needs_leader), box = chosen
        placer.take(box)
        if needs_leader:
            board.parts.append(leader(x, y, box))
        for index, point in enumerate(mark.points):  # one <text> per name, each its own link
            baseline = top - shape.y + index * LEADING
            board.parts.append(f'<a href="{escape(point.url)}">')
            board.text(left - shape.x, baseline, [point.label], POINT, LEADING, "map-name", bold=True)
            board.parts.append("</a>")


def area_label(
    board: Artboard,
    placer: Placer,
    text: str,
    cls: str,
    size: float,
    frame: Box,
    candidates: list[tuple[float, float]],
    accept,
    url: str | None = None,
    roomy: bool = True,
) -> None:
    """An area or river label at a free candidate (left x, baseline) that `accept`s: with
    `roomy`, the one farthest from everything already placed, else the first. With no free
    place the label is left out rather than drawn over another."""
    fitting = []
    for left, baseline in candidates:
        box = text_box(left, baseline, [text], size, 18)
        if placer.free(box, frame) and accept(box):
            if not roomy:
                fitting = [(left, baseline, box)]
                break
            fitting.append((left, baseline, box))
    if not fitting:
        return
    left, baseline, box = (
        max(fitting, key=lambda item: clearance(item[2], placer.taken, frame)) if roomy else fitting[0]
    )
    placer.take(box)
    if url:
        board.parts.append(f'<a href="{escape(url)}">')
    board.text(left, baseline, [text], size, 18, cls)
    if url:
        board.parts.append("</a>")


def clearance(box: Box, taken: list[Box], frame: Box) -> float:
    """How far `box` is from the nearest placed box or edge (capped: past 80 units, room is room)."""
    gaps = [box.x - frame.x, box.y - frame.y, frame.right - box.right, frame.bottom - box.bottom]
    for other in taken:
        dx = max(other.x - box.right, box.x - other.right, 0)
        dy = max(other.y - box.bottom, box.y - other.bottom, 0)
        gaps.append(math.hypot(dx, dy))
    return min(min(gaps), 80)


def grid(frame: Box, step: float) -> list[tuple[float, float]]:
    """Candidate positions over a panel, from the edges inwards."""
    found = []
    rows = int(frame.height // step)
    cols = int(frame.width // step)
    for row in range(rows + 1):
        for col in range(cols + 1):
            found.append((frame.x + 6 + col * step, frame.y + 20 + row * step))
    return found


@dataclass
class Laid:
    """A laid-out map and the projection it was drawn with."""

    board: Artboard
    project: Projection


def layout(points: list[MapPoint], text: MapText, width: float, ident: str, locator: bool = True) -> Laid:
    """The best of a few framings of the places (centred, or shifted by up to a third of the
    map): the one whose names need the fewest leader lines and never cross a border."""
    shifts = (0.0, 0.15, -0.15, 0.3, -0.3)
    best = None
    for dx in shifts:
        for dy in shifts[:3]:
            laid = frame_layout(points, text, width, ident, dx, dy, locator)
            if best is None or laid.board.penalty < best.board.penalty:
                best = laid
            if best.board.penalty == 0:
                return best
    return best


def on_basemap(points: list[MapPoint]) -> bool:
    """Do all the places lie inside the shipped base map (else they are drawn without it)?"""
    west, south, east, north = basemap()["bbox"]
    return bool(points) and all(west <= p.lon <= east and south <= p.lat <= north for p in points)


def cluster(points: list[MapPoint]) -> tuple[list[MapPoint], MapPoint | None]:
    """The largest group of places within CLUSTER degrees of one of them (the first such
    group in the places' order) and that place, or none when no two places are that close."""
    best: list[MapPoint] = []
    middle = None
    for centre in points:
        reach = CLUSTER / math.cos(math.radians(centre.lat))
        group = [p for p in points if abs(p.lat - centre.lat) <= CLUSTER and abs(p.lon - centre.lon) <= reach]
        if len(group) > len(best):
            best, middle = group, centre
    return (best, middle) if len(best) > 1 else ([], None)


def start_board(width: float, height: float, ident: str, inset: Box | None) -> Artboard:
    board = Artboard(width, height)
    clips = f'<clipPath id="{ident}-clip"><rect width="{num(width)}" height="{num(height)}"/></clipPath>'
    if inset:
        clips += (
            f'<clipPath id="{ident}-inset-clip"><rect x="{num(inset.x)}" y="{num(inset.y)}" '
            f'width="{num(inset.width)}" height="{num(inset.height)}"/></clipPath>'
        )
    board.parts.append(f"<defs>{clips}</defs>")
    return board


def draw_dots(board: Artboard, marks: list[Marker]) -> list[Box]:
    board.parts += [f'<circle class="map-dot" cx="{num(m.x)}" cy="{num(m.y)}" r="{DOT}"/>' for m in marks]
    return [Box(m.x - DOT - 1, m.y - DOT - 1, 2 * DOT + 2, 2 * DOT + 2) for m in marks]


def frame_layout(
    points: list[MapPoint], text: MapText, width: float, ident: str, dx: float, dy: float, locator: bool = True
) -> Laid:
    height = 360 if width < 500 else 470
    frame = Box(0, 0, width, height)
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    data = basemap()
    on_base = on_basemap(points)
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    span = max(MIN_SPAN, (max(lats) - min(lats)) * 1.8, (max(lons) - min(lons)) * 1.8)
    mid_lon -= dx * span
    mid_lat += dy * span
    project = fit(mid_lon - span / 2, mid_lat - span / 2, mid_lon + span / 2, mid_lat + span / 2, frame)
    inset = None
    if on_base and locator:
        inset = Box(width - 124, height - 114, 120, 110) if width < 500 else Box(width - 170, height - 160, 166, 156)
    board = start_board(width, height, ident, inset)
    reserved: list[Box] = []
    if on_base:
        draw_base(board, project, f"{ident}-clip")
    else:
        board.parts.append(f'<rect class="map-water" width="{num(width)}" height="{num(height)}"/>')
    if inset:
        reserved.append(Box(inset.x - 4, inset.y - 4, inset.width + 8, inset.height + 8))
    marks = markers(points, project)
    reserved += draw_dots(board, marks)
    placer = Placer(board, reserved)
    same_side = None
    if on_base:
        coahuila = max(data["mexico_states"]["Coahuila"], key=len)

        def same_side(box: Box, x: float, y: float) -> bool:
            home = inside_ring(*project.unproject(x, y), coahuila)
            corners = [(box.x, box.y), (box.right, box.y), (box.x, box.bottom), (box.right, box.bottom)]
            return all(inside_ring(*project.unproject(cx, cy), coahuila) == home for cx, cy in corners)

    if on_base:
        draw_scale(board, placer, project, frame)  # first: the names keep clear of it
    place_points(board, placer, marks, frame, same_side)
    if on_base:
        label_areas(board, placer, project, text, frame)
        if inset:
            draw_inset(board, placer, project, text, inset, ident)
    return Laid(board, project)


def region_layout(
    points: list[MapPoint], detail: Projection, text: MapText, width: float, ident: str, detail_id: str, centre: str
) -> Artboard:
    """The whole region: the places outside the detail map as dots, the detail map's extent
    as an outlined box linking to it, the states named. The best of a few margins and
    orders of placing the names: the first whose names all found room, with fewest leaders."""
    best = None
    for margin in (0.1, 0.15, 0.2):
        for order in ("north", "south", "west", "east"):
            board = region_attempt(points, detail, text, width, ident, (detail_id, centre), margin, order)
            if best is None or board.penalty < best.penalty:
                best = board
            if best.penalty == 0:
                return best
    return best


ORDERS = {
    "north": lambda m: (m.y, m.x),
    "south": lambda m: (-m.y, m.x),
    "west": lambda m: (m.x, m.y),
    "east": lambda m: (-m.x, m.y),
}


def region_attempt(
    points: list[MapPoint],
    detail: Projection,
    text: MapText,
    width: float,
    ident: str,
    link: tuple[str, str],
    margin: float,
    order: str,
) -> Artboard:
    """One try of `region_layout`; `link` is the detail panel's id and its middle place."""
    detail_id, centre = link
    height = 440 if width < 500 else 560
    frame = Box(0, 0, width, height)
    west, south, east, north = detail.west, detail.south, detail.east, detail.north
    lats = [p.lat for p in points] + [south, north]
    lons = [p.lon for p in points] + [west, east]
    pad = max(0.8, (max(lats) - min(lats)) * margin)
    project = fit(min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad, frame)
    board = start_board(width, height, ident, None)
    draw_base(board, project, f"{ident}-clip", step=1.5)
    outside = [p for p in points if not (west <= p.lon <= east and south <= p.lat <= north)]
    marks = sorted(markers(outside, project), key=ORDERS[order])
    reserved = draw_dots(board, marks)
    x1, y1 = project(west, north)
    x2, y2 = project(east, south)
    extent = Box(x1, y1, max(x2 - x1, 6), max(y2 - y1, 6))
    board.parts.append(
        f'<rect class="map-extent" x="{num(extent.x)}" y="{num(extent.y)}" width="{num(extent.width)}" '
        f'height="{num(extent.height)}"/>'
    )
    reserved.append(Box(extent.x - 2, extent.y - 2, extent.width + 4, extent.height + 4))
    placer = Placer(board, reserved)
    # The detail box's label first: it is the way into the other panel.
    name = text.detail_label % {"place": centre}
    label = text_box(0, 0, [name], POINT, LEADING, bold=True)
    for index, (left, top) in enumerate(around(extent, label.width, label.height)):
        box = Box(left, top, label.width, label.height)
        if placer.free(box, frame):
            placer.take(box)
            if index >= 4:  # not beside the box: a line joins them, and names keep off it
                line, ends = joining(extent, box)
                board.parts.append(line)
                (ax, ay), (bx, by) = ends
                placer.take(Box(min(ax, bx) - 1, min(ay, by), abs(bx - ax) + 2, abs(by - ay)))
            board.parts.append(f'<a href="#{escape(detail_id)}">')
            board.text(left, top - label.y, [name], POINT, LEADING, "map-name", bold=True)
            board.parts.append("</a>")
            break
    draw_scale(board, placer, project, frame)
    place_points(board, placer, marks, frame)
    label_states(board, placer, project, text, frame)
    return board


def joining(a: Box, b: Box) -> tuple[str, tuple[tuple[float, float], tuple[float, float]]]:
    """A leader line between the facing edges of two boxes that do not overlap."""
    ax = min(max((b.x + b.right) / 2, a.x), a.right)
    ay = a.bottom if b.y >= a.bottom else a.y if b.bottom <= a.y else (a.y + a.bottom) / 2
    bx = min(max(ax, b.x), b.right)
    by = b.y if b.y >= a.bottom else b.bottom if b.bottom <= a.y else (b.y + b.bottom) / 2
    if a.y < b.bottom and b.y < a.bottom:  # side by side: join the facing sides
        ax = a.right if b.x >= a.right else a.x
        bx = b.x if b.x >= a.right else b.right
    line = f'<line class="map-leader" x1="{num(ax)}" y1="{num(ay)}" x2="{num(bx)}" y2="{num(by)}"/>'
    return line, ((ax, ay), (bx, by))


def around(box: Box, width: float, height: float) -> list[tuple[float, float]]:
    """(left, top) of a label beside `box`: right, left, above, below, then farther out."""
    found = []
    for d in (6, 24, 44):
        cx, cy = box.x + box.width / 2, box.y + box.height / 2
        found += [
            (box.right + d, cy - height / 2),
            (box.x - d - width, cy - height / 2),
            (cx - width / 2, box.y - d - height),
            (cx - width / 2, box.bottom + d),
        ]
    return found


def label_states(board: Artboard, placer: Placer, project: Projection, text: MapText, frame: Box) -> None:
    """Each state's name at its centre (or just above or below), where it is free; Coahuila
    and Texas in the page's language, the others as they are written in both."""
    names = {"Coahuila": text.coahuila, "Texas": text.texas}
    links = {"Coahuila": text.links.get("coahuila"), "Durango": text.links.get("durango")}
    for name, (lon, lat) in basemap()["label_points"].items():
        label = names.get(name, name).upper()
        x, y = project(lon, lat)
        width = text_width(label, AREA)
        spots = [(x - width / 2, y + 4), (x - width / 2, y - 14), (x - width / 2, y + 22)]
        area_label(board, placer, label, "map-area", AREA, frame, spots, lambda box: True, links.get(name), False)


def label_areas(board: Artboard, placer: Placer, project: Projection, text: MapText, frame: Box) -> None:
    data = basemap()
    coahuila = max(data["mexico_states"]["Coahuila"], key=len)

    def side(in_coahuila: bool):
        def accept(box: Box) -> bool:
            corners = [(box.x, box.y), (box.right, box.y), (box.x, box.bottom), (box.right, box.bottom)]
            return all(inside_ring(*project.unproject(x, y), coahuila) == in_coahuila for x, y in corners)

        return accept

    cells = grid(frame, 24)
    area_label(board, placer, text.texas.upper(), "map-area", AREA, frame, cells, side(False))
    area_label(
        board,
        placer,
        text.coahuila.upper(),
        "map-area",
        AREA,
        frame,
        list(reversed(cells)),
        side(True),
        text.links.get("coahuila"),
    )
    # The river's name beside a point of its course, on the Texas side.
    course = [project(lon, lat) for line in data["river"] for lon, lat in line]
    course = [(x, y) for x, y in course if frame.x < x < frame.right and frame.y < y < frame.bottom]
    width = text_width(text.river, RIVER)
    spots = [(x + dx, y + dy) for x, y in course for dx, dy in ((8, -8), (-width - 8, -8), (8, 18), (-width - 8, 18))]
    area_label(
        board, placer, text.river, "map-river-label", RIVER, frame, spots, lambda box: True, text.links.get("river")
    )


def draw_scale(board: Artboard, placer: Placer, project: Projection, frame: Box) -> None:
    """A scale bar of a round number of kilometres, about a fifth of the map wide, bottom left
    (a degree of latitude is 111.32 km)."""
    per_km = project.scale / 111.32
    km = next(k for k in (200, 100, 50, 20, 10, 5, 2, 1) if k * per_km <= frame.width / 4)
    length = km * per_km
    x, y = frame.x + 10, frame.bottom - 14
    label = text_box(x, y - 6, [f"{km} km"], 12, 16)
    placer.take(Box(x, label.y, max(length, label.width), y + 4 - label.y))
    board.parts.append(f'<path class="map-scale" d="M{num(x)} {num(y - 4)}V{num(y)}H{num(x + length)}V{num(y - 4)}"/>')
    board.text(x, y - 6, [f"{km} km"], 12, 16, "map-scale-label")


def draw_inset(board: Artboard, placer: Placer, detail: Projection, text: MapText, inset: Box, ident: str) -> None:
    """A locator in the corner: the whole region, with the detail map's extent outlined."""
    project = fit(*LOCATOR, inset)
    board.parts.append(
        f'<rect class="map-inset-frame" x="{num(inset.x)}" y="{num(inset.y)}" width="{num(inset.width)}" '
        f'height="{num(inset.height)}"/>'
    )
    draw_base(board, project, f"{ident}-inset-clip", step=2.5, river=False)
    x1, y1 = project(detail.west, detail.north)
    x2, y2 = project(detail.east, detail.south)
    board.parts.append(
        f'<rect class="map-extent" x="{num(x1)}" y="{num(y1)}" width="{num(max(x2 - x1, 4))}" '
        f'height="{num(max(y2 - y1, 4))}"/>'
    )
    placer.taken = [b for b in placer.taken if not b.overlaps(inset)]  # the inset has its own labels
    placer.take(Box(x1 - 1, y1 - 1, x2 - x1 + 2, y2 - y1 + 2))
    points = basemap()["label_points"]
    for name, label in (("Texas", text.texas), ("Coahuila", text.coahuila)):
        x, y = project(*points[name])
        width = text_width(label, 12)
        spots = [(x - width / 2, y + 4), (x - width / 2, y - 10), (x - width / 2, y + 18)]
        area_label(board, placer, label, "map-inset-label", 12, inset, spots, lambda box: True, roomy=False)


def artboards(laid: list[tuple[str, Artboard]], text: MapText, title: str, ident: str) -> str:
    boards = []
    for cls, board in laid:
        name = f"{ident}-{cls[9:]}"
        boards.append(open_svg(board, cls, name, title, text.description, links=True) + "".join(board.parts) + "</svg>")
    return f'<div class="graphic place-map" id="{ident}">{"".join(boards)}</div>'


WIDTHS = (("artboard-narrow", NARROW), ("artboard-wide", WIDE))


def map_panels(points: list[MapPoint], text: MapText, ident: str = "map") -> list[tuple[str, str, list[Artboard]]]:
    """(id, title, [narrow, wide]) of each panel: the region and the detail when the places
    form a cluster among others, else one map of them all."""
    group, centre = cluster(points)
    if not group or len(group) == len(points) or not on_basemap(points):
        boards = [layout(points, text, width, f"{ident}-{cls[9:]}").board for cls, width in WIDTHS]
        return [(ident, text.title, boards)]
    details = [layout(group, text, width, f"{ident}-detail-{cls[9:]}", locator=False) for cls, width in WIDTHS]
    regions = [
        region_layout(points, d.project, text, width, f"{ident}-region-{cls[9:]}", f"{ident}-detail", centre.label)
        for (cls, width), d in zip(WIDTHS, details, strict=True)
    ]
    return [
        (f"{ident}-region", text.region_title, regions),
        (f"{ident}-detail", text.detail_title % {"place": centre.label}, [d.board for d in details]),
    ]


def map_svg(points: list[MapPoint], text: MapText, ident: str = "map") -> Markup:
    if not points:
        return Markup("")
    panels = []
    for panel, title, boards in map_panels(points, text, ident):
        laid = list(zip([cls for cls, _ in WIDTHS], boards, strict=True))
        heading = f'<p class="map-panel-title">{escape(title)}</p>' if panel != ident else ""
        panels.append(heading + artboards(laid, text, title, panel))
    return Markup("".join(panels))


def map_layouts(points: list[MapPoint], text: MapText) -> list[Artboard]:
    return [board for _, _, boards in map_panels(points, text, "t") for board in boards]
