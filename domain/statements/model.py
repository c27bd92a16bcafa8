"""A customer statement is what the customer sees of their account: the options asked for, the
ledger it is built from, and the per-currency sections it produces, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)


class StatementStyle(StrEnum):
    """BALANCE: every movement with a running balance; OPEN_ITEM: what is still open."""

    BALANCE = "BALANCE"
    OPEN_ITEM = "OPEN_ITEM"


class AgingBy(StrEnum):
    """Which date of an open entry decides its aging bucket."""

    DUE_DATE = "DUE_DATE"
    POSTING_DATE = "POSTING_DATE"


class DocumentType(StrEnum):
    """Ledger document types as in api.md (blank is ``None``)."""

    INVOICE = "INVOICE"
    CREDIT_MEMO = "CREDIT_MEMO"
    PAYMENT = "PAYMENT"
    REFUND = "REFUND"
    FINANCE_CHARGE_MEMO = "FINANCE_CHARGE_MEMO"
    REMINDER = "REMINDER"


class MovementType(StrEnum):
    """Detailed ledger entry types as in api.md: each changes a ledger entry's amount."""

    INITIAL_ENTRY = "INITIAL_ENTRY"
    APPLICATION = "APPLICATION"
    PAYMENT_DISCOUNT = "PAYMENT_DISCOUNT"
    PAYMENT_TOLERANCE = "PAYMENT_TOLERANCE"
    PAYMENT_DISCOUNT_TOLERANCE = "PAYMENT_DISCOUNT_TOLERANCE"
    REALIZED_GAIN = "REALIZED_GAIN"
    REALIZED_LOSS = "REALIZED_LOSS"
    UNREALIZED_GAIN = "UNREALIZED_GAIN"
    UNREALIZED_LOSS = "UNREALIZED_LOSS"
    APPLN_ROUNDING = "APPLN_ROUNDING"
    CORRECTION_OF_REMAINING_AMOUNT = "CORRECTION_OF_REMAINING_AMOUNT"


class BucketKind(StrEnum):
    """CURRENT: not yet overdue (due-date aging only); PERIOD: a closed date range; OLDER: the
    open-ended last bucket."""

    CURRENT = "CURRENT"
    PERIOD = "PERIOD"
    OLDER = "OLDER"


class CustomerSelection(StrEnum):
    """Which customers of a run get a statement (BC's "include all customers with ...")."""

    WITH_ENTRIES = "WITH_ENTRIES"
    WITH_BALANCE = "WITH_BALANCE"
    WITH_OVERDUE = "WITH_OVERDUE"


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementOptions:
    """What the user asked for. ``end_date`` is the statement date and the aging date.

    ``lcy_code`` names the local currency: entries whose currency code is blank belong to it.
    ``language_code`` blank means the customer's language.
    """

    start_date: date
    end_date: date
    style: StatementStyle = StatementStyle.BALANCE
    include_aging: bool = False
    aging_by: AgingBy = AgingBy.DUE_DATE
    aging_period: str = "1M+CM"
    include_overdue: bool = False
    language_code: str = ""
    lcy_code: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementCustomer:
    """The addressee. ``currency_code`` blank means the customer is billed in LCY."""

    no: str
    name: str
    address_lines: tuple[str, ...] = ()
    email: str = ""
    language_code: str = ""
    currency_code: str = ""


@dataclass(frozen=True, slots=True)
class StatementMovement:
    """One detailed ledger entry: a dated change of its ledger entry's amount (entry currency)."""

    posting_date: date
    entry_type: MovementType
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementEntry:
    """One customer ledger entry with its detailed entries; the detailed entries are the truth.

    ``amount`` is the original amount (invoices +, payments and credit memos -);
    ``currency_code`` blank means LCY. ``due_date`` may be ``None`` (payments).
    """

    entry_no: int
    document_type: DocumentType | None
    document_no: str
    posting_date: date
    amount: Decimal
    detailed: tuple[StatementMovement, ...]
    currency_code: str = ""
    external_document_no: str = ""
    document_date: date | None = None
    due_date: date | None = None

    def remaining_as_of(self, on: date) -> Decimal:
        """Remaining amount on a date: the sum of the detailed entries posted on or before it."""
        return sum((m.amount for m in self.detailed if m.posting_date <= on), ZERO)


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementLine:
    """One printed line of a currency section.

    ``amount`` is what the line adds to the section balance: the movement amount (BALANCE) or
    the entry's remaining amount at the end date (OPEN_ITEM). ``balance`` is the running
    balance after the line. ``entry_no`` is ``None`` only for the net of an application
    between currencies (see docs/statements.md).
    """

    posting_date: date
    kind: MovementType
    entry_no: int | None
    document_type: DocumentType | None
    document_no: str
    external_document_no: str
    due_date: date | None
    original_amount: Decimal
    amount: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class OverdueLine:
    """An entry with a positive remaining amount whose due date is before the statement date."""

    entry_no: int
    document_type: DocumentType | None
    document_no: str
    external_document_no: str
    posting_date: date
    due_date: date
    days_overdue: int
    original_amount: Decimal
    remaining_amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class AgingBucket:
    """Open remaining amounts whose aging date lies in ``start``..``end`` (inclusive).

    ``start`` is ``None`` for the open-ended OLDER bucket, ``end`` is ``None`` for CURRENT.
    """

    kind: BucketKind
    start: date | None
    end: date | None
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Aging:
    """Five buckets whose amounts add up to the open remaining amounts at the aging date."""

    aging_by: AgingBy
    period: str
    aging_date: date
    buckets: tuple[AgingBucket, ...]

    @property
    def total(self) -> Decimal:
        return sum((b.amount for b in self.buckets), ZERO)


@dataclass(frozen=True, slots=True, kw_only=True)
class CurrencySection:
    """Everything printed for one currency; amounts are in that currency.

    ``closing_balance`` = Σ detailed entries up to the end date = ``opening_balance`` + Σ line
    amounts. In OPEN_ITEM style ``opening_balance`` is the remaining amount, at the end date,
    of the open entries posted before the start date (BC's open-item statement).
    """

    currency_code: str
    opening_balance: Decimal
    lines: tuple[StatementLine, ...]
    closing_balance: Decimal
    overdue: tuple[OverdueLine, ...] = ()
    aging: Aging | None = None

    @property
    def overdue_total(self) -> Decimal:
        return sum((o.remaining_amount for o in self.overdue), ZERO)


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """One customer's statement: one section per currency with anything to show."""

    customer: StatementCustomer
    options: StatementOptions
    language_code: str
    sections: tuple[CurrencySection, ...] = field(default_factory=tuple)

    @property
    def statement_date(self) -> date:
        """The statement date is the last date of the period (BC), also the aging date."""
        return self.options.end_date

    @property
    def is_empty(self) -> bool:
        return not self.sections


@dataclass(frozen=True, slots=True)
class CurrencyAmount:
    currency_code: str
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerSummary:
    """What the run needs to know about a customer to decide whether it gets a statement."""

    customer_no: str
    entries_in_period: int
    balances: tuple[CurrencyAmount, ...] = ()
    overdue: tuple[CurrencyAmount, ...] = ()
