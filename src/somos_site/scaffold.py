"""`new TYPE "Title"`: a content file written from the type's schema.

Required fields are pre-filled with `TODO` placeholders, which the build reports
(`placeholder`) until an editor fills them in; comments say what each one takes."""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from slugify import slugify

from somos_site.check import text_revision
from somos_site.dates import FuzzyDate
from somos_site.load import CONFIG_NAME, FENCE, read_text
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
    lines = ["---", f"title: {quoted(title)}", f"summary: {PLACEHOLDER}  # one sentence for lists and previews"]
    lines += required_lines(content_type.fields)
    lines += [
        "---",
        f"{PLACEHOLDER}: write the {content_type.singular} here. Cite every fact, e.g. `[@source-id]`.",
        "",
    ]
    return slug, "\n".join(lines)


def quoted(title: str) -> str:
    return '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_translation(content_dir: Path, folder: str, title: str, lang: str, original_id: str) -> tuple[Path, str] | str:
    """(path, text) of a translation of `original_id` into `lang`, or what is wrong.

    The translation starts as a copy of the original (a translation keeps its facts:
    the same references, dates and citations) with the new title, the `source_revision`
    it translates, and a `TODO` the build reports until the text is translated."""
    languages = site_languages(content_dir)
    if lang not in languages:
        return f"the site has no language '{lang}'; site.yaml lists: {', '.join(languages) or 'none'}"
    slug = original_id.removeprefix(folder + "/")
    if "/" in slug:
        return f"--from {original_id} is not an entry of {folder}; give it as {folder}/SLUG"
    original = content_dir / folder / f"{slug}.md"
    if not original.is_file():
        existing = sorted(p.name[: -len(".md")] for p in (content_dir / folder).glob("*.md") if p.stem.count(".") == 0)
        close = difflib.get_close_matches(slug, existing, n=1)
        return f"no entry '{folder}/{slug}'" + (f"; did you mean '{folder}/{close[0]}'?" if close else "")
    text, _ = read_text(original)
    if text is None or not text.startswith(FENCE + "\n") or ("\n" + FENCE + "\n") not in text[3:]:
        return f"{original} does not start with front matter; fix it first (check tells how)"
    front, body = text[len(FENCE) + 1 :].split("\n" + FENCE + "\n", 1)
    front = with_title(front, title)
    front = "\n".join(line for line in front.split("\n") if not line.startswith("source_revision:"))
    lines = [
        "---",
        front.rstrip("\n"),
        f"source_revision: {text_revision(text)}  # the revision of {slug}.md translated",
        "---",
    ]
    name = languages[lang]
    lines += [
        f"{PLACEHOLDER}: translate this page into {name}, keep every `[[...]]` link and `[@...]` citation, "
        "then delete this line.",
        "",
    ]
    return original.with_name(f"{slug}.{lang}.md"), "\n".join(lines) + "\n" + body.lstrip("\n")


def with_title(front: str, title: str) -> str:
    """The front matter with its `title` value replaced (however it was written)."""
    node = yaml.compose(front, Loader=yaml.SafeLoader)
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        if key.value == "title":
            return front[: value.start_mark.index] + quoted(title) + front[value.end_mark.index :]
    return f"title: {quoted(title)}\n" + front


def site_languages(content_dir: Path) -> dict[str, str]:
    config = content_dir / CONFIG_NAME
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8")) if config.is_file() else {}
    except yaml.YAMLError:
        return {}
    languages = data.get("languages") if isinstance(data, dict) else None
    default = data.get("default_language") if isinstance(data, dict) else None
    return {k: str(v) for k, v in (languages or {}).items() if k != default} if isinstance(languages, dict) else {}
