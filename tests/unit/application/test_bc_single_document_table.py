"""BC "Payment Tolerance and Payment Discount Tolerance", Example 1 (one invoice of 1,000,
discount 20 until 01/15/03, grace period 5D so tolerance date 01/20/03, max tolerance 5):
every row, on a customer and on a mirrored vendor ledger.

Rows 7B-9B are not in BC's table (it lists 7-9 only with the late discount accepted); they are
derived: refusing the late discount leaves a payment 15-25 short of 1,000, beyond tolerance.
Row 3's "c" in the tolerance-date column is a typo for 01/20/03.
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

REG = DetailedEntryType.PAYMENT_DISCOUNT
LATE = DetailedEntryType.PAYMENT_DISCOUNT_TOLERANCE
ON_TIME = [date(2003, 1, 10), date(2003, 1, 15)]
GRACE = [date(2003, 1, 16), date(2003, 1, 20)]
AFTER = [date(2003, 1, 21), date(2003, 2, 28)]

# row, payment dates, payment, answer (A accept / B refuse / "" no question), discount type,
# payment tolerance G/L (customer sign), remaining on invoice, remaining on payment (magnitude)
ROWS = [
    ("1", ON_TIME, 985, "", REG, -5, 0, 0),
    ("2", ON_TIME, 980, "", REG, 0, 0, 0),
    ("3", ON_TIME, 975, "", REG, 5, 0, 0),
    ("4A", GRACE, 1005, "A", LATE, 0, 0, 25),
    ("5A", GRACE, 1000, "A", LATE, 0, 0, 20),
    ("6A", GRACE, 995, "A", LATE, 0, 0, 15),
    ("4B", GRACE, 1005, "B", None, -5, 0, 0),
    ("5B", GRACE, 1000, "B", None, 0, 0, 0),
    ("6B", GRACE, 995, "B", None, 5, 0, 0),
    ("7", GRACE, 985, "A", LATE, -5, 0, 0),
    ("8", GRACE, 980, "A", LATE, 0, 0, 0),
    ("9", GRACE, 975, "A", LATE, 5, 0, 0),
    ("7B-derived", GRACE, 985, "B", None, 0, 15, 0),
    ("8B-derived", GRACE, 980, "B", None, 0, 20, 0),
    ("9B-derived", GRACE, 975, "B", None, 0, 25, 0),
    ("10", AFTER, 1005, "", None, -5, 0, 0),
    ("11", AFTER, 1000, "", None, 0, 0, 0),
    ("12", AFTER, 995, "", None, 5, 0, 0),
    ("13", AFTER, 985, "", None, 0, 15, 0),
    ("14", AFTER, 980, "", None, 0, 20, 0),
    ("15", AFTER, 975, "", None, 0, 25, 0),
]

CASES = [
    pytest.param(side, pay_date, warning, *row[2:], id=f"{row[0]}-{pay_date:%m%d}-{sid}-{wid}")
    for row in ROWS
    for pay_date in row[1]
    for side, sid in zip(SIDES, SIDE_IDS, strict=True)
    for warning, wid in (
        [(False, "warning-off"), (True, "accepted")] if row[3] in ("A", "") else [(True, "refused")]
    )
]


def _invoice(side: int):
    return entry(
        1,
        DocumentType.INVOICE,
        side * 1000,
        discount=D(side * 20),
        discount_date=date(2003, 1, 15),
        tolerance_date=date(2003, 1, 20),
        max_tolerance=D(side * 5),
    )


@pytest.mark.parametrize(
    ("side", "pay_date", "warning", "paid", "answer", "discount", "tolerance_gl", "inv", "pay"),
    CASES,
)
def test_single_document_row_closes_and_writes_off_like_business_central(
    side: int,
    pay_date: date,
    warning: bool,
    paid: int,
    answer: str,
    discount: DetailedEntryType | None,
    tolerance_gl: int,
    inv: int,
    pay: int,
) -> None:
    invoice = _invoice(side)
    payment = entry(2, DocumentType.PAYMENT, -side * paid, posting_date=pay_date)
    accept = None if answer == "" else answer == "A"
    setup = ApplicationSetup(payment_discount_tolerance_warning=warning)
    result = apply(
        payment,
        [ApplyTarget(invoice, accept_pmt_disc_tolerance=accept)],
        setup,
        pay_date,
        application_id=7,
    )
    check_invariants([invoice, payment], result)
    for kind in (REG, LATE):
        expected = Decimal(-side * 20) if kind is discount else Decimal(0)
        assert amount_of(result, 1, kind) == expected
    assert gl_of(result, GlRole.PAYMENT_TOLERANCE) == side * tolerance_gl
    late_gl = gl_of(result, GlRole.PAYMENT_DISCOUNT_TOLERANCE)
    assert late_gl == (side * 20 if discount is LATE else 0)
    assert remaining(result, invoice) == side * inv
    assert remaining(result, payment) == -side * pay
