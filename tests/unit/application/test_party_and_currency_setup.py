"""Two setups the engine reads beyond the company's: the party's "Block Payment Tolerance"
and each currency's "Appln. Rounding Precision".

BC, "Block Payment Tolerance" (customer and vendor card; "Payment Tolerance and Payment
Discount Tolerance", learn.microsoft.com/dynamics365/business-central/
finance-payment-tolerance-and-payment-discount-tolerance): a blocked party gets no payment
tolerance, and posting gives its entries neither a max payment tolerance nor a payment
discount tolerance date (Gen. Jnl.-Post Line skips CalcPmtTolerancePossible), so no late
discount either.
BC, "Appln. between Currencies Field" (learn.microsoft.com/previous-versions/dynamicsnav-2016/
hh894341): rounding differences are posted by "the Appln. Rounding Precision field in the
Currency table and the Appln. Rounding Precision field in the General Ledger Setup table";
Gen. Jnl.-Post Line's GetApplnRoundPrecision takes the applying entry's currency (else the
other entry's) and its own precision, else the G/L setup's.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import (
    ApplicationSetup,
    ApplnBetweenCurrencies,
    ApplyTarget,
    DetailedEntryType,
    DocumentType,
    GlRole,
    apply,
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
)

DAY = date(2026, 3, 17)
SETUP = ApplicationSetup()
T = DetailedEntryType


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
@pytest.mark.parametrize(
    ("blocked", "invoice_left", "tolerance"),
    [
        pytest.param(False, 0, 3, id="tolerance-closes-the-invoice"),
        pytest.param(True, 3, 0, id="blocked-party-leaves-3-open"),
    ],
)
def test_block_payment_tolerance_refuses_the_tolerance(
    side: int, blocked: bool, invoice_left: int, tolerance: int
) -> None:
    invoice = entry(1, DocumentType.INVOICE, side * 1000, max_tolerance=D(side * 5))
    payment = entry(2, DocumentType.PAYMENT, -side * 997, posting_date=DAY)
    result = apply(
        payment,
        [ApplyTarget(invoice)],
        SETUP,
        DAY,
        application_id=1,
        block_payment_tolerance=blocked,
    )
    check_invariants([invoice, payment], result)
    assert remaining(result, invoice) == side * invoice_left
    assert gl_of(result, GlRole.PAYMENT_TOLERANCE) == side * tolerance


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
@pytest.mark.parametrize(
    ("blocked", "invoice_left", "late_discount"),
    [
        pytest.param(False, 0, -20, id="late-discount-within-grace"),
        pytest.param(True, 20, 0, id="blocked-party-gets-no-late-discount"),
    ],
)
def test_block_payment_tolerance_refuses_the_late_discount(
    side: int, blocked: bool, invoice_left: int, late_discount: int
) -> None:
    invoice = entry(
        1,
        DocumentType.INVOICE,
        side * 1000,
        discount=D(side * 20),
        discount_date=date(2026, 3, 15),
        tolerance_date=date(2026, 3, 20),
    )
    payment = entry(2, DocumentType.PAYMENT, -side * 980, posting_date=DAY)
    result = apply(
        payment,
        [ApplyTarget(invoice)],
        SETUP,
        DAY,
        application_id=1,
        block_payment_tolerance=blocked,
    )
    check_invariants([invoice, payment], result)
    assert remaining(result, invoice) == side * invoice_left
    assert amount_of(result, 1, T.PAYMENT_DISCOUNT_TOLERANCE) == side * late_discount


@pytest.mark.parametrize(
    ("company", "currencies", "closes"),
    [
        pytest.param("0", (("USD", D("0.05")),), True, id="payment-currency-precision-closes"),
        pytest.param("0.05", (("USD", D("0.001")),), False, id="currency-precision-wins"),
        pytest.param("0.05", (("GBP", D("0.001")),), True, id="other-currency-not-used"),
        pytest.param("0", (), False, id="none-set"),
    ],
)
def test_application_rounding_uses_the_application_currencys_precision(
    company: str, currencies: tuple[tuple[str, D], ...], closes: bool
) -> None:
    setup = ApplicationSetup(
        appln_between_currencies=ApplnBetweenCurrencies.ALL,
        appln_rounding_precision=D(company),
        appln_rounding_precisions=currencies,
    )
    invoice = entry(1, DocumentType.INVOICE, 100, currency="GBP", rate="1.2")
    payment = entry(
        2, DocumentType.PAYMENT, "-109.08", currency="USD", rate="1.1", posting_date=DAY
    )
    rates = {"GBP": D("1.2"), "USD": D("1.1")}
    result = apply(payment, [ApplyTarget(invoice)], setup, DAY, rates, application_id=1)
    check_invariants([invoice, payment], result)
    assert (remaining(result, invoice) == 0) is closes
    assert bool(amount_of(result, 1, T.APPLN_ROUNDING)) is closes


def test_an_lcy_payment_rounds_with_the_invoice_currencys_precision() -> None:
    setup = ApplicationSetup(
        appln_between_currencies=ApplnBetweenCurrencies.ALL,
        appln_rounding_precisions=(("GBP", D("0.05")),),
    )
    invoice = entry(1, DocumentType.INVOICE, 100, currency="GBP", rate="1.2")
    payment = entry(2, DocumentType.PAYMENT, "-119.99", posting_date=DAY)
    result = apply(payment, [ApplyTarget(invoice)], setup, DAY, {"GBP": D("1.2")}, application_id=1)
    check_invariants([invoice, payment], result)
    assert remaining(result, invoice) == 0
    assert amount_of(result, 1, T.APPLN_ROUNDING) == D("-0.01")
