"""Read models returned by the store: frozen, so no caller mutates a row behind our back."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from domain.company import CompanySetup as CompanySetupRecord
from domain.immutable import immutable

__all__ = ["CompanySetupRecord"]

R = TypeVar("R")


def from_row(cls: type[R], row: Any) -> R:
    mapping = row._mapping if hasattr(row, "_mapping") else row
    return cls(**{f.name: mapping[f.name] for f in fields(cls)})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class CurrencyRecord:
    code: str
    description: str
    amount_rounding_precision: Decimal
    invoice_rounding_precision: Decimal
    payment_tolerance_pct: Decimal
    max_payment_tolerance_amount: Decimal


@dataclass(frozen=True, slots=True)
class ExchangeRateRecord:
    currency_code: str
    starting_date: date
    rate: Decimal


@dataclass(frozen=True, slots=True)
class PaymentTermsRecord:
    code: str
    description: str
    due_date_calculation: str
    discount_date_calculation: str
    discount_pct: Decimal
    calc_pmt_disc_on_cr_memos: bool


@dataclass(frozen=True, slots=True)
class BankAccountRecord:
    no: str
    name: str
    iban: str
    currency_code: str
    gl_account_no: str


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    no: str
    name: str
    address: str
    email: str
    language_code: str
    currency_code: str
    payment_terms_code: str | None
    application_method: str
    customer_posting_group: str
    reminder_terms_code: str | None
    finance_charge_terms_code: str | None


@dataclass(frozen=True, slots=True)
class VendorRecord:
    no: str
    name: str
    currency_code: str
    payment_terms_code: str | None
    application_method: str
    vendor_posting_group: str


@immutable
class GLEntryRecord:
    entry_no: int
    gl_account_no: str
    posting_date: date
    document_type: str
    document_no: str
    description: str
    amount: Decimal
    transaction_no: int
