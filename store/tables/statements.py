"""Statement runs and their deliveries: the record that lets a run resume without e-mailing a
customer twice (one delivery row per run and customer, with a fixed Message-ID and a stage).
Reminders and finance charge memos are delivered through the same rows (one per document,
no run), so they share the exactly-once state machine."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from store.tables.base import text


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


class StatementRun(SQLModel, table=True):
    __tablename__ = "statement_runs"

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    start_date: date
    end_date: date
    style: str = text("BALANCE")
    include_aging: bool = Field(default=False, nullable=False)
    aging_by: str = text("DUE_DATE")
    aging_period: str = text("1M+CM")
    include_overdue: bool = Field(default=False, nullable=False)
    selection: str = text("WITH_ENTRIES")
    customer_nos: list[str] = Field(default_factory=list, sa_type=ARRAY(sa.Text()), nullable=False)
    output: str = text("EMAIL")
    language_code: str = text("")
    status: str = text("QUEUED")
    total: int = Field(default=0, nullable=False)
    created_at: datetime = _timestamp(nullable=False)
    completed_at: datetime | None = _timestamp(nullable=True)


DOCUMENT_KINDS = ("STATEMENT", "REMINDER", "FINANCE_CHARGE_MEMO")


class StatementDelivery(SQLModel, table=True):
    """One document to one customer: a run's statement (``run_id``), or an issued reminder or
    finance charge memo (``reminder_id`` / ``finance_charge_memo_id``), per ``document_kind``."""

    __tablename__ = "statement_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "customer_no"),
        sa.UniqueConstraint("reminder_id"),
        sa.UniqueConstraint("finance_charge_memo_id"),
        sa.Index("ix_statement_deliveries_run_status", "run_id", "status"),
        sa.CheckConstraint(
            "(document_kind = 'STATEMENT' AND run_id IS NOT NULL AND reminder_id IS NULL"
            " AND finance_charge_memo_id IS NULL)"
            " OR (document_kind = 'REMINDER' AND run_id IS NULL AND reminder_id IS NOT NULL"
            " AND finance_charge_memo_id IS NULL)"
            " OR (document_kind = 'FINANCE_CHARGE_MEMO' AND run_id IS NULL"
            " AND reminder_id IS NULL AND finance_charge_memo_id IS NOT NULL)",
            name="one_document",
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    document_kind: str = text("STATEMENT")
    run_id: int | None = Field(
        default=None, sa_type=sa.BigInteger(), foreign_key="statement_runs.id", nullable=True
    )
    reminder_id: int | None = Field(
        default=None, sa_type=sa.BigInteger(), foreign_key="reminders.id", nullable=True
    )
    finance_charge_memo_id: int | None = Field(
        default=None, sa_type=sa.BigInteger(), foreign_key="finance_charge_memos.id", nullable=True
    )
    customer_no: str = Field(sa_type=sa.Text(), foreign_key="customers.no")
    output: str = text("EMAIL")
    status: str = text("PENDING")
    stage: str = text("")
    attempts: int = Field(default=0, nullable=False)
    retry_round: int = Field(default=0, nullable=False)
    error: str = text("")
    uncertain: bool = Field(default=False, nullable=False)
    message_id: str = Field(sa_type=sa.Text(), nullable=False, unique=True)
    recipient: str = text("")
    currency_codes: list[str] = Field(
        default_factory=list, sa_type=ARRAY(sa.Text()), nullable=False
    )
    pdf: bytes | None = Field(default=None, sa_type=sa.LargeBinary(), nullable=True)
    email_subject: str = text("")
    email_text: str = text("")
    email_html: str = text("")
    smtp_reply: str = text("")
    rendered_at: datetime | None = _timestamp(nullable=True)
    sending_at: datetime | None = _timestamp(nullable=True)
    sent_at: datetime | None = _timestamp(nullable=True)
