"""Dates with the precision the sources give: day, month or year, approximate, or a range.

They parse to time-zone-free intervals of calendar days, so no build machine's clock or
time zone can shift a date by a day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

_POINT = re.compile(r"^(?P<approx>~)?(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<approx2>~)?$")

MONTHS = {
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
    "es": [
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ],
}  # fmt: skip
APPROX = {"en": "c.", "es": "hacia"}


class DateError(ValueError):
    """A date string that is not one of the accepted forms."""


@dataclass(frozen=True)
class DatePoint:
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return ("~" if self.approximate else "") + text

    def format(self, lang: str = "en") -> str:
        months = MONTHS.get(lang, MONTHS["en"])
        parts = []
        if self.day:
            parts.append(str(self.day))
        if self.month:
            parts.append(months[self.month - 1])
        parts.append(str(self.year))
        text = " de ".join(parts) if lang == "es" else " ".join(parts)
        return f"{APPROX.get(lang, 'c.')} {text}" if self.approximate else text


@dataclass(frozen=True)
class FuzzyDate:
    start: DatePoint
    end: DatePoint | None = None
    # `2011-03-18/?`: the start is known, the end is disputed. There is then no `end`,
    # and every label says so ("from 18 March 2011; end disputed").
    end_disputed: bool = False

    @property
    def earliest(self) -> dt.date:
        return self.start.earliest

    @property
    def latest(self) -> dt.date:
        return (self.end or self.start).latest

    @property
    def approximate(self) -> bool:
        return self.start.approximate or bool(self.end and self.end.approximate)

    @property
    def is_range(self) -> bool:
        return self.end is not None

    def sort_key(self) -> tuple[dt.date, dt.date]:
        return (self.earliest, self.latest)

    def iso(self) -> str:
        return self.start.iso() + (f"/{self.end.iso()}" if self.end else "/?" if self.end_disputed else "")

    def machine(self) -> str:
        """The value for an HTML `datetime` attribute (a valid date, month or year string)."""
        point = self.start
        text = f"{point.year:04d}"
        if point.month:
            text += f"-{point.month:02d}"
        if point.day:
            text += f"-{point.day:02d}"
        return text

    def format(self, lang: str = "en", gettext: Callable[[str], str] | None = None) -> str:
        """The date as readers of `lang` read it; `gettext` translates the words around
        an open end (the interface catalogue), English when not given."""
        if self.end_disputed:
            translate = gettext or (lambda message: message)
            if self.start.precision == "day":
                return translate("from %(day)s; end disputed") % {"day": self.start.format(lang)}
            return translate("from %(start)s; end disputed") % {"start": self.start.format(lang)}
        if not self.end:
            return self.start.format(lang)
        s, e = self.start, self.end
        same_precision_day = s.precision == e.precision == "day"
        if same_precision_day and (s.year, s.month) == (e.year, e.month) and not self.approximate:
            months = MONTHS.get(lang, MONTHS["en"])
            month = months[s.month - 1]
            if lang == "es":
                return f"{s.day} al {e.day} de {month} de {s.year}"
            return f"{s.day}–{e.day} {month} {s.year}"
        joiner = " a " if lang == "es" else " – "
        return s.format(lang) + joiner + e.format(lang)

    def __str__(self) -> str:
        return self.iso()


def parse_point(text: str) -> DatePoint:
    match = _POINT.match(text.strip())
    if not match:
        raise DateError(f"'{text}' is not a date like 2011-03-18, 2011-03, 2011 or ~2011-03")
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"'{text}' has no month {month}")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise DateError(f"'{text}' is not a day of {MONTHS['en'][month - 1]} {year}")
    if year < 1:
        raise DateError(f"'{text}' has no year")
    return DatePoint(year, month, day, bool(match["approx"] or match["approx2"]))


def parse_date(text: str) -> FuzzyDate:
    """Parse `2011-03-18`, `2011-03`, `2011`, `~2011-03`, `START/END` or `START/?`."""
    text = str(text).strip()
    if text.count("/") > 1:
        raise DateError(f"'{text}' has more than one '/'; a range is START/END")
    if "/" in text:
        start_text, end_text = text.split("/")
        if end_text.strip() == "?":
            return FuzzyDate(parse_point(start_text), end_disputed=True)
        start, end = parse_point(start_text), parse_point(end_text)
        if end.latest < start.earliest:
            raise DateError(f"'{text}' ends before it starts")
        return FuzzyDate(start, end)
    return FuzzyDate(parse_point(text))
