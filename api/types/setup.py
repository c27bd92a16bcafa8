"""Setup records as GraphQL types."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal

import strawberry

from api.types.enums import ApplnBetweenCurrencies
from store.records import (
    BankAccountRecord,
    CompanySetupRecord,
    CurrencyRecord,
    ExchangeRateRecord,
    PaymentTermsRecord,
)


@strawberry.type
class CompanySetup:
    name: str
    address: str
    email: str
    vat_no: str
    lcy_code: str
    amount_rounding_precision: Decimal
    invoice_rounding_precision: Decimal
    appln_rounding_precision: Decimal
    payment_tolerance_pct: Decimal
    max_payment_tolerance_amount: Decimal
    payment_discount_grace_period: str
    payment_tolerance_warning: bool
    payment_discount_tolerance_warning: bool
    appln_between_currencies: ApplnBetweenCurrencies
    allow_posting_from: date | None
    allow_posting_to: date | None

    @classmethod
    def of(cls, r: CompanySetupRecord) -> CompanySetup:
        return cls(
            name=r.name,
            address=r.address,
            email=r.email,
            vat_no=r.vat_no,
            lcy_code=r.lcy_code,
            amount_rounding_precision=r.amount_rounding_precision,
            invoice_rounding_precision=r.invoice_rounding_precision,
            appln_rounding_precision=r.appln_rounding_precision,
            payment_tolerance_pct=r.payment_tolerance_pct,
            max_payment_tolerance_amount=r.max_payment_tolerance_amount,
            payment_discount_grace_period=r.payment_discount_grace_period,
            payment_tolerance_warning=r.payment_tolerance_warning,
            payment_discount_tolerance_warning=r.payment_discount_tolerance_warning,
            appln_between_currencies=ApplnBetweenCurrencies(r.appln_between_currencies),
            allow_posting_from=r.allow_posting_from,
            allow_posting_to=r.allow_posting_to,
        )


@strawberry.type
class Currency:
    code: str
    description: str
    amount_rounding_precision: Decimal
    invoice_rounding_precision: Decimal
    payment_tolerance_pct: Decimal
    max_payment_tolerance_amount: Decimal

    @classmethod
    def of(cls, r: CurrencyRecord) -> Currency:
        return cls(**asdict(r))


@strawberry.type
class ExchangeRate:
    currency_code: str
    starting_date: date
    rate: Decimal

    @classmethod
    def of(cls, r: ExchangeRateRecord) -> ExchangeRate:
        return cls(currency_code=r.currency_code, starting_date=r.starting_date, rate=r.rate)


@strawberry.type
class PaymentTerms:
    code: str
    description: str
    due_date_calculation: str
    discount_date_calculation: str
    discount_pct: Decimal
    calc_pmt_disc_on_cr_memos: bool

    @classmethod
    def of(cls, r: PaymentTermsRecord) -> PaymentTerms:
        return cls(**asdict(r))


@strawberry.type
class BankAccount:
    no: str
    name: str
    iban: str
    currency_code: str
    gl_account_no: str

    @classmethod
    def of(cls, r: BankAccountRecord) -> BankAccount:
        return cls(**asdict(r))
