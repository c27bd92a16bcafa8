"""Master data: company setup, chart of accounts, currencies, terms, customers, bank accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from store.tables.base import money, text


class CompanySetup(SQLModel, table=True):
    """A single row (id = 1): the company's local currency, rounding and tolerance rules."""

    __tablename__ = "company_setup"

    id: int = Field(default=1, primary_key=True)
    name: str = text("My Company")
    address: str = text("")
    email: str = text("")
    vat_no: str = text("")
    logo_png: bytes | None = Field(default=None, sa_type=sa.LargeBinary(), nullable=True)
    lcy_code: str = text("EUR")
    amount_rounding_precision: Decimal = money(Decimal("0.01"))
    invoice_rounding_precision: Decimal = money(Decimal("0.01"))
    appln_rounding_precision: Decimal = money(Decimal("0.01"))
    payment_tolerance_pct: Decimal = money(Decimal(0))
    max_payment_tolerance_amount: Decimal = money(Decimal(0))
    payment_discount_grace_period: str = text("")
    payment_tolerance_warning: bool = Field(default=False, nullable=False)
    payment_discount_tolerance_warning: bool = Field(default=False, nullable=False)
    appln_between_currencies: str = text("NONE")
    allow_posting_from: date | None = Field(default=None, nullable=True)
    allow_posting_to: date | None = Field(default=None, nullable=True)
    default_revenue_account: str = text("4000")
    vat_payable_account: str = text("2400")
    payment_discount_account: str = text("4900")
    payment_tolerance_account: str = text("4910")
    realized_gains_account: str = text("7900")
    realized_losses_account: str = text("8900")
    unrealized_gains_account: str = text("7910")
    unrealized_losses_account: str = text("8910")
    appln_rounding_account: str = text("8950")
    inventory_account: str = text("1300")
    cost_of_sales_account: str = text("5000")


class GLAccount(SQLModel, table=True):
    __tablename__ = "gl_accounts"

    no: str = Field(sa_type=sa.Text(), primary_key=True)
    name: str = text()
    income_balance: str = text("BALANCE")


class Currency(SQLModel, table=True):
    __tablename__ = "currencies"

    code: str = Field(sa_type=sa.Text(), primary_key=True)
    description: str = text()
    amount_rounding_precision: Decimal = money(Decimal("0.01"))
    invoice_rounding_precision: Decimal = money(Decimal("0.01"))
    payment_tolerance_pct: Decimal = money(Decimal(0))
    max_payment_tolerance_amount: Decimal = money(Decimal(0))


class ExchangeRate(SQLModel, table=True):
    """rate = LCY per 1 unit of the currency, valid from starting_date."""

    __tablename__ = "exchange_rates"

    currency_code: str = Field(sa_type=sa.Text(), primary_key=True, foreign_key="currencies.code")
    starting_date: date = Field(primary_key=True)
    rate: Decimal = money(None)


class PaymentTerms(SQLModel, table=True):
    __tablename__ = "payment_terms"

    code: str = Field(sa_type=sa.Text(), primary_key=True)
    description: str = text()
    due_date_calculation: str = text("")
    discount_date_calculation: str = text("")
    discount_pct: Decimal = money(Decimal(0))
    calc_pmt_disc_on_cr_memos: bool = Field(default=False, nullable=False)


class CustomerPostingGroup(SQLModel, table=True):
    __tablename__ = "customer_posting_groups"

    code: str = Field(sa_type=sa.Text(), primary_key=True)
    receivables_account: str = Field(sa_type=sa.Text(), foreign_key="gl_accounts.no")


class Customer(SQLModel, table=True):
    __tablename__ = "customers"

    no: str = Field(sa_type=sa.Text(), primary_key=True)
    name: str = text()
    address: str = text("")
    email: str = text("")
    language_code: str = text("en")
    currency_code: str = text("")
    payment_terms_code: str | None = Field(
        default=None, sa_type=sa.Text(), foreign_key="payment_terms.code", nullable=True
    )
    application_method: str = text("MANUAL")
    customer_posting_group: str = Field(
        default="DOMESTIC", sa_type=sa.Text(), foreign_key="customer_posting_groups.code"
    )
    reminder_terms_code: str | None = Field(default=None, sa_type=sa.Text(), nullable=True)
    finance_charge_terms_code: str | None = Field(default=None, sa_type=sa.Text(), nullable=True)


class CustomerBankAccount(SQLModel, table=True):
    __tablename__ = "customer_bank_accounts"

    customer_no: str = Field(sa_type=sa.Text(), primary_key=True, foreign_key="customers.no")
    iban: str = Field(sa_type=sa.Text(), primary_key=True, index=True)


class BankAccount(SQLModel, table=True):
    __tablename__ = "bank_accounts"

    no: str = Field(sa_type=sa.Text(), primary_key=True)
    name: str = text()
    iban: str = text("")
    currency_code: str = text("")
    gl_account_no: str = Field(sa_type=sa.Text(), foreign_key="gl_accounts.no")
