"""Reminder and finance charge terms, proposed documents, and the issued lines that remember
which level each overdue entry reached and up to which day interest was charged."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from store.tables.base import money, text


def _created_at() -> datetime:
    return Field(  # type: ignore[no-any-return]
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )


class ReminderTermsRow(SQLModel, table=True):
    __tablename__ = "reminder_terms"

    code: str = Field(sa_type=sa.Text(), primary_key=True)
    minimum_overdue_amount: Decimal = money()
    max_reminders: int = Field(default=0, nullable=False)


class ReminderLevelRow(SQLModel, table=True):
    __tablename__ = "reminder_levels"

    terms_code: str = Field(sa_type=sa.Text(), primary_key=True, foreign_key="reminder_terms.code")
    no: int = Field(primary_key=True)
    grace_period: str = text("")
    due_date_calculation: str = text("")
    fixed_fee: Decimal = money()
    pct_of_remaining: Decimal = money()
    additional_fee_per_line: Decimal = money()
    # [{"languageCode": "fr", "text": "..."}]: printed instead of the built-in wording
    texts: list[dict[str, str]] = Field(
        default_factory=list,
        sa_type=JSONB(),
        nullable=False,
        sa_column_kwargs={"server_default": sa.text("'[]'::jsonb")},
    )


class ReminderRow(SQLModel, table=True):
    """A proposed reminder (status PROPOSED), then ISSUED with its fee entry, or CANCELED."""

    __tablename__ = "reminders"
    __table_args__ = (sa.Index("ix_reminders_customer", "customer_no", "status"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    customer_no: str = Field(sa_type=sa.Text(), foreign_key="customers.no")
    terms_code: str = text()
    currency_code: str = text("")
    level: int = Field(nullable=False)
    posting_date: date
    document_date: date
    due_date: date
    overdue_as_of: date
    remaining_amount: Decimal = money()
    fee_amount: Decimal = money()
    total_amount: Decimal = money()
    status: str = text("PROPOSED")
    document_no: str = text("")
    posted_entry_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    cancel_entry_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    created_at: datetime = _created_at()


class ReminderLineRow(SQLModel, table=True):
    __tablename__ = "reminder_lines"

    reminder_id: int = Field(sa_type=sa.BigInteger(), primary_key=True, foreign_key="reminders.id")
    line_no: int = Field(primary_key=True)
    cust_ledger_entry_no: int = Field(
        sa_type=sa.BigInteger(), foreign_key="customer_ledger_entries.entry_no"
    )
    document_type: str = text()
    document_no: str = text()
    due_date: date
    remaining_amount: Decimal = money()
    level: int = Field(nullable=False)


class IssuedReminderLine(SQLModel, table=True):
    """Append-only: the level an entry reached; only `canceled` may change (cancellation)."""

    __tablename__ = "issued_reminder_lines"
    __table_args__ = (sa.Index("ix_issued_reminder_lines_entry", "cust_ledger_entry_no"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    reminder_id: int = Field(sa_type=sa.BigInteger(), foreign_key="reminders.id")
    cust_ledger_entry_no: int = Field(
        sa_type=sa.BigInteger(), foreign_key="customer_ledger_entries.entry_no"
    )
    level: int = Field(nullable=False)
    reminder_due_date: date
    canceled: bool = Field(default=False, nullable=False)
    created_at: datetime = _created_at()


class FinanceChargeTermsRow(SQLModel, table=True):
    __tablename__ = "finance_charge_terms"

    code: str = Field(sa_type=sa.Text(), primary_key=True)
    interest_rate_pct: Decimal = money()
    interest_period_days: int = Field(default=30, nullable=False)
    minimum_amount: Decimal = money()
    grace_period: str = text("")
    additional_fee: Decimal = money()
    method: str = text("BALANCE_DUE")
    interest_on_fees: bool = Field(default=False, nullable=False)


class FinanceChargeMemoRow(SQLModel, table=True):
    """A proposed memo (PROPOSED), then ISSUED with its posted entry."""

    __tablename__ = "finance_charge_memos"
    __table_args__ = (sa.Index("ix_finance_charge_memos_customer", "customer_no", "status"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    customer_no: str = Field(sa_type=sa.Text(), foreign_key="customers.no")
    terms_code: str = text()
    currency_code: str = text("")
    posting_date: date
    document_date: date
    as_of: date
    interest_amount: Decimal = money()
    additional_fee: Decimal = money()
    total_amount: Decimal = money()
    status: str = text("PROPOSED")
    document_no: str = text("")
    posted_entry_no: int | None = Field(default=None, sa_type=sa.BigInteger(), nullable=True)
    # the terms as applied when proposed (terms may change later): the memo prints its lines'
    # formula in the customer's language from these; 0 / "" on memos made before 0014
    interest_rate_pct: Decimal = money()
    interest_period_days: int = Field(default=0, nullable=False)
    method: str = text("")
    created_at: datetime = _created_at()


class FinanceChargeMemoLineRow(SQLModel, table=True):
    __tablename__ = "finance_charge_memo_lines"

    memo_id: int = Field(
        sa_type=sa.BigInteger(), primary_key=True, foreign_key="finance_charge_memos.id"
    )
    line_no: int = Field(primary_key=True)
    cust_ledger_entry_no: int = Field(
        sa_type=sa.BigInteger(), foreign_key="customer_ledger_entries.entry_no"
    )
    document_no: str = text()
    days: int = Field(nullable=False)
    base_amount: Decimal = money()
    interest_amount: Decimal = money()
    formula_text: str = text("")


class IssuedFinanceChargeLine(SQLModel, table=True):
    """Append-only: interest on an entry was charged up to `charged_until`."""

    __tablename__ = "issued_finance_charge_lines"
    __table_args__ = (sa.Index("ix_issued_finance_charge_lines_entry", "cust_ledger_entry_no"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    memo_id: int = Field(sa_type=sa.BigInteger(), foreign_key="finance_charge_memos.id")
    cust_ledger_entry_no: int = Field(
        sa_type=sa.BigInteger(), foreign_key="customer_ledger_entries.entry_no"
    )
    charged_until: date
    interest_amount: Decimal = money()
    created_at: datetime = _created_at()
