"""The newsroom checks, gathered for the check stage: sensitivity (protected names, legal
status), the fiction-versus-reality model, corrections, editorial review states and
archived sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from somos_site import archives, corrections, fiction, opendata, quotes, review, sensitivity
from somos_site.diagnostics import Diagnostic
from somos_site.incremental import MISSING, Memo, memo
from somos_site.model import Entry, SourceFile, ValidatedContent
from somos_site.resolve import Site
from somos_site.schema import SiteConfig


def check_editorial(
    site: Site,
    content: ValidatedContent,
    files: Iterable[SourceFile],
    outputs: Mapping[str, bytes],
    out_name: str,
    strict: bool = False,
    config_path: str = "content/site.yaml",
    memos: dict[str, Memo] | None = None,
) -> list[Diagnostic]:
    """`memos`: the last build's results (see `incremental`); the checks of one entry
    alone are reused for an entry that is the same object."""
    entries = [entry for _, entry in sorted(site.entries.items())]
    found = sensitivity.check_names(content.protected, files, outputs, out_name)
    found += fiction.check_fiction(site)
    per_entry = memo(memos, "newsroom")
    per_entry.start((site.config, strict))
    for entry in entries:
        key = (entry.id, entry.lang)
        checked = per_entry.get(key, (entry,))
        if checked is MISSING:
            checked = per_entry.put(key, (entry,), entry_checks(entry, site.config, strict))
        found += checked
    per_entry.keep((e.id, e.lang) for e in entries)
    found += quotes.check_quotes(site, memo(memos, "quotes"), memo(memos, "quote-titles"))
    found += opendata.check_open_data(site, strict, config_path)
    return found


def entry_checks(entry: Entry, config: SiteConfig, strict: bool) -> list[Diagnostic]:
    """The newsroom checks that read one entry alone."""
    one = [entry]
    return [
        *sensitivity.check_people(one),
        *corrections.check_corrections(one),
        *review.check_reviews(one, config),
        *archives.check_archives(one, strict),
    ]
