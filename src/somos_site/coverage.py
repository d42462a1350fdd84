"""The source-coverage report `check` prints: where the site's evidence is thin.

Documented pages without any citation, paragraphs without one, sources no page cites,
claims resting on a single source, contested figures, and missing translations."""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field

from somos_site.diagnostics import Diagnostic
from somos_site.resolve import Site, front_matter_sources
from somos_site.schema import Claim, Figure


@dataclass
class Coverage:
    pages: int = 0
    reality_pages: int = 0
    uncited_pages: list[str] = field(default_factory=list)
    uncited_paragraphs: dict[str, int] = field(default_factory=dict)
    sources: int = 0
    sources_never_cited: list[str] = field(default_factory=list)
    single_source_claims: list[str] = field(default_factory=list)
    contested_figures: dict[str, int] = field(default_factory=dict)
    translations_missing: dict[str, list[str]] = field(default_factory=dict)


def coverage(site: Site) -> Coverage:
    report = Coverage()
    default = site.default_lang
    for (entry_id, lang), entry in site.entries.items():
        if lang != default:
            continue
        report.pages += 1
        body = site.bodies[(entry_id, lang)]
        cited = bool(body.citations) or any(True for _ in front_matter_sources(entry.fields))
        if entry.realm == "reality":
            report.reality_pages += 1
            if not cited:
                report.uncited_pages.append(entry_id)
            if body.uncited:
                report.uncited_paragraphs[entry_id] = len(body.uncited)
        if entry.type.folder == "sources":
            report.sources += 1
            if entry.slug not in site.cited_by:
                report.sources_never_cited.append(entry_id)
        if isinstance(entry.fields, Claim) and len({k.key for k in entry.fields.sources}) == 1:
            report.single_source_claims.append(entry_id)
        if isinstance(entry.fields, Figure):
            report.contested_figures[entry_id] = len(entry.fields.values)
        for other in site.config.languages:
            if other != default and (entry_id, other) not in site.entries:
                report.translations_missing.setdefault(other, []).append(entry_id)
    return report


def as_text(report: Coverage) -> str:
    lines = [
        "Source coverage",
        f"  pages: {report.pages} ({report.reality_pages} documented)",
        f"  documented pages without any citation: {len(report.uncited_pages)}",
        *(f"    {i}" for i in report.uncited_pages),
        f"  pages with uncited paragraphs: {len(report.uncited_paragraphs)}",
        *(f"    {i}: {n}" for i, n in report.uncited_paragraphs.items()),
        f"  sources: {report.sources}, never cited: {len(report.sources_never_cited)}",
        *(f"    {i}" for i in report.sources_never_cited),
        f"  claims resting on a single source: {len(report.single_source_claims)}",
        *(f"    {i}" for i in report.single_source_claims),
        f"  contested figures: {len(report.contested_figures)}",
        *(f"    {i}: {n} values" for i, n in report.contested_figures.items()),
    ]
    for lang, missing in report.translations_missing.items():
        lines.append(f"  pages without a '{lang}' translation: {len(missing)}")
    return "\n".join(lines)


def as_json(report: Coverage, diagnostics: list[Diagnostic]) -> str:
    found = [
        {
            "severity": d.severity,
            "code": d.code,
            "message": d.message,
            "path": d.span.path if d.span else None,
            "line": d.span.line if d.span else None,
            "column": d.span.col if d.span else None,
            "hint": d.hint,
        }
        for d in diagnostics
    ]
    return json.dumps({"diagnostics": found, "coverage": asdict(report)}, ensure_ascii=False, indent=2, sort_keys=True)


def as_html(report: Coverage, diagnostics: list[Diagnostic]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(d.severity)}</td><td>{html.escape(d.code)}</td>"
        f"<td>{html.escape(d.span.path if d.span else '')}:{d.span.line if d.span else ''}</td>"
        f"<td>{html.escape(d.message)}</td></tr>"
        for d in diagnostics
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Source coverage report</title>'
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}"
        "td,th{border-bottom:1px solid #ccc;padding:.2rem .5rem;text-align:left}</style></head><body>"
        f"<h1>Source coverage report</h1><pre>{html.escape(as_text(report))}</pre>"
        f"<h2>Diagnostics ({len(diagnostics)})</h2><table><tr><th>Severity</th><th>Code</th><th>Where</th>"
        f"<th>Message</th></tr>{rows}</table></body></html>\n"
    )
