"""With "Adjust for Payment Discount", a payment discount (or tolerance) also takes back its
share of the document's VAT, so the VAT return shows the VAT actually charged.

BC, "Adjust for Payment Discount Field, VAT Posting Setup Table" (learn.microsoft.com/
previous-versions/dynamicsnav-2016/hh168712): "the program will recalculate the VAT amount
using the same VAT % as when you originally posted the sales invoice ... based on the invoice
amount less the payment discount. Your sales VAT account will then be reduced by the
difference"; it needs "Adjust for Payment Disc." on the General Ledger Setup, and makes
sense only with the discount computed on amounts including VAT ("Pmt. Disc. Excl. VAT" off).
Gen. Jnl.-Post Line (CalcPmtDiscIfAdjVAT) does the same for payment tolerance and payment
discount tolerance.
"""

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
    LedgerEntryState,
    apply,
    unapply,
)
from tests.unit.application.builders import (
    SIDE_IDS,
    SIDES,
    D,
    check_invariants,
    entry,
    gl_of,
    states_after,
)

DAY = date(2026, 3, 17)
ADJUST = ApplicationSetup(adjust_for_payment_discount=True)


def _invoice(side: int, currency: str = "", rate: str = "1") -> LedgerEntryState:
    """1,000 net + 19 % VAT = 1,190.00, 2 % discount = 23.80 until DAY."""
    invoice = entry(
        1,
        DocumentType.INVOICE,
        side * D("1190.00"),
        discount=D(side * D("23.80")),
        discount_date=DAY,
        currency=currency,
        rate=rate,
    )
    return replace(invoice, vat_amount=side * D("190.00"))


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
@pytest.mark.parametrize(
    ("setup", "discount", "vat"),
    [
        pytest.param(ADJUST, "20.00", "3.80", id="adjusted-23.80-is-20.00-net-and-3.80-vat"),
        pytest.param(ApplicationSetup(), "23.80", "0", id="not-adjusted-all-on-discount"),
    ],
)
def test_worked_example_discount_takes_back_its_vat(
    side: int, setup: ApplicationSetup, discount: str, vat: str
) -> None:
    """Invoice 1,190.00 (VAT 190.00), paid 1,166.20 on the discount date. G/L lines, customer
    (vendor: every sign flipped): PARTY −23.80 (receivables), PAYMENT_DISCOUNT +20.00 (sales
    discounts), VAT +3.80 (sales VAT: 190.00 − 186.20 owed on 980.00 net)."""
    invoice = _invoice(side)
    payment = entry(2, DocumentType.PAYMENT, -side * D("1166.20"), posting_date=DAY)
    result = apply(payment, [ApplyTarget(invoice)], setup, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    assert all(not u.open for u in result.entries)
    lines = sorted((g.role.value, g.amount_lcy) for g in result.gl)
    expected = [("PARTY", -side * D("23.80")), ("PAYMENT_DISCOUNT", side * D(discount))]
    if D(vat):
        expected.append(("VAT", side * D(vat)))
    assert lines == sorted(expected)
    discount_line = next(
        d for d in result.detailed if d.entry_type is DetailedEntryType.PAYMENT_DISCOUNT
    )
    assert discount_line.vat_amount_lcy == -side * D(vat)


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_unapply_takes_back_the_vat_lines_exactly(side: int) -> None:
    invoice = _invoice(side)
    payment = entry(2, DocumentType.PAYMENT, -side * D("1166.20"), posting_date=DAY)
    applied = apply(payment, [ApplyTarget(invoice)], ADJUST, DAY, application_id=1)
    posted = states_after([invoice, payment], applied)
    undone = unapply(posted, applied.detailed, DAY, application_id=2)
    check_invariants(posted, undone)
    assert sorted((g.role, g.amount_lcy) for g in undone.gl) == sorted(
        (g.role, -g.amount_lcy) for g in applied.gl
    )
    assert gl_of(undone, GlRole.VAT) == -side * D("3.80")


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_foreign_currency_discount_vat_is_its_share_of_the_lcy_discount(side: int) -> None:
    """USD invoice 1,190.00; paid in USD at 1.2: the discount of 23.80 USD is 28.56 LCY, of
    which 190/1,190 = 4.56 is VAT."""
    invoice = _invoice(side, currency="USD", rate="1.1")
    payment = entry(
        2, DocumentType.PAYMENT, -side * D("1166.20"), currency="USD", rate="1.2", posting_date=DAY
    )
    result = apply(payment, [ApplyTarget(invoice)], ADJUST, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    assert gl_of(result, GlRole.PAYMENT_DISCOUNT) == side * D("24.00")
    assert gl_of(result, GlRole.VAT) == side * D("4.56")


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_payment_tolerance_takes_back_its_vat_share_too(side: int) -> None:
    """Paid 2.38 short after the discount date, within a tolerance of 5: 2.00 tolerance and
    0.38 VAT (the tolerance is on the payment, its VAT share from the invoice)."""
    invoice = replace(_invoice(side), max_payment_tolerance=side * D(5))
    payment = entry(2, DocumentType.PAYMENT, -side * D("1187.62"), posting_date=date(2026, 3, 18))
    result = apply(payment, [ApplyTarget(invoice)], ADJUST, date(2026, 3, 18), application_id=1)
    check_invariants([invoice, payment], result)
    assert all(not u.open for u in result.entries)
    assert gl_of(result, GlRole.PAYMENT_TOLERANCE) == side * D("2.00")
    assert gl_of(result, GlRole.VAT) == side * D("0.38")


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_credit_memo_discount_gives_back_its_vat_share(side: int) -> None:
    """Invoice 1,190.00 and credit memo 119.00 (VAT 19.00), both 2 %: paid 1,049.58 =
    1,166.20 − 116.62. The credit memo's 2.38 discount is 2.00 net and 0.38 VAT, the other
    way round from the invoice's."""
    invoice = _invoice(side)
    credit = replace(
        entry(
            2,
            DocumentType.CREDIT_MEMO,
            -side * D("119.00"),
            discount=D(-side * D("2.38")),
            discount_date=DAY,
        ),
        vat_amount=-side * D("19.00"),
    )
    payment = entry(3, DocumentType.PAYMENT, -side * D("1049.58"), posting_date=DAY)
    targets = [ApplyTarget(invoice), ApplyTarget(credit)]
    result = apply(payment, targets, ADJUST, DAY, application_id=1)
    check_invariants([invoice, credit, payment], result)
    assert all(not u.open for u in result.entries)
    assert gl_of(result, GlRole.PAYMENT_DISCOUNT) == side * D("18.00")
    assert gl_of(result, GlRole.VAT) == side * D("3.42")
