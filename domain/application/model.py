"""Customers and vendors close entries by the same rules, so one party-neutral vocabulary
describes what an application reads (entries, targets, setup) and what it posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.immutable import immutable
from domain.money import CENT

ZERO = Decimal(0)


class DocumentType(StrEnum):
    """Document type of a ledger entry and of the applies-to fields."""

    INVOICE = "INVOICE"
    CREDIT_MEMO = "CREDIT_MEMO"
    PAYMENT = "PAYMENT"
    REFUND = "REFUND"
    FINANCE_CHARGE_MEMO = "FINANCE_CHARGE_MEMO"
    REMINDER = "REMINDER"


MONEY_DOCUMENTS = frozenset({DocumentType.PAYMENT, DocumentType.REFUND})


class DetailedEntryType(StrEnum):
    """Why a detailed entry changed a ledger entry (names exposed by the GraphQL API)."""

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


UNREALIZED_TYPES = frozenset({DetailedEntryType.UNREALIZED_GAIN, DetailedEntryType.UNREALIZED_LOSS})


class GlRole(StrEnum):
    """What a G/L line is for; the store maps a role (and the entry's posting group) to an account.

    PARTY is the receivables/payables account of the entry's posting group. BALANCING is the
    balancing account of the document a reversal undoes (the bank account of a payment).
    VAT is the VAT account of the entry's document (sales VAT for a customer, purchase VAT
    for a vendor): with "Adjust for Payment Discount" a discount or tolerance moves its
    share of the document's VAT there instead of to its own role.
    """

    PARTY = "PARTY"
    PAYMENT_DISCOUNT = "PAYMENT_DISCOUNT"
    PAYMENT_TOLERANCE = "PAYMENT_TOLERANCE"
    PAYMENT_DISCOUNT_TOLERANCE = "PAYMENT_DISCOUNT_TOLERANCE"
    REALIZED_GAIN = "REALIZED_GAIN"
    REALIZED_LOSS = "REALIZED_LOSS"
    UNREALIZED_GAIN = "UNREALIZED_GAIN"
    UNREALIZED_LOSS = "UNREALIZED_LOSS"
    APPLN_ROUNDING = "APPLN_ROUNDING"
    BALANCING = "BALANCING"
    VAT = "VAT"


class ApplnBetweenCurrencies(StrEnum):
    """Which entries of different currencies may be applied to each other."""

    NONE = "NONE"
    EMU = "EMU"
    ALL = "ALL"


class ApplicationMethod(StrEnum):
    """How the targets were chosen; tolerance and same-sign credit memos depend on it."""

    APPLIES_TO_DOC = "APPLIES_TO_DOC"
    APPLIES_TO_ID = "APPLIES_TO_ID"
    APPLY_TO_OLDEST = "APPLY_TO_OLDEST"


class NoteCode(StrEnum):
    """Machine-readable reason of a note shown before posting."""

    CLOSED = "CLOSED"
    PARTIAL = "PARTIAL"
    OVERPAYMENT = "OVERPAYMENT"
    DISCOUNT_TAKEN = "DISCOUNT_TAKEN"
    DISCOUNT_LOST = "DISCOUNT_LOST"
    PAYMENT_DISCOUNT_TOLERANCE = "PAYMENT_DISCOUNT_TOLERANCE"
    PAYMENT_TOLERANCE = "PAYMENT_TOLERANCE"
    PAYMENT_TOLERANCE_DECLINED = "PAYMENT_TOLERANCE_DECLINED"
    REALIZED_GAIN = "REALIZED_GAIN"
    REALIZED_LOSS = "REALIZED_LOSS"
    UNREALIZED_REVERSED = "UNREALIZED_REVERSED"
    UNREALIZED_GAIN = "UNREALIZED_GAIN"
    UNREALIZED_LOSS = "UNREALIZED_LOSS"
    APPLN_ROUNDING = "APPLN_ROUNDING"
    CURRENCY_CONVERTED = "CURRENCY_CONVERTED"
    UNAPPLIED = "UNAPPLIED"
    REVERSED = "REVERSED"


@immutable
class LedgerEntryState:
    """A customer or vendor ledger entry as the engine needs it (amounts signed as posted).

    ``original_rate`` is LCY per unit of ``currency_code`` at posting (1 for LCY entries).
    ``unrealized_lcy`` is the net unrealized gain (+) / loss (-) posted on the entry by
    revaluations and not yet reversed (= the sum of its UNREALIZED_* detailed entries), so
    ``remaining_amount_lcy - unrealized_lcy`` is the remaining at the original rate.
    ``vat_amount`` is the VAT included in ``amount`` whose VAT posting setup has "Adjust for
    Payment Disc." (signed like ``amount``, 0 = none): a discount or tolerance on the entry
    reverses the same share of it when the setup's ``adjust_for_payment_discount`` is on.
    """

    entry_no: int
    party_no: str
    document_type: DocumentType
    document_no: str
    posting_date: date
    due_date: date
    amount: Decimal
    remaining_amount: Decimal
    amount_lcy: Decimal
    remaining_amount_lcy: Decimal
    currency_code: str = ""
    original_rate: Decimal = Decimal(1)
    unrealized_lcy: Decimal = ZERO
    pmt_discount_date: date | None = None
    pmt_disc_tolerance_date: date | None = None
    original_pmt_disc_possible: Decimal = ZERO
    remaining_pmt_disc_possible: Decimal = ZERO
    max_payment_tolerance: Decimal = ZERO
    posting_group: str = ""
    open: bool = True
    vat_amount: Decimal = ZERO


@immutable
class ApplyTarget:
    """One entry to apply, with the amount to apply (None = all of its remaining amount).

    The accept flags answer BC's warnings: None = not answered (an error when the setup's
    warning is on and the case arises), True = accept, False = refuse. The store resolves the
    journal line's flag and the applyTo item's override before building the target.
    """

    entry: LedgerEntryState
    amount_to_apply: Decimal | None = None
    accept_pmt_disc_tolerance: bool | None = None
    accept_pmt_tolerance: bool | None = None


@dataclass(frozen=True, slots=True)
class ApplicationSetup:
    """The company setup that changes how entries close.

    ``appln_rounding_precision`` is the G/L setup's (in LCY); ``appln_rounding_precisions``
    are the currencies' own "Appln. Rounding Precision" (in that currency; 0 or absent = the
    G/L setup's). ``adjust_for_payment_discount`` is the G/L setup's "Adjust for Payment
    Disc.": discounts and tolerances then reverse their share of the entry's ``vat_amount``.
    """

    appln_between_currencies: ApplnBetweenCurrencies = ApplnBetweenCurrencies.NONE
    emu_currencies: frozenset[str] = frozenset()
    payment_tolerance_warning: bool = False
    payment_discount_tolerance_warning: bool = False
    appln_rounding_precision: Decimal = ZERO
    lcy_precision: Decimal = CENT
    currency_precisions: tuple[tuple[str, Decimal], ...] = ()
    appln_rounding_precisions: tuple[tuple[str, Decimal], ...] = ()
    adjust_for_payment_discount: bool = False

    def amount_precision(self, currency_code: str) -> Decimal:
        """Rounding precision of amounts in ``currency_code`` ("" = LCY; default 0.01)."""
        if currency_code == "":
            return self.lcy_precision
        for code, precision in self.currency_precisions:
            if code == currency_code:
                return precision
        return CENT

    def currency_appln_rounding(self, currency_code: str) -> Decimal:
        """The currency's own application rounding precision (0 = none set: use the G/L
        setup's, in LCY)."""
        for code, precision in self.appln_rounding_precisions:
            if code == currency_code and currency_code != "":
                return precision
        return ZERO


@immutable
class DetailedEntry:
    """A detailed ledger entry (DCLE/DVLE) to insert.

    ``applied_entry_no`` is the other side of the pairing (BC's "Applied Cust. Ledger Entry
    No."). ``pmt_disc_possible_delta`` is the change it made to the entry's remaining possible
    discount, so an unapply restores it exactly. ``application_id`` is the transaction that
    created it; the unapply of an application creates ``unapplied=True`` entries whose
    ``unapplies_application_id`` names the application undone (the store marks the originals).
    """

    entry_no: int
    entry_type: DetailedEntryType
    posting_date: date
    currency_code: str
    amount: Decimal
    amount_lcy: Decimal
    applied_entry_no: int | None
    application_id: int
    pmt_disc_possible_delta: Decimal = ZERO
    unapplied: bool = False
    unapplies_application_id: int | None = None
    vat_amount_lcy: Decimal = ZERO


@immutable
class GlLine:
    """A G/L line in LCY (debit +, credit -) for ``role``, about ledger entry ``entry_no``."""

    role: GlRole
    amount_lcy: Decimal
    entry_no: int


@immutable
class EntryUpdate:
    """The new cached state of a ledger entry after the result is posted."""

    entry_no: int
    remaining_amount: Decimal
    remaining_amount_lcy: Decimal
    remaining_pmt_disc_possible: Decimal
    unrealized_lcy: Decimal
    open: bool


@immutable
class Note:
    """What the application does, for the payment-registration screen (code + sentence)."""

    code: NoteCode
    message: str
    entry_no: int | None = None
    amount: Decimal | None = None
    currency_code: str = ""


@immutable
class ApplicationResult:
    """Everything one application (or unapply, reversal, revaluation) posts."""

    application_id: int
    detailed: tuple[DetailedEntry, ...]
    gl: tuple[GlLine, ...]
    entries: tuple[EntryUpdate, ...]
    notes: tuple[Note, ...]
