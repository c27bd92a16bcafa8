"""When the payment tolerance or the payment discount grace period changes, BC offers to bring
every open invoice and credit memo up to date (report "Change Payment Tolerance", Payment
Tolerance Management's CalcTolCustLedgEntry / CalcGracePeriodCVLedgEntry): each entry's max
payment tolerance and payment discount tolerance date are what posting it under the new
setup would have given. This computes them; the store writes the entries that change."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from decimal import Decimal

from domain.application.tolerance import max_payment_tolerance
from domain.immutable import immutable
from domain.ledger import LedgerEntry
from domain.payment_terms import pmt_disc_tolerance_date

# BC recomputes only these: payments, refunds and fee documents carry no tolerance.
TOLERANCE_DOCUMENT_TYPES = frozenset({"INVOICE", "CREDIT_MEMO"})


@immutable
class ToleranceSetup:
    """The payment tolerance of one currency ("" = LCY, from the G/L setup)."""

    payment_tolerance_pct: Decimal
    max_payment_tolerance_amount: Decimal
    precision: Decimal


@immutable
class ToleranceChange:
    """The new tolerance fields of one open entry."""

    entry_no: int
    max_payment_tolerance: Decimal
    pmt_disc_tolerance_date: date | None


def open_entry_tolerances(
    entries: Iterable[LedgerEntry],
    tolerances: Mapping[str, ToleranceSetup],
    grace_period: str | None = None,
    blocked_parties: Collection[str] = (),
) -> tuple[ToleranceChange, ...]:
    """The open invoices and credit memos whose tolerance fields change under a new setup.

    ``tolerances`` holds the new setup of the currencies that changed (an entry in another
    currency keeps its max payment tolerance); ``grace_period`` is the new payment discount
    grace period (None: unchanged). Max tolerance = ``max_payment_tolerance`` of the entry's
    original amount; tolerance date = discount date + grace period (none without a discount
    date). Entries of ``blocked_parties`` (BC's "Block Payment Tolerance") get neither: 0 and
    no date. Entries are returned by entry no., only those whose values differ.
    """
    changes: list[ToleranceChange] = []
    for entry in sorted(entries, key=lambda e: e.entry_no):
        if not entry.open or entry.document_type not in TOLERANCE_DOCUMENT_TYPES:
            continue
        tolerance = entry.max_payment_tolerance
        tolerance_date = entry.pmt_disc_tolerance_date
        if entry.party_no in blocked_parties:
            tolerance, tolerance_date = Decimal(0), None
        else:
            setup = tolerances.get(entry.currency_code)
            if setup is not None:
                tolerance = max_payment_tolerance(
                    entry.amount,
                    setup.payment_tolerance_pct,
                    setup.max_payment_tolerance_amount,
                    setup.precision,
                )
            if grace_period is not None:
                tolerance_date = pmt_disc_tolerance_date(entry.pmt_discount_date, grace_period)
        if (tolerance, tolerance_date) != (
            entry.max_payment_tolerance,
            entry.pmt_disc_tolerance_date,
        ):
            changes.append(ToleranceChange(entry.entry_no, tolerance, tolerance_date))
    return tuple(changes)
