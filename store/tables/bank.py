"""Imported bank statements and the payment reconciliation journal built on them.

Statements and their lines are what the bank said: once imported their amounts never change
(a trigger guards them); only the working state (line status, the posting link, the
reconciled mark) moves. Suggestions are the journal's editable part.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from store.tables.base import money, text


def _timestamp(nullable: bool) -> datetime:
    if nullable:
        return Field(  # type: ignore[no-any-return]
            default=None, sa_type=sa.DateTime(timezone=True), nullable=True
        )
    return Field(  # type: ignore[no-any-return]
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )


class BankStatementRow(SQLModel, table=True):
    __tablename__ = "bank_statements"
    __table_args__ = (
        sa.UniqueConstraint("bank_account_no", "statement_no", "file_sha256", "file_position"),
        sa.Index("ix_bank_statements_account_date", "bank_account_no", "statement_date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    bank_account_no: str = Field(sa_type=sa.Text(), foreign_key="bank_accounts.no")
    statement_no: str = text()
    account_iban: str | None = text(None, nullable=True)
    currency_code: str = text("")
    statement_date: date | None = Field(default=None, nullable=True)
    opening_balance: Decimal | None = money(None, nullable=True)
    closing_balance: Decimal | None = money(None, nullable=True)
    format: str = text()
    file_sha256: str = text()
    file_position: int = Field(default=1, nullable=False)
    balance_warning: str | None = text(None, nullable=True)
    opening_warning: str | None = text(None, nullable=True)
    imported_at: datetime = _timestamp(nullable=False)
    reconciled_at: datetime | None = _timestamp(nullable=True)


class BankStatementLineRow(SQLModel, table=True):
    __tablename__ = "bank_statement_lines"
    __table_args__ = (
        sa.UniqueConstraint("statement_id", "line_no"),
        sa.Index("ix_bank_statement_lines_status", "statement_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    statement_id: int = Field(sa_type=sa.BigInteger(), foreign_key="bank_statements.id")
    line_no: int
    booking_date: date | None = Field(default=None, nullable=True)
    value_date: date | None = Field(default=None, nullable=True)
    amount: Decimal = money()
    currency_code: str = text("")
    description: str = text("")
    counterparty_name: str | None = text(None, nullable=True)
    counterparty_iban: str | None = text(None, nullable=True)
    end_to_end_id: str | None = text(None, nullable=True)
    bank_reference: str | None = text(None, nullable=True)
    transaction_code: str | None = text(None, nullable=True)
    status: str = text("OPEN")
    document_no: str | None = text(None, nullable=True)
    transaction_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    bank_entry_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)


class BankSuggestionRow(SQLModel, table=True):
    """A proposed, accepted, rejected or manual application of a statement line."""

    __tablename__ = "bank_suggestions"
    __table_args__ = (sa.Index("ix_bank_suggestions_line", "line_id", "status"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    line_id: int = Field(sa_type=sa.BigInteger(), foreign_key="bank_statement_lines.id")
    ledger: str = text("CUSTOMER")
    entry_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    party_no: str | None = text(None, nullable=True)
    gl_account_no: str | None = text(None, nullable=True)
    description: str = text("")
    amount: Decimal = money()
    score: int = Field(default=0, nullable=False)
    confidence: str = text("NONE")
    rule: str = text("")
    matched_fields: list[str] = Field(
        default_factory=list, sa_type=ARRAY(sa.Text()), nullable=False
    )
    notes: list[str] = Field(default_factory=list, sa_type=ARRAY(sa.Text()), nullable=False)
    status: str = text("PROPOSED")
    created_at: datetime = _timestamp(nullable=False)


class BankCsvMapping(SQLModel, table=True):
    __tablename__ = "bank_csv_mappings"

    code: str = Field(sa_type=sa.Text(), primary_key=True)
    mapping: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB(), nullable=False)


class BankTextMapping(SQLModel, table=True):
    """BC's "Map text to account": a text found on a line sends it to a G/L account."""

    __tablename__ = "bank_text_mappings"

    mapping_text: str = Field(sa_type=sa.Text(), primary_key=True)
    gl_account_no: str = Field(sa_type=sa.Text(), foreign_key="gl_accounts.no")
    description: str = text("")
