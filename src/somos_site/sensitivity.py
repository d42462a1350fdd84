"""Sensitivity rules as data: who may be named, and how.

A person record flagged `private` and `victim` (or `minor`) is a *protected* record: it
exists so the build knows the name, and is never published. Its page is not rendered,
a reference to it is refused, and its name or alias anywhere in the content or the
rendered output (pages, feeds, JSON-LD, the text the search index is built from) is an
error (`name-protected`). A person flagged `implicated` (named in connection with a
crime) must carry a `legal_status`, which the page shows (`legal-status-missing`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from somos_site.diagnostics import Diagnostic, Span, error
from somos_site.model import Entry, SourceFile
from somos_site.schema import Person

# Output files whose text readers or machines read (the search index is built from the HTML).
SCANNED_OUTPUTS = (".html", ".xml", ".json", ".txt", ".csv", ".bib")


def is_protected(entry: Entry) -> bool:
    fields = entry.fields
    if not isinstance(fields, Person):
        return False
    flags = set(fields.flags)
    return "private" in flags and bool(flags & {"victim", "minor"})


def fold(text: str) -> str:
    """Lower case without accents, one character for each character of `text`, so that
    an offset in the folded text is an offset in the original ('José' finds 'Jose')."""
    out = []
    for char in text:
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        out.append((base.lower() or char)[:1])
    return "".join(out)


# Every Latin letter with its accented forms, so that a name is found in raw text by a
# regular expression (at C speed) before any line is folded to locate it.
VARIANTS: dict[str, str] = {}
for code in range(0xC0, 0x250):
    letter = chr(code).lower()
    base = fold(letter)
    if base.isascii() and base.isalpha() and letter != base:
        VARIANTS[base] = VARIANTS.get(base, base) + letter


def raw_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Finds any of `names` in lower-cased raw text, accented or not."""

    def letters(name: str) -> str:
        return "".join(f"[{VARIANTS[c]}]" if c in VARIANTS else re.escape(c) for c in fold(name))

    return re.compile("|".join(letters(n) for n in sorted(names, key=len, reverse=True)))


def names_of(entry: Entry) -> list[str]:
    names = [entry.fields.title, *entry.fields.aliases]
    return [n for n in dict.fromkeys(n.strip() for n in names) if len(n) >= 3]


def name_pattern(names: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(fold(n)) for n in names), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def protected_reference(target: str, span: Span) -> Diagnostic:
    return error(
        "name-protected",
        f"'{target}' is a protected person (private, and a victim or a minor): the site never links to or names them",
        span,
        "remove the reference; describe the person without a name, as the sources' sensitivity notes ask",
    )


def check_names(
    protected: Iterable[Entry], files: Iterable[SourceFile], outputs: Mapping[str, bytes], out_name: str
) -> list[Diagnostic]:
    """Every place a protected name appears: in content files first (where the editor
    fixes it), then in the output for what no content file explains (templates, config)."""
    protected = list(protected)
    if not protected:
        return []
    own_files = {e.file.display for e in protected}
    diagnostics: list[Diagnostic] = []
    found_in_content: set[str] = set()
    for entry in protected:
        pattern, raw = name_pattern(names_of(entry)), raw_pattern(names_of(entry))
        for file in files:
            if file.display in own_files or not raw.search(file.text.lower()):
                continue
            for number, line in enumerate(file.text.split("\n"), start=1):
                for match in pattern.finditer(fold(line)):
                    found_in_content.add(entry.id)
                    diagnostics.append(named(entry, Span(file.display, number, match.start() + 1, len(match.group()))))
    for entry in protected:
        if entry.id in found_in_content:
            continue  # the output repeats what is already reported at its source
        pattern, raw = name_pattern(names_of(entry)), raw_pattern(names_of(entry))
        for path, data in sorted(outputs.items()):
            if not path.endswith(SCANNED_OUTPUTS):
                continue
            text = data.decode("utf-8", errors="replace")
            if not raw.search(text.lower()):
                continue
            for number, line in enumerate(text.split("\n"), start=1):
                match = pattern.search(fold(line))
                if match:
                    diagnostics.append(named(entry, Span(f"{out_name}/{path}", number, match.start() + 1)))
                    break
    return diagnostics


def named(entry: Entry, span: Span) -> Diagnostic:
    return error(
        "name-protected",
        f"this names a protected person ({entry.id}: private, and a victim or a minor)",
        span,
        "remove the name; the site never names private victims or minors",
    )


def check_people(entries: Iterable[Entry]) -> list[Diagnostic]:
    diagnostics = []
    for entry in entries:
        fields = entry.fields
        if isinstance(fields, Person) and "implicated" in fields.flags and fields.legal_status is None:
            diagnostics.append(
                error(
                    "legal-status-missing",
                    "this person is flagged 'implicated' (named in connection with a crime) but has no legal status",
                    entry.span("flags"),
                    "add 'legal_status:' (accused, charged, convicted, acquitted, released, "
                    "or not-on-record when the sources give none)",
                )
            )
    return diagnostics
