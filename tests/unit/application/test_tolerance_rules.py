"""The helpers the posting layer and the engine share: the max tolerance of a document, the
discount date classes and the split of a tolerance over several entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.application import DocumentType, max_payment_tolerance
from domain.application.tolerance import DiscountKind, discount_kind, spread_tolerance
from tests.unit.application.builders import D, entry


# BC, "Payment Tolerance and Payment Discount Tolerance" (learn.microsoft.com/dynamics365/
# business-central/finance-payment-tolerance-and-payment-discount-tolerance)
# and Payment Tolerance Management's CalcTolCustLedgEntry: the percentage, capped by the max
# amount (0 = no cap); the max amount alone when there is no percentage (the posting code
# always did this; the engine's copy of the rule said 0, and the two are now one function);
# never more than the document.
@pytest.mark.parametrize(
    ("amount", "pct", "cap", "expected"),
    [
        pytest.param("1000", "0.5", "5", "5", id="half-percent-of-1000-is-5"),
        pytest.param("1000", "1", "5", "5", id="capped-by-max-amount"),
        pytest.param("-1000", "1", "5", "-5", id="vendor-invoice-negative"),
        pytest.param("333.33", "1", "0", "3.33", id="no-cap-when-max-is-zero"),
        pytest.param("1000", "0", "5", "5", id="max-amount-alone-without-percent"),
        pytest.param("1000", "0", "0", "0", id="no-tolerance-without-setup"),
        pytest.param("3", "0", "5", "3", id="never-more-than-the-document"),
        pytest.param("-100", "0", "5", "-5", id="credit-memo-signed-like-its-amount"),
        pytest.param("250", "1", "5", "2.5", id="rounded-to-precision"),
    ],
)
def test_max_payment_tolerance_is_the_percentage_capped_and_signed(
    amount: str, pct: str, cap: str, expected: str
) -> None:
    assert max_payment_tolerance(D(amount), D(pct), D(cap), D("0.01")) == D(expected)


@pytest.mark.parametrize(
    ("paid", "kind"),
    [
        pytest.param(date(2003, 1, 15), DiscountKind.REGULAR, id="on-discount-date"),
        pytest.param(date(2003, 1, 16), DiscountKind.LATE, id="first-day-of-grace"),
        pytest.param(date(2003, 1, 20), DiscountKind.LATE, id="tolerance-date"),
        pytest.param(date(2003, 1, 21), DiscountKind.NONE, id="discount-lost-after-grace"),
    ],
)
def test_discount_is_lost_one_day_after_grace_period(paid: date, kind: DiscountKind) -> None:
    invoice = entry(
        1,
        DocumentType.INVOICE,
        1000,
        discount="20",
        discount_date=date(2003, 1, 15),
        tolerance_date=date(2003, 1, 20),
    )
    assert discount_kind(invoice, paid) is kind


def test_spread_gives_the_rounding_remainder_to_the_last_entry() -> None:
    assert spread_tolerance(D("-0.10"), [D(1), D(1), D(1)], [D(5)] * 3, D("0.01")) == (
        D("-0.03"),
        D("-0.03"),
        D("-0.04"),
    )


def test_spread_moves_what_exceeds_a_cap_to_entries_with_room() -> None:
    assert spread_tolerance(D(6), [D(1000), D(1000)], [D(5), D(1)], D("0.01")) == (D(5), D(1))


@settings(deadline=None, max_examples=200)
@given(
    st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 1_000)), min_size=1, max_size=6),
    st.integers(-100, 100),
)
def test_spread_parts_add_up_and_respect_every_cap(
    rows: list[tuple[int, int]], percent: int
) -> None:
    weights = [Decimal(w) for w, _ in rows]
    caps = [Decimal(c) / 100 for _, c in rows]
    total = (sum(caps, Decimal(0)) * percent / 100).quantize(Decimal("0.01"))
    if abs(total) > sum(caps, Decimal(0)):
        total = sum(caps, Decimal(0)) * (1 if total > 0 else -1)
    parts = spread_tolerance(total, weights, caps, Decimal("0.01"))
    assert sum(parts, Decimal(0)) == total
    assert all(abs(p) <= c for p, c in zip(parts, caps, strict=True))
    assert all(p == 0 or (p > 0) == (total > 0) for p in parts)
