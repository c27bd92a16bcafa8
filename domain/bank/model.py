"""One shape for every bank format, so matching and posting never care where a line came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class StatementFormat(StrEnum):
    """The file formats a statement can be imported from (``AUTO`` is not one of them)."""

    CAMT053 = "CAMT053"
    CAMT054 = "CAMT054"
    MT940 = "MT940"
    OFX = "OFX"
    CSV = "CSV"


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One money movement on the bank account: incoming positive, outgoing negative."""

    line_no: int
    booking_date: date | None
    value_date: date | None
    amount: Decimal
    currency_code: str | None = None
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    remittance_text: str | None = None
    end_to_end_id: str | None = None
    bank_reference: str | None = None
    customer_reference: str | None = None
    transaction_code: str | None = None
    raw_details: str | None = None


@dataclass(frozen=True, slots=True)
class BankStatement:
    """A statement of one account as the bank sent it, with its balances and lines."""

    statement_id: str
    format: StatementFormat
    account_iban: str | None
    account_number: str | None
    currency_code: str | None
    statement_date: date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    lines: tuple[StatementLine, ...]
    balance_warning: str | None = None
    sequence_number: str | None = None
    legal_sequence_number: str | None = None

    @property
    def lines_total(self) -> Decimal:
        """Sum of the signed line amounts."""
        return sum((line.amount for line in self.lines), Decimal(0))


def balance_warning(
    opening: Decimal | None,
    closing: Decimal | None,
    amounts: Iterable[Decimal],
    opening_currency: str | None = None,
    closing_currency: str | None = None,
) -> str | None:
    """Say why opening + lines does not give closing; None when it does or cannot be checked.

    A mismatch is flagged, never refused: banks (and anonymised samples) send such files and
    the user decides; the statement is simply not marked reconciled until it agrees.
    """
    if opening is None or closing is None:
        return None
    if opening_currency and closing_currency and opening_currency != closing_currency:
        return (
            f"opening balance is in {opening_currency} but closing balance in "
            f"{closing_currency}; the balances cannot be checked against the lines"
        )
    total = sum(amounts, Decimal(0))
    expected = opening + total
    if expected == closing:
        return None
    return (
        f"opening balance {opening} + lines {total} = {expected}, "
        f"but the closing balance is {closing} (difference {closing - expected})"
    )
