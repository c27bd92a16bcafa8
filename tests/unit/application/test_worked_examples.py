"""Worked examples of everyday applications: one document, a set with amounts, the oldest
first, partial and over-payments, credit memos and refunds, for customers and vendors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.application import (
    ApplicationMethod,
    ApplicationSetup,
    ApplyTarget,
    DetailedEntryType,
    DocumentType,
    GlRole,
    NoteCode,
    apply,
    apply_to_oldest,
    select_oldest,
)
from tests.unit.application.builders import (
    SIDE_IDS,
    SIDES,
    D,
    amount_of,
    check_invariants,
    entry,
    gl_of,
    remaining,
    update_of,
)

SETUP = ApplicationSetup()
DAY = date(2026, 3, 17)
APPL = DetailedEntryType.APPLICATION


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_applies_to_doc_closes_the_invoice_and_the_payment(side: int) -> None:
    invoice = entry(1, DocumentType.INVOICE, side * 500)
    payment = entry(2, DocumentType.PAYMENT, -side * 500, posting_date=DAY)
    result = apply(
        payment,
        [ApplyTarget(invoice)],
        SETUP,
        DAY,
        application_id=1,
        method=ApplicationMethod.APPLIES_TO_DOC,
    )
    check_invariants([invoice, payment], result)
    assert [(d.entry_no, d.entry_type, d.amount, d.applied_entry_no) for d in result.detailed] == [
        (2, APPL, D(side * 500), 1),
        (1, APPL, D(-side * 500), 2),
    ]
    assert all(not u.open for u in result.entries)
    assert result.gl == ()  # same posting group: an application moves no G/L


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_applies_to_id_with_amounts_applies_exactly_those_amounts(side: int) -> None:
    first = entry(1, DocumentType.INVOICE, side * 300)
    second = entry(2, DocumentType.INVOICE, side * 700)
    payment = entry(3, DocumentType.PAYMENT, -side * 1000, posting_date=DAY)
    targets = [ApplyTarget(first, D(side * 100)), ApplyTarget(second, D(side * 400))]
    result = apply(payment, targets, SETUP, DAY, application_id=1)
    check_invariants([first, second, payment], result)
    assert remaining(result, first) == side * 200
    assert remaining(result, second) == side * 300
    assert remaining(result, payment) == -side * 500
    codes = [n.code for n in result.notes]
    assert codes.count(NoteCode.PARTIAL) == 2


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_apply_to_oldest_orders_by_due_date_then_posting_date_then_entry_no(side: int) -> None:
    late_due = entry(1, DocumentType.INVOICE, side * 100, due_date=date(2026, 3, 1))
    same_due_later_posted = entry(
        2,
        DocumentType.INVOICE,
        side * 100,
        posting_date=date(2026, 1, 10),
        due_date=date(2026, 2, 1),
    )
    same_due_higher_no = entry(
        4,
        DocumentType.INVOICE,
        side * 100,
        posting_date=date(2026, 1, 5),
        due_date=date(2026, 2, 1),
    )
    same_due_lower_no = entry(
        3,
        DocumentType.INVOICE,
        side * 100,
        posting_date=date(2026, 1, 5),
        due_date=date(2026, 2, 1),
    )
    other_party = entry(5, DocumentType.INVOICE, side * 100, party="P2")
    other_currency = entry(6, DocumentType.INVOICE, side * 100, currency="USD")
    credit_memo = entry(7, DocumentType.CREDIT_MEMO, -side * 100)
    payment = entry(8, DocumentType.PAYMENT, -side * 250, posting_date=DAY)
    entries = [
        late_due,
        same_due_later_posted,
        same_due_higher_no,
        same_due_lower_no,
        other_party,
        other_currency,
        credit_memo,
        payment,
    ]
    order = [t.entry.entry_no for t in select_oldest(entries, payment, SETUP)]
    assert order == [3, 4, 2, 1]
    result = apply_to_oldest(payment, entries, SETUP, DAY, application_id=3)
    check_invariants(entries, result)
    assert remaining(result, same_due_lower_no) == 0
    assert remaining(result, same_due_higher_no) == 0
    assert remaining(result, same_due_later_posted) == side * 50
    assert remaining(result, late_due) == side * 100


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_apply_to_oldest_never_posts_payment_tolerance(side: int) -> None:
    invoice = entry(1, DocumentType.INVOICE, side * 1000, max_tolerance=D(side * 5))
    payment = entry(2, DocumentType.PAYMENT, -side * 997, posting_date=DAY)
    result = apply_to_oldest(payment, [invoice, payment], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    assert remaining(result, invoice) == side * 3
    assert gl_of(result, GlRole.PAYMENT_TOLERANCE) == 0


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_partial_payment_leaves_the_invoice_open_and_keeps_its_discount(side: int) -> None:
    invoice = entry(
        1,
        DocumentType.INVOICE,
        side * 1000,
        discount=D(side * 20),
        discount_date=date(2026, 4, 1),
    )
    payment = entry(2, DocumentType.PAYMENT, -side * 400, posting_date=DAY)
    result = apply(payment, [ApplyTarget(invoice)], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    update = update_of(result, 1)
    assert update.remaining_amount == side * 600
    assert update.open
    assert update.remaining_pmt_disc_possible == side * 20
    assert amount_of(result, 1, DetailedEntryType.PAYMENT_DISCOUNT) == 0
    assert NoteCode.DISCOUNT_LOST in [n.code for n in result.notes]


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_over_payment_beyond_tolerance_leaves_the_rest_on_the_payment(side: int) -> None:
    invoice = entry(1, DocumentType.INVOICE, side * 1000, max_tolerance=D(side * 5))
    payment = entry(2, DocumentType.PAYMENT, -side * 1200, posting_date=DAY)
    result = apply(payment, [ApplyTarget(invoice)], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    assert remaining(result, invoice) == 0
    assert update_of(result, 2).remaining_amount == -side * 200
    assert update_of(result, 2).open
    assert [n.code for n in result.notes if n.entry_no == 2] == [NoteCode.OVERPAYMENT]


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_refund_closes_a_credit_memo(side: int) -> None:
    credit_memo = entry(1, DocumentType.CREDIT_MEMO, -side * 150)
    refund = entry(2, DocumentType.REFUND, side * 150, posting_date=DAY)
    result = apply(refund, [ApplyTarget(credit_memo)], SETUP, DAY, application_id=1)
    check_invariants([credit_memo, refund], result)
    assert all(not u.open for u in result.entries)


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_credit_memo_is_used_first_then_the_payment_closes_the_rest(side: int) -> None:
    first = entry(1, DocumentType.INVOICE, side * 600)
    second = entry(2, DocumentType.INVOICE, side * 400)
    credit_memo = entry(3, DocumentType.CREDIT_MEMO, -side * 700)
    payment = entry(4, DocumentType.PAYMENT, -side * 300, posting_date=DAY)
    targets = [ApplyTarget(first), ApplyTarget(credit_memo), ApplyTarget(second)]
    result = apply(payment, targets, SETUP, DAY, application_id=1)
    check_invariants([first, second, credit_memo, payment], result)
    pairs = [
        (d.entry_no, d.applied_entry_no, d.amount)
        for d in result.detailed
        if d.entry_type is APPL and d.entry_no in (3, 4)
    ]
    assert pairs == [(3, 1, D(side * 600)), (3, 2, D(side * 100)), (4, 2, D(side * 300))]
    assert all(not u.open for u in result.entries)


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_invoice_applied_to_an_earlier_payment_takes_its_discount(side: int) -> None:
    payment = entry(1, DocumentType.PAYMENT, -side * 980, posting_date=date(2026, 3, 10))
    invoice = entry(
        2,
        DocumentType.INVOICE,
        side * 1000,
        posting_date=date(2026, 3, 1),
        discount=D(side * 20),
        discount_date=date(2026, 3, 11),
    )
    result = apply(invoice, [ApplyTarget(payment)], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    assert amount_of(result, 2, DetailedEntryType.PAYMENT_DISCOUNT) == -side * 20
    assert all(not u.open for u in result.entries)


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_invoice_applied_to_a_payment_within_tolerance_closes_both(side: int) -> None:
    payment = entry(1, DocumentType.PAYMENT, -side * 1003, posting_date=date(2026, 3, 10))
    invoice = entry(2, DocumentType.INVOICE, side * 1000, max_tolerance=D(side * 5))
    result = apply(invoice, [ApplyTarget(payment)], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    assert gl_of(result, GlRole.PAYMENT_TOLERANCE) == -side * 3
    assert all(not u.open for u in result.entries)


def test_entries_of_different_posting_groups_move_lcy_between_party_accounts() -> None:
    invoice = entry(1, DocumentType.INVOICE, 500, posting_group="FOREIGN")
    payment = entry(2, DocumentType.PAYMENT, -500, posting_date=DAY)
    result = apply(payment, [ApplyTarget(invoice)], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    assert sorted((g.entry_no, g.amount_lcy) for g in result.gl) == [(1, D(-500)), (2, D(500))]


def test_tolerance_is_spread_in_proportion_to_the_invoice_amounts() -> None:
    big = entry(1, DocumentType.INVOICE, 3000, max_tolerance=D(10))
    small = entry(2, DocumentType.INVOICE, 1000, max_tolerance=D(10))
    payment = entry(3, DocumentType.PAYMENT, -3992, posting_date=DAY)
    result = apply(payment, [ApplyTarget(big), ApplyTarget(small)], SETUP, DAY, application_id=1)
    check_invariants([big, small, payment], result)
    parts = {
        d.applied_entry_no: d.amount
        for d in result.detailed
        if d.entry_type is DetailedEntryType.PAYMENT_TOLERANCE
    }
    assert parts == {1: Decimal(-6), 2: Decimal(-2)}
    assert all(not u.open for u in result.entries)
