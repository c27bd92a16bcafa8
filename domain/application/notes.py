"""The payment-registration screen shows what an application will do before it is posted, so
each consequence (discount taken or lost, tolerance, partial, gains) becomes a sentence."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from domain.application.book import Book
from domain.application.model import DetailedEntryType, LedgerEntryState, NoteCode
from domain.application.planning import Layout, Participant, Plan
from domain.application.tolerance import DiscountKind

_GAIN_NOTES = {
    DetailedEntryType.REALIZED_GAIN: (NoteCode.REALIZED_GAIN, "Realized exchange gain"),
    DetailedEntryType.REALIZED_LOSS: (NoteCode.REALIZED_LOSS, "Realized exchange loss"),
    DetailedEntryType.UNREALIZED_GAIN: (
        NoteCode.UNREALIZED_REVERSED,
        "Unrealized gain reversed",
    ),
    DetailedEntryType.UNREALIZED_LOSS: (
        NoteCode.UNREALIZED_REVERSED,
        "Unrealized loss reversed",
    ),
    DetailedEntryType.APPLN_ROUNDING: (NoteCode.APPLN_ROUNDING, "Application rounding"),
}


def label(entry: LedgerEntryState) -> str:
    """'invoice INV-1 (entry 12)'."""
    kind = entry.document_type.value.lower().replace("_", " ")
    return f"{kind} {entry.document_no} (entry {entry.entry_no})"


def sentence(text: str) -> str:
    """Upper-case the first letter only (document numbers keep their case)."""
    return text[:1].upper() + text[1:]


def money(amount: Decimal, currency_code: str) -> str:
    return f"{amount} {currency_code or 'LCY'}"


def describe(
    book: Book, layout: Layout, plan: Plan, tolerance_parts: Mapping[int, Decimal]
) -> None:
    """Add the notes of an application to ``book``."""
    for source in layout.sources:
        _describe_source_discount(book, plan, source)
    for debt in layout.debts:
        _describe_discount(book, layout, plan, debt)
        part = tolerance_parts.get(debt.no)
        if part:
            kind = "over-payment" if part > 0 else "under-payment"
            currency = layout.applying.entry.currency_code
            book.note(
                NoteCode.PAYMENT_TOLERANCE,
                f"The {kind} of {money(abs(part), currency)} on {label(debt.entry)} is posted "
                "as payment tolerance.",
                debt.no,
                abs(part),
                currency,
            )
    if plan.declined_tolerance:
        book.note(
            NoteCode.PAYMENT_TOLERANCE_DECLINED,
            f"The difference of {abs(plan.declined_tolerance)} is within the payment tolerance "
            "but was refused: it stays as a remaining amount.",
            layout.applying.no,
            abs(plan.declined_tolerance),
            layout.applying.entry.currency_code,
        )
    for line in book.detailed:
        found = _GAIN_NOTES.get(line.entry_type)
        if found is not None:
            code, words = found
            book.note(
                code,
                f"{words} of {money(abs(line.amount_lcy), '')} on entry {line.entry_no}.",
                line.entry_no,
                line.amount_lcy,
            )
    _describe_balances(book, layout)


def _describe_discount(book: Book, layout: Layout, plan: Plan, debt: Participant) -> None:
    entry = debt.entry
    currency = entry.currency_code
    if debt.no in plan.granted:
        if debt.kind is DiscountKind.REGULAR:
            book.note(
                NoteCode.DISCOUNT_TAKEN,
                f"Payment discount of {money(debt.disc_own, currency)} taken on {label(entry)}.",
                debt.no,
                debt.disc_own,
                currency,
            )
        else:
            book.note(
                NoteCode.PAYMENT_DISCOUNT_TOLERANCE,
                f"Late payment discount of {money(debt.disc_own, currency)} granted on "
                f"{label(entry)}: paid after the discount date, within the grace period.",
                debt.no,
                debt.disc_own,
                currency,
            )
        return
    possible = abs(entry.remaining_pmt_disc_possible)
    if possible == 0 or layout.pay_date is None:
        return
    if debt.kind is DiscountKind.NONE:
        reason = "the payment is after the discount date"
    elif debt.kind is DiscountKind.LATE and not _late_accepted(debt):
        reason = "the late payment discount was refused"
    else:
        reason = "the payment does not cover the amount due after discount"
    book.note(
        NoteCode.DISCOUNT_LOST,
        f"No payment discount on {label(entry)}: {reason}.",
        debt.no,
        possible,
        currency,
    )


def _describe_source_discount(book: Book, plan: Plan, source: Participant) -> None:
    """A credit memo among the sources: its own discount taken, or kept for later."""
    if source.kind is DiscountKind.NONE or source.disc_own <= 0:
        return
    entry = source.entry
    if source.no in plan.granted:
        book.note(
            NoteCode.DISCOUNT_TAKEN,
            f"Payment discount of {money(source.disc_own, entry.currency_code)} taken on "
            f"{label(entry)}.",
            source.no,
            source.disc_own,
            entry.currency_code,
        )
        return
    book.note(
        NoteCode.DISCOUNT_LOST,
        f"No payment discount on {label(entry)}: it is not used in full.",
        source.no,
        source.disc_own,
        entry.currency_code,
    )


def _late_accepted(debt: Participant) -> bool:
    return debt.target is None or debt.target.accept_pmt_disc_tolerance is not False


def _describe_balances(book: Book, layout: Layout) -> None:
    debts_open = False
    for debt in layout.debts:
        working = book.working[debt.no]
        currency = debt.entry.currency_code
        if working.remaining == 0:
            book.note(NoteCode.CLOSED, sentence(f"{label(debt.entry)} is closed."), debt.no)
        else:
            debts_open = True
            book.note(
                NoteCode.PARTIAL,
                sentence(
                    f"{label(debt.entry)} stays open with {money(working.remaining, currency)}."
                ),
                debt.no,
                working.remaining,
                currency,
            )
        if debt.cross:
            book.note(
                NoteCode.CURRENCY_CONVERTED,
                sentence(
                    f"{label(debt.entry)} is in {currency or 'LCY'} and was converted at the "
                    "posting-date exchange rates."
                ),
                debt.no,
            )
    for source in layout.sources:
        working = book.working[source.no]
        if working.remaining != 0 and not debts_open:
            currency = source.entry.currency_code
            book.note(
                NoteCode.OVERPAYMENT,
                sentence(
                    f"{label(source.entry)} stays open with "
                    f"{money(working.remaining, currency)} after closing every entry."
                ),
                source.no,
                working.remaining,
                currency,
            )
