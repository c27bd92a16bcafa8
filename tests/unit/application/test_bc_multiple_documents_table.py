"""BC "Payment Tolerance and Payment Discount Tolerance", Example 2: two invoices of 1,000
(discount 60 until 01/15/03 with tolerance date 01/20/03; discount 30 until 01/17/03 with
tolerance date 01/22/03; max tolerance 5 each), one payment applied to both; every row, for
customers and mirrored vendors.

Where BC's table is inconsistent (see docs/application-engine.md): rows 16D-18D accept the
late discount on the first invoice and refuse it on the second, which is alternative C, not D;
rows 7A-9A and 25A-27A print the late discount as "60/60" and "30/30" where the G/L and the
ledger entry have opposite signs (60/-60); rows 28-30 print one tolerance figure where each
invoice gets its own 5 (a 10 difference on two invoices).
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
N = None
BEFORE = [date(2003, 1, 15)]
D16 = [date(2003, 1, 16), date(2003, 1, 17)]
D18 = [date(2003, 1, 18), date(2003, 1, 20)]
D21 = [date(2003, 1, 21), date(2003, 1, 22)]
AFTER = [date(2003, 1, 23)]

# row, dates, payment, alternative, (discount type inv1, inv2), tolerance G/L per invoice
ROWS = [
    ("1", BEFORE, 1920, "", (REG, REG), -5),
    ("2", BEFORE, 1910, "", (REG, REG), 0),
    ("3", BEFORE, 1900, "", (REG, REG), 5),
    ("4B", D16, 1980, "B", (N, REG), -5),
    ("5B", D16, 1970, "B", (N, REG), 0),
    ("6B", D16, 1960, "B", (N, REG), 5),
    ("7A", D16, 1920, "A", (LATE, REG), -5),
    ("8A", D16, 1910, "A", (LATE, REG), 0),
    ("9A", D16, 1900, "A", (LATE, REG), 5),
    ("10B", D18, 2010, "B", (N, N), -5),
    ("11B", D18, 2000, "B", (N, N), 0),
    ("12B", D18, 1990, "B", (N, N), 5),
    ("13D", D18, 1980, "D", (N, LATE), -5),
    ("14D", D18, 1970, "D", (N, LATE), 0),
    ("15D", D18, 1960, "D", (N, LATE), 5),
    ("16D-is-C", D18, 1950, "C", (LATE, N), -5),
    ("17D-is-C", D18, 1940, "C", (LATE, N), 0),
    ("18D-is-C", D18, 1930, "C", (LATE, N), 5),
    ("19A", D18, 1920, "A", (LATE, LATE), -5),
    ("20A", D18, 1910, "A", (LATE, LATE), 0),
    ("21A", D18, 1900, "A", (LATE, LATE), 5),
    ("22B", D21, 2010, "B", (N, N), -5),
    ("23B", D21, 2000, "B", (N, N), 0),
    ("24B", D21, 1990, "B", (N, N), 5),
    ("25A", D21, 1980, "A", (N, LATE), -5),
    ("26A", D21, 1970, "A", (N, LATE), 0),
    ("27A", D21, 1960, "A", (N, LATE), 5),
    ("28", AFTER, 2010, "", (N, N), -5),
    ("29", AFTER, 2000, "", (N, N), 0),
    ("30", AFTER, 1990, "", (N, N), 5),
]

ANSWERS = {
    "": (None, None),
    "A": (True, True),
    "B": (False, False),
    "C": (True, False),
    "D": (False, True),
}

CASES = [
    pytest.param(side, pay_date, warning, *row[2:], id=f"{row[0]}-{pay_date:%m%d}-{sid}-{wid}")
    for row in ROWS
    for pay_date in row[1]
    for side, sid in zip(SIDES, SIDE_IDS, strict=True)
    for warning, wid in (
        [(False, "warning-off"), (True, "warning-on")] if row[3] in ("A", "") else [(True, "on")]
    )
]


@pytest.mark.parametrize(
    ("side", "pay_date", "warning", "paid", "alternative", "discounts", "tolerance_gl"), CASES
)
def test_multiple_document_row_closes_both_invoices_like_business_central(
    side: int,
    pay_date: date,
    warning: bool,
    paid: int,
    alternative: str,
    discounts: tuple[DetailedEntryType | None, DetailedEntryType | None],
    tolerance_gl: int,
) -> None:
    first = entry(
        1,
        DocumentType.INVOICE,
        side * 1000,
        discount=D(side * 60),
        discount_date=date(2003, 1, 15),
        tolerance_date=date(2003, 1, 20),
        max_tolerance=D(side * 5),
    )
    second = entry(
        2,
        DocumentType.INVOICE,
        side * 1000,
        discount=D(side * 30),
        discount_date=date(2003, 1, 17),
        tolerance_date=date(2003, 1, 22),
        max_tolerance=D(side * 5),
    )
    payment = entry(3, DocumentType.PAYMENT, -side * paid, posting_date=pay_date)
    answers = ANSWERS[alternative]
    targets = [
        ApplyTarget(first, accept_pmt_disc_tolerance=answers[0]),
        ApplyTarget(second, accept_pmt_disc_tolerance=answers[1]),
    ]
    setup = ApplicationSetup(payment_discount_tolerance_warning=warning)
    result = apply(payment, targets, setup, pay_date, application_id=9)
    check_invariants([first, second, payment], result)
    for invoice, kind, possible in ((first, discounts[0], 60), (second, discounts[1], 30)):
        for entry_type in (REG, LATE):
            expected = Decimal(-side * possible) if entry_type is kind else Decimal(0)
            assert amount_of(result, invoice.entry_no, entry_type) == expected
        tolerance_lines = [
            d
            for d in result.detailed
            if d.entry_type is DetailedEntryType.PAYMENT_TOLERANCE
            and d.applied_entry_no == invoice.entry_no
        ]
        # The G/L of a tolerance line is the opposite of its detailed entry on the payment.
        assert -sum((d.amount_lcy for d in tolerance_lines), D(0)) == side * tolerance_gl
        assert remaining(result, invoice) == 0
    assert remaining(result, payment) == 0
    assert gl_of(result, GlRole.PAYMENT_TOLERANCE) == side * 2 * tolerance_gl
