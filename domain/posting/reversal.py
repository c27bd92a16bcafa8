"""Reversing a posted payment or refund (BC's Reverse Transaction): every application standing
on it is unapplied first, latest first (each in BC's order, as an unapply), then a reversal
entry with the opposite amounts is posted against the original's balancing account, applied
to the original (both end closed), and each bank entry of the original transaction gets its
opposite. All of it in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from domain.application import GlRole, reverse_entry
from domain.errors import DomainError, ErrorCode
from domain.ledger import DetailedLedgerEntry, Ledger, LedgerEntry
from domain.posting.booking import entry_state
from domain.posting.numbers import APPLICATION, BANK_ENTRY, TRANSACTION, NumberPool
from domain.posting.posted_entries import LedgerFacts, Posted, merged, not_found, result_plan
from domain.posting.rows import BankRow, GlRow, NewEntry, PostingPlan
from domain.posting.unapply_entries import Unapplying, standing_applications
from domain.sales_posting import check_posting_date

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ReversalFacts:
    """What the store loaded for a reversal, after locking: the entry and every entry its
    standing applications touched, the standing detailed entries of those entries, and the
    G/L and bank entries of the entry's own transaction, in posting order."""

    entries: Mapping[int, LedgerEntry]
    detailed: Sequence[DetailedLedgerEntry]
    original_gl: Sequence[GlRow] = ()
    original_bank: Sequence[BankRow] = ()


def numbers_needed(entry_no: int, reversal: ReversalFacts, ledger: Ledger) -> dict[str, int]:
    """The numbers reversing ``entry_no`` takes: an application and a transaction per
    unapply and for the reversal itself, the reversal entry's no., one bank entry no. per
    bank entry of the original transaction."""
    undo = len(standing_applications(entry_no, reversal.detailed))
    return {
        APPLICATION: undo + 1,
        TRANSACTION: undo + 1,
        ledger.value: 1,
        BANK_ENTRY: len(reversal.original_bank),
    }


def balancing_account(entry: LedgerEntry, original_gl: Sequence[GlRow]) -> str | None:
    """The account the original transaction balanced the entry with: its first G/L line
    with the opposite LCY amount (the bank's account for a payment through a bank)."""
    return next((g.gl_account_no for g in original_gl if g.amount == -entry.amount_lcy), None)


def plan_reversal(
    entry_no: int,
    posting_date: date | None,
    reversal: ReversalFacts,
    facts: LedgerFacts,
    numbers: NumberPool,
) -> Posted:
    """Reverse entry ``entry_no`` on ``posting_date`` (default: the entry's own posting
    date); the number posted is the reversal entry's."""
    entry = reversal.entries.get(entry_no)
    if entry is None:
        raise not_found(entry_no, ["entryNo"])
    if entry.reversed:
        raise DomainError(
            ErrorCode.ENTRY_CLOSED, f"entry {entry_no} is already reversed", ["entryNo"]
        )
    unapplying = Unapplying(reversal.entries, reversal.detailed)
    parts = [
        unapplying.undo(application_no, None, facts, numbers).plan
        for application_no in standing_applications(entry_no, reversal.detailed)
    ]
    entry = unapplying.entries[entry_no]
    when = posting_date or entry.posting_date
    check_posting_date(when, facts.setup.allow_posting_from, facts.setup.allow_posting_to)
    transaction_no = numbers.take(TRANSACTION)
    reversal_no = numbers.take(facts.ledger.value)
    result = reverse_entry(
        entry_state(entry),
        when,
        reversal_entry_no=reversal_no,
        application_id=numbers.take(APPLICATION),
    )
    balancing = balancing_account(entry, reversal.original_gl)
    if balancing is None and any(g.role is GlRole.BALANCING for g in result.gl):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"entry {entry_no} cannot be reversed: its transaction has no balancing line of "
            f"{-entry.amount_lcy}",
            ["entryNo"],
        )
    description = f"Reversal of entry {entry_no}"
    entries = {entry_no: entry, reversal_no: _reversal_entry(entry, reversal_no, when)}
    posted = result_plan(
        result,
        entries,
        facts,
        transaction_no=transaction_no,
        posting_date=when,
        document_type=entry.document_type,
        document_no=entry.document_no,
        description=description,
        source_no=entry.party_no,
        balancing_account=balancing,
    )
    after = {e.entry_no: e for _, e in posted.changed}
    ledger, new = facts.ledger, after.get(reversal_no, entries[reversal_no])
    own = PostingPlan(
        new_entries=(NewEntry(ledger, new, transaction_no),),
        changed=((ledger, replace(after.get(entry_no, entry), reversed=True)),),
        detailed=posted.detailed,
        gl=posted.gl,
        bank=tuple(
            _opposite(b, when, description, transaction_no, numbers) for b in reversal.original_bank
        ),
    )
    return Posted(merged([*parts, own]), reversal_no)


def _reversal_entry(entry: LedgerEntry, entry_no: int, on: date) -> LedgerEntry:
    """The reversal entry as it is posted: a copy of the original with the opposite
    amounts, nothing left to pay, closed and marked reversed."""
    return replace(
        entry,
        entry_no=entry_no,
        posting_date=on,
        document_date=on,
        due_date=on,
        external_document_no="",
        description=f"Reversal of entry {entry.entry_no}",
        amount=-entry.amount,
        amount_lcy=-entry.amount_lcy,
        remaining_amount=ZERO,
        remaining_amount_lcy=ZERO,
        open=False,
        pmt_discount_date=None,
        pmt_disc_tolerance_date=None,
        original_pmt_disc_possible=ZERO,
        remaining_pmt_disc_possible=ZERO,
        max_payment_tolerance=ZERO,
        unrealized_lcy=ZERO,
        closed_by_entry_no=None,
        closed_at_date=None,
        reversed=True,
    )


def _opposite(
    bank: BankRow, on: date, description: str, transaction_no: int, numbers: NumberPool
) -> BankRow:
    """The bank entry that cancels ``bank`` (open: it waits for its statement line)."""
    return BankRow(
        numbers.take(BANK_ENTRY),
        bank.bank_account_no,
        on,
        bank.document_type,
        bank.document_no,
        description,
        bank.currency_code,
        -bank.amount,
        -bank.amount_lcy,
        True,
        transaction_no,
    )
