"""Days sales outstanding and BC's average days to pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.reports import average_days_to_pay, days_sales_outstanding, days_to_pay


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "end", "receivables", "sales", "days", "dso"),
    [
        pytest.param("2026-01-01", "2026-03-31", "30000", "90000", 90, "30.0", id="a_quarter"),
        pytest.param("2026-03-01", "2026-03-31", "1000", "3000", 31, "10.3", id="rounded_half_up"),
        pytest.param("2026-03-15", "2026-03-15", "50", "100", 1, "0.5", id="one_day"),
        pytest.param("2026-01-01", "2026-01-31", "-10", "310", 31, "-1.0", id="credit_balance"),
        pytest.param("2026-01-01", "2026-01-31", "500", "0", 31, None, id="no_sales"),
        pytest.param("2026-01-01", "2026-01-31", "500", "-20", 31, None, id="net_returns"),
    ],
)
def test_dso_is_receivables_over_sales_times_days(
    start: str, end: str, receivables: str, sales: str, days: int, dso: str | None
) -> None:
    got = days_sales_outstanding(d(start), d(end), Decimal(receivables), Decimal(sales))
    assert got.days == days
    assert got.dso == (None if dso is None else Decimal(dso))
    assert (got.receivables_lcy, got.sales_lcy) == (Decimal(receivables), Decimal(sales))


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        days_sales_outstanding(d("2026-02-01"), d("2026-01-31"), Decimal(1), Decimal(1))
    assert caught.value.code is ErrorCode.DATES_OUT_OF_ORDER
    assert caught.value.field == ["to"]


def test_days_to_pay_counts_from_the_posting_date_to_the_closing_date() -> None:
    assert days_to_pay(d("2026-01-31"), d("2026-03-02")) == 30
    assert days_to_pay(d("2026-01-31"), d("2026-01-31")) == 0


@pytest.mark.parametrize(
    ("invoices", "count", "average"),
    [
        pytest.param([], 0, None, id="none"),
        pytest.param([("2026-01-01", "2026-01-31")], 1, "30.0", id="one"),
        pytest.param(
            [("2026-01-01", "2026-01-11"), ("2026-01-01", "2026-01-12")], 2, "10.5", id="half"
        ),
        pytest.param(
            [
                ("2026-01-01", "2026-01-02"),
                ("2026-01-01", "2026-01-02"),
                ("2026-01-01", "2026-01-03"),
            ],
            3,
            "1.3",
            id="one_decimal",
        ),
    ],
)
def test_average_days_to_pay_is_the_mean_over_closed_invoices(
    invoices: list[tuple[str, str]], count: int, average: str | None
) -> None:
    got = average_days_to_pay((d(p), d(c)) for p, c in invoices)
    assert got.invoice_count == count
    assert got.average_days == (None if average is None else Decimal(average))
