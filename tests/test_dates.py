import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somos_site.dates import DateError, FuzzyDate, parse_date


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "english"),
    [
        ("2011-03-18", dt.date(2011, 3, 18), dt.date(2011, 3, 18), "18 March 2011"),
        ("2011-03", dt.date(2011, 3, 1), dt.date(2011, 3, 31), "March 2011"),
        ("2011", dt.date(2011, 1, 1), dt.date(2011, 12, 31), "2011"),
        ("~2011-03", dt.date(2011, 3, 1), dt.date(2011, 3, 31), "c. March 2011"),
        ("2011-03-18/2011-03-20", dt.date(2011, 3, 18), dt.date(2011, 3, 20), "18–20 March 2011"),
        ("2016-11-17/2017-02", dt.date(2016, 11, 17), dt.date(2017, 2, 28), "17 November 2016 – February 2017"),
        ("2012-02", dt.date(2012, 2, 1), dt.date(2012, 2, 29), "February 2012"),
    ],
)
def test_accepted_forms_parse_to_day_intervals(text, earliest, latest, english):
    date = parse_date(text)
    assert (date.earliest, date.latest) == (earliest, latest)
    assert date.format("en") == english
    assert date.iso() == text


def test_spanish_formatting():
    assert parse_date("2011-03-18").format("es") == "18 de marzo de 2011"
    assert parse_date("2011-03-18/2011-03-20").format("es") == "18 al 20 de marzo de 2011"


@pytest.mark.parametrize(
    "text", ["2011-02-30", "2011-13", "11-03-18", "2011/03/18", "2011-03-20/2011-03-18", "March 2011", "", "2011-3-18"]
)
def test_rejected_forms(text):
    with pytest.raises(DateError):
        parse_date(text)


days = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


@given(days)
def test_any_real_day_round_trips(day):
    parsed = parse_date(day.isoformat())
    assert parsed.earliest == parsed.latest == day
    assert parsed.iso() == day.isoformat()


@given(days, st.sampled_from(["day", "month", "year"]), st.booleans())
def test_intervals_contain_their_day_and_never_shift(day, precision, approximate):
    text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]
    parsed = parse_date(("~" if approximate else "") + text)
    assert parsed.earliest <= day <= parsed.latest
    assert parsed.approximate is approximate


@given(days, days)
def test_ranges_accept_ordered_ends_only(a, b):
    text = f"{a.isoformat()}/{b.isoformat()}"
    if b < a:
        with pytest.raises(DateError):
            parse_date(text)
    else:
        parsed = parse_date(text)
        assert isinstance(parsed, FuzzyDate)
        assert (parsed.earliest, parsed.latest) == (a, b)


def test_a_known_start_with_a_disputed_end_has_no_end_and_says_so():
    parsed = parse_date("2011-03-18/?")
    assert parsed.end is None and parsed.end_disputed
    assert parsed.iso() == "2011-03-18/?"
    assert (parsed.earliest, parsed.latest) == (parsed.start.earliest, parsed.start.earliest)
    assert parsed.format("en") == "from 18 March 2011; end disputed"
    spanish = {"from %(day)s; end disputed": "desde el %(day)s; fin en disputa"}
    assert parsed.format("es", lambda m: spanish.get(m, m)) == "desde el 18 de marzo de 2011; fin en disputa"
    assert parse_date("2011-03/?").format("en") == "from March 2011; end disputed"
    with pytest.raises(DateError):
        parse_date("?/2011-03-20")
