"""Enums of the public contract (api.md): names clients rely on."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum
class DocumentType(Enum):
    INVOICE = "INVOICE"
    CREDIT_MEMO = "CREDIT_MEMO"
    PAYMENT = "PAYMENT"
    REFUND = "REFUND"
    FINANCE_CHARGE_MEMO = "FINANCE_CHARGE_MEMO"
    REMINDER = "REMINDER"


@strawberry.enum
class DetailedEntryType(Enum):
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


@strawberry.enum
class ApplicationMethod(Enum):
    MANUAL = "MANUAL"
    APPLY_TO_OLDEST = "APPLY_TO_OLDEST"


@strawberry.enum
class ApplnBetweenCurrencies(Enum):
    NONE = "NONE"
    EMU = "EMU"
    ALL = "ALL"


def document_type(value: str) -> DocumentType | None:
    return DocumentType(value) if value else None


@strawberry.enum(description="Which subledger an entry number belongs to.")
class PartyLedger(Enum):
    CUSTOMER = "CUSTOMER"
    VENDOR = "VENDOR"
