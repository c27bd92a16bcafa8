"""Posted ledgers: append-only (a trigger rejects DELETE and any UPDATE but the cached fields).

Entry numbers come from identity sequences: increasing, gaps allowed, never MAX()+1.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from store.tables.base import money, text


def _created_at() -> datetime:
    return Field(  # type: ignore[no-any-return]
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )


class CustomerLedgerEntry(SQLModel, table=True):
    __tablename__ = "customer_ledger_entries"
    __table_args__ = (
        sa.Index(
            "ix_cle_customer_open_due",
            "customer_no",
            "due_date",
            "entry_no",
            postgresql_where=sa.text("open"),
        ),
        sa.Index("ix_cle_customer_posting", "customer_no", "posting_date", "entry_no"),
        sa.Index("ix_cle_document", "document_no", "customer_no"),
        sa.Index(
            "uq_cle_customer_document",
            "customer_no",
            "document_type",
            "document_no",
            unique=True,
            postgresql_where=sa.text("document_type IN ('INVOICE', 'CREDIT_MEMO')"),
        ),
    )

    entry_no: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    customer_no: str = Field(sa_type=sa.Text(), foreign_key="customers.no")
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
    customer_posting_group: str = text()
    closed_by_entry_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    closed_at_date: date | None = Field(default=None, nullable=True)
    reversed: bool = Field(default=False, nullable=False)
    transaction_no: int = Field(sa_type=sa.BigInteger())
    created_at: datetime = _created_at()


class DetailedCustomerLedgerEntry(SQLModel, table=True):
    __tablename__ = "detailed_customer_ledger_entries"
    __table_args__ = (
        sa.Index("ix_dcle_cle_posting", "cust_ledger_entry_no", "posting_date"),
        sa.Index("ix_dcle_customer_posting", "customer_no", "posting_date"),
        sa.Index("ix_dcle_transaction", "transaction_no"),
    )

    entry_no: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    cust_ledger_entry_no: int = Field(
        sa_type=sa.BigInteger(), foreign_key="customer_ledger_entries.entry_no"
    )
    customer_no: str = text()
    entry_type: str = text()
    posting_date: date
    document_type: str = text("")
    document_no: str = text("")
    currency_code: str = text("")
    amount: Decimal = money()
    amount_lcy: Decimal = money()
    applied_cust_ledger_entry_no: int | None = Field(
        default=None, sa_type=sa.BigInteger(), nullable=True
    )
    application_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    pmt_disc_possible_delta: Decimal = money()
    unapplies_application_no: int | None = Field(
        default=None, sa_type=sa.BigInteger(), nullable=True
    )
    unapplied: bool = Field(default=False, nullable=False)
    unapplied_by_entry_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    transaction_no: int = Field(sa_type=sa.BigInteger())
    created_at: datetime = _created_at()


class GLEntry(SQLModel, table=True):
    """amount in LCY: debit positive, credit negative; Σ per transaction is zero."""

    __tablename__ = "gl_entries"
    __table_args__ = (
        sa.Index("ix_gl_document", "document_no"),
        sa.Index("ix_gl_transaction", "transaction_no"),
        sa.Index("ix_gl_account_posting", "gl_account_no", "posting_date"),
    )

    entry_no: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    gl_account_no: str = Field(sa_type=sa.Text(), foreign_key="gl_accounts.no")
    posting_date: date
    document_type: str = text("")
    document_no: str = text("")
    description: str = text("")
    amount: Decimal = money()
    source_type: str = text("")
    source_no: str = text("")
    transaction_no: int = Field(sa_type=sa.BigInteger())
    created_at: datetime = _created_at()


class BankAccountLedgerEntry(SQLModel, table=True):
    __tablename__ = "bank_account_ledger_entries"
    __table_args__ = (sa.Index("ix_bale_account_posting", "bank_account_no", "posting_date"),)

    entry_no: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    bank_account_no: str = Field(sa_type=sa.Text(), foreign_key="bank_accounts.no")
    posting_date: date
    document_type: str = text("")
    document_no: str = text("")
    description: str = text("")
    currency_code: str = text("")
    amount: Decimal = money()
    amount_lcy: Decimal = money()
    open: bool = Field(default=True, nullable=False)
    statement_line_id: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    transaction_no: int = Field(sa_type=sa.BigInteger())
    created_at: datetime = _created_at()
