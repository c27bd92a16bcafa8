"""Worked examples: what a statement shows for a small ledger, and that it ties to the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.statements import (
    DocumentType,
    MovementType,
    StatementCustomer,
    StatementEntry,
    StatementStyle,
    build_statement,
)
from tests.unit.statements.builders import (
    CUSTOMER,
    applied,
    d,
    discount,
    entry,
    invoice,
    options,
    payment,
)

INITIAL = MovementType.INITIAL_ENTRY
DISCOUNT = MovementType.PAYMENT_DISCOUNT

# (id, entries, style, opening, [(date, kind, document no, amount, balance)], closing)
BALANCE_CASES = [
    (
        "opening_and_closing",
        [
            invoice(1, "2026-02-10", "1000.00", applied("2026-03-05", "-800.00")),
            invoice(2, "2026-03-12", "500.00"),
            payment(3, "2026-03-05", "-800.00", applied("2026-03-05", "800.00")),
        ],
        "1000.00",
        [
            ("2026-03-05", INITIAL, "PAY-3", "-800.00", "200.00"),
            ("2026-03-12", INITIAL, "INV-2", "500.00", "700.00"),
        ],
        "700.00",
    ),
    (
        "partial_payment_leaves_the_rest_owed",
        [
            invoice(1, "2026-03-02", "1000.00", applied("2026-03-20", "-400.00")),
            payment(2, "2026-03-20", "-400.00", applied("2026-03-20", "400.00")),
        ],
        "0",
        [
            ("2026-03-02", INITIAL, "INV-1", "1000.00", "1000.00"),
            ("2026-03-20", INITIAL, "PAY-2", "-400.00", "600.00"),
        ],
        "600.00",
    ),
    (
        "payment_discount_is_its_own_line",
        [
            invoice(
                1,
                "2026-03-02",
                "1000.00",
                applied("2026-03-10", "-980.00"),
                discount("2026-03-10", "-20.00"),
            ),
            payment(2, "2026-03-10", "-980.00", applied("2026-03-10", "980.00")),
        ],
        "0",
        [
            ("2026-03-02", INITIAL, "INV-1", "1000.00", "1000.00"),
            ("2026-03-10", DISCOUNT, "INV-1", "-20.00", "980.00"),
            ("2026-03-10", INITIAL, "PAY-2", "-980.00", "0.00"),
        ],
        "0.00",
    ),
    (
        "activity_after_the_end_date_is_ignored",
        [
            invoice(1, "2026-03-02", "1000.00", applied("2026-04-02", "-1000.00")),
            payment(2, "2026-04-02", "-1000.00", applied("2026-04-02", "1000.00")),
        ],
        "0",
        [("2026-03-02", INITIAL, "INV-1", "1000.00", "1000.00")],
        "1000.00",
    ),
    (
        "only_an_opening_balance",
        [invoice(1, "2026-01-15", "250.00")],
        "250.00",
        [],
        "250.00",
    ),
]


@pytest.mark.parametrize(
    ("entries", "opening", "lines", "closing"),
    [pytest.param(*case[1:], id=case[0]) for case in BALANCE_CASES],
)
def test_balance_style_lists_every_movement_with_a_running_balance(
    entries: list[StatementEntry],
    opening: str,
    lines: list[tuple[str, MovementType, str, str, str]],
    closing: str,
) -> None:
    statement = build_statement(CUSTOMER, entries, options())

    (section,) = statement.sections
    assert section.currency_code == "EUR"
    assert section.opening_balance == Decimal(opening)
    got = [(str(x.posting_date), x.kind, x.document_no, x.amount, x.balance) for x in section.lines]
    assert got == [(dt, k, no, Decimal(a), Decimal(b)) for dt, k, no, a, b in lines]
    assert section.closing_balance == Decimal(closing)
    assert section.closing_balance == section.opening_balance + sum(x.amount for x in section.lines)


def test_open_item_style_shows_entries_open_at_the_end_date_with_their_remaining_then() -> None:
    entries = [
        invoice(1, "2026-02-10", "1000.00", applied("2026-03-05", "-800.00")),
        payment(2, "2026-03-05", "-800.00", applied("2026-03-05", "800.00")),
        invoice(3, "2026-03-12", "500.00", applied("2026-04-05", "-500.00")),
        invoice(4, "2026-03-15", "300.00", applied("2026-03-20", "-300.00")),
        payment(5, "2026-03-20", "-300.00", applied("2026-03-20", "300.00")),
        payment(6, "2026-04-05", "-500.00", applied("2026-04-05", "500.00")),
    ]

    statement = build_statement(CUSTOMER, entries, options(style=StatementStyle.OPEN_ITEM))

    (section,) = statement.sections
    assert section.opening_balance == Decimal("200.00")  # INV-1, posted before March
    assert [(x.document_no, x.original_amount, x.amount, x.balance) for x in section.lines] == [
        ("INV-3", Decimal("500.00"), Decimal("500.00"), Decimal("700.00"))
    ]
    assert section.closing_balance == Decimal("700.00")


def test_each_currency_gets_its_own_section_the_customers_currency_first() -> None:
    customer = StatementCustomer(no="C-20000", name="Selangorian Ltd.", currency_code="USD")
    entries = [
        invoice(1, "2026-03-02", "100.00"),
        invoice(2, "2026-03-03", "200.00", currency="USD"),
        invoice(3, "2026-03-04", "300.00", currency="GBP"),
        invoice(4, "2026-03-05", "40.00", currency="EUR"),
    ]

    statement = build_statement(customer, entries, options())

    assert [(s.currency_code, s.closing_balance) for s in statement.sections] == [
        ("USD", Decimal("200.00")),
        ("EUR", Decimal("140.00")),  # blank currency = the LCY code given in the options
        ("GBP", Decimal("300.00")),
    ]


def test_an_application_between_currencies_is_one_net_line_per_currency_and_day() -> None:
    entries = [
        invoice(1, "2026-03-02", "1100.00", applied("2026-03-10", "-1100.00"), currency="USD"),
        payment(2, "2026-03-10", "-1000.00", applied("2026-03-10", "1000.00")),
    ]

    statement = build_statement(CUSTOMER, entries, options())

    eur, usd = statement.sections
    assert [(x.entry_no, x.kind, x.amount, x.balance) for x in eur.lines] == [
        (2, INITIAL, Decimal("-1000.00"), Decimal("-1000.00")),
        (None, MovementType.APPLICATION, Decimal("1000.00"), Decimal("0.00")),
    ]
    assert [(x.entry_no, x.kind, x.amount) for x in usd.lines] == [
        (1, INITIAL, Decimal("1100.00")),
        (None, MovementType.APPLICATION, Decimal("-1100.00")),
    ]
    assert eur.closing_balance == usd.closing_balance == Decimal(0)


def test_applications_within_one_currency_are_not_printed() -> None:
    entries = [
        invoice(1, "2026-03-02", "100.00", applied("2026-03-09", "-100.00")),
        payment(2, "2026-03-09", "-100.00", applied("2026-03-09", "100.00")),
    ]

    (section,) = build_statement(CUSTOMER, entries, options()).sections

    assert all(x.kind is not MovementType.APPLICATION for x in section.lines)


def test_overdue_lines_are_positive_remaining_amounts_due_before_the_statement_date() -> None:
    entries = [
        invoice(1, "2026-03-01", "1000.00", due="2026-03-15"),
        invoice(2, "2026-03-01", "400.00", due="2026-03-31"),  # due today: not overdue
        invoice(3, "2026-02-01", "90.00", applied("2026-03-03", "-90.00"), due="2026-02-15"),
        payment(4, "2026-03-03", "-90.00", applied("2026-03-03", "90.00")),
        entry(5, DocumentType.CREDIT_MEMO, "2026-02-20", "-200.00", due="2026-02-20"),
        invoice(6, "2026-01-02", "1000.00", applied("2026-03-10", "-300.00"), due="2026-02-01"),
        payment(7, "2026-03-10", "-300.00", applied("2026-03-10", "300.00")),
    ]

    (section,) = build_statement(CUSTOMER, entries, options(include_overdue=True)).sections

    assert [(o.document_no, o.days_overdue, o.remaining_amount) for o in section.overdue] == [
        ("INV-6", 58, Decimal("700.00")),
        ("INV-1", 16, Decimal("1000.00")),
    ]
    assert section.overdue_total == Decimal("1700.00")


def test_no_overdue_lines_unless_asked_for() -> None:
    entries = [invoice(1, "2026-03-01", "1000.00", due="2026-03-15")]

    (section,) = build_statement(CUSTOMER, entries, options()).sections

    assert section.overdue == ()
    assert section.aging is None


def test_the_statement_date_is_the_end_date() -> None:
    statement = build_statement(CUSTOMER, [invoice(1, "2026-03-02", "10.00")], options())

    assert statement.statement_date == d("2026-03-31")


@pytest.mark.parametrize(
    ("option_language", "customer_language", "expected"),
    [
        pytest.param("FRA", "ENU", "FRA", id="options_win"),
        pytest.param("", "ENU", "ENU", id="customer_language_by_default"),
    ],
)
def test_the_language_is_the_options_or_else_the_customers(
    option_language: str, customer_language: str, expected: str
) -> None:
    customer = StatementCustomer(no="C-1", name="X", language_code=customer_language)

    statement = build_statement(customer, [], options(language_code=option_language))

    assert statement.language_code == expected


def test_a_customer_without_balance_or_movement_gets_an_empty_statement() -> None:
    entries = [
        invoice(1, "2026-01-02", "100.00", applied("2026-01-09", "-100.00")),
        payment(2, "2026-01-09", "-100.00", applied("2026-01-09", "100.00")),
    ]

    statement = build_statement(CUSTOMER, entries, options())

    assert statement.is_empty


def test_a_start_date_after_the_end_date_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        build_statement(CUSTOMER, [], options(start="2026-04-01", end="2026-03-31"))

    assert caught.value.code is ErrorCode.DATES_OUT_OF_ORDER
    assert caught.value.field == ["startDate"]


@pytest.mark.parametrize(
    "period",
    [
        pytest.param("1X", id="unknown_unit"),
        pytest.param("", id="empty"),
        pytest.param("CM", id="does_not_move_back"),
        pytest.param("-1M+2M", id="moves_forward"),
    ],
)
def test_an_aging_period_that_is_not_a_backward_step_is_refused(period: str) -> None:
    with pytest.raises(DomainError) as caught:
        build_statement(CUSTOMER, [], options(include_aging=True, aging_period=period))

    assert caught.value.code is ErrorCode.INVALID_DATE_FORMULA
    assert caught.value.field == ["agingPeriod"]


def test_the_aging_period_is_not_checked_when_aging_is_off() -> None:
    statement = build_statement(CUSTOMER, [], options(include_aging=False, aging_period="1X"))

    assert statement.is_empty
