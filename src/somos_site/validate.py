"""Stage 2, validate: turn YAML node trees into the typed dataclasses of `schema`.

Working on nodes (not on loaded dicts) keeps the line and column of every key and value,
so each diagnostic points at the exact place in the real file.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

import yaml
from slugify import slugify

from somos_site import review
from somos_site.dates import DateError, FuzzyDate, parse_date
from somos_site.diagnostics import Diagnostic, Span, did_you_mean, error, warning
from somos_site.model import Entry, LoadedContent, SourceFile, ValidatedContent
from somos_site.sanitize import is_web_url
from somos_site.schema import TYPES, Image, Ref, SiteConfig, SourceKey
from somos_site.sensitivity import is_protected

PLACEHOLDER = "TODO"  # what `new` writes into required fields
_INVALID = object()  # a value already reported; the field is left out
_TAG = "tag:yaml.org,2002:"
# A language key becomes a URL segment and an `lang` attribute: short BCP 47 tags only.
LANGUAGE_KEY = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}$")
# Markup in front-matter text, which is plain text: shown as written, never as HTML.
MARKUP_IN_TEXT = re.compile(r"<[A-Za-z!/?]")
REF_PATTERN = re.compile(r"^(?P<target>[a-z0-9][a-z0-9_-]*/[^\s#/]+)(?:#(?P<anchor>[^\s#]+))?$")


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag.removeprefix(_TAG)
    return {"str": "text", "int": "a whole number", "float": "a number", "bool": "true/false", "null": "nothing"}.get(
        tag, "a date" if tag == "timestamp" else tag
    )


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null"


@cache
def hints_of(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


class Converter:
    """Converts the node tree of one file, collecting diagnostics and value positions."""

    def __init__(self, file: SourceFile, first_line: int) -> None:
        self.file = file
        self.first_line = first_line
        self.diagnostics: list[Diagnostic] = []
        self.positions: dict[str, Span] = {}

    def span(self, node: yaml.Node) -> Span:
        start, end = node.start_mark, node.end_mark
        length = (
            end.column - start.column if end.line == start.line else len(self.file.line(self.first_line + start.line))
        )
        return Span(self.file.display, self.first_line + start.line, start.column + 1, max(1, length))

    def report(self, code: str, message: str, node: yaml.Node | None, hint: str | None = None) -> object:
        span = self.span(node) if node is not None else Span(self.file.display, 1, 1, 3)
        self.diagnostics.append(error(code, message, span, hint))
        return _INVALID

    # -- mappings into dataclasses -------------------------------------------------

    def build(self, cls: type, node: yaml.Node | None, path: str = "") -> Any:
        if node is None or is_null(node):
            node_pairs: list[tuple[yaml.Node, yaml.Node]] = []
        elif not isinstance(node, yaml.MappingNode):
            return self.report("field-type", f"expected a mapping of fields, got {describe(node)}", node)
        else:
            node_pairs = node.value
        fields = {f.name: f for f in dataclasses.fields(cls)}
        hints = hints_of(cls)
        values: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        given: set[str] = set()  # fields with a non-null value, valid or already reported
        for key_node, value_node in node_pairs:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            where = f"{path}{name}"
            if name in seen:
                self.report("field-duplicate", f"field '{where}' is given twice", key_node)
                continue
            seen[name] = key_node
            if name not in fields:
                hint = did_you_mean(name, fields)
                hint = hint.replace("did you mean", "did you mean the field") if hint else None
                known = ", ".join(sorted(fields))
                self.report(
                    "field-unknown",
                    f"unknown field '{where}' for {self.kind_name(cls)}",
                    key_node,
                    hint or f"known fields: {known}",
                )
                continue
            self.positions[where] = self.span(value_node)
            if is_null(value_node):
                continue  # treated as absent; required fields are reported below
            given.add(name)
            value = self.convert(hints[name], value_node, fields[name].metadata, where)
            if value is not _INVALID:
                values[name] = value
        missing = False
        for name, f in fields.items():
            if not f.metadata.get("required") or name in values:
                continue
            missing = True
            if name not in given:
                anchor = node if isinstance(node, yaml.MappingNode) and path else None
                self.report(
                    "field-required",
                    f"{self.kind_name(cls)} needs the field '{path}{name}'",
                    anchor,
                    hint=f"add '{name}: ...'",
                )
        if missing:
            return _INVALID
        try:
            return cls(**values)
        except TypeError as exc:  # a schema bug, not a content error
            raise RuntimeError(f"schema {cls.__name__}: {exc}") from exc

    @staticmethod
    def kind_name(cls: type) -> str:
        for t in TYPES.values():
            if t.fields is cls:
                return f"{'an' if t.singular[0] in 'aeiou' else 'a'} {t.singular}"
        return {"SiteConfig": "site.yaml"}.get(cls.__name__, f"'{cls.__name__.lower()}'")

    # -- single values -------------------------------------------------------------

    def convert(self, hint: Any, node: yaml.Node, meta: typing.Mapping[str, Any], where: str) -> Any:
        if isinstance(node, yaml.ScalarNode) and node.value.strip().startswith(PLACEHOLDER):
            return self.report(
                "placeholder", f"'{where}' is still a placeholder", node, "replace TODO with the real value"
            )
        origin = get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in get_args(hint) if a is not type(None)]
            return self.convert(options[0], node, meta, where)
        if origin is tuple:
            return self.convert_list(get_args(hint)[0], node, meta, where)
        if origin is dict:
            return self.convert_dict(get_args(hint)[1], node, meta, where)
        if origin is Literal:
            return self.convert_choice(get_args(hint), node)
        if dataclasses.is_dataclass(hint) and hint not in SCALARS:
            return self.build(hint, node, f"{where}.")
        if not isinstance(node, yaml.ScalarNode):
            return self.report("field-type", f"'{where}' should be {self.expected(hint)}, got {describe(node)}", node)
        converter = SCALARS.get(hint)
        if converter is None:
            raise RuntimeError(f"no converter for {hint!r}")
        value = converter(self, node, meta, where)
        if value is not _INVALID:
            value = self.check_limits(value, node, meta, where)
        return value

    @staticmethod
    def expected(hint: Any) -> str:
        return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(
            hint, "a single value"
        )

    def convert_list(self, item_hint: Any, node: yaml.Node, meta: typing.Mapping[str, Any], where: str) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return self.report(
                "field-type",
                f"'{where}' should be a list, got {describe(node)}",
                node,
                hint=f"write '{where.split('.')[-1]}: [value]'",
            )
        items = []
        for index, item in enumerate(node.value):
            self.positions[f"{where}[{index}]"] = self.span(item)
            value = self.convert(item_hint, item, meta, f"{where}[{index}]")
            if value is not _INVALID:
                items.append(value)
        minimum = meta.get("min_items", 0)
        if len(node.value) < minimum:
            return self.report("field-required", f"'{where}' needs at least {minimum} item{'s' * (minimum > 1)}", node)
        return tuple(items)

    def convert_dict(self, value_hint: Any, node: yaml.Node, meta: typing.Mapping[str, Any], where: str) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self.report("field-type", f"'{where}' should be a mapping, got {describe(node)}", node)
        result = {}
        for key, value in node.value:
            self.positions[f"{where}.{key.value}"] = self.span(key)
            if value_hint is not str:
                converted = self.convert(value_hint, value, meta, f"{where}.{key.value}")
                if converted is not _INVALID:
                    result[key.value] = converted
            elif not isinstance(value, yaml.ScalarNode) or is_null(value):
                self.report("field-type", f"'{where}.{key.value}' should be text", value)
            else:
                result[key.value] = value.value
        return result

    def convert_choice(self, allowed: tuple[str, ...], node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.value not in allowed:
            got = node.value if isinstance(node, yaml.ScalarNode) else describe(node)
            hint = did_you_mean(str(got), allowed) or "allowed: " + ", ".join(allowed)
            return self.report("value-not-allowed", f"'{got}' is not one of the allowed values", node, hint)
        return node.value

    def check_limits(self, value: Any, node: yaml.Node, meta: typing.Mapping[str, Any], where: str) -> Any:
        if "minimum" in meta and value < meta["minimum"]:
            return self.report("value-not-allowed", f"'{where}' must be at least {meta['minimum']}", node)
        if "maximum" in meta and value > meta["maximum"]:
            return self.report("value-not-allowed", f"'{where}' must be at most {meta['maximum']}", node)
        if "pattern" in meta and not re.match(meta["pattern"], str(value)):
            return self.report(
                "value-not-allowed", f"'{value}' is not a valid value for '{where}'", node, _pattern_hint(where)
            )
        if meta.get("web_url") and not is_web_url(str(value)):
            return self.report(
                "value-not-allowed",
                f"'{value}' in '{where}' is not an http:// or https:// URL",
                node,
                "a URL starts with https:// or http://",
            )
        return value


def _pattern_hint(where: str) -> str | None:
    field = where.rsplit(".", 1)[-1]
    return {
        "wikidata": "a Wikidata id looks like Q42",
        "url": "a URL starts with https:// or http://",
        "base_url": "write the full URL ending in '/', e.g. https://example.org/somos/",
        "default_language": "a two-letter language code, e.g. en",
    }.get(field)


# -- scalar converters -------------------------------------------------------------------


def to_text(c: Converter, node: yaml.ScalarNode, meta, where: str) -> Any:
    value = node.value.strip()
    if not value:
        return c.report("field-required", f"'{where}' is empty", node)
    markup = MARKUP_IN_TEXT.search(value)
    if markup and not meta.get("web_url"):
        tag = re.match(r"<[^\s>]{0,30}", value[markup.start() :]).group(0)
        c.diagnostics.append(
            warning(
                "html-unsafe",
                f"'{where}' is plain text: the markup '{tag}' will be shown as written, not as HTML",
                c.span(node),
                "front-matter text takes *emphasis* only; put markup in the body",
            )
        )
    return value


def to_bool(c: Converter, node: yaml.ScalarNode, meta, where: str) -> Any:
    if node.tag != _TAG + "bool":
        return c.report("field-type", f"'{where}' should be true or false, got {describe(node)}", node)
    return node.value.lower() in ("true", "yes", "on", "y")


def to_int(c: Converter, node: yaml.ScalarNode, meta, where: str) -> Any:
    if node.tag != _TAG + "int":
        return c.report("field-type", f"'{where}' should be a whole number, got {describe(node)}", node)
    return int(node.value.replace("_", ""), 0) if node.value.startswith("0x") else int(node.value.replace("_", ""))


def to_float(c: Converter, node: yaml.ScalarNode, meta, where: str) -> Any:
    if node.tag not in (_TAG + "int", _TAG + "float"):
        return c.report("field-type", f"'{where}' should be a number, got {describe(node)}", node)
    number = float(node.value.replace("_", ""))
    return int(number) if number.is_integer() else number


def to_date(c: Converter, node: yaml.ScalarNode, meta, where: str) -> Any:
    try:
        return parse_date(node.value)
    except DateError as exc:
        return c.report(
            "date-invalid", str(exc), node, "write 2011-03-18, 2011-03, 2011, ~2011-03 or 2011-03-18/2011-03-20"
        )


def to_ref(c: Converter, node: yaml.ScalarNode, meta, where: str) -> Any:
    match = REF_PATTERN.match(node.value.strip())
    if not match:
        return c.report("field-type", f"'{node.value}' is not an id like 'events/the-leak'", node)
    ref = Ref(match["target"], match["anchor"], c.span(node))
    allowed = meta.get("to", ())
    if allowed and "*" not in allowed and ref.type not in allowed:
        kinds = " or ".join(f"'{a}/...'" for a in allowed)
        return c.report("ref-wrong-type", f"'{where}' takes {kinds} ids, not '{ref.target}'", node)
    return ref


def to_source_key(c: Converter, node: yaml.ScalarNode, meta, where: str) -> Any:
    key = node.value.strip().removeprefix("@").removeprefix("sources/")
    if not key:
        return c.report("field-required", f"'{where}' is empty", node)
    return SourceKey(key, c.span(node))


SCALARS: dict[Any, Callable[..., Any]] = {
    str: to_text,
    bool: to_bool,
    int: to_int,
    float: to_float,
    FuzzyDate: to_date,
    Ref: to_ref,
    SourceKey: to_source_key,
}


# -- the stage ---------------------------------------------------------------------------


FileResult = tuple[SourceFile, "Entry | None", list[Diagnostic]]


def validate(
    loaded: LoadedContent, drafts: bool = False, previous: dict[Path, FileResult] | None = None
) -> tuple[ValidatedContent | None, list[Diagnostic]]:
    """Validate every file. `previous` (filled in place) holds each file's result, reused
    while the file is the same object (unchanged since the last load)."""
    diagnostics: list[Diagnostic] = []
    previous = {} if previous is None else previous
    config = validate_config(loaded.config_file, diagnostics)
    languages = config.languages if config else {}
    default = config.default_language if config else "en"
    entries: list[Entry] = []
    broken: set[str] = set()
    drafted: set[str] = set()
    protected: list[Entry] = []
    for file in loaded.files:
        known = previous.get(file.path)
        if known is not None and known[0] is file:
            entry, found = known[1], known[2]
        else:
            entry, found = validate_file(file, languages, default, loaded.static_files)
            previous[file.path] = (file, entry, found)
        diagnostics += found
        if entry is None:
            if file.folder in TYPES:
                broken.add(f"{file.folder}/{file.slug}")
            continue
        if is_protected(entry):  # never published, not even with --drafts
            protected.append(entry)
            continue
        if (entry.fields.draft or not review.publishable(entry)) and not drafts:
            drafted.add(entry.id)
            if not review.publishable(entry):  # listed as waiting for review
                diagnostics.append(review.pending(entry))
            continue
        entries.append(entry)
    if config is None:
        return None, diagnostics
    content = ValidatedContent(config, tuple(entries), frozenset(broken), frozenset(drafted), tuple(protected))
    return content, diagnostics


def validate_config(file: SourceFile | None, diagnostics: list[Diagnostic]) -> SiteConfig | None:
    if file is None:
        diagnostics.append(
            error(
                "config-invalid",
                "content/site.yaml is missing",
                hint="create it with title, base_url, default_language, languages",
            )
        )
        return None
    if not file.yaml_ok:
        return None
    converter = Converter(file, 1)
    config = converter.build(SiteConfig, file.front_matter)
    diagnostics += converter.diagnostics
    if config is _INVALID:
        return None
    for lang in config.languages:
        if not LANGUAGE_KEY.match(lang):
            diagnostics.append(
                error(
                    "config-invalid",
                    f"'{lang}' is not a language code",
                    converter.positions.get(f"languages.{lang}"),
                    "use a short language tag such as en, es or pt-BR",
                )
            )
            return None
    if config.default_language not in config.languages:
        diagnostics.append(
            error(
                "config-invalid",
                f"default_language '{config.default_language}' is not in languages",
                converter.positions.get("default_language"),
            )
        )
        return None
    for lang in config.translations or {}:
        if lang not in config.languages or lang == config.default_language:
            diagnostics.append(
                error(
                    "config-invalid",
                    f"translations has '{lang}', which is not one of the other languages",
                    converter.positions.get(f"translations.{lang}"),
                    "languages: " + ", ".join(config.languages),
                )
            )
            return None
    return config


def validate_file(
    file: SourceFile, languages: dict[str, str], default: str, static_files: frozenset[str]
) -> tuple[Entry | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    content_type = TYPES.get(file.folder)
    if content_type is None:
        hint = did_you_mean(file.folder, TYPES) if file.folder else None
        where = f"folder '{file.folder}/'" if file.folder else "the top of content/"
        diagnostics.append(
            error(
                "type-unknown",
                f"{where} is not a content type",
                Span(file.display),
                hint or "types: " + ", ".join(TYPES),
            )
        )
        return None, diagnostics
    if file.slug != slugify(file.slug):
        diagnostics.append(
            error(
                "slug-invalid",
                f"'{file.slug}' is not a slug (lowercase letters, digits and '-')",
                Span(file.display),
                hint=f"rename the file to '{slugify(file.slug) or 'name'}.md'",
            )
        )
        return None, diagnostics
    lang = file.lang or default
    if languages and lang not in languages:
        diagnostics.append(
            error(
                "language-unknown",
                f"'{file.lang}' is not a language of this site",
                Span(file.display),
                hint=did_you_mean(lang, languages) or "languages: " + ", ".join(languages),
            )
        )
        return None, diagnostics
    if not file.yaml_ok:
        return None, diagnostics
    converter = Converter(file, file.front_matter_first_line)
    fields = converter.build(content_type.fields, file.front_matter)
    diagnostics += converter.diagnostics
    if file.body.lstrip().startswith(PLACEHOLDER):
        line = file.body_first_line + file.body[: file.body.index(PLACEHOLDER)].count("\n")
        diagnostics.append(
            error("placeholder", "the text is still a placeholder", Span(file.display, line, 1, 4), "write the page")
        )
    if fields is _INVALID:
        return None, diagnostics
    entry = Entry(content_type, file.slug, lang, file, fields, converter.positions)
    image_problems = check_image(entry, static_files)
    if image_problems:  # reported once here; the page is still checked without the image
        diagnostics += image_problems
        entry = dataclasses.replace(entry, fields=dataclasses.replace(fields, image=None))
    return entry, diagnostics


def check_image(entry: Entry, static_files: frozenset[str]) -> list[Diagnostic]:
    image: Image | None = entry.fields.image
    if image is None:
        return []
    found = []
    span = entry.span("image")
    if not image.decorative and not image.alt:
        found.append(
            error(
                "image-alt-missing",
                "the image has no alt text",
                span,
                "add 'alt: ...' describing it, or 'decorative: true'",
            )
        )
    for name in ("credit", "licence"):
        if not getattr(image, name):
            found.append(
                error("image-credit-missing", f"the image has no {name}", span, f"add '{name}: ...' under image")
            )
    if image.src.lstrip("/") not in static_files:
        found.append(error("image-missing", f"no file '{image.src}' in static/", entry.span("image.src")))
    return found
