"""Apply-to-oldest takes the currencies that "Appln. between Currencies" allows.

BC, "Appln. between Currencies Field, Sales & Receivables Setup Table" (learn.microsoft.com/
previous-versions/dynamicsnav-2016/hh894341): None = "All entries involved in one application
must be in the same currency"; EMU = euro and the old national currencies; All = "The entries
can be in any currency". Gen. Jnl.-Post Line filters the apply-to-oldest candidates on the
payment's currency only with None, and otherwise keeps those CheckAgainstApplnCurrency allows;
it takes only entries posted on or before the payment.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import (
    ApplicationSetup,
    ApplnBetweenCurrencies,
    DocumentType,
    apply_to_oldest,
    select_oldest,
)
from tests.unit.application.builders import SIDE_IDS, SIDES, D, check_invariants, entry, remaining

DAY = date(2026, 3, 17)
EMU = frozenset({"EUR", "DEM"})
RATES = {"EUR": D("1.1"), "DEM": D("0.5"), "USD": D("0.9")}


def _ledger(side: int, payment_currency: str = ""):
    rate = str(RATES.get(payment_currency, 1))
    invoices = [
        entry(1, DocumentType.INVOICE, side * 100, due_date=date(2026, 1, 1)),
        entry(
            2,
            DocumentType.INVOICE,
            side * 100,
            currency="EUR",
            rate="1.1",
            due_date=date(2026, 1, 2),
        ),
        entry(
            3,
            DocumentType.INVOICE,
            side * 100,
            currency="DEM",
            rate="0.5",
            due_date=date(2026, 1, 3),
        ),
        entry(
            4,
            DocumentType.INVOICE,
            side * 100,
            currency="USD",
            rate="0.9",
            due_date=date(2026, 1, 4),
        ),
        entry(5, DocumentType.INVOICE, side * 100, posting_date=date(2026, 3, 18)),  # after it
    ]
    payment = entry(
        9,
        DocumentType.PAYMENT,
        -side * 1000,
        currency=payment_currency,
        rate=rate,
        posting_date=DAY,
    )
    return invoices, payment


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
@pytest.mark.parametrize(
    ("mode", "payment_currency", "expected"),
    [
        pytest.param(ApplnBetweenCurrencies.NONE, "", [1], id="none-lcy-payment"),
        pytest.param(ApplnBetweenCurrencies.NONE, "EUR", [2], id="none-eur-payment"),
        pytest.param(ApplnBetweenCurrencies.EMU, "", [1, 2, 3], id="emu-lcy-payment"),
        pytest.param(ApplnBetweenCurrencies.EMU, "DEM", [1, 2, 3], id="emu-dem-payment"),
        pytest.param(ApplnBetweenCurrencies.EMU, "USD", [4], id="emu-usd-payment-alone"),
        pytest.param(ApplnBetweenCurrencies.ALL, "USD", [1, 2, 3, 4], id="all-currencies"),
    ],
)
def test_apply_to_oldest_takes_the_currencies_the_setup_allows(
    side: int, mode: ApplnBetweenCurrencies, payment_currency: str, expected: list[int]
) -> None:
    invoices, payment = _ledger(side, payment_currency)
    setup = ApplicationSetup(appln_between_currencies=mode, emu_currencies=EMU)
    targets = select_oldest([*invoices, payment], payment, setup)
    assert [t.entry.entry_no for t in targets] == expected


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_apply_to_oldest_across_currencies_converts_at_the_posting_date_rates(side: int) -> None:
    invoices, payment = _ledger(side, "")
    setup = ApplicationSetup(appln_between_currencies=ApplnBetweenCurrencies.ALL)
    result = apply_to_oldest(payment, invoices, setup, DAY, RATES, application_id=1)
    check_invariants([*invoices, payment], result)
    assert [remaining(result, e) for e in invoices] == [0, 0, 0, 0, side * 100]
    # 100 + 110 + 50 + 90 LCY used of the payment's 1,000
    assert remaining(result, payment) == -side * 650
