"""The graphics as shipped: the timeline, the map and every figure chart, in both
languages, read back from the built pages. Every text element's box is computed with the
same font metrics the layout used; none may overlap another, leave its artboard, be cut
short, or be smaller than 12 px where the artboard is shown."""

from __future__ import annotations

import json
import re
from html import unescape
from importlib import resources

import pytest
from helpers import REPO
from hypothesis import given
from hypothesis import strategies as st

from somos_site.diagnostics import format_diagnostic
from somos_site.pipeline import Options, run
from somos_site.visuals.chart import ChartText, ChartValue, chart_layouts, groups, nice_ticks
from somos_site.visuals.mapping import MapPoint, MapText, map_layouts, map_panels
from somos_site.visuals.svg import NARROW, WIDE
from somos_site.visuals.text import Box, text_box, text_width, wrap

# The narrowest width each artboard is shown at: a 390 px phone's column (390 - 2 x 16)
# for the narrow one; the wide one appears from 46rem, where the column is 704 px.
SHOWN_AT = {"artboard-narrow": 358, "artboard-wide": 704}
MIN_PX = 12

SVG = re.compile(r'<svg class="artboard (artboard-\w+)" viewBox="0 0 ([\d.]+) ([\d.]+)".*?</svg>', re.S)
TEXT = re.compile(r"<text ([^>]*)>(.*?)</text>", re.S)
SPAN = re.compile(r"<tspan(?: x=\"[\d.-]+\" dy=\"([\d.-]+)\")?>(.*?)</tspan>", re.S)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    built = run(Options.for_project(REPO, strict=True), write_output=False)
    assert built.ok, "\n".join(format_diagnostic(d) for d in built.diagnostics[:20])
    return {path: data.decode("utf-8") for path, data in built.outputs.items() if path.endswith(".html")}


def graphic_pages(pages: dict[str, str]) -> list[str]:
    return sorted(p for p, html in pages.items() if 'class="artboard ' in html)


def attribute(attrs: str, name: str, default: str = "") -> str:
    found = re.search(rf'{name}="([^"]*)"', attrs)
    return found.group(1) if found else default


def text_boxes(svg: str) -> list[tuple[Box, str, float]]:
    """(box, text, font size) of every <text> in an artboard, as the layout measured it."""
    found = []
    for attrs, inner in TEXT.findall(svg):
        size = float(attribute(attrs, "font-size", "0"))
        bold = attribute(attrs, "font-weight") == "700"
        x, y = float(attribute(attrs, "x")), float(attribute(attrs, "y"))
        spans = SPAN.findall(inner) or [("", inner)]
        lines = [unescape(t) for _, t in spans]
        leading = float(spans[1][0]) if len(spans) > 1 else size
        box = text_box(x, y, lines, size, leading, attribute(attrs, "text-anchor", "start"), bold)
        found.append((box, " ".join(lines), size))
    return found


def artboards(html: str):
    for match in SVG.finditer(html):
        yield match.group(1), float(match.group(2)), float(match.group(3)), match.group(0)


def test_the_graphics_are_on_their_pages(pages):
    shown = graphic_pages(pages)
    for expected in ("timeline/index.html", "map/index.html", "es/timeline/index.html", "es/map/index.html"):
        assert expected in shown
    figures = [p for p in shown if p.startswith(("figures/", "es/figures/"))]
    assert len(figures) == 8  # four figures, in two languages
    for path in shown:
        # A narrow and a wide artboard; the map has two panels, the region and the detail.
        panels = 2 if path.endswith("map/index.html") else 1
        assert pages[path].count('class="artboard artboard-narrow"') == panels, path
        assert pages[path].count('class="artboard artboard-wide"') == panels, path
        assert "visuals.css" in pages[path]
    # Pages without a graphic do not load its stylesheet.
    assert "visuals.css" not in pages["index.html"]


def test_no_label_overlaps_another_leaves_its_artboard_or_is_cut(pages):
    problems = []
    for path in graphic_pages(pages):
        for name, width, height, svg in artboards(pages[path]):
            boxes = text_boxes(svg)
            assert boxes, (path, name)
            for i, (a, text_a, _) in enumerate(boxes):
                if not a.inside(width, height):
                    problems.append(f"{path} {name}: '{text_a}' leaves the artboard ({a})")
                if "…" in text_a:
                    problems.append(f"{path} {name}: '{text_a}' is cut short")
                problems += [
                    f"{path} {name}: '{text_a}' overlaps '{text_b}'" for b, text_b, _ in boxes[i + 1 :] if a.overlaps(b)
                ]
    assert problems == []


def test_text_is_at_least_12_px_where_each_artboard_is_shown(pages):
    for path in graphic_pages(pages):
        for name, width, _, svg in artboards(pages[path]):
            scale = min(1.0, SHOWN_AT[name] / width) if name == "artboard-wide" else SHOWN_AT[name] / width
            smallest = min(size for _, _, size in text_boxes(svg))
            assert smallest * scale >= MIN_PX, (path, name, smallest * scale)


def test_every_figure_value_is_drawn_in_its_group_with_its_giver(pages):
    html = pages["figures/death-toll/index.html"]
    narrow = next(svg for name, _, _, svg in artboards(html) if name == "artboard-narrow")
    texts = [t for _, t, _ in text_boxes(narrow)]
    for group in ("People kidnapped", "People disappeared or missing", "Estimates of the whole toll"):
        assert group in texts
    # Estimates come after the counts, and each kind of value has its own mark.
    assert texts.index("Estimates of the whole toll") > texts.index("People kidnapped")
    for mark in ("bar-solid", "bar-arrow", "bar-hatch", "bar-open"):
        assert f'class="{mark}"' in narrow
    assert any(t.startswith("Homero Ramos Gloria") for t in texts)
    assert "No number given" in texts  # "dozens, possibly hundreds" has no bar
    # The axis is labelled with the unit and runs from 0 past the largest value.
    assert "people" in texts and "0" in texts and "300" in texts


def located_places(lang: str = "en") -> dict[str, str]:
    """Title of every shipped place page with a coordinate, by slug."""
    found = {}
    for path in (REPO / "content" / "places").glob("*.md" if lang == "en" else f"*.{lang}.md"):
        if lang == "en" and path.name.count(".") > 1:
            continue
        text = path.read_text("utf-8")
        if re.search(r"^coordinates:", text, re.M):
            found[path.name.split(".")[0]] = unescape(re.search(r'^title: "(.*)"$', text, re.M).group(1))
    return found


def test_the_map_draws_the_base_map_and_lists_places_without_coordinates(pages):
    html = pages["map/index.html"]
    for layer in ("map-land", "map-focus", "map-border", "map-river", "map-state-line"):
        assert f'class="{layer}"' in html
    located = located_places()
    assert len(located) >= 13  # the fact sheet's three and the gazetteer's ten
    region, detail = html.split('id="map-detail"')
    region = region.split('id="map-region"')[1]
    detail = detail.split("</figure>")[0]
    for panel in (region, detail):
        assert panel.count('class="artboard ') == 2
    # Every located place is named on one of the two panels, in each artboard, and links to
    # its page; the towns around Allende are in the detail, the far ones on the region.
    for slug, title in located.items():
        in_region, in_detail = region.count(f">{title}</text>"), detail.count(f">{title}</text>")
        assert (in_region, in_detail) in ((2, 0), (0, 2)), (title, in_region, in_detail)
        assert f'href="/places/{slug}/"' in region + detail
    for title in ("Allende", "Piedras Negras", "Eagle Pass", "Villa Unión"):
        assert f">{title}</text>" in detail
    for title in ("Saltillo", "Torreón", "Dallas", "Canatlán", "Nombre de Dios"):
        assert f">{title}</text>" in region
    assert 'class="map-extent"' in region and 'href="#map-detail"' in region
    not_drawn = html.split('id="not-located"')[1]
    assert "Garza" in not_drawn and "no sourced coordinate is recorded" in not_drawn
    assert '<li><a href="/places/allende/">' not in not_drawn  # it has a coordinate
    es = pages["es/map/index.html"]
    for title in located_places("es").values():
        assert f">{title}</text>" in es


def test_gazetteer_coordinates_cite_their_geonames_record(pages):
    """A coordinate from GeoNames is stated in the place's text with its record cited, and
    the record's source page links the GeoNames page of that id."""
    for slug in located_places():
        page = (REPO / "content" / "places" / f"{slug}.md").read_text("utf-8")
        record = REPO / "content" / "sources" / f"geonames-{slug}.md"
        if not record.exists():
            continue  # a coordinate from the fact sheet, cited in the text as it was
        lat, lon = re.search(r"^coordinates: \{lat: (-?[\d.]+), lon: (-?[\d.]+)\}$", page, re.M).groups()
        assert f"{lat}, {lon}" in page and f"[@geonames-{slug}]" in page
        ident = re.search(r'^url: "https://www.geonames.org/(\d+)"$', record.read_text("utf-8"), re.M).group(1)
        assert f"https://www.geonames.org/{ident}" in pages[f"sources/geonames-{slug}/index.html"]


def test_the_timeline_links_each_episode_to_the_events_it_depicts(pages):
    html = pages["timeline/index.html"]
    narrow = next(svg for name, _, _, svg in artboards(html) if name == "artboard-narrow")
    # One line per (episode, event it depicts), as the episodes' front matter lists them.
    depicts = [
        re.search(r"^depicts: \[(.*)\]$", path.read_text("utf-8"), re.M).group(1).split(",")
        for path in (REPO / "content" / "episodes").glob("[0-9].md")
    ]
    assert narrow.count('class="tl-chip"') == len(depicts) == 6
    assert narrow.count('class="tl-link"') == sum(len(d) for d in depicts)
    # Dates known to the day are dots; the others (months, years, ranges) are bars.
    assert 'class="tl-dot"' in narrow and 'class="tl-range"' in narrow
    assert 'class="tl-range tl-approximate"' in narrow  # "c. 2011"


def test_the_base_map_is_small_and_natural_earth():
    data = json.loads((resources.files("somos_site") / "data" / "basemap-coahuila.json").read_text("utf-8"))
    assert "Natural Earth" in data["about"]
    size = len(json.dumps(data))
    assert size < 100_000
    for layer in ("land", "border", "river", "state_lines", "coastline"):
        assert data[layer], layer
    assert "Coahuila" in data["mexico_states"]


# -- the layout functions on their own ------------------------------------------------------


@given(
    st.lists(st.text(alphabet="abcdefghij ÁéñXYZ–", min_size=1, max_size=30), min_size=1, max_size=12),
    st.integers(min_value=40, max_value=400),
)
def test_wrapping_keeps_every_word_and_fits_the_width(words, width):
    text = " ".join(w.strip() or "x" for w in words)
    lines = wrap(text, width, 14)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(text_width(line, 14) <= width for line in lines)


def test_nice_ticks_cover_the_largest_value():
    assert nice_ticks(300, 4) == [0, 100, 200, 300]
    assert nice_ticks(1500, 4)[-1] >= 1500
    assert nice_ticks(29, 6)[-1] >= 29


def test_groups_put_counts_before_estimates():
    values = [
        ChartValue(300, "up to 300", "A", "2019", "Estimates", "up-to"),
        ChartValue(28, "28 kidnapped", "B", "2014", "Kidnapped", "count"),
        ChartValue(None, "dozens", "C", "2017", "Estimates"),
    ]
    assert [name for name, _ in groups(values)] == ["Kidnapped", "Estimates"]


def test_a_crowded_map_still_places_every_label_without_overlap():
    # Six towns a few kilometres apart (made-up points inside the base map).
    points = [MapPoint(f"Town number {i}", f"/t{i}", 28.50 + 0.01 * i, -100.60 + 0.012 * i) for i in range(6)]
    text = MapText("t", "d", "Coahuila", "Texas", "Rio Grande", {})
    for board in map_layouts(points, text):
        assert board.overlapping() == []
        assert board.outside() == []
        assert all(f"Town number {i}" in [t for _, t in board.labels] for i in range(6))


def test_long_chart_labels_wrap_instead_of_being_cut():
    label = "a very long label " * 12
    values = [ChartValue(10, label.strip(), "Someone with a long name " * 4, "2020", "Group")]
    text = ChartText("t", "d", "people", {"count": "Count"}, "none", "%(who)s, %(when)s")
    for board in chart_layouts(values, text):
        assert board.overlapping() == [] and board.outside() == []
        assert board.width in (NARROW, WIDE)
        shown = " ".join(t for _, t in board.labels)
        assert label.strip() in shown


def test_places_outside_the_base_map_are_drawn_without_it():
    points = [MapPoint("Lisbon", "/l", 38.72, -9.14), MapPoint("Porto", "/p", 41.15, -8.61)]
    text = MapText("t", "d", "Coahuila", "Texas", "Rio Grande", {})
    for board in map_layouts(points, text):
        markup = "".join(board.parts)
        assert "map-land" not in markup and "map-river" not in markup
        assert markup.count('class="map-dot"') == 2
        assert board.overlapping() == [] and board.outside() == []


def test_a_cluster_among_far_places_gets_a_detail_panel_and_the_region_outlines_it():
    # Made-up points: four towns close together, three far away, two of them twins a
    # couple of kilometres apart (they share one dot on the region, one name a line).
    near = [MapPoint(f"Near {i}", f"/n{i}", 28.30 + 0.1 * i, -100.80 + 0.1 * i) for i in range(4)]
    far = [
        MapPoint("Far north", "/f1", 31.5, -98.0),
        MapPoint("Twin one", "/t1", 25.55, -103.42),
        MapPoint("Twin two", "/t2", 25.57, -103.50),
    ]
    text = MapText("t", "d", "Coahuila", "Texas", "Rio Grande", {})
    panels = map_panels(near + far, text)
    assert [title for _, title, _ in panels] == ["1. The region", "2. Around Near 0, in detail"]
    (_, _, regions), (_, _, details) = panels
    for board in regions + details:
        assert board.overlapping() == [] and board.outside() == []
    for board in regions:
        names = [t for _, t in board.labels]
        assert {"Far north", "Twin one", "Twin two", "Near 0 area: map 2"} <= set(names)
        assert not {f"Near {i}" for i in range(4)} & set(names)  # the cluster is in the detail
        markup = "".join(board.parts)
        assert markup.count('class="map-dot"') == 2  # the twins share a dot
        assert 'class="map-extent"' in markup and 'href="#map-detail"' in markup
    for board in details:
        assert sorted(t for _, t in board.labels if t.startswith("Near ")) == [f"Near {i}" for i in range(4)]
        assert "".join(board.parts).count('class="map-dot"') == 4
