"""Validation: typed values from front matter, with the exact position of each problem."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somos_site.dates import FuzzyDate
from somos_site.load import read_content_file, read_yaml_file
from somos_site.schema import Episode, Ref
from somos_site.validate import validate_config, validate_file

LANGS = {"en": "English", "es": "Español"}


def entry_from(tmp_path: Path, folder: str, name: str, text: str):
    path = tmp_path / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    source, load_problems = read_content_file(path, tmp_path)
    assert source is not None, load_problems
    return validate_file(source, LANGS, "en", frozenset())


def test_valid_episode_becomes_a_typed_dataclass(tmp_path):
    entry, problems = entry_from(
        tmp_path,
        "episodes",
        "1.md",
        "---\ntitle: One\nnumber: 1\nseries: series/somos\ntitle_confirmed: true\n"
        "depicts: [events/the-leak]\n---\nBody\n",
    )
    assert problems == []
    assert isinstance(entry.fields, Episode)
    assert entry.fields.number == 1
    assert entry.fields.depicts == (Ref("events/the-leak"),)
    assert entry.id == "episodes/1" and entry.realm == "production"
    assert entry.file.body_first_line == 8


def test_dates_stay_text_even_when_yaml_would_make_them_timestamps(tmp_path):
    entry, problems = entry_from(tmp_path, "events", "x.md", "---\ntitle: X\ndate: 2011-03-18\n---\n")
    assert problems == []
    assert isinstance(entry.fields.date, FuzzyDate)
    assert entry.fields.date.iso() == "2011-03-18"


def test_translation_suffix_sets_the_language(tmp_path):
    entry, problems = entry_from(tmp_path, "pages", "about.es.md", "---\ntitle: Acerca\n---\n")
    assert problems == [] and entry.lang == "es" and entry.id == "pages/about"


@pytest.mark.parametrize(
    ("yaml_text", "code", "line", "col"),
    [
        ("title: A\nnumbr: 2\n", "field-unknown", 3, 1),
        ("title: A\nweight: heavy\n", "field-type", 3, 9),
        ("title: A\nrealm: fact\n", "value-not-allowed", 3, 8),
        ("title: A\nupdated: 2011-02-30\n", "date-invalid", 3, 10),
        ("title: A\nrelated: [places/allende, notanid]\n", "field-type", 3, 27),
        ("weight: 1\n", "field-required", 1, 1),
    ],
)
def test_problems_point_at_the_exact_place(tmp_path, yaml_text, code, line, col):
    _, problems = entry_from(tmp_path, "pages", "a.md", f"---\n{yaml_text}---\nBody\n")
    assert [(p.code, p.span.line, p.span.col) for p in problems] == [(code, line, col)]


field_names = st.sampled_from(["summary", "wikidata_x", "notes", "colour", "tags"])


@settings(max_examples=60, deadline=None)
@given(
    blank_lines=st.lists(st.sampled_from(["", "# a comment"]), max_size=6),
    indent_comment=st.integers(min_value=0, max_value=3),
    unknown=field_names,
)
def test_line_numbers_of_fields_count_from_the_top_of_the_real_file(
    tmp_path_factory, blank_lines, indent_comment, unknown
):
    """Wherever an unknown field sits in the front matter, the report names its real line."""
    tmp = tmp_path_factory.mktemp("lines")
    before = "\n".join(blank_lines)
    front = f"title: T\n{before}\n{unknown}: value\n" if blank_lines else f"title: T\n{unknown}: value\n"
    expected_line = front.split("\n").index(f"{unknown}: value") + 2  # +1 for '---', +1 for 1-based
    _, problems = entry_from(tmp, "pages", "p.md", f"---\n{front}---\nBody\n")
    if unknown == "summary":
        assert problems == []
    else:
        assert [(p.code, p.span.line, p.span.col) for p in problems] == [("field-unknown", expected_line, 1)]


def config_from(tmp_path: Path, text: str):
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    source, problems = read_yaml_file(path)
    assert source is not None, problems
    diagnostics: list = []
    return validate_config(source, diagnostics), diagnostics


SITE_YAML = """title: Home
description: A site
base_url: "https://example.org/"
default_language: en
languages: {en: English, es: Español}
"""


def test_site_title_and_description_per_language(tmp_path):
    config, diagnostics = config_from(tmp_path, SITE_YAML + "translations:\n  es: {title: Inicio}\n")
    assert diagnostics == []
    assert (config.in_language("es").title, config.in_language("es").description) == ("Inicio", "A site")
    assert config.in_language("en").title == "Home"


@pytest.mark.parametrize(
    ("extra", "code", "line", "col"),
    [
        ("translations:\n  fr: {title: Accueil}\n", "config-invalid", 7, 3),
        ("translations:\n  en: {title: Home}\n", "config-invalid", 7, 3),
        ("translations:\n  es: {name: Inicio}\n", "field-unknown", 7, 8),
        ("translations:\n  es: Inicio\n", "field-type", 7, 7),
    ],
)
def test_a_wrong_translated_site_title_is_reported_where_it_is(tmp_path, extra, code, line, col):
    _config, diagnostics = config_from(tmp_path, SITE_YAML + extra)
    assert [(d.code, d.span.line, d.span.col) for d in diagnostics][:1] == [(code, line, col)]
