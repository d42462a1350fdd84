"""Archived sources: an online source carries an archived copy (URL and date), or says
why it has none. Links rot and pages change; a companion site about contested facts
keeps a copy of what it read, or says openly that it has none."""

from __future__ import annotations

from collections.abc import Iterable

from somos_site.diagnostics import Diagnostic, Span, error, warning
from somos_site.model import Entry
from somos_site.schema import Source


def check_archives(entries: Iterable[Entry], strict: bool) -> list[Diagnostic]:
    """A source that both gives and denies an archive is always an error; a source with
    neither is reported under --strict (the publication standard), as the warning it is."""
    diagnostics = []
    for entry in entries:
        fields = entry.fields
        if not isinstance(fields, Source):
            continue
        if fields.archive is not None and fields.no_archive:
            diagnostics.append(
                error(
                    "archive-missing",
                    "the source gives an archived copy and also says it has none",
                    entry.span("no_archive"),
                    "keep 'archive:' and remove 'no_archive:', or the other way round",
                )
            )
        elif strict and fields.archive is None and not fields.no_archive:
            diagnostics.append(
                warning(
                    "archive-missing",
                    f"the online source '{entry.slug}' has no archived copy",
                    entry.span("url") if "url" in entry.positions else Span(entry.file.display, 1, 1, 3),
                    "add 'archive: {url: https://web.archive.org/..., date: YYYY-MM-DD}', or "
                    "'no_archive: why there is none'",
                )
            )
    return diagnostics
