"""Ledger entries for application tests, for either side of the ledger, and the invariants
every ApplicationResult must satisfy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.application import (
    ApplicationResult,
    DetailedEntryType,
    DocumentType,
    EntryUpdate,
    GlRole,
    LedgerEntryState,
)
from domain.money import round_amount

D = Decimal
CUSTOMER = 1  # invoices +, payments -
VENDOR = -1  # invoices -, payments +
SIDES = [CUSTOMER, VENDOR]
SIDE_IDS = ["customer", "vendor"]


def entry(
    entry_no: int,
    document_type: DocumentType,
    amount: Decimal | str | int,
    *,
    posting_date: date = date(2003, 1, 1),
    due_date: date | None = None,
    currency: str = "",
    rate: Decimal | str = "1",
    unrealized: Decimal | str = "0",
    discount: Decimal | str = "0",
    discount_date: date | None = None,
    tolerance_date: date | None = None,
    max_tolerance: Decimal | str = "0",
    party: str = "P1",
    posting_group: str = "DOMESTIC",
    document_no: str | None = None,
) -> LedgerEntryState:
    """An untouched posted entry (remaining = amount); amounts are given already signed."""
    value = D(amount)
    lcy = round_amount(value * D(rate))
    return LedgerEntryState(
        entry_no=entry_no,
        party_no=party,
        document_type=document_type,
        document_no=document_no or f"{document_type.value[:3]}-{entry_no}",
        posting_date=posting_date,
        due_date=due_date or posting_date,
        amount=value,
        remaining_amount=value,
        amount_lcy=lcy,
        remaining_amount_lcy=lcy + D(unrealized),
        currency_code=currency,
        original_rate=D(rate),
        unrealized_lcy=D(unrealized),
        pmt_discount_date=discount_date,
        pmt_disc_tolerance_date=tolerance_date,
        original_pmt_disc_possible=D(discount),
        remaining_pmt_disc_possible=D(discount),
        max_payment_tolerance=D(max_tolerance),
        posting_group=posting_group,
    )


def by_entry(result: ApplicationResult) -> dict[int, list[tuple[DetailedEntryType, Decimal]]]:
    """Detailed entries per entry no, as (type, amount)."""
    found: dict[int, list[tuple[DetailedEntryType, Decimal]]] = {}
    for line in result.detailed:
        found.setdefault(line.entry_no, []).append((line.entry_type, line.amount))
    return found


def amount_of(result: ApplicationResult, entry_no: int, entry_type: DetailedEntryType) -> Decimal:
    """Sum of the FCY amounts of one type on one entry."""
    return sum(
        (
            line.amount
            for line in result.detailed
            if line.entry_no == entry_no and line.entry_type is entry_type
        ),
        D(0),
    )


def lcy_of(result: ApplicationResult, entry_no: int, entry_type: DetailedEntryType) -> Decimal:
    """Sum of the LCY amounts of one type on one entry."""
    return sum(
        (
            line.amount_lcy
            for line in result.detailed
            if line.entry_no == entry_no and line.entry_type is entry_type
        ),
        D(0),
    )


def gl_of(result: ApplicationResult, role: GlRole) -> Decimal:
    return sum((line.amount_lcy for line in result.gl if line.role is role), D(0))


def update_of(result: ApplicationResult, entry_no: int) -> EntryUpdate:
    return next(u for u in result.entries if u.entry_no == entry_no)


def remaining(result: ApplicationResult, before: LedgerEntryState) -> Decimal:
    """Remaining amount after the result (unchanged when the entry is not in it)."""
    for update in result.entries:
        if update.entry_no == before.entry_no:
            return update.remaining_amount
    return before.remaining_amount


def states_after(
    entries: Iterable[LedgerEntryState], result: ApplicationResult
) -> list[LedgerEntryState]:
    """The entries as the store would hold them once ``result`` is posted."""
    updates = {u.entry_no: u for u in result.entries}
    return [
        replace(
            e,
            remaining_amount=updates[e.entry_no].remaining_amount,
            remaining_amount_lcy=updates[e.entry_no].remaining_amount_lcy,
            remaining_pmt_disc_possible=updates[e.entry_no].remaining_pmt_disc_possible,
            unrealized_lcy=updates[e.entry_no].unrealized_lcy,
            open=updates[e.entry_no].open,
        )
        if e.entry_no in updates
        else e
        for e in entries
    ]


def check_invariants(before: Iterable[LedgerEntryState], result: ApplicationResult) -> None:
    """New remaining = old remaining + its detailed entries (FCY and LCY), G/L balances, the
    PARTY lines carry exactly the detailed entries' LCY, no entry changes sign."""
    states = {e.entry_no: e for e in before}
    for update in result.entries:
        old = states[update.entry_no]
        lines = [d for d in result.detailed if d.entry_no == update.entry_no]
        assert update.remaining_amount == old.remaining_amount + sum(
            (d.amount for d in lines), D(0)
        )
        assert update.remaining_amount_lcy == old.remaining_amount_lcy + sum(
            (d.amount_lcy for d in lines), D(0)
        )
        unrealized = sum(
            (
                d.amount_lcy
                for d in lines
                if d.entry_type
                in (DetailedEntryType.UNREALIZED_GAIN, DetailedEntryType.UNREALIZED_LOSS)
            ),
            D(0),
        )
        assert update.unrealized_lcy == old.unrealized_lcy + unrealized
        assert update.remaining_pmt_disc_possible == old.remaining_pmt_disc_possible + sum(
            (d.pmt_disc_possible_delta for d in lines), D(0)
        )
        assert update.open == (update.remaining_amount != 0)
        if update.remaining_amount == 0:
            assert update.remaining_amount_lcy == 0
            assert update.unrealized_lcy == 0
        assert update.remaining_amount * old.remaining_amount >= 0, "entry over-applied"
    assert sum((g.amount_lcy for g in result.gl), D(0)) == 0
    party = sum((g.amount_lcy for g in result.gl if g.role is GlRole.PARTY), D(0))
    assert party == sum((d.amount_lcy for d in result.detailed), D(0))
