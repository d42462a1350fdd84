"""Open data and citation: the figures, the timeline, the claims with their verdicts and
the source list as CSV and JSON per language (with the data licence), and a citation of
each page (plain text, BibTeX, CSL-JSON) with its permanent URL and its last change.

Every date here comes from the content (an entry's `updated` or its corrections, else
the site's `published` date), never from the clock, so builds stay byte-identical."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from somos_site.dates import FuzzyDate
from somos_site.discovery import last_change
from somos_site.text import plain

if TYPE_CHECKING:
    from somos_site.model import Entry
    from somos_site.routing import Router

DATASETS = ("figures", "timeline", "claims", "sources")
# The page each dataset is linked from: a type listing or a generated view.
LINKED_FROM = {"figures": "figures", "timeline": "timeline", "claims": "claims", "sources": "sources"}


def data_path(name: str, fmt: str, lang: str, default: str) -> str:
    prefix = "" if lang == default else f"{lang}/"
    return f"{prefix}data/{name}.{fmt}"


def iso(date: FuzzyDate | None) -> str:
    return date.iso() if date else ""


def cited_keys(r: Router, entry: Entry) -> str:
    body = r.site.bodies[(entry.id, entry.lang)]
    return ";".join(dict.fromkeys(k.key for c in body.citations for k in c.keys))


def records(r: Router, name: str, lang: str) -> list[dict[str, Any]]:
    """The rows of one data set, made once per build (a `Router` is one build's): every
    listing page asks which data sets exist (`available`), and the data files are written
    from the same rows."""
    made = r.__dict__.setdefault("_opendata_records", {})
    if (name, lang) not in made:
        made[(name, lang)] = make_records(r, name, lang)
    return made[(name, lang)]


def make_records(r: Router, name: str, lang: str) -> list[dict[str, Any]]:

    def url(entry: Entry) -> str:
        return r.absolute(r.url_for(entry, lang))

    if name == "figures":
        return [
            {
                "figure": figure.id,
                "figure_title": plain(figure.title),
                "unit": figure.fields.unit,
                "value": value.value,
                "label": plain(value.label),
                "given_by": plain(value.given_by),
                "given_by_id": value.given_by_ref.target if value.given_by_ref else "",
                "date": iso(value.date),
                "sources": ";".join(k.key for k in value.sources),
                "note": plain(value.note or ""),
                "url": url(figure),
            }
            for figure in r.entries_of("figures", lang)
            for value in figure.fields.values
        ]
    if name == "timeline":
        return [
            {
                "event": event.id,
                "title": plain(event.title),
                "date": iso(event.fields.date),
                "start": event.fields.date.earliest.isoformat() if event.fields.date.earliest else "",
                "approximate": event.fields.date.approximate,
                "date_note": plain(event.fields.date_note or ""),
                "places": ";".join(p.target for p in event.fields.places),
                "participants": ";".join(p.target for p in event.fields.participants),
                "sources": cited_keys(r, event),
                "url": url(event),
            }
            for event in r.entries_of("events", lang)
        ]
    if name == "claims":
        return [
            {
                "claim": claim.id,
                "question": plain(claim.title),
                "verdict": claim.fields.verdict or "",
                "answer": plain(claim.fields.answer),
                "depicted_in": ";".join(e.target for e in claim.fields.depicted_in),
                "sources": ";".join(k.key for k in claim.fields.sources),
                "url": url(claim),
            }
            for claim in r.entries_of("claims", lang)
        ]
    return [
        {
            "source": source.slug,
            "title": plain(source.title),
            "publisher": source.fields.publisher,
            "author": source.fields.author or "",
            "date": iso(source.fields.date),
            "kind": source.fields.kind,
            "reliability": source.fields.reliability,
            "language": ";".join(source.fields.language),
            "link": source.fields.url,
            "archive": source.fields.archive.url if source.fields.archive else "",
            "archive_date": iso(source.fields.archive.date) if source.fields.archive else "",
            "cited_by": len(r.site.cited_by.get(source.slug, ())),
            "url": url(source),
        }
        for source in r.entries_of("sources", lang)
    ]


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    if not rows:
        return b""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    return out.getvalue().encode("utf-8")


def as_json(r: Router, name: str, lang: str, rows: list[dict[str, Any]]) -> bytes:
    licence = r.site.config.data_licence
    data = {
        "dataset": name,
        "language": lang,
        "site": plain(r.site.config.in_language(lang).title),
        "url": r.base_url,
        "licence": {"name": licence.name, "url": licence.url} if licence else None,
        "records": rows,
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    # Safe to embed or to open in a browser: no raw angle brackets or ampersands.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (text + "\n").encode("utf-8")


# The entries each dataset has a record of (figures: one per value).
RECORDS_OF = {"figures": "figures", "timeline": "events", "claims": "claims", "sources": "sources"}


def available(r: Router, lang: str) -> list[str]:
    """The datasets with records in `lang`, known without making them (pages ask often)."""
    return [name for name in DATASETS if has_records(r, name, lang)]


def has_records(r: Router, name: str, lang: str) -> bool:
    entries = r.entries_of(RECORDS_OF[name], lang)
    return any(e.fields.values for e in entries) if name == "figures" else bool(entries)


def data_files(r: Router) -> dict[str, bytes]:
    outputs = {}
    for lang in r.languages_present():
        for name in DATASETS:
            rows = records(r, name, lang)
            if not rows:
                continue
            outputs[data_path(name, "csv", lang, r.default)] = as_csv(rows)
            outputs[data_path(name, "json", lang, r.default)] = as_json(r, name, lang, rows)
    return outputs


def check_open_data(site, strict: bool, config_path: str = "content/site.yaml") -> list:
    """Downloadable data needs a stated licence (reported under --strict); a report-an-error
    route that names an entry must name one that exists."""
    from somos_site.diagnostics import Span, error, warning

    found = []
    config = site.config
    has_data = any(e.type.folder in ("figures", "events", "claims", "sources") for e in site.entries.values())
    if strict and has_data and config.data_licence is None:
        found.append(
            warning(
                "data-licence-missing",
                "the site publishes data files (CSV, JSON) but site.yaml states no licence for them",
                Span(config_path, 1, 1),
                "add 'data_licence: {name: CC BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}'",
            )
        )
    target = config.report_error
    is_entry = bool(target) and not target.startswith(("mailto:", "http://", "https://"))
    if is_entry and site.get(target.partition("#")[0]) is None:
        found.append(
            error(
                "config-invalid",
                f"report_error names '{target}', which is not an entry",
                Span(config_path, 1, 1),
                "give a mailto: or https: URL, or the id of a page such as pages/corrections",
            )
        )
    return found


# -- citing a page -------------------------------------------------------------------


def citation(r: Router, entry: Entry, lang: str) -> dict[str, str]:
    """The page as plain text, BibTeX and CSL-JSON, with its permanent URL and last change."""
    site = plain(r.site.config.in_language(lang).title)
    title = plain(entry.title)
    url = r.absolute(r.url_for(entry, lang))
    changed = last_change(r, entry)
    day = changed.earliest if changed else None
    when = changed.format(lang) if changed else ""
    key = entry.id.replace("/", "-")
    bib_title = title.replace("{", "").replace("}", "")
    bibtex = "\n".join(
        line
        for line in (
            f"@misc{{{key},",
            f"  title = {{{bib_title}}},",
            f"  organization = {{{site}}},",
            f"  howpublished = {{\\url{{{url}}}}},",
            f"  year = {{{day.year}}}," if day else "",
            f"  month = {{{day.month}}}," if day else "",
            f"  note = {{Last updated {day.isoformat()}}}," if day else "",
            f"  language = {{{entry.lang}}}",
            "}",
        )
        if line
    )
    csl = {
        "id": key,
        "type": "webpage",
        "title": title,
        "container-title": site,
        "URL": url,
        "language": entry.lang,
    }
    if day:
        csl["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    updated = r.gettext(lang)("Last updated:")
    plain_text = f"{site}. “{title}”. {url}." + (f" {updated} {when}." if when else "")
    return {"plain": plain_text, "bibtex": bibtex, "csl": json.dumps(csl, ensure_ascii=False, indent=1)}
