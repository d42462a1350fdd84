"""The editorial checks' building blocks: article clashes before a link, and which
numbers a text states as counts."""

from __future__ import annotations

import pytest

from somos_site.editorial import FigureValues, article_clash, counts_other_thing, stated_numbers, unquoted


@pytest.mark.parametrize(
    ("before", "title", "lang", "clash"),
    [
        ("Her job points to a documented part of the ", "The attack on Allende", "en", "the"),
        ("The series echoes the real ", "The DEA obtains the Treviños' phone identifiers", "en", "the real"),
        ("Read about ", "The attack on Allende", "en", None),
        ("and its ", "The leak", "en", "its"),
        ("said that ", "The leak", "en", None),
        ("the attack in ", "The leak", "en", None),  # a preposition ends the noun phrase
        ("the ", "Garza ranch", "en", None),  # no article in the title
        ("the ", "Los Zetas", "en", None),  # a Spanish name's article is part of the name in English
        ("en el ", "El ataque contra Allende", "es", "el"),
        ("por la ", "La DEA obtiene los identificadores", "es", "la"),
        ("la verdadera ", "La filtración", "es", "la verdadera"),
        ("de ", "El Colegio de México", "es", None),
        ("según el ", "The Zetas Cartel Turned a Mexican Prison into a Death Camp", "es", "el"),
    ],
)
def test_article_clashes(before, title, lang, clash):
    assert article_clash(before, title, lang) == clash


def test_stated_numbers_leave_out_years_days_and_times():
    text = "On 18 March 2011, at 18:30–19:00, 28 people; del 18 al 20 de marzo, 1,425 calls and Z-40."
    assert [n.value for n in stated_numbers(text)] == [28, 1425]


def test_a_number_counting_something_else_is_not_the_figures():
    vocabulary = frozenset({"dead", "victi", "peopl"})
    figure = FigureValues("figures/death-toll", {27: frozenset(), 60: frozenset()}, vocabulary, {})
    text = "some 60 gunmen; with 27 others; 60 dead; 27 people, and 60."
    numbers = stated_numbers(text)
    assert [counts_other_thing(text, n, figure) for n in numbers] == [True, True, False, False, False]


def test_quoted_numbers_are_reported_not_stated():
    assert stated_numbers(unquoted('The "250 calls in a single day" claim')) == []
