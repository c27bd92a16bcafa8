"""Unapplying restores the exact state before an application, and a payment reversed after
its unapply leaves both the payment and its reversal closed with balanced G/L."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.application import (
    ApplicationSetup,
    ApplyTarget,
    DetailedEntryType,
    DocumentType,
    GlRole,
    apply,
    reverse_entry,
    unapply,
)
from domain.errors import DomainError, ErrorCode
from tests.unit.application.builders import (
    SIDE_IDS,
    SIDES,
    D,
    check_invariants,
    entry,
    states_after,
)

DAY = date(2026, 3, 17)
SETUP = ApplicationSetup()


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_unapply_reopens_entries_with_their_exact_prior_state(side: int) -> None:
    invoice = entry(
        1,
        DocumentType.INVOICE,
        side * 1000,
        currency="USD",
        rate="1.123",
        unrealized=str(side * 2),
        discount=D(side * 20),
        discount_date=DAY,
        max_tolerance=D(side * 5),
    )
    payment = entry(
        2, DocumentType.PAYMENT, -side * 977, currency="USD", rate="1.12", posting_date=DAY
    )
    before = [invoice, payment]
    applied = apply(payment, [ApplyTarget(invoice)], SETUP, DAY, application_id=10)
    after = states_after(before, applied)
    assert all(not e.open for e in after)
    undone = unapply(after, applied.detailed, DAY, application_id=11)
    check_invariants(after, undone)
    assert states_after(after, undone) == before
    assert all(d.unapplied and d.unapplies_application_id == 10 for d in undone.detailed)
    assert sorted((g.role, g.amount_lcy) for g in undone.gl) == sorted(
        (g.role, -g.amount_lcy) for g in applied.gl
    )


def test_unapply_refuses_nothing_or_an_already_unapplied_application() -> None:
    invoice = entry(1, DocumentType.INVOICE, 100)
    payment = entry(2, DocumentType.PAYMENT, -100, posting_date=DAY)
    applied = apply(payment, [ApplyTarget(invoice)], SETUP, DAY, application_id=10)
    after = states_after([invoice, payment], applied)
    with pytest.raises(DomainError) as caught:
        unapply(after, [], DAY, application_id=11)
    assert caught.value.code is ErrorCode.NOTHING_TO_UNAPPLY
    undone = unapply(after, applied.detailed, DAY, application_id=11)
    with pytest.raises(DomainError) as caught:
        unapply(after, undone.detailed, DAY, application_id=12)
    assert caught.value.code is ErrorCode.NOTHING_TO_UNAPPLY
    with pytest.raises(DomainError) as caught:
        unapply(after, applied.detailed, date(2026, 3, 16), application_id=12)
    assert caught.value.code is ErrorCode.POSTING_DATE_NOT_ALLOWED


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_reversing_an_unapplied_payment_closes_it_against_its_reversal(side: int) -> None:
    payment = entry(
        2,
        DocumentType.PAYMENT,
        -side * 500,
        currency="USD",
        rate="1.1",
        unrealized=str(-side * 3),
        posting_date=DAY,
    )
    result = reverse_entry(payment, DAY, reversal_entry_no=3, application_id=20)
    reversal = replace(
        payment,
        entry_no=3,
        amount=-payment.amount,
        remaining_amount=D(0),
        amount_lcy=-payment.amount_lcy,
        remaining_amount_lcy=D(0),
        unrealized_lcy=D(0),
    )
    check_invariants([payment, reversal], result)
    shape = [(d.entry_no, d.entry_type, d.amount, d.amount_lcy) for d in result.detailed]
    unrealized = (
        DetailedEntryType.UNREALIZED_LOSS if side > 0 else DetailedEntryType.UNREALIZED_GAIN
    )
    assert shape == [
        (2, unrealized, D(0), D(side * 3)),
        (3, DetailedEntryType.INITIAL_ENTRY, D(side * 500), side * D("550.00")),
        (2, DetailedEntryType.APPLICATION, D(side * 500), side * D("550.00")),
        (3, DetailedEntryType.APPLICATION, D(-side * 500), -side * D("550.00")),
    ]
    assert sum((g.amount_lcy for g in result.gl if g.role is GlRole.BALANCING), D(0)) == (
        -side * D("550.00")
    )
    assert all(not u.open for u in result.entries)


def test_an_applied_payment_must_be_unapplied_before_it_is_reversed() -> None:
    payment = replace(
        entry(2, DocumentType.PAYMENT, -500, posting_date=DAY), remaining_amount=D(-200)
    )
    with pytest.raises(DomainError) as caught:
        reverse_entry(payment, DAY, reversal_entry_no=3, application_id=20)
    assert caught.value.code is ErrorCode.ENTRY_CLOSED
