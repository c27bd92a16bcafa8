"""Reminder runs pick the right overdue invoices, levels and fees, to the cent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.reminders import (
    Reminder,
    ReminderCandidate,
    ReminderLevel,
    ReminderTerms,
    level_text,
    propose_reminders,
    terms_in_currency,
    validate_terms,
)

CENT = Decimal("0.01")
RUN_DATE = date(2026, 3, 17)

TERMS = ReminderTerms(
    code="DOMESTIC",
    minimum_overdue_amount=Decimal("10.00"),
    max_reminders=3,
    levels=(
        ReminderLevel(1, "5D", "10D", Decimal("5.00"), Decimal(0), Decimal("1.50")),
        ReminderLevel(2, "7D", "7D", Decimal("10.00"), Decimal("1.5"), Decimal(0)),
        ReminderLevel(3, "7D", "5D", Decimal("20.00"), Decimal(2), Decimal("2.00")),
    ),
)


def candidate(entry_no: int, amount: str, due: date, **overrides: Any) -> ReminderCandidate:
    """An open EUR invoice of Acme Trading, never reminded so far."""
    values: dict[str, Any] = {
        "entry_no": entry_no,
        "document_type": "INVOICE",
        "document_no": f"INV-{1000 + entry_no}",
        "currency_code": "EUR",
        "posting_date": date(2026, 2, 1),
        "document_date": date(2026, 2, 1),
        "due_date": due,
        "remaining_amount": Decimal(amount),
        "last_reminder_level": 0,
        "last_reminder_date": None,
    }
    values.update(overrides)
    return ReminderCandidate(**values)


FIRST = candidate(1, "1000.00", date(2026, 3, 1))
IN_GRACE = candidate(2, "250.50", date(2026, 3, 12))  # grace ends 2026-03-17: not yet
JUST_PAST_GRACE = candidate(3, "333.33", date(2026, 3, 11))  # grace ended 2026-03-16


@pytest.mark.parametrize(
    ("entries", "level", "lines", "remaining", "fee", "due_date"),
    [
        pytest.param(
            (FIRST, IN_GRACE, JUST_PAST_GRACE),
            1,
            ((1, 1), (3, 1)),
            "1333.33",
            "8.00",  # 5.00 fixed + 2 lines × 1.50
            date(2026, 3, 27),
            id="first-reminder-skips-entry-in-grace",
        ),
        pytest.param(
            (
                replace(FIRST, last_reminder_level=1, last_reminder_date=date(2026, 3, 5)),
                JUST_PAST_GRACE,
            ),
            2,
            ((1, 2), (3, 1)),
            "1333.33",
            "30.00",  # 10.00 fixed + 1.5 % × 1,333.33 = 19.99995 → 20.00
            date(2026, 3, 24),
            id="second-level-counts-grace-from-last-reminder",
        ),
        pytest.param(
            (replace(FIRST, last_reminder_level=2, last_reminder_date=date(2026, 3, 9)),),
            3,
            ((1, 3),),
            "1000.00",
            "42.00",  # 20.00 fixed + 2 % × 1,000.00 + 1 line × 2.00
            date(2026, 3, 22),
            id="third-level",
        ),
        pytest.param(
            (
                replace(FIRST, last_reminder_level=1, last_reminder_date=date(2026, 3, 10)),
                JUST_PAST_GRACE,
            ),
            1,
            ((3, 1),),
            "333.33",
            "6.50",
            date(2026, 3, 27),
            id="last-reminder-still-in-grace",
        ),
        pytest.param(
            (
                replace(FIRST, last_reminder_level=3, last_reminder_date=date(2026, 3, 1)),
                JUST_PAST_GRACE,
            ),
            1,
            ((3, 1),),
            "333.33",
            "6.50",
            date(2026, 3, 27),
            id="entry-at-max-reminders-is-skipped",
        ),
        pytest.param(
            (
                candidate(4, "80.10", date(2026, 2, 28), document_type="FINANCE_CHARGE_MEMO"),
                candidate(5, "-50.00", date(2026, 2, 1), document_type="CREDIT_MEMO"),
                candidate(6, "7.50", date(2026, 2, 1), document_type="REMINDER"),
                candidate(7, "0.00", date(2026, 2, 1)),
            ),
            1,
            ((4, 1),),
            "80.10",
            "6.50",
            date(2026, 3, 27),
            id="only-invoices-and-finance-charges-with-a-balance",
        ),
    ],
)
def test_reminder_has_expected_level_lines_and_fees(
    entries: tuple[ReminderCandidate, ...],
    level: int,
    lines: tuple[tuple[int, int], ...],
    remaining: str,
    fee: str,
    due_date: date,
) -> None:
    (reminder,) = propose_reminders(TERMS, entries, RUN_DATE, RUN_DATE, CENT)
    assert reminder.currency_code == "EUR"
    assert reminder.level == level
    assert tuple((line.entry_no, line.level) for line in reminder.lines) == lines
    assert reminder.remaining_amount == Decimal(remaining)
    assert reminder.fee_amount == Decimal(fee)
    assert reminder.total_amount == Decimal(remaining) + Decimal(fee)
    assert reminder.due_date == due_date
    assert reminder.document_date == RUN_DATE


def test_fee_parts_are_each_rounded_to_the_cent() -> None:
    terms = replace(
        TERMS,
        levels=(ReminderLevel(1, "", "14D", Decimal("2.50"), Decimal("1.25"), Decimal("0.35")),),
    )
    entries = (candidate(1, "99.99", date(2026, 3, 1)), candidate(2, "0.37", date(2026, 3, 2)))
    (reminder,) = propose_reminders(terms, entries, RUN_DATE, RUN_DATE, CENT)
    assert reminder.fixed_fee == Decimal("2.50")
    assert reminder.pct_fee == Decimal("1.25")  # 1.25 % × 100.36 = 1.2545
    assert reminder.line_fee == Decimal("0.70")
    assert reminder.fee_amount == Decimal("4.45")
    assert reminder.total_amount == Decimal("104.81")


def test_without_a_cap_the_last_level_repeats_with_a_higher_number() -> None:
    terms = replace(TERMS, max_reminders=0)
    entry = replace(FIRST, last_reminder_level=3, last_reminder_date=date(2026, 3, 1))
    (reminder,) = propose_reminders(terms, (entry,), RUN_DATE, RUN_DATE, CENT)
    assert reminder.level == 4
    assert reminder.fee_amount == Decimal("42.00")


def test_lines_are_ordered_by_due_date() -> None:
    entries = (JUST_PAST_GRACE, FIRST, candidate(9, "10.00", date(2026, 1, 15)))
    (reminder,) = propose_reminders(TERMS, entries, RUN_DATE, RUN_DATE, CENT)
    assert [line.entry_no for line in reminder.lines] == [9, 1, 3]


def test_each_currency_gets_its_own_reminder_and_small_ones_are_skipped() -> None:
    entries = (
        FIRST,
        candidate(10, "400.00", date(2026, 3, 1), currency_code="USD"),
        candidate(11, "9.99", date(2026, 3, 1), currency_code="GBP"),
    )
    reminders = propose_reminders(TERMS, entries, RUN_DATE, RUN_DATE, CENT)
    assert [(r.currency_code, r.remaining_amount, r.fee_amount) for r in reminders] == [
        ("EUR", Decimal("1000.00"), Decimal("6.50")),
        ("USD", Decimal("400.00"), Decimal("6.50")),
    ]


def test_overdue_as_of_an_earlier_date_leaves_later_entries_out() -> None:
    reminders = propose_reminders(
        TERMS, (FIRST, JUST_PAST_GRACE), RUN_DATE, date(2026, 3, 10), CENT
    )
    assert [line.entry_no for line in reminders[0].lines] == [1]


def test_document_date_before_posting_date_is_allowed() -> None:
    (reminder,) = propose_reminders(TERMS, (FIRST,), date(2026, 3, 7), date(2026, 3, 7), CENT)
    assert reminder.due_date == date(2026, 3, 17)


@pytest.mark.parametrize(
    "entries",
    [
        pytest.param((IN_GRACE,), id="only-entries-in-grace"),
        pytest.param((), id="no-entries"),
        pytest.param((candidate(1, "9.99", date(2026, 3, 1)),), id="below-minimum"),
        pytest.param(
            (replace(FIRST, last_reminder_level=3, last_reminder_date=date(2026, 3, 1)),),
            id="all-at-max",
        ),
    ],
)
def test_nothing_to_remind_is_an_error(entries: tuple[ReminderCandidate, ...]) -> None:
    with pytest.raises(DomainError) as caught:
        propose_reminders(TERMS, entries, RUN_DATE, RUN_DATE, CENT)
    assert caught.value.code is ErrorCode.NOTHING_OVERDUE


def test_overdue_date_after_document_date_is_out_of_order() -> None:
    with pytest.raises(DomainError) as caught:
        propose_reminders(TERMS, (FIRST,), RUN_DATE, date(2026, 3, 18), CENT)
    assert caught.value.code is ErrorCode.DATES_OUT_OF_ORDER


def _level(no: int, **overrides: Any) -> ReminderLevel:
    values: dict[str, Any] = {
        "no": no,
        "grace_period": "5D",
        "due_date_formula": "10D",
        "fixed_fee": Decimal(5),
        "pct_of_remaining": Decimal(0),
        "additional_fee_per_line": Decimal(0),
    }
    values.update(overrides)
    return ReminderLevel(**values)


@pytest.mark.parametrize(
    ("terms", "code", "field"),
    [
        pytest.param(replace(TERMS, levels=()), ErrorCode.INVALID_TERMS, ["levels"],
                     id="no-levels"),
        pytest.param(replace(TERMS, levels=(_level(1), _level(1))), ErrorCode.INVALID_TERMS,
                     ["levels"], id="duplicate-level"),
        pytest.param(replace(TERMS, levels=(_level(1), _level(3))), ErrorCode.INVALID_TERMS,
                     ["levels"], id="gap-in-levels"),
        pytest.param(replace(TERMS, levels=(_level(2),)), ErrorCode.INVALID_TERMS,
                     ["levels"], id="not-starting-at-1"),
        pytest.param(replace(TERMS, max_reminders=-1), ErrorCode.INVALID_TERMS,
                     ["maxReminders"], id="negative-max"),
        pytest.param(replace(TERMS, minimum_overdue_amount=Decimal("-0.01")),
                     ErrorCode.INVALID_AMOUNT, ["minimumOverdueAmount"],
                     id="negative-minimum"),
        pytest.param(replace(TERMS, levels=(_level(1, fixed_fee=Decimal(-1)),)),
                     ErrorCode.INVALID_AMOUNT, ["levels", "0", "fixedFee"],
                     id="negative-fixed-fee"),
        pytest.param(replace(TERMS, levels=(_level(1), _level(2, pct_of_remaining=Decimal(-2)))),
                     ErrorCode.INVALID_AMOUNT, ["levels", "1", "pctOfRemaining"],
                     id="negative-pct"),
        pytest.param(replace(TERMS, levels=(_level(1, pct_of_remaining=Decimal(101)),)),
                     ErrorCode.INVALID_AMOUNT, ["levels", "0", "pctOfRemaining"],
                     id="pct-above-100"),
        pytest.param(replace(TERMS, levels=(_level(1, additional_fee_per_line=Decimal(-1)),)),
                     ErrorCode.INVALID_AMOUNT, ["levels", "0", "additionalFeePerLine"],
                     id="negative-line-fee"),
        pytest.param(replace(TERMS, levels=(_level(1, grace_period="5X"),)),
                     ErrorCode.INVALID_DATE_FORMULA, ["levels", "0", "gracePeriod"],
                     id="bad-grace-formula"),
        pytest.param(replace(TERMS, levels=(_level(1, due_date_formula="M"),)),
                     ErrorCode.INVALID_DATE_FORMULA,
                     ["levels", "0", "dueDateCalculation"], id="bad-due-formula"),
        pytest.param(replace(TERMS, levels=(_level(1, texts=(("fr", "Payez {amount}"),)),)),
                     ErrorCode.INVALID_TERMS, ["levels", "0", "texts", "0", "text"],
                     id="unknown-placeholder"),
        pytest.param(replace(TERMS, levels=(_level(1, texts=(("fr", "Payez {0}"),)),)),
                     ErrorCode.INVALID_TERMS, ["levels", "0", "texts", "0", "text"],
                     id="positional-placeholder"),
        pytest.param(replace(TERMS, levels=(_level(1, texts=(("fr", "Payez {total"),)),)),
                     ErrorCode.INVALID_TERMS, ["levels", "0", "texts", "0", "text"],
                     id="unbalanced-brace"),
        pytest.param(replace(TERMS, levels=(_level(1, texts=(("fr", "  "),)),)),
                     ErrorCode.INVALID_TERMS, ["levels", "0", "texts", "0", "text"],
                     id="blank-text"),
        pytest.param(replace(TERMS, levels=(_level(1, texts=(("fr", "a"), ("FR", "b"))),)),
                     ErrorCode.INVALID_TERMS,
                     ["levels", "0", "texts", "1", "languageCode"],
                     id="language-twice"),
        pytest.param(replace(TERMS, levels=(_level(1, texts=(("12", "a"),)),)),
                     ErrorCode.INVALID_TERMS,
                     ["levels", "0", "texts", "0", "languageCode"],
                     id="not-a-language"),
    ],
)  # fmt: skip
def test_invalid_terms_are_refused(terms: ReminderTerms, code: ErrorCode, field: list[str]) -> None:
    with pytest.raises(DomainError) as caught:
        validate_terms(terms)
    assert caught.value.code is code
    assert caught.value.field == field


def test_levels_may_be_listed_in_any_order() -> None:
    validate_terms(replace(TERMS, levels=tuple(reversed(TERMS.levels))))


def test_lcy_fees_and_minimum_convert_to_the_customer_currency() -> None:
    usd = terms_in_currency(TERMS, Decimal("0.9350"), CENT)
    assert usd.minimum_overdue_amount == Decimal("10.70")
    assert [(lv.fixed_fee, lv.additional_fee_per_line) for lv in usd.levels] == [
        (Decimal("5.35"), Decimal("1.60")),
        (Decimal("10.70"), Decimal("0.00")),
        (Decimal("21.39"), Decimal("2.14")),
    ]
    assert [lv.pct_of_remaining for lv in usd.levels] == [Decimal(0), Decimal("1.5"), Decimal(2)]


def _propose(entries: tuple[ReminderCandidate, ...]) -> tuple[Reminder, ...] | DomainError:
    try:
        return propose_reminders(TERMS, entries, RUN_DATE, RUN_DATE, CENT)
    except DomainError as error:  # any other exception fails the test
        return error


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


@settings(deadline=None, max_examples=100)
@given(st.lists(st.tuples(amounts, st.integers(0, 90), st.integers(0, 3)), min_size=1, max_size=8))
def test_reminder_total_is_lines_plus_non_negative_fees(
    rows: list[tuple[Decimal, int, int]],
) -> None:
    entries = tuple(
        candidate(
            n,
            str(amount),
            date.fromordinal(RUN_DATE.toordinal() - days),
            last_reminder_level=level,
            last_reminder_date=date(2026, 1, 1) if level else None,
        )
        for n, (amount, days, level) in enumerate(rows, start=1)
    )
    outcome = _propose(entries)
    if isinstance(outcome, DomainError):
        assert outcome.code is ErrorCode.NOTHING_OVERDUE
        return
    for reminder in outcome:
        assert reminder.fee_amount >= 0
        assert reminder.remaining_amount == sum(line.remaining_amount for line in reminder.lines)
        assert reminder.total_amount == reminder.remaining_amount + reminder.fee_amount
        assert reminder.remaining_amount >= TERMS.minimum_overdue_amount
        assert 1 <= reminder.level <= TERMS.max_reminders


LEVEL_TEXTS = _level(
    1,
    texts=(
        ("fr", "Merci de régler {total} avant le {due_date}."),
        ("de", "Bitte zahlen Sie {total} bis {due_date} ({{Mahnung}})."),
    ),
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Merci de régler 10,00 € avant le 1 mars."),
        ("fr-BE", "Merci de régler 10,00 € avant le 1 mars."),
        ("DE", "Bitte zahlen Sie 10,00 € bis 1 mars ({Mahnung})."),
        ("en", None),
        ("", None),
    ],
)
def test_a_level_text_is_chosen_by_language_and_filled_in(
    language: str, expected: str | None
) -> None:
    validate_terms(replace(TERMS, levels=(LEVEL_TEXTS,)))
    assert level_text(LEVEL_TEXTS, language, total="10,00 €", due_date="1 mars") == expected
