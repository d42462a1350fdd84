"""The corrections log: structured corrections (date, what the page said, what it says
now, why) gathered from every entry, for the corrections page, the notice on each
corrected page, the corrections feed and the pages' JSON-LD."""

from __future__ import annotations

import re
from dataclasses import dataclass

from somos_site.diagnostics import Diagnostic, warning
from somos_site.model import Entry
from somos_site.schema import Correction


@dataclass(frozen=True)
class LoggedCorrection:
    entry: Entry
    correction: Correction
    key: str  # unique on the page: the date, and its ordinal among that date's corrections

    @property
    def anchor(self) -> str:
        return f"correction-{self.key.replace('/', '-')}"


def logged(entry: Entry) -> list[LoggedCorrection]:
    """The entry's corrections, each with a key that stays unique when one page has
    several corrections on one date (`2026-12-04/1`, `2026-12-04/2`)."""
    counts: dict[str, int] = {}
    found = []
    for correction in entry.fields.corrections:
        day = correction.date.iso()
        counts[day] = counts.get(day, 0) + 1
        found.append(LoggedCorrection(entry, correction, f"{day}/{counts[day]}"))
    return found


def first_per_date(items: list[LoggedCorrection]) -> list[LoggedCorrection]:
    """One item per date (the first of that date), for a page's "Corrected:" notice."""
    seen: set[str] = set()
    return [i for i in items if not (i.correction.date.iso() in seen or seen.add(i.correction.date.iso()))]


def log(entries: list[Entry]) -> list[LoggedCorrection]:
    """Every correction of these entries, newest first (then by page and order)."""
    items = [item for entry in entries for item in logged(entry)]
    items.sort(key=lambda i: (i.entry.id, i.key))
    items.sort(key=lambda i: i.correction.date.sort_key(), reverse=True)
    return items


def json_ld(entry: Entry, plain) -> list[dict]:
    """Schema.org `correction` values (CorrectionComment) for a page's JSON-LD."""
    return [
        {
            "@type": "CorrectionComment",
            "datePublished": item.correction.date.iso().lstrip("~"),
            "text": f"{plain(item.correction.right)} ({plain(item.correction.why)})",
        }
        for item in logged(entry)
    ]


def normalise(text: str) -> str:
    """Text as a reader sees it, for comparison: no citations, spacing or final stop."""
    text = re.sub(r"\s*\[@[^\]]*\]", "", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(".").casefold()


def check_corrections(entries: list[Entry]) -> list[Diagnostic]:
    """A correction whose `wrong` wording is still in the page's text was not applied."""
    diagnostics = []
    for entry in entries:
        text = normalise(entry.file.body)
        for index, correction in enumerate(entry.fields.corrections):
            wrong = normalise(correction.wrong)
            if len(wrong) >= 12 and wrong in text:
                diagnostics.append(
                    warning(
                        "correction-not-applied",
                        "the page still says what this correction calls wrong",
                        entry.span(f"corrections[{index}].wrong"),
                        "apply the correction to the text, or reword 'wrong:' to quote what the page used to say",
                    )
                )
    return diagnostics
