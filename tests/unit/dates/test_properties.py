"""Properties every date formula keeps, whatever the base date: sums of days, period bounds."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.dates import calc_date, parse_formula
from domain.errors import DomainError, ErrorCode

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))

term = st.one_of(
    st.builds(
        lambda n, u: f"{n}{u}",
        st.integers(0, 500),
        st.sampled_from(["D", "WD", "W", "M", "Q", "Y", "d", "wd", "m"]),
    ),
    st.sampled_from(["CD", "CW", "CM", "CQ", "CY", "cm"]),
    st.builds(lambda n: f"D{n}", st.integers(1, 31)),
    st.builds(lambda n: f"WD{n}", st.integers(1, 7)),
)
formulas = st.builds(
    lambda first_sign, first, rest: first_sign + first + "".join(s + t for s, t in rest),
    st.sampled_from(["", "+", "-"]),
    term,
    st.lists(st.tuples(st.sampled_from(["+", "-", " + ", "- "]), term), max_size=3),
)


def _outcome(text: str, base: date) -> date | DomainError:
    try:
        return calc_date(text, base)
    except DomainError as error:  # any other exception type fails the test
        return error


def _assert_date_or_formula_error(outcome: date | DomainError) -> None:
    if isinstance(outcome, DomainError):
        assert outcome.code is ErrorCode.INVALID_DATE_FORMULA
        assert "position" in outcome.message
    else:
        assert isinstance(outcome, date)


@settings(deadline=None, max_examples=200)
@given(st.integers(-20000, 20000), dates)
def test_n_days_adds_exactly_n_days(n: int, base: date) -> None:
    assert calc_date(f"{n}D", base) == base + timedelta(days=n)


@settings(deadline=None, max_examples=200)
@given(dates)
def test_current_month_bounds_enclose_the_date_in_the_same_month(base: date) -> None:
    start, end = calc_date("-CM", base), calc_date("CM", base)
    assert start <= base <= end
    assert (start.year, start.month) == (end.year, end.month) == (base.year, base.month)
    assert start.day == 1
    assert (end + timedelta(days=1)).day == 1


@settings(deadline=None, max_examples=200)
@given(dates, st.sampled_from(["W", "Q", "Y"]))
def test_current_period_start_is_on_or_before_its_end(base: date, unit: str) -> None:
    assert calc_date(f"-C{unit}", base) <= base <= calc_date(f"C{unit}", base)


@settings(deadline=None, max_examples=200)
@given(formulas)
def test_canonical_text_reparses_to_an_equal_formula(text: str) -> None:
    formula = parse_formula(text)
    canonical = str(formula)
    assert parse_formula(canonical) == formula
    assert str(parse_formula(canonical)) == canonical


@settings(deadline=None, max_examples=200)
@given(formulas, dates)
def test_canonical_text_computes_the_same_date(text: str, base: date) -> None:
    assert calc_date(str(parse_formula(text)), base) == calc_date(text, base)


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=20), st.dates())
def test_any_text_either_computes_or_raises_a_formula_error(text: str, base: date) -> None:
    _assert_date_or_formula_error(_outcome(text, base))


@settings(deadline=None, max_examples=200)
@given(st.text(alphabet="0123456789DWMQYCdwmqyc+- ", max_size=16), st.dates())
def test_formula_shaped_text_either_computes_or_raises_a_formula_error(
    text: str, base: date
) -> None:
    _assert_date_or_formula_error(_outcome(text, base))
