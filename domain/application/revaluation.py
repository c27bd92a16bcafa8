"""Open foreign-currency entries must be valued at the closing rate in the balance sheet; the
difference is an unrealized gain or loss, reversed when the entry is applied."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from domain.application.book import Book
from domain.application.model import (
    ZERO,
    ApplicationResult,
    ApplicationSetup,
    DetailedEntryType,
    LedgerEntryState,
    NoteCode,
)
from domain.application.notes import label, money
from domain.errors import DomainError, ErrorCode
from domain.money import round_amount


def adjust_exchange_rates(
    open_entries: Iterable[LedgerEntryState],
    rates_on_date: Mapping[str, Decimal],
    posting_date: date,
    setup: ApplicationSetup,
    *,
    application_id: int,
) -> ApplicationResult:
    """Revalue open FCY entries: remaining FCY x rate minus the current remaining LCY is posted
    as UNREALIZED_GAIN (+) or UNREALIZED_LOSS (-); a second run with the same rates posts
    nothing."""
    book = Book(application_id, posting_date)
    for entry in sorted(open_entries, key=lambda e: e.entry_no):
        if not entry.open or entry.remaining_amount == 0 or entry.currency_code == "":
            continue
        rate = rates_on_date.get(entry.currency_code)
        if rate is None or rate <= 0:
            raise DomainError(
                ErrorCode.NO_EXCHANGE_RATE,
                f"There is no exchange rate for {entry.currency_code} on "
                f"{posting_date.isoformat()} to revalue {label(entry)}.",
                ["rates", entry.currency_code],
            )
        target = round_amount(entry.remaining_amount * rate, setup.lcy_precision)
        difference = target - entry.remaining_amount_lcy
        if difference == ZERO:
            continue
        gain = difference > 0
        book.track(entry)
        book.post(
            entry.entry_no,
            DetailedEntryType.UNREALIZED_GAIN if gain else DetailedEntryType.UNREALIZED_LOSS,
            ZERO,
            difference,
            None,
        )
        book.note(
            NoteCode.UNREALIZED_GAIN if gain else NoteCode.UNREALIZED_LOSS,
            f"Unrealized {'gain' if gain else 'loss'} of {money(abs(difference), '')} on "
            f"{label(entry)} at {rate} LCY per {entry.currency_code}.",
            entry.entry_no,
            difference,
        )
    return book.result()
