"""Customers and vendors keep one kind of ledger: an entry per document, changed only by the
detailed entries that follow it. One party-neutral record describes both; the two ledgers
differ in sign convention and in what their party is called, nothing else."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.immutable import immutable


class Ledger(StrEnum):
    """Which subledger an entry lives in; vendors mirror customers with the sign flipped."""

    CUSTOMER = "CUSTOMER"
    VENDOR = "VENDOR"

    @property
    def word(self) -> str:
        return "customer" if self is Ledger.CUSTOMER else "vendor"

    @property
    def payment_sign(self) -> int:
        """Sign of a payment's amount on this ledger (BC: a customer pays with a negative
        amount, a payment to a vendor is positive); a refund has the other sign."""
        return -1 if self is Ledger.CUSTOMER else 1


@immutable
class LedgerEntry:
    """A posted customer or vendor ledger entry with its cached running fields.

    ``remaining_amount`` and the fields after it are caches of the entry's detailed entries
    (the truth); amounts are signed as BC posts them (customer invoice +, vendor invoice -).
    """

    entry_no: int
    party_no: str
    posting_date: date
    document_date: date
    document_type: str
    document_no: str
    external_document_no: str
    description: str
    currency_code: str
    currency_factor: Decimal
    amount: Decimal
    amount_lcy: Decimal
    remaining_amount: Decimal
    remaining_amount_lcy: Decimal
    open: bool
    due_date: date
    pmt_discount_date: date | None
    pmt_disc_tolerance_date: date | None
    original_pmt_disc_possible: Decimal
    remaining_pmt_disc_possible: Decimal
    max_payment_tolerance: Decimal
    unrealized_lcy: Decimal
    posting_group: str
    closed_by_entry_no: int | None
    closed_at_date: date | None
    reversed: bool


@immutable
class DetailedLedgerEntry:
    """A posted detailed entry of either ledger (``ledger_entry_no`` is the entry it changes)."""

    entry_no: int
    ledger_entry_no: int
    entry_type: str
    posting_date: date
    document_type: str
    document_no: str
    currency_code: str
    amount: Decimal
    amount_lcy: Decimal
    applied_entry_no: int | None
    application_no: int | None
    unapplied: bool
    pmt_disc_possible_delta: Decimal
    unapplies_application_no: int | None
    transaction_no: int
