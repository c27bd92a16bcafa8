"""Vendors and their ledger: the payables side a bank account needs to be fully reconciled.

The vendor ledger mirrors the customer ledger (same columns, opposite sign convention:
purchase invoices are negative on the vendor, as in BC) and is append-only too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from store.tables.base import money, text


class VendorPostingGroup(SQLModel, table=True):
    __tablename__ = "vendor_posting_groups"

    code: str = Field(sa_type=sa.Text(), primary_key=True)
    payables_account: str = Field(sa_type=sa.Text(), foreign_key="gl_accounts.no")


class Vendor(SQLModel, table=True):
    __tablename__ = "vendors"

    no: str = Field(sa_type=sa.Text(), primary_key=True)
    name: str = text()
    currency_code: str = text("")
    payment_terms_code: str | None = Field(
        default=None, sa_type=sa.Text(), foreign_key="payment_terms.code", nullable=True
    )
    application_method: str = text("MANUAL")
    vendor_posting_group: str = Field(
        default="DOMESTIC", sa_type=sa.Text(), foreign_key="vendor_posting_groups.code"
    )


class VendorBankAccount(SQLModel, table=True):
    __tablename__ = "vendor_bank_accounts"

    vendor_no: str = Field(sa_type=sa.Text(), primary_key=True, foreign_key="vendors.no")
    iban: str = Field(sa_type=sa.Text(), primary_key=True, index=True)


class VendorLedgerEntry(SQLModel, table=True):
    __tablename__ = "vendor_ledger_entries"
    __table_args__ = (
        sa.Index(
            "ix_vle_vendor_open_due",
            "vendor_no",
            "due_date",
            "entry_no",
            postgresql_where=sa.text("open"),
        ),
        sa.Index(
            "uq_vle_vendor_document",
            "vendor_no",
            "document_type",
            "external_document_no",
            unique=True,
            postgresql_where=sa.text("document_type IN ('INVOICE', 'CREDIT_MEMO')"),
        ),
    )

    entry_no: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    vendor_no: str = Field(sa_type=sa.Text(), foreign_key="vendors.no")
    posting_date: date
    document_date: date
    document_type: str = text()
    document_no: str = text()
    external_document_no: str = text("")
    description: str = text("")
    currency_code: str = text("")
    currency_factor: Decimal = money(Decimal(1))
    amount: Decimal = money()
    amount_lcy: Decimal = money()
    remaining_amount: Decimal = money()
    remaining_amount_lcy: Decimal = money()
    open: bool = Field(default=True, nullable=False)
    due_date: date
    pmt_discount_date: date | None = Field(default=None, nullable=True)
    pmt_disc_tolerance_date: date | None = Field(default=None, nullable=True)
    original_pmt_disc_possible: Decimal = money()
    remaining_pmt_disc_possible: Decimal = money()
    max_payment_tolerance: Decimal = money()
    unrealized_lcy: Decimal = money()
    vendor_posting_group: str = text()
    closed_by_entry_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    closed_at_date: date | None = Field(default=None, nullable=True)
    reversed: bool = Field(default=False, nullable=False)
    transaction_no: int = Field(sa_type=sa.BigInteger())
    created_at: datetime = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )


class DetailedVendorLedgerEntry(SQLModel, table=True):
    __tablename__ = "detailed_vendor_ledger_entries"
    __table_args__ = (
        sa.Index("ix_dvle_vle_posting", "vendor_ledger_entry_no", "posting_date"),
        sa.Index("ix_dvle_vendor_posting", "vendor_no", "posting_date"),
    )

    entry_no: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    vendor_ledger_entry_no: int = Field(
        sa_type=sa.BigInteger(), foreign_key="vendor_ledger_entries.entry_no"
    )
    vendor_no: str = text()
    entry_type: str = text()
    posting_date: date
    document_type: str = text("")
    document_no: str = text("")
    currency_code: str = text("")
    amount: Decimal = money()
    amount_lcy: Decimal = money()
    applied_vendor_ledger_entry_no: int | None = Field(
        default=None, sa_type=sa.BigInteger(), nullable=True
    )
    application_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    pmt_disc_possible_delta: Decimal = money()
    unapplies_application_no: int | None = Field(
        default=None, sa_type=sa.BigInteger(), nullable=True
    )
    unapplied: bool = Field(default=False, nullable=False)
    transaction_no: int = Field(sa_type=sa.BigInteger())
    created_at: datetime = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )
