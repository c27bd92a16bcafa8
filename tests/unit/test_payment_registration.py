"""Payment registration turns ticked documents into payments with the right applications."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import DomainError
from domain.payment_registration import (
    OpenDocument,
    Registration,
    discount_if_paid_on,
    plan_payments,
)


def doc(entry_no: int, customer: str = "C1", remaining: str = "1000.00") -> OpenDocument:
    return OpenDocument(
        entry_no,
        customer,
        f"INV-{entry_no}",
        "",
        Decimal(remaining),
        Decimal("20.00"),
        date(2026, 3, 9),
        date(2026, 3, 14),
        Decimal("5.00"),
    )


def test_discount_is_available_until_the_grace_period_ends() -> None:
    d = doc(1)
    assert discount_if_paid_on(d, date(2026, 3, 14)) == Decimal("20.00")
    assert discount_if_paid_on(d, date(2026, 3, 15)) == 0


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("980.00", None),
        ("975.00", None),
        ("974.99", Decimal("974.99")),
        ("400.00", Decimal("400.00")),
    ],
    ids=["discounted", "within-tolerance", "just-partial", "partial"],
)
def test_full_payments_apply_everything_and_partials_apply_the_amount(
    received: str, expected: Decimal | None
) -> None:
    [plan] = plan_payments([Registration(doc(1), Decimal(received), date(2026, 3, 5))], False)
    assert plan.amount == -Decimal(received)
    assert plan.apply_to == ((1, expected),)


def test_lump_payment_groups_by_customer_and_date() -> None:
    regs = [
        Registration(doc(1), Decimal("100"), date(2026, 3, 5)),
        Registration(doc(2), Decimal("200"), date(2026, 3, 5)),
        Registration(doc(3, "C2"), Decimal("50"), date(2026, 3, 5)),
        Registration(doc(4), Decimal("10"), date(2026, 3, 6)),
    ]
    plans = plan_payments(regs, True)
    assert [(p.customer_no, p.amount, len(p.apply_to)) for p in plans] == [
        ("C1", Decimal(-300), 2),
        ("C2", Decimal(-50), 1),
        ("C1", Decimal(-10), 1),
    ]


@pytest.mark.parametrize("case", ["twice", "zero", "closed"])
def test_bad_registrations_are_refused(case: str) -> None:
    regs = {
        "twice": [Registration(doc(1), Decimal(1), date(2026, 3, 5))] * 2,
        "zero": [Registration(doc(1), Decimal(0), date(2026, 3, 5))],
        "closed": [Registration(doc(1, remaining="0"), Decimal(1), date(2026, 3, 5))],
    }[case]
    with pytest.raises(DomainError):
        plan_payments(regs, False)
