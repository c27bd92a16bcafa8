"""Draft cash receipt journals: lines an SPA edits one by one before posting them together.

Drafts are not posted entries, so they may be updated and deleted freely.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from store.tables.base import money, text


class CashReceiptJournal(SQLModel, table=True):
    __tablename__ = "cash_receipt_journals"

    name: str = Field(sa_type=sa.Text(), primary_key=True)
    description: str = text()
    created_at: datetime = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )


class CashReceiptJournalLine(SQLModel, table=True):
    __tablename__ = "cash_receipt_journal_lines"
    __table_args__ = (sa.Index("ix_crjl_journal", "journal_name", "line_no"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    journal_name: str = Field(
        sa_type=sa.Text(),
        sa_column_kwargs={"nullable": False},
        foreign_key="cash_receipt_journals.name",
        ondelete="CASCADE",
    )
    line_no: int
    posting_date: date
    document_type: str = text("PAYMENT")
    document_no: str = text()
    customer_no: str | None = Field(default=None, sa_type=sa.Text(), nullable=True)
    gl_account_no: str | None = Field(default=None, sa_type=sa.Text(), nullable=True)
    bal_account_type: str = text("BANK_ACCOUNT")
    bal_account_no: str = text()
    amount: Decimal = money()
    currency_code: str | None = Field(default=None, sa_type=sa.Text(), nullable=True)
    description: str = text()
    applies_to_doc_type: str | None = Field(default=None, sa_type=sa.Text(), nullable=True)
    applies_to_doc_no: str | None = Field(default=None, sa_type=sa.Text(), nullable=True)
    applies_to_id: str | None = Field(default=None, sa_type=sa.Text(), nullable=True)
    apply_to: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONB(), nullable=False)
    accept_payment_discount_tolerance: bool | None = Field(default=None, nullable=True)
    accept_payment_tolerance: bool | None = Field(default=None, nullable=True)
