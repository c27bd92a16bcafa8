"""Date formulas drive due dates and grace periods, so every BC form must land on the right day."""

from __future__ import annotations

from datetime import date

import pytest

from domain.dates import DateFormula, DateTerm, TermKind, Unit, calc_date, parse_formula
from domain.errors import DomainError, ErrorCode

WORK_DATE = date(2026, 3, 17)  # a Tuesday


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("CM", date(2026, 3, 31), id="spec-CM"),
        pytest.param("-CM", date(2026, 3, 1), id="spec-minus-CM"),
        pytest.param("-1M-CM", date(2026, 2, 1), id="spec-minus-1M-minus-CM"),
        pytest.param("1M+CM", date(2026, 4, 30), id="spec-1M-plus-CM"),
        pytest.param("1W", date(2026, 3, 24), id="spec-1W"),
        pytest.param("14D", date(2026, 3, 31), id="spec-14D"),
    ],
)
def test_worked_examples_from_the_spec_hold(formula: str, expected: date) -> None:
    assert calc_date(formula, WORK_DATE) == expected


@pytest.mark.parametrize(
    ("formula", "base", "expected"),
    [
        # BC "DateFormula Data Type" examples, from 2026-03-17
        pytest.param("30D", WORK_DATE, date(2026, 4, 16), id="bc-30D"),
        pytest.param("2W", WORK_DATE, date(2026, 3, 31), id="bc-2W"),
        pytest.param("CM+10D", WORK_DATE, date(2026, 4, 10), id="bc-CM-plus-10D"),
        pytest.param("CM+1M", WORK_DATE, date(2026, 4, 30), id="bc-CM-plus-1M-clamps-to-30"),
        pytest.param("CQ+1M+20D", WORK_DATE, date(2026, 5, 20), id="bc-CQ-plus-1M-plus-20D"),
        pytest.param("CW+1W", WORK_DATE, date(2026, 3, 29), id="bc-CW-plus-1W"),
        pytest.param("D15", WORK_DATE, date(2026, 4, 15), id="bc-D15-after-the-15th"),
        pytest.param("WD2", WORK_DATE, date(2026, 3, 24), id="bc-WD2-on-a-tuesday"),
        pytest.param("-WD3", WORK_DATE, date(2026, 3, 11), id="bc-minus-WD3-previous-wednesday"),
        # empty and blank formulas leave the date alone
        pytest.param("", WORK_DATE, WORK_DATE, id="empty"),
        pytest.param("   ", WORK_DATE, WORK_DATE, id="blank"),
        pytest.param("0D", WORK_DATE, WORK_DATE, id="cash-on-delivery-0D"),
        # plain counts
        pytest.param("+5D", WORK_DATE, date(2026, 3, 22), id="plus-sign-5D"),
        pytest.param("-5D", WORK_DATE, date(2026, 3, 12), id="minus-5D"),
        pytest.param("2W+1D", WORK_DATE, date(2026, 4, 1), id="2W-plus-1D"),
        pytest.param("1q", WORK_DATE, date(2026, 6, 17), id="lowercase-1Q"),
        pytest.param("-1Q", WORK_DATE, date(2025, 12, 17), id="minus-1Q-crosses-year"),
        pytest.param("1Y", WORK_DATE, date(2027, 3, 17), id="1Y"),
        pytest.param("10M", WORK_DATE, date(2027, 1, 17), id="10M-crosses-year"),
        pytest.param("1m + cm", WORK_DATE, date(2026, 4, 30), id="spaces-around-signs"),
        # month ends clamp
        pytest.param("1M", date(2026, 1, 31), date(2026, 2, 28), id="jan31-1M-feb28"),
        pytest.param("1M", date(2024, 1, 31), date(2024, 2, 29), id="jan31-1M-leap-feb29"),
        pytest.param("1M", date(2028, 1, 30), date(2028, 2, 29), id="jan30-1M-leap-2028"),
        pytest.param("1M", date(2100, 1, 31), date(2100, 2, 28), id="2100-is-not-leap"),
        pytest.param("1M", date(2000, 1, 31), date(2000, 2, 29), id="2000-is-leap"),
        pytest.param("1M", date(2026, 2, 28), date(2026, 3, 28), id="feb28-1M-keeps-28"),
        pytest.param("1M+1M", date(2026, 1, 31), date(2026, 3, 28), id="terms-apply-in-turn"),
        pytest.param("2M", date(2026, 1, 31), date(2026, 3, 31), id="2M-in-one-step"),
        pytest.param("-1M", date(2026, 3, 31), date(2026, 2, 28), id="mar31-minus-1M"),
        pytest.param("1Q", date(2026, 11, 30), date(2027, 2, 28), id="nov30-1Q"),
        pytest.param("1Y", date(2024, 2, 29), date(2025, 2, 28), id="leap-day-plus-1Y"),
        pytest.param("4Y", date(2024, 2, 29), date(2028, 2, 29), id="leap-day-plus-4Y"),
        pytest.param("-1Y", date(2028, 2, 29), date(2027, 2, 28), id="leap-day-minus-1Y"),
        # current-period ends
        pytest.param("CD", WORK_DATE, WORK_DATE, id="CD-is-today"),
        pytest.param("-CD", WORK_DATE, WORK_DATE, id="minus-CD-is-today"),
        pytest.param("CW", WORK_DATE, date(2026, 3, 22), id="CW-sunday"),
        pytest.param("-CW", WORK_DATE, date(2026, 3, 16), id="minus-CW-monday"),
        pytest.param("CW", date(2026, 3, 22), date(2026, 3, 22), id="CW-on-a-sunday"),
        pytest.param("-CW", date(2026, 3, 16), date(2026, 3, 16), id="minus-CW-on-a-monday"),
        pytest.param("-CW", date(2026, 1, 1), date(2025, 12, 29), id="minus-CW-across-years"),
        pytest.param("CM", date(2024, 2, 10), date(2024, 2, 29), id="CM-leap-feb"),
        pytest.param("CM", date(2100, 2, 10), date(2100, 2, 28), id="CM-2100-feb"),
        pytest.param("CM", date(2000, 2, 10), date(2000, 2, 29), id="CM-2000-feb"),
        pytest.param("CM", date(2026, 12, 31), date(2026, 12, 31), id="CM-on-month-end"),
        pytest.param("-CM", date(2026, 12, 1), date(2026, 12, 1), id="minus-CM-on-first"),
        pytest.param("CM+1D", date(2026, 1, 15), date(2026, 2, 1), id="CM-plus-1D"),
        pytest.param("CQ", date(2026, 2, 14), date(2026, 3, 31), id="CQ-q1-end"),
        pytest.param("CQ", date(2026, 4, 1), date(2026, 6, 30), id="CQ-q2-end"),
        pytest.param("CQ", date(2026, 9, 30), date(2026, 9, 30), id="CQ-q3-end"),
        pytest.param("CQ", date(2026, 10, 2), date(2026, 12, 31), id="CQ-q4-end"),
        pytest.param("-CQ", date(2026, 3, 31), date(2026, 1, 1), id="minus-CQ-q1-start"),
        pytest.param("-CQ", date(2026, 5, 20), date(2026, 4, 1), id="minus-CQ-q2-start"),
        pytest.param("-CQ", date(2026, 8, 31), date(2026, 7, 1), id="minus-CQ-q3-start"),
        pytest.param("-CQ", date(2026, 12, 31), date(2026, 10, 1), id="minus-CQ-q4-start"),
        pytest.param("CY", WORK_DATE, date(2026, 12, 31), id="CY"),
        pytest.param("-CY", WORK_DATE, date(2026, 1, 1), id="minus-CY"),
        pytest.param("CY+1D", date(2026, 12, 31), date(2027, 1, 1), id="CY-plus-1D"),
        pytest.param("-1Y-CY", WORK_DATE, date(2025, 1, 1), id="start-of-last-year"),
        pytest.param("-1Y+CY", WORK_DATE, date(2025, 12, 31), id="end-of-last-year"),
        pytest.param("-1M+CM", date(2024, 3, 31), date(2024, 2, 29), id="end-of-last-month"),
        # day of month: strictly after the base date, clamped in short months
        pytest.param("D10", date(2026, 3, 9), date(2026, 3, 10), id="D10-before-the-10th"),
        pytest.param("D10", date(2026, 3, 10), date(2026, 4, 10), id="D10-on-the-10th"),
        pytest.param("D10", date(2026, 12, 20), date(2027, 1, 10), id="D10-crosses-year"),
        pytest.param("-D10", date(2026, 3, 10), date(2026, 2, 10), id="minus-D10-on-the-10th"),
        pytest.param("-D10", date(2026, 3, 11), date(2026, 3, 10), id="minus-D10-after"),
        pytest.param("D31", date(2026, 2, 5), date(2026, 2, 28), id="D31-short-month"),
        pytest.param("D31", date(2026, 2, 28), date(2026, 3, 31), id="D31-on-feb-end"),
        pytest.param("D30", date(2024, 2, 29), date(2024, 3, 30), id="D30-on-leap-feb-end"),
        pytest.param("-D31", date(2026, 3, 5), date(2026, 2, 28), id="minus-D31"),
        pytest.param("CM+D15", date(2026, 3, 2), date(2026, 4, 15), id="CM-plus-D15"),
        # weekday numbers: next (or previous) occurrence, never the base day
        pytest.param("WD1", WORK_DATE, date(2026, 3, 23), id="WD1-next-monday"),
        pytest.param("WD4", WORK_DATE, date(2026, 3, 19), id="WD4-next-thursday"),
        pytest.param("WD7", WORK_DATE, date(2026, 3, 22), id="WD7-next-sunday"),
        pytest.param("WD2", date(2026, 3, 24), date(2026, 3, 31), id="WD2-on-a-tuesday"),
        pytest.param("-WD2", WORK_DATE, date(2026, 3, 10), id="minus-WD2-on-a-tuesday"),
        pytest.param("-WD5", WORK_DATE, date(2026, 3, 13), id="minus-WD5-last-friday"),
        # counted weekdays skip Saturday and Sunday
        pytest.param("1WD", date(2026, 3, 20), date(2026, 3, 23), id="1WD-friday-to-monday"),
        pytest.param("3WD", date(2026, 3, 20), date(2026, 3, 25), id="3WD-from-friday"),
        pytest.param("1WD", date(2026, 3, 21), date(2026, 3, 23), id="1WD-from-saturday"),
        pytest.param("5WD", date(2026, 3, 21), date(2026, 3, 27), id="5WD-from-saturday"),
        pytest.param("5WD", WORK_DATE, date(2026, 3, 24), id="5WD-a-week"),
        pytest.param("10WD", WORK_DATE, date(2026, 3, 31), id="10WD-two-weeks"),
        pytest.param("-1WD", date(2026, 3, 23), date(2026, 3, 20), id="minus-1WD-monday"),
        pytest.param("-6WD", date(2026, 3, 22), date(2026, 3, 13), id="minus-6WD-sunday"),
    ],
)
def test_formula_lands_on_the_expected_date(formula: str, base: date, expected: date) -> None:
    assert calc_date(formula, base) == expected


def test_a_parsed_formula_gives_the_same_date_as_its_text() -> None:
    formula = parse_formula("-1m-cm")
    assert calc_date(formula, WORK_DATE) == calc_date("-1M-CM", WORK_DATE) == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        pytest.param("+5d", "5D", id="plus-sign-dropped"),
        pytest.param("1m + cm", "1M+CM", id="spaces-and-case"),
        pytest.param("-cy", "-CY", id="leading-minus-kept"),
        pytest.param("007D", "7D", id="leading-zeros"),
        pytest.param("cq+1m+20d", "CQ+1M+20D", id="three-terms"),
        pytest.param("d10", "D10", id="day-of-month"),
        pytest.param("-wd3", "-WD3", id="previous-weekday"),
        pytest.param("2wd", "2WD", id="counted-weekdays"),
        pytest.param("", "", id="empty"),
    ],
)
def test_canonical_text_is_upper_case_with_explicit_signs(text: str, canonical: str) -> None:
    assert str(parse_formula(text)) == canonical


def test_parsed_terms_record_sign_kind_unit_and_number() -> None:
    assert parse_formula("-1M+CM+D10+WD4").terms == (
        DateTerm(True, TermKind.COUNT, Unit.MONTH, 1),
        DateTerm(False, TermKind.CURRENT, Unit.MONTH),
        DateTerm(False, TermKind.POSITION, Unit.DAY, 10),
        DateTerm(False, TermKind.POSITION, Unit.WEEKDAY, 4),
    )


@pytest.mark.parametrize(
    ("formula", "position", "expected"),
    [
        pytest.param("1X", 1, "a unit", id="unknown-unit"),
        pytest.param("M", 0, "a number before M", id="unit-without-number"),
        pytest.param("1", 1, "a unit", id="number-without-unit"),
        pytest.param("+", 1, "a term", id="sign-alone"),
        pytest.param("1M+", 3, "a term", id="dangling-plus"),
        pytest.param("C", 1, "a period", id="C-alone"),
        pytest.param("CX", 1, "a period", id="C-unknown-period"),
        pytest.param("D32", 1, "from 1 to 31", id="day-32"),
        pytest.param("D0", 1, "from 1 to 31", id="day-0"),
        pytest.param("WD8", 2, "from 1 to 7", id="weekday-8"),
        pytest.param("WD0", 2, "from 1 to 7", id="weekday-0"),
        pytest.param("WD", 2, "a number after WD", id="weekday-without-number"),
        pytest.param("1M2D", 2, "+ or -", id="missing-sign"),
        pytest.param("CM 1D", 3, "+ or -", id="space-instead-of-sign"),
        pytest.param("1 M", 1, "a unit", id="space-inside-term"),
        pytest.param("W3", 0, "a number before W", id="week-number"),
        pytest.param("1CM", 1, "a unit", id="count-before-C"),
        pytest.param("+-1D", 1, "a term", id="double-sign"),
        pytest.param("12345678D", 0, "at most 7 digits", id="too-many-digits"),
        pytest.param("1M-", 3, "a term", id="dangling-minus"),
        pytest.param("ß", 0, "a term", id="non-ascii"),
    ],
)
def test_invalid_formula_names_the_position_and_what_was_expected(
    formula: str, position: int, expected: str
) -> None:
    with pytest.raises(DomainError) as caught:
        parse_formula(formula)
    assert caught.value.code is ErrorCode.INVALID_DATE_FORMULA
    assert f"at position {position}:" in caught.value.message
    assert expected in caught.value.message


@pytest.mark.parametrize(
    ("formula", "base", "position"),
    [
        pytest.param("9999999Y", WORK_DATE, 0, id="years-past-9999"),
        pytest.param("1D", date(9999, 12, 31), 0, id="one-day-past-9999"),
        pytest.param("CM+1D", date(9999, 12, 5), 2, id="second-term-overflows"),
        pytest.param("-1D", date(1, 1, 1), 0, id="before-year-1"),
        pytest.param("-WD1", date(1, 1, 1), 0, id="previous-monday-before-year-1"),
        pytest.param("D5", date(9999, 12, 20), 0, id="next-5th-past-9999"),
        pytest.param("WD1", date(9999, 12, 31), 0, id="next-monday-past-9999"),
        pytest.param("1WD", date(9999, 12, 31), 0, id="next-weekday-past-9999"),
        pytest.param("-1Q", date(1, 2, 1), 0, id="quarter-before-year-1"),
    ],
)
def test_result_outside_the_calendar_is_a_formula_error(
    formula: str, base: date, position: int
) -> None:
    with pytest.raises(DomainError) as caught:
        calc_date(formula, base)
    assert caught.value.code is ErrorCode.INVALID_DATE_FORMULA
    assert f"at position {position}," in caught.value.message


def test_hand_built_formula_with_impossible_day_is_rejected() -> None:
    formula = DateFormula((DateTerm(False, TermKind.POSITION, Unit.DAY, 40),))
    with pytest.raises(DomainError) as caught:
        calc_date(formula, WORK_DATE)
    assert caught.value.code is ErrorCode.INVALID_DATE_FORMULA
