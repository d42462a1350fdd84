"""Editorial states: draft -> in-review -> checked -> published.

An entry's `review:` records its state and, once checked, when and against what (a
reviewer's name, or the revision of the fact sheet it was checked against) and the hash
of the text that was checked. The public build publishes only `checked` and `published`
entries (all of them with --drafts); `check` reports entries waiting for review and
entries whose text changed since their check.

Re-stamp after an honest re-check (never otherwise):

    python -m somos_site.review --date 2026-12-04 --against "..." content/events/x.md ...

writes `state: checked`, the date, what it was checked against and the current hash."""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from somos_site.diagnostics import Diagnostic, Span, error, warning
from somos_site.model import Entry
from somos_site.schema import PUBLIC_REVIEW_STATES, SiteConfig

# The `review:` block of a front matter (a key and its indented lines).
REVIEW_BLOCK = re.compile(r"^review:[^\n]*\n(?:[ \t]+[^\n]*\n)*", re.M)


def without_review(text: str) -> str:
    """The file's text without its `review:` block: what a check is about. Stamping a
    review, then, changes neither the hash it records nor a translation's revision."""
    text = text.replace("\r\n", "\n")
    if not text.startswith("---"):
        return text
    end = text.find("\n---", 3)
    if end < 0:
        return text
    return REVIEW_BLOCK.sub("", text[: end + 1]) + text[end + 1 :]


def content_hash(text: str) -> str:
    return hashlib.sha256(without_review(text).encode("utf-8")).hexdigest()[:12]


# Editorial records each file keeps on its own (a translation has its own corrections,
# review and archive note; the facts among them, such as flags, are compared field by
# field by `translation-diverges`): adding one does not make the translations stale.
EDITORIAL_KEYS = ("review", "corrections", "no_archive", "archive", "accessed", "quotes", "other_titles", "flags")
EDITORIAL_BLOCK = re.compile(r"^(?:" + "|".join(EDITORIAL_KEYS) + r"):[^\n]*\n(?:[ \t]+[^\n]*\n)*", re.M)


def revision_hash(text: str) -> str:
    """The revision a translation records of its original: the original's text without
    its editorial records, so recording a check, a correction or an archive note in the
    original does not send every translator back to it."""
    text = text.replace("\r\n", "\n")
    end = text.find("\n---", 3) if text.startswith("---") else -1
    if end >= 0:
        text = EDITORIAL_BLOCK.sub("", text[: end + 1]) + text[end + 1 :]
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def publishable(entry: Entry) -> bool:
    """An entry without a review is published (a site that does not track reviews); an
    entry with one only when it is checked or published."""
    state = entry.fields.review
    return state is None or state.state in PUBLIC_REVIEW_STATES


def pending(entry: Entry) -> Diagnostic:
    return warning(
        "review-pending",
        f"this entry is waiting for review (state '{entry.fields.review.state}'); public builds leave it out",
        entry.span("review.state"),
        "check it, then stamp it with 'python -m somos_site.review'",
    )


def check_reviews(entries: Iterable[Entry], config: SiteConfig) -> list[Diagnostic]:
    diagnostics = []
    for entry in entries:
        state = entry.fields.review
        if state is None:
            if config.review_required:
                diagnostics.append(
                    warning(
                        "review-missing",
                        "this entry has no editorial state",
                        Span(entry.file.display, 1, 1, 3),
                        "add 'review: {state: draft}' and have it checked",
                    )
                )
            continue
        span = entry.span("review")
        if state.state not in PUBLIC_REVIEW_STATES:
            diagnostics.append(pending(entry))
            continue
        missing = [name for name in ("date", "against") if getattr(state, name) is None]
        if missing:
            diagnostics.append(
                error(
                    "review-incomplete",
                    f"a '{state.state}' entry must say when and against what it was checked"
                    f" (no {' or '.join(missing)})",
                    span,
                    "add 'date:' and 'against:' (a reviewer, or the fact-sheet revision and sources checked against)",
                )
            )
            continue
        current = content_hash(entry.file.text)
        if state.hash != current:
            what = "records no content hash" if state.hash is None else "was checked on an earlier text"
            diagnostics.append(
                warning(
                    "review-stale",
                    f"this entry {what}: its text changed since the check of {state.date.iso()}",
                    entry.span("review.hash") if state.hash else span,
                    f"re-check it, then stamp it (python -m somos_site.review ...), which records hash {current}",
                )
            )
    return diagnostics


# -- stamping --------------------------------------------------------------------------


def stamp_text(text: str, date: str, against: str) -> str:
    """`text` with its review block replaced by a `checked` stamp, placed at the end of
    the front matter."""
    text = text.replace("\r\n", "\n")
    end = text.find("\n---", 3)
    if not text.startswith("---") or end < 0:
        raise ValueError("no front matter")
    head, rest = REVIEW_BLOCK.sub("", text[: end + 1]), text[end + 1 :]
    digest = hashlib.sha256((head + rest).encode("utf-8")).hexdigest()[:12]
    quoted = '"' + against.replace("\\", "\\\\").replace('"', '\\"') + '"'
    block = f"review:\n  state: checked\n  date: {date}\n  against: {quoted}\n  hash: {digest}\n"
    return head + block + rest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m somos_site.review",
        description="Record an honest check: state checked, the date, what the text was checked against, "
        "and the hash of the text as checked. Run it only after the check took place.",
    )
    parser.add_argument("--date", required=True, help="the day of the check, YYYY-MM-DD")
    parser.add_argument("--against", required=True, help="a reviewer, or the fact-sheet revision checked against")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.date):
        parser.error("--date must be YYYY-MM-DD")
    for path in args.files:
        text = path.read_text(encoding="utf-8")
        try:
            path.write_text(stamp_text(text, args.date, args.against), encoding="utf-8")
        except ValueError:
            print(f"{path}: no front matter; not stamped", file=sys.stderr)
            return 1
    print(f"stamped {len(args.files)} file(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
