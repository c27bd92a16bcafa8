"""What an engine result does to the ledger: its detailed entries as rows, and each touched
entry's new cached state (remaining amounts, open, closed by which entry on which day)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter

from domain.application import (
    ApplicationResult,
    DetailedEntry,
    DetailedEntryType,
    DocumentType,
    LedgerEntryState,
)
from domain.ledger import Ledger, LedgerEntry
from domain.posting.rows import DetailedRow

_DOCUMENT_TYPES = {t.value: t for t in DocumentType}


def entry_state(r: LedgerEntry) -> LedgerEntryState:
    """The engine's view of a posted entry."""
    return LedgerEntryState(
        entry_no=r.entry_no,
        party_no=r.party_no,
        document_type=_DOCUMENT_TYPES[r.document_type],
        document_no=r.document_no,
        posting_date=r.posting_date,
        due_date=r.due_date,
        amount=r.amount,
        remaining_amount=r.remaining_amount,
        amount_lcy=r.amount_lcy,
        remaining_amount_lcy=r.remaining_amount_lcy,
        currency_code=r.currency_code,
        original_rate=r.currency_factor,
        unrealized_lcy=r.unrealized_lcy,
        pmt_discount_date=r.pmt_discount_date,
        pmt_disc_tolerance_date=r.pmt_disc_tolerance_date,
        original_pmt_disc_possible=r.original_pmt_disc_possible,
        remaining_pmt_disc_possible=r.remaining_pmt_disc_possible,
        max_payment_tolerance=r.max_payment_tolerance,
        posting_group=r.posting_group,
        open=r.open,
    )


def detailed_rows(
    result: ApplicationResult,
    entries: Mapping[int, LedgerEntry],
    *,
    ledger: Ledger,
    transaction_no: int,
    document_type: str,
    document_no: str,
) -> list[DetailedRow]:
    """The result's detailed entries, under the document that posted them."""
    return [
        DetailedRow(
            ledger,
            d.entry_no,
            entries[d.entry_no].party_no,
            d.entry_type.value,
            d.posting_date,
            document_type,
            document_no,
            d.currency_code,
            d.amount,
            d.amount_lcy,
            d.applied_entry_no,
            result.application_id,
            d.pmt_disc_possible_delta,
            d.unapplied,
            d.unapplies_application_id,
            transaction_no,
        )
        for d in result.detailed
    ]


def booked(result: ApplicationResult, entries: Mapping[int, LedgerEntry]) -> dict[int, LedgerEntry]:
    """The entries the result changes, as they are once it is posted: an entry it closes is
    closed on the posting date by the entry it was applied to; one it reopens is open again."""
    posting_date = result.detailed[0].posting_date if result.detailed else None
    closer = next(
        (
            d.entry_no
            for d in result.detailed
            if d.entry_type is DetailedEntryType.APPLICATION and d.amount != 0
        ),
        None,
    )
    out = {}
    for update in result.entries:
        before = entries[update.entry_no]
        closed_at, closed_by = before.closed_at_date, before.closed_by_entry_no
        if before.open and not update.open:
            closed_at = posting_date
            closed_by = _closed_by(result.detailed, update.entry_no, closer)
        elif update.open and not before.open:
            closed_at, closed_by = None, None
        # dataclasses.replace, without its generic checks (a batch calls this per entry)
        values = list(_ALL_FIELDS(before))
        values[_REMAINING] = update.remaining_amount
        values[_REMAINING_LCY] = update.remaining_amount_lcy
        values[_DISC_POSSIBLE] = update.remaining_pmt_disc_possible
        values[_UNREALIZED] = update.unrealized_lcy
        values[_OPEN] = update.open
        values[_CLOSED_AT] = closed_at
        values[_CLOSED_BY] = closed_by
        out[update.entry_no] = LedgerEntry(*values)
    return out


def _closed_by(
    detailed: Sequence[DetailedEntry], entry_no: int, fallback: int | None
) -> int | None:
    for d in detailed:
        if d.entry_no == entry_no and d.applied_entry_no is not None:
            return d.applied_entry_no
    return fallback


ENTRY_FIELDS = tuple(LedgerEntry.__dataclass_fields__)
# the cached fields an application changes (the writer updates these on posted entries)
CACHED_FIELDS = (
    "remaining_amount",
    "remaining_amount_lcy",
    "remaining_pmt_disc_possible",
    "unrealized_lcy",
    "open",
    "closed_at_date",
    "closed_by_entry_no",
)
_ALL_FIELDS = attrgetter(*ENTRY_FIELDS)
_REMAINING, _REMAINING_LCY, _DISC_POSSIBLE, _UNREALIZED, _OPEN, _CLOSED_AT, _CLOSED_BY = (
    ENTRY_FIELDS.index(f) for f in CACHED_FIELDS
)
