"""The rows a posting writes, party-neutral: a planner returns them, the store's one writer
turns each into the row of its table (customer or vendor ledger by ``ledger``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.immutable import immutable
from domain.ledger import Ledger, LedgerEntry


@immutable
class NewEntry:
    """A ledger entry to insert, in its state once the whole posting is done."""

    ledger: Ledger
    entry: LedgerEntry
    transaction_no: int


@immutable
class DetailedRow:
    """A detailed ledger entry to insert (``ledger_entry_no`` is the entry it changes)."""

    ledger: Ledger
    ledger_entry_no: int
    party_no: str
    entry_type: str
    posting_date: date
    document_type: str
    document_no: str
    currency_code: str
    amount: Decimal
    amount_lcy: Decimal
    applied_entry_no: int | None
    application_no: int | None
    pmt_disc_possible_delta: Decimal
    unapplied: bool
    unapplies_application_no: int | None
    transaction_no: int


@immutable
class GlRow:
    """A G/L entry in LCY (debit +, credit -); the rows of one transaction sum to zero."""

    gl_account_no: str
    posting_date: date
    document_type: str
    document_no: str
    description: str
    amount: Decimal
    source_type: str
    source_no: str
    transaction_no: int


@immutable
class BankRow:
    """A bank account ledger entry (money in +, out -, in the bank account's currency)."""

    entry_no: int
    bank_account_no: str
    posting_date: date
    document_type: str
    document_no: str
    description: str
    currency_code: str
    amount: Decimal
    amount_lcy: Decimal
    open: bool
    transaction_no: int


@dataclass(frozen=True, slots=True)
class PostingPlan:
    """Everything one posting (or one part of a batch) writes.

    ``changed`` holds posted entries whose cached fields change, in their new state;
    ``unapplied`` names applications (per ledger) whose detailed entries an unapply undid.
    """

    new_entries: tuple[NewEntry, ...] = ()
    changed: tuple[tuple[Ledger, LedgerEntry], ...] = ()
    detailed: tuple[DetailedRow, ...] = ()
    gl: tuple[GlRow, ...] = ()
    bank: tuple[BankRow, ...] = ()
    unapplied: tuple[tuple[Ledger, int], ...] = ()
