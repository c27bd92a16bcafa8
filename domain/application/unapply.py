"""A wrong application must be undone exactly, and a payment posted by mistake reversed after
that: both post opposite entries, never edit the ledger (BC's unapply and reverse)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from domain.application.book import Book
from domain.application.model import (
    MONEY_DOCUMENTS,
    ZERO,
    ApplicationResult,
    DetailedEntry,
    DetailedEntryType,
    LedgerEntryState,
    NoteCode,
)
from domain.application.notes import label, sentence
from domain.application.unapply_order import check_unapply_order
from domain.errors import DomainError, ErrorCode

_UNAPPLIABLE = frozenset(
    {DetailedEntryType.INITIAL_ENTRY, DetailedEntryType.CORRECTION_OF_REMAINING_AMOUNT}
)


def unapply(
    entries: Iterable[LedgerEntryState],
    detailed: Sequence[DetailedEntry],
    posting_date: date,
    *,
    application_id: int,
    standing: Iterable[DetailedEntry] | None = None,
) -> ApplicationResult:
    """Undo one application: its detailed entries of ``detailed`` (all with the same
    application id, none unapplied yet) are posted again with opposite amounts.

    ``entries`` are the current states of the entries they changed; the result reopens them
    with exactly the remaining amounts (FCY, LCY, possible discount) they had before.
    ``standing`` (the posted detailed entries of those entries) enforces BC's order: an
    application cannot be undone while a later one stands on one of its entries
    (UNAPPLY_LATER_APPLICATION_FIRST, see ``check_unapply_order``).
    """
    if not detailed:
        raise DomainError(
            ErrorCode.NOTHING_TO_UNAPPLY, "There is no application to unapply.", ["entryNo"]
        )
    ids = {line.application_id for line in detailed}
    if len(ids) != 1:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "Only the detailed entries of one application can be unapplied together.",
            ["entryNo"],
        )
    original_id = ids.pop()
    if any(line.unapplied for line in detailed) or not any(
        line.entry_type is DetailedEntryType.APPLICATION for line in detailed
    ):
        raise DomainError(
            ErrorCode.NOTHING_TO_UNAPPLY,
            f"Application {original_id} has already been unapplied or is not an application.",
            ["entryNo"],
        )
    if any(line.entry_type in _UNAPPLIABLE for line in detailed):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "An initial entry or a correction cannot be unapplied.",
            ["entryNo"],
        )
    if standing is not None:
        check_unapply_order(detailed, standing)
    latest = max(line.posting_date for line in detailed)
    if posting_date < latest:
        raise DomainError(
            ErrorCode.POSTING_DATE_NOT_ALLOWED,
            f"The unapply cannot be posted on {posting_date.isoformat()}, before the "
            f"application it undoes ({latest.isoformat()}).",
            ["postingDate"],
        )
    by_no = {entry.entry_no: entry for entry in entries}
    book = Book(application_id, posting_date)
    for line in detailed:
        entry = by_no.get(line.entry_no)
        if entry is None:
            raise DomainError(
                ErrorCode.ENTRY_NOT_FOUND,
                f"Entry {line.entry_no} of application {original_id} was not given.",
                ["entryNo"],
            )
        book.track(entry)
    for line in reversed(detailed):
        other = by_no.get(line.applied_entry_no) if line.applied_entry_no is not None else None
        cross_group = other is not None and (
            other.posting_group != by_no[line.entry_no].posting_group
        )
        book.post(
            line.entry_no,
            line.entry_type,
            -line.amount,
            -line.amount_lcy,
            line.applied_entry_no,
            party_line=cross_group,
            disc_delta=-line.pmt_disc_possible_delta,
            unapplies=original_id,
            vat_lcy=-line.vat_amount_lcy,
        )
    for entry_no, working in book.working.items():
        book.note(
            NoteCode.UNAPPLIED,
            sentence(f"{label(working.entry)} is open again with {working.remaining}."),
            entry_no,
            working.remaining,
            working.entry.currency_code,
        )
    return book.result()


def reverse_entry(
    entry: LedgerEntryState,
    posting_date: date,
    *,
    reversal_entry_no: int,
    application_id: int,
) -> ApplicationResult:
    """Reverse an unapplied payment or refund (see docs/application-engine.md, "Reversal").

    The store creates the reversal entry ``reversal_entry_no`` as a copy of ``entry`` with
    opposite amount and amount LCY, remaining 0 and closed; the result holds its INITIAL_ENTRY
    (G/L: PARTY against BALANCING, the original's balancing account) and the application that
    closes the original entry against it.
    """
    if entry.document_type not in MONEY_DOCUMENTS:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"Only payments and refunds can be reversed; entry {entry.entry_no} is a "
            f"{entry.document_type.value.lower()}.",
            ["entryNo"],
        )
    if not entry.open or entry.remaining_amount != entry.amount:
        raise DomainError(
            ErrorCode.ENTRY_CLOSED,
            f"Entry {entry.entry_no} ({entry.document_no}) is applied: unapply it before "
            "reversing it.",
            ["entryNo"],
        )
    if posting_date < entry.posting_date:
        raise DomainError(
            ErrorCode.POSTING_DATE_NOT_ALLOWED,
            f"The reversal cannot be posted before the entry ({entry.posting_date.isoformat()}).",
            ["postingDate"],
        )
    reversal = LedgerEntryState(
        entry_no=reversal_entry_no,
        party_no=entry.party_no,
        document_type=entry.document_type,
        document_no=entry.document_no,
        posting_date=posting_date,
        due_date=posting_date,
        amount=-entry.amount,
        remaining_amount=ZERO,
        amount_lcy=-entry.amount_lcy,
        remaining_amount_lcy=ZERO,
        currency_code=entry.currency_code,
        original_rate=entry.original_rate,
        posting_group=entry.posting_group,
        open=False,
    )
    book = Book(application_id, posting_date)
    book.track(entry)
    book.track(reversal)
    if entry.unrealized_lcy != 0:
        unrealized_type = (
            DetailedEntryType.UNREALIZED_GAIN
            if entry.unrealized_lcy > 0
            else DetailedEntryType.UNREALIZED_LOSS
        )
        book.post(entry.entry_no, unrealized_type, ZERO, -entry.unrealized_lcy, reversal_entry_no)
    book.post(
        reversal_entry_no,
        DetailedEntryType.INITIAL_ENTRY,
        -entry.amount,
        -entry.amount_lcy,
        None,
    )
    book.post(
        entry.entry_no,
        DetailedEntryType.APPLICATION,
        -entry.amount,
        -entry.amount_lcy,
        reversal_entry_no,
    )
    book.post(
        reversal_entry_no,
        DetailedEntryType.APPLICATION,
        entry.amount,
        entry.amount_lcy,
        entry.entry_no,
    )
    book.note(
        NoteCode.REVERSED,
        sentence(f"{label(entry)} is reversed by entry {reversal_entry_no}."),
        entry.entry_no,
        entry.amount,
        entry.currency_code,
    )
    return book.result()
