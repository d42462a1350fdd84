"""The newsroom checks, gathered for the check stage: sensitivity (protected names, legal
status), the fiction-versus-reality model, corrections, editorial review states and
archived sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from somos_site import archives, corrections, fiction, opendata, quotes, review, sensitivity
from somos_site.diagnostics import Diagnostic
from somos_site.model import SourceFile, ValidatedContent
from somos_site.resolve import Site


def check_editorial(
    site: Site,
    content: ValidatedContent,
    files: Iterable[SourceFile],
    outputs: Mapping[str, bytes],
    out_name: str,
    strict: bool = False,
    config_path: str = "content/site.yaml",
) -> list[Diagnostic]:
    entries = [entry for _, entry in sorted(site.entries.items())]
    found = sensitivity.check_people(entries)
    found += sensitivity.check_names(content.protected, files, outputs, out_name)
    found += fiction.check_fiction(site)
    found += corrections.check_corrections(entries)
    found += review.check_reviews(entries, site.config)
    found += archives.check_archives(entries, strict)
    found += quotes.check_quotes(site)
    found += opendata.check_open_data(site, strict, config_path)
    return found
