"""Aged balances: columns laid out like BC's Aged Accounts Receivable, amounts put in them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.reports import (
    AgedBalance,
    AgingBasis,
    age_balance,
    aged_balance,
    aging_layout,
    currency_totals,
)

DUE, POSTING, DOCUMENT = AgingBasis.DUE_DATE, AgingBasis.POSTING_DATE, AgingBasis.DOCUMENT_DATE


def d(text: str) -> date:
    return date.fromisoformat(text)


# (id, as of, basis, periods, [(label, start, end)])
LAYOUTS = [
    (
        "due_date_30D_is_1_30_31_60_61_90_over_90_days",
        "2026-03-31",
        DUE,
        ["30D"],
        [
            ("1-30 days", "2026-03-02", "2026-03-31"),
            ("31-60 days", "2026-01-31", "2026-03-01"),
            ("61-90 days", "2026-01-01", "2026-01-30"),
            ("Over 90 days", None, "2025-12-31"),
        ],
    ),
    (
        "posting_date_30D_has_four_periods_as_in_bc",
        "2026-03-31",
        POSTING,
        ["30D"],
        [
            ("1-30 days", "2026-03-02", "2026-03-31"),
            ("31-60 days", "2026-01-31", "2026-03-01"),
            ("61-90 days", "2026-01-01", "2026-01-30"),
            ("91-120 days", "2025-12-02", "2025-12-31"),
            ("Over 120 days", None, "2025-12-01"),
        ],
    ),
    (
        "document_date_like_posting_date",
        "2026-03-31",
        DOCUMENT,
        ["1M+CM"],
        [
            ("1-31 days", "2026-03-01", "2026-03-31"),
            ("32-59 days", "2026-02-01", "2026-02-28"),
            ("60-90 days", "2026-01-01", "2026-01-31"),
            ("91-121 days", "2025-12-01", "2025-12-31"),
            ("Over 121 days", None, "2025-11-30"),
        ],
    ),
    (
        "a_list_gives_one_column_per_formula",
        "2026-03-31",
        DUE,
        ["15D", "15D", "1M"],
        [
            ("1-15 days", "2026-03-17", "2026-03-31"),
            ("16-30 days", "2026-03-02", "2026-03-16"),
            ("31-58 days", "2026-02-02", "2026-03-01"),
            ("Over 58 days", None, "2026-02-01"),
        ],
    ),
    (
        "two_formulas_give_two_columns_and_the_oldest",
        "2026-06-15",
        POSTING,
        ["1M", "-3M"],
        [
            ("1-31 days", "2026-05-16", "2026-06-15"),
            ("32-120 days", "2026-02-16", "2026-05-15"),
            ("Over 120 days", None, "2026-02-15"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("as_of", "basis", "periods", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in LAYOUTS],
)
def test_columns_step_back_from_the_as_of_date(
    as_of: str,
    basis: AgingBasis,
    periods: list[str],
    expected: list[tuple[str, str | None, str]],
) -> None:
    layout = aging_layout(d(as_of), basis, periods)
    got = [(c.label, c.start and c.start.isoformat(), c.end.isoformat()) for c in layout.columns]
    assert got == expected


def test_columns_are_contiguous_and_the_first_ends_on_the_as_of_date() -> None:
    layout = aging_layout(d("2026-02-28"), DUE, ["1M", "2W", "10D", "CQ-1Q"])
    assert layout.columns[0].end == d("2026-02-28")
    for newer, older in zip(layout.columns, layout.columns[1:], strict=False):
        assert newer.start is not None
        assert older.end.toordinal() == newer.start.toordinal() - 1


# (id, basis, [(aging date, amount)], not due, [per column])
AMOUNTS = [
    (
        "due_on_the_as_of_date_is_in_the_first_column_as_in_bc",
        DUE,
        [("2026-03-31", "100.00")],
        "0",
        ["100.00", "0", "0", "0"],
    ),
    (
        "due_after_the_as_of_date_is_not_due",
        DUE,
        [("2026-04-01", "40.00"), ("2026-06-30", "2.50")],
        "42.50",
        ["0", "0", "0", "0"],
    ),
    (
        "each_boundary_day_lands_in_its_column",
        DUE,
        [
            ("2026-03-02", "1"),
            ("2026-03-01", "2"),
            ("2026-01-31", "4"),
            ("2026-01-30", "8"),
            ("2026-01-01", "16"),
            ("2025-12-31", "32"),
            ("2019-05-05", "64"),
        ],
        "0",
        ["1", "6", "24", "96"],
    ),
    (
        "credits_net_against_debits_in_their_column",
        DUE,
        [("2026-03-10", "500.00"), ("2026-03-20", "-200.00"), ("2026-05-01", "-30.00")],
        "-30.00",
        ["300.00", "0", "0", "0"],
    ),
    (
        "by_posting_date_nothing_is_not_due",
        POSTING,
        [("2026-03-31", "10"), ("2026-02-15", "20"), ("2025-11-01", "30")],
        "0",
        ["10", "20", "0", "0", "30"],
    ),
    (
        "a_document_dated_after_the_as_of_date_is_in_the_newest_column",
        DOCUMENT,
        [("2026-04-03", "7.00")],
        "0",
        ["7.00", "0", "0", "0", "0"],
    ),
]


@pytest.mark.parametrize(
    ("basis", "items", "not_due", "columns"),
    [pytest.param(*case[1:], id=case[0]) for case in AMOUNTS],
)
def test_amounts_go_to_their_column(
    basis: AgingBasis,
    items: list[tuple[str, str]],
    not_due: str,
    columns: list[str],
) -> None:
    layout = aging_layout(d("2026-03-31"), basis, ["30D"])
    got_not_due, got = age_balance(layout, [(d(w), Decimal(a)) for w, a in items])
    assert got_not_due == Decimal(not_due)
    assert got == tuple(Decimal(c) for c in columns)


def test_a_row_totals_not_due_and_columns_and_carries_its_lcy_total() -> None:
    layout = aging_layout(d("2026-03-31"), DUE, ["30D"])
    row = aged_balance(
        layout,
        "C1",
        "USD",
        [(d("2026-04-15"), Decimal("10")), (d("2025-01-01"), Decimal("5.55"))],
        Decimal("14.20"),
    )
    assert row == AgedBalance(
        party_no="C1",
        currency_code="USD",
        not_due=Decimal("10"),
        buckets=(Decimal(0), Decimal(0), Decimal(0), Decimal("5.55")),
        total_lcy=Decimal("14.20"),
    )
    assert row.total == Decimal("15.55")


def test_currency_totals_add_up_rows_per_currency_in_code_order() -> None:
    layout = aging_layout(d("2026-03-31"), POSTING, ["30D", "30D"])
    rows = [
        aged_balance(layout, "C1", "USD", [(d("2026-03-30"), Decimal("1"))], Decimal("0.9")),
        aged_balance(layout, "C1", "", [(d("2026-01-01"), Decimal("2"))], Decimal("2")),
        aged_balance(layout, "C2", "USD", [(d("2025-03-30"), Decimal("4"))], Decimal("3.6")),
    ]
    lcy, usd = currency_totals(layout, rows)
    assert (lcy.currency_code, lcy.buckets, lcy.total_lcy) == (
        "",
        (Decimal(0), Decimal(0), Decimal(2)),
        Decimal(2),
    )
    assert (usd.currency_code, usd.buckets, usd.total, usd.total_lcy) == (
        "USD",
        (Decimal(1), Decimal(0), Decimal(4)),
        Decimal(5),
        Decimal("4.5"),
    )


@pytest.mark.parametrize(
    ("periods", "code", "field"),
    [
        pytest.param([], ErrorCode.INVALID_INPUT, ["periods"], id="none"),
        pytest.param(["30D"] * 13, ErrorCode.INVALID_INPUT, ["periods"], id="too_many"),
        pytest.param(["30X"], ErrorCode.INVALID_DATE_FORMULA, ["periods", "0"], id="not_a_formula"),
        pytest.param([" "], ErrorCode.INVALID_DATE_FORMULA, ["periods", "0"], id="blank"),
        pytest.param(
            ["30D", "CM"], ErrorCode.INVALID_DATE_FORMULA, ["periods", "1"], id="does_not_step_back"
        ),
    ],
)
def test_bad_periods_are_refused_naming_the_period(
    periods: list[str], code: ErrorCode, field: list[str]
) -> None:
    with pytest.raises(DomainError) as caught:
        aging_layout(d("2026-03-31"), DUE, periods)
    assert caught.value.code is code
    assert caught.value.field == field


def test_periods_are_kept_as_given_without_blanks() -> None:
    assert aging_layout(d("2026-03-31"), DUE, [" 1M+CM "]).periods == ("1M+CM",)


def test_empty_columns_are_written_with_the_amounts_scale() -> None:
    layout = aging_layout(d("2026-03-31"), DUE, ["30D"])
    not_due, columns = age_balance(layout, [(d("2026-03-20"), Decimal("-50.00"))])
    assert [str(a) for a in (not_due, *columns)] == ["0.00", "-50.00", "0.00", "0.00", "0.00"]
    yen = age_balance(layout, [(d("2026-03-20"), Decimal("700"))])
    assert [str(a) for a in (yen[0], *yen[1])] == ["0", "700", "0", "0", "0"]
