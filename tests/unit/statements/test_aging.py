"""Aging bands: five buckets stepped back from the statement date by the period formula."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.statements import (
    AgingBy,
    BucketKind,
    StatementEntry,
    age_open_items,
    bucket_ranges,
    build_statement,
    step_back_formula,
)
from tests.unit.statements.builders import CUSTOMER, applied, d, invoice, options, payment

CURRENT, PERIOD, OLDER = BucketKind.CURRENT, BucketKind.PERIOD, BucketKind.OLDER

# (id, period, aging date, aging by, [(kind, start, end)])
RANGES = [
    (
        "due_date_1M+CM_month_end",
        "1M+CM",
        "2026-03-31",
        AgingBy.DUE_DATE,
        [
            (CURRENT, "2026-03-31", None),
            (PERIOD, "2026-03-01", "2026-03-30"),
            (PERIOD, "2026-02-01", "2026-02-28"),
            (PERIOD, "2026-01-01", "2026-01-31"),
            (OLDER, None, "2025-12-31"),
        ],
    ),
    (
        "due_date_1M+CM_mid_month",
        "1M+CM",
        "2026-03-17",
        AgingBy.DUE_DATE,
        [
            (CURRENT, "2026-03-17", None),
            (PERIOD, "2026-03-01", "2026-03-16"),
            (PERIOD, "2026-02-01", "2026-02-28"),
            (PERIOD, "2026-01-01", "2026-01-31"),
            (OLDER, None, "2025-12-31"),
        ],
    ),
    (
        "due_date_30D_is_1_30_31_60_61_90_over_90_days_overdue",
        "30D",
        "2026-03-31",
        AgingBy.DUE_DATE,
        [
            (CURRENT, "2026-03-31", None),
            (PERIOD, "2026-03-01", "2026-03-30"),
            (PERIOD, "2026-01-30", "2026-02-28"),
            (PERIOD, "2025-12-31", "2026-01-29"),
            (OLDER, None, "2025-12-30"),
        ],
    ),
    (
        "posting_date_30D",
        "30D",
        "2026-03-31",
        AgingBy.POSTING_DATE,
        [
            (PERIOD, "2026-03-02", "2026-03-31"),
            (PERIOD, "2026-01-31", "2026-03-01"),
            (PERIOD, "2026-01-01", "2026-01-30"),
            (PERIOD, "2025-12-02", "2025-12-31"),
            (OLDER, None, "2025-12-01"),
        ],
    ),
    (
        "posting_date_1M+CM",
        "1M+CM",
        "2026-03-31",
        AgingBy.POSTING_DATE,
        [
            (PERIOD, "2026-03-01", "2026-03-31"),
            (PERIOD, "2026-02-01", "2026-02-28"),
            (PERIOD, "2026-01-01", "2026-01-31"),
            (PERIOD, "2025-12-01", "2025-12-31"),
            (OLDER, None, "2025-11-30"),
        ],
    ),
    (
        "posting_date_leap_february",
        "1M+CM",
        "2024-03-31",
        AgingBy.POSTING_DATE,
        [
            (PERIOD, "2024-03-01", "2024-03-31"),
            (PERIOD, "2024-02-01", "2024-02-29"),
            (PERIOD, "2024-01-01", "2024-01-31"),
            (PERIOD, "2023-12-01", "2023-12-31"),
            (OLDER, None, "2023-11-30"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("period", "aging_date", "aging_by", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in RANGES],
)
def test_bucket_boundaries_step_back_from_the_aging_date(
    period: str,
    aging_date: str,
    aging_by: AgingBy,
    expected: list[tuple[BucketKind, str | None, str | None]],
) -> None:
    got = bucket_ranges(period, d(aging_date), aging_by)

    assert got == tuple(
        (kind, d(start) if start else None, d(end) if end else None)
        for kind, start, end in expected
    )


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        pytest.param("1M+CM", "-1M+CM", id="bc_prefixes_a_minus"),
        pytest.param("30D", "-30D", id="days"),
        pytest.param("+2W", "-2W", id="plus_becomes_minus"),
        pytest.param("-1M", "-1M", id="already_backward"),
        pytest.param(" 1m+cm ", "-1m+cm", id="trimmed_lowercase"),
    ],
)
def test_the_period_is_stepped_back_by_negating_its_first_term(period: str, expected: str) -> None:
    assert step_back_formula(period) == expected


def test_aging_by_due_date_puts_not_yet_due_amounts_in_current() -> None:
    entries: list[StatementEntry] = [
        invoice(1, "2026-03-20", "500.00", due="2026-04-15"),
        invoice(2, "2026-03-01", "100.00", due="2026-03-31"),
        invoice(3, "2026-03-01", "200.00", due="2026-03-30"),
        invoice(4, "2026-02-01", "50.00", due="2026-03-01"),
        invoice(5, "2026-01-28", "70.00", due="2026-02-28"),
        invoice(6, "2025-11-30", "10.00", due="2025-12-31"),
        invoice(7, "2026-01-05", "999.00", applied("2026-03-20", "-999.00"), due="2026-01-05"),
        payment(8, "2026-03-20", "-1299.00", applied("2026-03-20", "999.00")),
    ]
    opts = options(include_aging=True, aging_by=AgingBy.DUE_DATE, aging_period="1M+CM")

    (section,) = build_statement(CUSTOMER, entries, opts).sections

    assert section.aging is not None
    # the unapplied payment (no due date) ages by its posting date, 2026-03-20
    assert [b.amount for b in section.aging.buckets] == [
        Decimal("600.00"),
        Decimal("-50.00"),
        Decimal("70.00"),
        Decimal(0),
        Decimal("10.00"),
    ]
    assert section.aging.total == section.closing_balance == Decimal("630.00")


def test_aging_by_posting_date_uses_five_periods() -> None:
    entries = [
        invoice(1, "2026-03-31", "1.00", due="2026-04-30"),
        invoice(2, "2026-02-01", "2.00", due="2026-02-01"),
        invoice(3, "2026-01-31", "4.00", due="2026-01-31"),
        invoice(4, "2025-12-01", "8.00", due="2026-03-01"),
        invoice(5, "2025-11-30", "16.00", due="2026-04-30"),
    ]
    opts = options(include_aging=True, aging_by=AgingBy.POSTING_DATE, aging_period="1M+CM")

    (section,) = build_statement(CUSTOMER, entries, opts).sections

    assert section.aging is not None
    assert [b.amount for b in section.aging.buckets] == [
        Decimal("1.00"),
        Decimal("2.00"),
        Decimal("4.00"),
        Decimal("8.00"),
        Decimal("16.00"),
    ]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        pytest.param("30D", ["0", "10", "60", "80", "0"], id="30D"),
        pytest.param("1M+CM", ["0", "10", "20", "40", "80"], id="1M+CM"),
    ],
)
def test_30_days_and_calendar_months_band_the_same_items_differently(
    period: str, expected: list[str]
) -> None:
    # days overdue at 2026-03-31: 1, 45, 60 and 90 days; by month: March, Feb, Jan, Dec
    items = [
        (d("2026-03-30"), Decimal(10)),
        (d("2026-02-14"), Decimal(20)),
        (d("2026-01-30"), Decimal(40)),
        (d("2025-12-31"), Decimal(80)),
    ]

    aging = age_open_items(items, period, d("2026-03-31"), AgingBy.DUE_DATE)

    assert [b.amount for b in aging.buckets] == [Decimal(x) for x in expected]
    assert aging.period == period
    assert aging.aging_date == d("2026-03-31")
