"""A changed payment tolerance or payment discount grace period reaches the open entries.

BC, "Change Payment Tolerance Batch Job" (learn.microsoft.com/previous-versions/
dynamicsnav-2016/hh167690): "If there are open customer and vendor ledger entries, you can
decide whether you want to change all open entries that are not blocked"; the General Ledger
Setup's "Payment Discount Grace Period" asks the same and recomputes each open entry's "Pmt.
Disc. Tolerance Date" (Payment Tolerance Management's CalcGracePeriodCVLedgEntry, which with
CalcTolCustLedgEntry touches only open invoices and credit memos of parties without "Block
Payment Tolerance").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.application.setup_changes import (
    ToleranceChange,
    ToleranceSetup,
    open_entry_tolerances,
)
from domain.ledger import LedgerEntry

D = Decimal
CENT = D("0.01")
DISCOUNT = date(2026, 3, 20)


def posted(
    entry_no: int,
    amount: str,
    *,
    document_type: str = "INVOICE",
    currency: str = "",
    party: str = "C1",
    open_: bool = True,
    tolerance: str = "0",
    discount_date: date | None = DISCOUNT,
    tolerance_date: date | None = None,
) -> LedgerEntry:
    value = D(amount)
    return LedgerEntry(
        entry_no=entry_no,
        party_no=party,
        posting_date=date(2026, 3, 10),
        document_date=date(2026, 3, 10),
        document_type=document_type,
        document_no=f"D{entry_no}",
        external_document_no="",
        description="",
        currency_code=currency,
        currency_factor=D(1),
        amount=value,
        amount_lcy=value,
        remaining_amount=value if open_ else D(0),
        remaining_amount_lcy=value if open_ else D(0),
        open=open_,
        due_date=date(2026, 4, 10),
        pmt_discount_date=discount_date,
        pmt_disc_tolerance_date=tolerance_date,
        original_pmt_disc_possible=D(0),
        remaining_pmt_disc_possible=D(0),
        max_payment_tolerance=D(tolerance),
        unrealized_lcy=D(0),
        posting_group="DOMESTIC",
        closed_by_entry_no=None,
        closed_at_date=None,
        reversed=False,
    )


LCY_1PCT_MAX5 = {"": ToleranceSetup(D(1), D(5), CENT)}


@pytest.mark.parametrize(
    ("item", "tolerances", "grace", "expected"),
    [
        pytest.param(
            posted(1, "1000"), LCY_1PCT_MAX5, "5D", (D(5), date(2026, 3, 25)), id="invoice"
        ),
        pytest.param(
            posted(2, "-100", document_type="CREDIT_MEMO"),
            LCY_1PCT_MAX5,
            None,
            (D(-1), None),
            id="credit-memo-signed-like-its-amount",
        ),
        pytest.param(posted(3, "-1000"), LCY_1PCT_MAX5, None, (D(-5), None), id="vendor-invoice"),
        pytest.param(
            posted(4, "1000", currency="USD", tolerance="2"),
            LCY_1PCT_MAX5,
            "5D",
            (D(2), date(2026, 3, 25)),
            id="other-currency-keeps-its-tolerance-gets-the-new-date",
        ),
        pytest.param(
            posted(5, "1000", currency="EUR"),
            {"EUR": ToleranceSetup(D(0), D(3), CENT)},
            None,
            (D(3), None),
            id="currency-setup-max-amount-alone",
        ),
        pytest.param(
            posted(6, "1000", discount_date=None, tolerance_date=date(2026, 3, 1)),
            {},
            "5D",
            (D(0), None),
            id="no-discount-date-no-tolerance-date",
        ),
        pytest.param(
            posted(7, "1000", party="BLOCKED", tolerance="5", tolerance_date=date(2026, 3, 25)),
            LCY_1PCT_MAX5,
            "5D",
            (D(0), None),
            id="blocked-party-gets-no-tolerance",
        ),
    ],
)
def test_open_entries_get_the_tolerance_posting_would_give_them(
    item: LedgerEntry,
    tolerances: dict[str, ToleranceSetup],
    grace: str | None,
    expected: tuple[Decimal, date | None],
) -> None:
    changes = open_entry_tolerances([item], tolerances, grace, blocked_parties={"BLOCKED"})
    assert changes == (ToleranceChange(item.entry_no, *expected),)


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(posted(1, "-1000", document_type="PAYMENT"), id="payment"),
        pytest.param(posted(2, "10", document_type="REMINDER"), id="reminder-fee"),
        pytest.param(posted(3, "1000", open_=False), id="closed-invoice"),
        pytest.param(
            posted(4, "1000", tolerance="5", tolerance_date=date(2026, 3, 25)), id="unchanged"
        ),
    ],
)
def test_entries_that_do_not_change_are_not_returned(item: LedgerEntry) -> None:
    assert open_entry_tolerances([item], LCY_1PCT_MAX5, "5D") == ()


def test_changes_come_in_entry_order() -> None:
    entries = [posted(3, "1000"), posted(1, "500"), posted(2, "200")]
    changes = open_entry_tolerances(entries, LCY_1PCT_MAX5)
    assert [(c.entry_no, c.max_payment_tolerance) for c in changes] == [
        (1, D(5)),
        (2, D(2)),
        (3, D(5)),
    ]
