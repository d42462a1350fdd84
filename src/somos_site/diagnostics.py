"""Diagnostics: what went wrong, where, and how to fix it.

Every stage returns its findings as `Diagnostic` values; only the CLI prints them.
The text format follows the GNU convention so editors and CI annotate the right line.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]

# Stable codes with a one-line meaning; docs/diagnostics.md shows an example of each.
CODES: dict[str, str] = {
    "encoding": "a content file is not valid UTF-8",
    "front-matter-missing": "a content file does not start with a `---` front-matter block",
    "yaml-syntax": "the front matter (or site.yaml) is not valid YAML",
    "field-unknown": "a front-matter field the type does not declare",
    "field-duplicate": "the same field appears twice in one mapping",
    "field-required": "a required field is missing or empty",
    "field-type": "a field has the wrong kind of value",
    "placeholder": "a `TODO` placeholder written by `new` is still there",
    "value-not-allowed": "a value outside the field's allowed values",
    "date-invalid": "a date that is not one of the accepted forms, or not a real date",
    "type-unknown": "a content file in a folder that is not a content type",
    "slug-invalid": "a file name that is not a clean slug",
    "language-unknown": "a translation suffix for a language site.yaml does not declare",
    "symlink-outside": "a content file is a symlink leading outside the content folder",
    "id-duplicate": "two files give the same id (also when they differ only by case)",
    "url-collision": "two pages would be written to the same URL",
    "ref-missing": "a reference to an entry that does not exist",
    "ref-wrong-type": "a reference to an entry of a type the field does not accept",
    "anchor-missing": "a reference to a heading the target page does not have",
    "citation-missing": "a citation of a source id that has no record in sources/",
    "image-alt-missing": "an image without alt text (or `decorative: true`)",
    "image-credit-missing": "an image without a credit or a licence",
    "image-missing": "an image whose file is not in static/",
    "uncited-fact": "a reality paragraph states a number, date or quote without a citation",
    "link-text-grammar": "a cross-reference whose title text clashes with the article before it",
    "spoiler-unmarked": "spoiler text outside a spoiler block (an event page on an episode, a summary)",
    "summary-contested-value": "a summary states one value of a contested figure as the fact",
    "value-unsupported": "a paragraph states a figure's value without citing a source that gives it",
    "source-uncited": "a source record no page cites",
    "figure-value-unsourced": "a value of a contested figure without a source",
    "claim-unsourced": "a claim without any source",
    "claim-verdict-missing": "a claim without a verdict",
    "translation-missing": "a page has no translation into one of the site's languages",
    "translation-diverges": "a translation's references, dates, values or sources differ from its original's",
    "translation-stale": "a translation does not record, or lags behind, the revision of its original",
    "name-protected": "a private victim or minor is named or linked on the site",
    "legal-status-missing": "a person named in connection with a crime has no legal status",
    "relation-contradiction": "a character's relations contradict each other or their targets",
    "cast-mismatch": "a character's episodes disagree with an episode's cast list",
    "correction-not-applied": "a page still says what one of its corrections calls wrong",
    "review-missing": "an entry has no editorial state on a site that requires one",
    "review-pending": "an entry is waiting for review (draft or in-review)",
    "review-incomplete": "a checked entry does not say when or against what it was checked",
    "review-stale": "an entry's text changed since it was checked",
    "archive-missing": "an online source has no archived copy and does not say why (or says both)",
    "quote-unrecorded": "a quotation (or quote reference) that is not a recorded quote of the cited source",
    "quote-mismatch": "a quotation whose wording differs from the cited source's recorded quote",
    "data-licence-missing": "the site publishes data files but states no licence for them (--strict)",
    "config-invalid": "site.yaml is missing or has a wrong value",
    "base-url-placeholder": "`build` publishes with the placeholder base URL https://example.org/",
    "template-error": "a template failed to compile or render",
    "link-broken": "a rendered page links to a page, file or anchor that does not exist",
    "output-unsafe": "the output folder would overwrite sources or foreign files",
    "html-unsafe": "markup the sanitiser removes from a body, or markup in plain front-matter text",
    "control-character": "a NUL byte or another control character in a content file",
    "nesting-too-deep": "lists or quotes nested deeper than the limit",
    "output-busy": "another build or server holds the output folder, and did not let go in time",
    "publish-failed": "the finished site could not be written or indexed for search (disk full, read-only, ...)",
}

# Per file and code, at most this many diagnostics are printed; a summary line says how
# many more there are (all of them are still counted, and all are in `check --format json`).
PRINT_LIMIT = 20


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a file: 1-based line and column, and how many characters to underline."""

    path: str
    line: int = 0
    col: int = 0
    length: int = 1


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    source_line: str | None = None

    def sort_key(self) -> tuple:
        span = self.span or Span("")
        return (span.path, span.line, span.col, self.code, self.message)


def error(code: str, message: str, span: Span | None = None, hint: str | None = None) -> Diagnostic:
    return Diagnostic("error", code, message, span, hint)


def warning(code: str, message: str, span: Span | None = None, hint: str | None = None) -> Diagnostic:
    return Diagnostic("warning", code, message, span, hint)


def did_you_mean(wrong: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(wrong, sorted(set(candidates)), n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in candidates}
        if wrong.lower() in lowered:
            matches = [lowered[wrong.lower()]]
    return f"did you mean '{matches[0]}'?" if matches else None


def escalate(diagnostics: Iterable[Diagnostic], strict: bool) -> list[Diagnostic]:
    """Under --strict every warning is an error."""
    if not strict:
        return list(diagnostics)
    return [replace(d, severity="error") for d in diagnostics]


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def attach_source_lines(diagnostics: Iterable[Diagnostic], read_line) -> list[Diagnostic]:
    """Fill in the offending source line, read through `read_line(path, line)`."""
    out = []
    for d in diagnostics:
        if d.span and d.span.line and d.source_line is None:
            d = replace(d, source_line=read_line(d.span.path, d.span.line))
        out.append(d)
    return out


def format_diagnostic(d: Diagnostic) -> str:
    where = ""
    if d.span:
        # A finding about a whole file is placed at 1:1 so every tool can jump to it.
        where = f"{d.span.path}:{d.span.line or 1}:{max(d.span.col, 1)}: "
    lines = [f"{where}{d.severity}[{d.code}]: {d.message}"]
    if d.span and d.span.line and d.source_line is not None:
        number = str(d.span.line)
        gutter = " " * len(number)
        # A tab shows as an arrow of one column, so the caret can point at it.
        text = d.source_line.rstrip("\n").replace("\t", "→")
        caret_at = max(d.span.col, 1) - 1
        width = max(1, min(d.span.length, max(1, len(text) - caret_at)))
        lines.append(f"  {number} | {text}")
        lines.append(f"  {gutter} | {' ' * caret_at}{'^' * width}")
    if d.hint:
        lines.append(f"  hint: {d.hint}")
    return "\n".join(lines)


def format_capped(diagnostics: list[Diagnostic], limit: int = PRINT_LIMIT) -> list[str]:
    """Each diagnostic formatted, but at most `limit` per file and code; then one line
    saying how many more of that code the file has."""
    shown: dict[tuple[str, str], int] = {}
    for d in diagnostics:
        key = (d.span.path if d.span else "", d.code)
        shown[key] = shown.get(key, 0) + 1
    printed: dict[tuple[str, str], int] = {}
    blocks = []
    for d in diagnostics:
        key = (d.span.path if d.span else "", d.code)
        count = printed[key] = printed.get(key, 0) + 1
        if count <= limit:
            blocks.append(format_diagnostic(d))
        if count == limit and shown[key] > limit:
            more = shown[key] - limit
            where = f"{key[0]}: " if key[0] else ""
            blocks.append(f"{where}… and {more:,} more {d.code} {d.severity}{'s' * (more != 1)} in this file")
    return blocks


def format_summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def print_report(diagnostics: list[Diagnostic], stream=None) -> None:
    """The diagnostics (capped) and their summary, to standard error."""
    stream = stream or sys.stderr
    for block in format_capped(diagnostics):
        print(block, file=stream)
    if diagnostics:
        print(format_summary(diagnostics), file=stream)
