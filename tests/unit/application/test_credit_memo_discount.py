"""With "Calc. Pmt. Disc. on Cr. Memos" a credit memo has its own possible discount, and a
payment that closes an invoice and a credit memo in the discount period takes both.

BC, "paymentTerm resource type" (learn.microsoft.com/dynamics365/business-central/dev-itpro/
api-reference/v2.0/resources/dynamics_paymentterm, calculateDiscountOnCreditMemos: "Specifies
if the discount should be applied to credit memos"); Gen. Jnl.-Post Line's CheckCalcPmtDisc
grants a credit memo its remaining possible discount when the payment's posting date is on
or before the credit memo's discount date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.application import (
    ApplicationSetup,
    ApplyTarget,
    DetailedEntryType,
    DocumentType,
    GlRole,
    NoteCode,
    apply,
)
from domain.payment_terms import PaymentTerms, compute_terms
from tests.unit.application.builders import (
    SIDE_IDS,
    SIDES,
    D,
    amount_of,
    check_invariants,
    entry,
    gl_of,
    remaining,
)

DAY = date(2026, 3, 17)
DISCOUNT_DATE = date(2026, 3, 20)
SETUP = ApplicationSetup()
T = DetailedEntryType
TERMS = PaymentTerms("2%10D", "30D", "10D", D(2), calc_pmt_disc_on_cr_memos=True)


def _documents(side: int, credit_discount_date: date = DISCOUNT_DATE):
    """Invoice 1,000 (2 % = 20) and credit memo 100 (2 % = 2), as posted with TERMS."""
    invoice_terms = compute_terms(TERMS, date(2026, 3, 10), D(1000), False, D("0.01"))
    credit_terms = compute_terms(TERMS, date(2026, 3, 10), D(100), True, D("0.01"))
    assert (invoice_terms.pmt_disc_possible, credit_terms.pmt_disc_possible) == (D(20), D(2))
    invoice = entry(
        1,
        DocumentType.INVOICE,
        side * 1000,
        discount=D(side * 20),
        discount_date=DISCOUNT_DATE,
    )
    credit = entry(
        2,
        DocumentType.CREDIT_MEMO,
        -side * 100,
        discount=D(-side * 2),
        discount_date=credit_discount_date,
    )
    return invoice, credit


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_payment_of_882_closes_invoice_credit_memo_and_payment_with_both_discounts(
    side: int,
) -> None:
    invoice, credit = _documents(side)
    payment = entry(3, DocumentType.PAYMENT, -side * D("882.00"), posting_date=DAY)
    targets = [ApplyTarget(invoice), ApplyTarget(credit)]
    result = apply(payment, targets, SETUP, DAY, application_id=1)
    check_invariants([invoice, credit, payment], result)
    assert [remaining(result, e) for e in (invoice, credit, payment)] == [0, 0, 0]
    assert amount_of(result, 1, T.PAYMENT_DISCOUNT) == -side * 20
    assert amount_of(result, 2, T.PAYMENT_DISCOUNT) == side * 2
    # G/L: the discount given on the invoice less the one taken back on the credit memo
    assert gl_of(result, GlRole.PAYMENT_DISCOUNT) == side * 18
    assert gl_of(result, GlRole.PARTY) == -side * 18
    assert all(u.remaining_pmt_disc_possible == 0 for u in result.entries)
    taken = {n.entry_no for n in result.notes if n.code is NoteCode.DISCOUNT_TAKEN}
    assert taken == {1, 2}


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
@pytest.mark.parametrize(
    ("paid", "credit_discount_date", "credit_left", "invoice_left", "payment_left"),
    [
        # after the credit memo's discount date: 980 − 100 = 880 closes the invoice; 2 stays
        # on the payment
        pytest.param("882.00", date(2026, 3, 16), "0", "0", "-2.00", id="credit-discount-lost"),
        # both discounts taken (980 − 98 = 882 was due): 18 of a payment of 900 stays open
        pytest.param("900.00", DISCOUNT_DATE, "0", "0", "-18.00", id="over-payment-on-payment"),
    ],
)
def test_credit_memo_discount_cases(
    side: int,
    paid: str,
    credit_discount_date: date,
    credit_left: str,
    invoice_left: str,
    payment_left: str,
) -> None:
    invoice, credit = _documents(side, credit_discount_date)
    payment = entry(3, DocumentType.PAYMENT, -side * D(paid), posting_date=DAY)
    result = apply(
        payment, [ApplyTarget(invoice), ApplyTarget(credit)], SETUP, DAY, application_id=1
    )
    check_invariants([invoice, credit, payment], result)
    assert remaining(result, credit) == side * D(credit_left)
    assert remaining(result, invoice) == side * D(invoice_left)
    assert remaining(result, payment) == side * D(payment_left)


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_a_credit_memo_left_partly_open_keeps_its_discount(side: int) -> None:
    """A credit memo larger than what the invoice still needs is not closed, so it does not
    take its discount (BC grants it only to an entry the application closes)."""
    invoice = entry(1, DocumentType.INVOICE, side * 50)
    credit = entry(
        2,
        DocumentType.CREDIT_MEMO,
        -side * 100,
        discount=D(-side * 2),
        discount_date=DISCOUNT_DATE,
    )
    payment = entry(3, DocumentType.PAYMENT, -side * 10, posting_date=DAY)
    result = apply(
        payment, [ApplyTarget(invoice), ApplyTarget(credit)], SETUP, DAY, application_id=1
    )
    check_invariants([invoice, credit, payment], result)
    assert remaining(result, invoice) == 0
    assert remaining(result, credit) == -side * 50
    assert remaining(result, payment) == -side * 10
    assert amount_of(result, 2, T.PAYMENT_DISCOUNT) == 0
    assert next(u for u in result.entries if u.entry_no == 2).remaining_pmt_disc_possible == (
        Decimal(-side * 2)
    )


def test_without_a_payment_a_credit_memo_takes_no_discount() -> None:
    """The discount is for paying early: a credit memo applied to an invoice alone has no
    payment date, so neither takes a discount."""
    invoice, credit = _documents(1)
    result = apply(credit, [ApplyTarget(invoice)], SETUP, DAY, application_id=1)
    check_invariants([invoice, credit], result)
    assert not [d for d in result.detailed if d.entry_type is T.PAYMENT_DISCOUNT]
