"""`new TYPE "Title"`: a content file written from the type's schema.

Required fields are pre-filled with `TODO` placeholders, which the build reports
(`placeholder`) until an editor fills them in; comments say what each one takes."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, get_args, get_origin

from slugify import slugify

from somos_site.dates import FuzzyDate
from somos_site.schema import TYPES, Ref, SourceKey
from somos_site.validate import PLACEHOLDER, hints_of


def describe_hint(hint: Any, meta: typing.Mapping[str, Any]) -> str:
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return describe_hint(next(a for a in get_args(hint) if a is not type(None)), meta)
    if origin is tuple:
        return "a list of " + describe_hint(get_args(hint)[0], meta)
    if origin is Literal:
        return "one of: " + ", ".join(get_args(hint))
    if hint is Ref:
        return (
            "an id like " + " or ".join(f"{t}/slug" for t in meta.get("to", ()) if t != "*")
            if meta.get("to")
            else "an id"
        )
    if hint is SourceKey:
        return "source ids"
    if hint is FuzzyDate:
        return "a date: 2011-03-18, 2011-03, 2011, ~2011-03 or 2011-03-18/2011-03-20"
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(hint, "a value")


def required_lines(cls: type, indent: str = "") -> list[str]:
    lines = []
    hints = hints_of(cls)
    for field in dataclasses.fields(cls):
        wanted = field.metadata.get("required") or field.metadata.get("scaffold")
        if not wanted or field.name == "title":
            continue
        hint, meta = hints[field.name], field.metadata
        item = get_args(hint)[0] if get_origin(hint) is tuple else None
        if item is not None and dataclasses.is_dataclass(item) and item not in (Ref, SourceKey, FuzzyDate):
            lines.append(f"{indent}{field.name}:")
            sub = required_lines(item, indent + "    ")
            sub[0] = indent + "  - " + sub[0].lstrip()
            lines.extend(sub)
            continue
        value = f"[{PLACEHOLDER}]" if item is not None else PLACEHOLDER
        what = "a URL starting with https://" if "http" in meta.get("pattern", "") else describe_hint(hint, meta)
        lines.append(f"{indent}{field.name}: {value}  # {what}")
    return lines


def new_entry(folder: str, title: str) -> tuple[str, str]:
    """(slug, file text) for a new entry of type `folder`."""
    content_type = TYPES[folder]
    slug = slugify(title)
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = ["---", f"title: {quoted}", f"summary: {PLACEHOLDER}  # one sentence for lists and previews"]
    lines += required_lines(content_type.fields)
    lines += [
        "---",
        f"{PLACEHOLDER}: write the {content_type.singular} here. Cite every fact, e.g. `[@source-id]`.",
        "",
    ]
    return slug, "\n".join(lines)
