"""Statement runs and their deliveries: the record that lets a run resume without e-mailing a
customer twice (one delivery row per run and customer, with a fixed Message-ID and a stage).
Reminders and finance charge memos are delivered through the same rows (one per document,
no run), so they share the exactly-once state machine."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from store.tables.base import (
    big,
    date_,
    flag,
    metadata,
    number,
    reference,
    serial,
    text,
    timestamp,
)

STATEMENT_RUNS = sa.Table(
    "statement_runs",
    metadata,
    serial("id"),
    date_("start_date"),
    date_("end_date"),
    text("style", "BALANCE"),
    flag("include_aging"),
    text("aging_by", "DUE_DATE"),
    text("aging_period", "1M+CM"),
    flag("include_overdue"),
    text("selection", "WITH_ENTRIES"),
    sa.Column("customer_nos", ARRAY(sa.Text()), default=list, nullable=False),
    text("output", "EMAIL"),
    text("language_code"),
    text("status", "QUEUED"),
    number("total", 0),
    timestamp("created_at"),
    timestamp("completed_at", nullable=True),
)

# One document to one customer: a run's statement (`run_id`), or an issued reminder or finance
# charge memo (`reminder_id` / `finance_charge_memo_id`), per `document_kind`.
STATEMENT_DELIVERIES = sa.Table(
    "statement_deliveries",
    metadata,
    serial("id"),
    text("document_kind", "STATEMENT"),
    big("run_id", sa.ForeignKey("statement_runs.id"), nullable=True),
    big("reminder_id", sa.ForeignKey("reminders.id"), nullable=True),
    big("finance_charge_memo_id", sa.ForeignKey("finance_charge_memos.id"), nullable=True),
    reference("customer_no", "customers.no"),
    text("output", "EMAIL"),
    text("status", "PENDING"),
    text("stage"),
    number("attempts", 0),
    number("retry_round", 0),
    text("error"),
    flag("uncertain"),
    sa.Column("message_id", sa.Text(), nullable=False, unique=True),
    text("recipient"),
    sa.Column("currency_codes", ARRAY(sa.Text()), default=list, nullable=False),
    sa.Column("pdf", sa.LargeBinary(), nullable=True),
    text("email_subject"),
    text("email_text"),
    text("email_html"),
    text("smtp_reply"),
    timestamp("rendered_at", nullable=True),
    timestamp("sending_at", nullable=True),
    timestamp("sent_at", nullable=True),
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
