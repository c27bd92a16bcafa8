"""Reminder and finance charge terms, proposed documents, and the issued lines that remember
which level each overdue entry reached and up to which day interest was charged."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from store.tables.base import (
    big,
    code,
    created_at,
    date_,
    flag,
    metadata,
    money,
    number,
    reference,
    serial,
    text,
)


def _entry_ref() -> sa.Column[int]:
    return big("cust_ledger_entry_no", sa.ForeignKey("customer_ledger_entries.entry_no"))


REMINDER_TERMS = sa.Table(
    "reminder_terms",
    metadata,
    code("code"),
    money("minimum_overdue_amount"),
    number("max_reminders", 0),
)

REMINDER_LEVELS = sa.Table(
    "reminder_levels",
    metadata,
    sa.Column("terms_code", sa.Text(), sa.ForeignKey("reminder_terms.code"), primary_key=True),
    sa.Column("no", sa.Integer(), primary_key=True),
    text("grace_period"),
    text("due_date_calculation"),
    money("fixed_fee"),
    money("pct_of_remaining"),
    money("additional_fee_per_line"),
    # [{"languageCode": "fr", "text": "..."}]: printed instead of the built-in wording
    sa.Column(
        "texts", JSONB(), default=list, server_default=sa.text("'[]'::jsonb"), nullable=False
    ),
)

REMINDERS = sa.Table(
    "reminders",  # PROPOSED, then ISSUED with its fee entry, or CANCELED
    metadata,
    serial("id"),
    reference("customer_no", "customers.no"),
    text("terms_code"),
    text("currency_code"),
    number("level"),
    date_("posting_date"),
    date_("document_date"),
    date_("due_date"),
    date_("overdue_as_of"),
    money("remaining_amount"),
    money("fee_amount"),
    money("total_amount"),
    text("status", "PROPOSED"),
    text("document_no"),
    big("posted_entry_no", nullable=True),
    big("cancel_entry_no", nullable=True),
    created_at(),
    sa.Index("ix_reminders_customer", "customer_no", "status"),
)

REMINDER_LINES = sa.Table(
    "reminder_lines",
    metadata,
    sa.Column("reminder_id", sa.BigInteger(), sa.ForeignKey("reminders.id"), primary_key=True),
    sa.Column("line_no", sa.Integer(), primary_key=True),
    _entry_ref(),
    text("document_type"),
    text("document_no"),
    date_("due_date"),
    money("remaining_amount"),
    number("level"),
)

ISSUED_REMINDER_LINES = sa.Table(
    "issued_reminder_lines",  # append-only: the level an entry reached; only `canceled` moves
    metadata,
    serial("id"),
    big("reminder_id", sa.ForeignKey("reminders.id")),
    _entry_ref(),
    number("level"),
    date_("reminder_due_date"),
    flag("canceled"),
    created_at(),
    sa.Index("ix_issued_reminder_lines_entry", "cust_ledger_entry_no"),
)

FINANCE_CHARGE_TERMS = sa.Table(
    "finance_charge_terms",
    metadata,
    code("code"),
    money("interest_rate_pct"),
    number("interest_period_days", 30),
    money("minimum_amount"),
    text("grace_period"),
    money("additional_fee"),
    text("method", "BALANCE_DUE"),
    flag("interest_on_fees"),
)

FINANCE_CHARGE_MEMOS = sa.Table(
    "finance_charge_memos",  # PROPOSED, then ISSUED with its posted entry
    metadata,
    serial("id"),
    reference("customer_no", "customers.no"),
    text("terms_code"),
    text("currency_code"),
    date_("posting_date"),
    date_("document_date"),
    date_("as_of"),
    money("interest_amount"),
    money("additional_fee"),
    money("total_amount"),
    text("status", "PROPOSED"),
    text("document_no"),
    big("posted_entry_no", nullable=True),
    # the terms as applied when proposed (terms may change later): the memo prints its lines'
    # formula in the customer's language from these; 0 / "" on memos made before 0014
    money("interest_rate_pct"),
    number("interest_period_days", 0),
    text("method"),
    created_at(),
    sa.Index("ix_finance_charge_memos_customer", "customer_no", "status"),
)

FINANCE_CHARGE_MEMO_LINES = sa.Table(
    "finance_charge_memo_lines",
    metadata,
    sa.Column(
        "memo_id", sa.BigInteger(), sa.ForeignKey("finance_charge_memos.id"), primary_key=True
    ),
    sa.Column("line_no", sa.Integer(), primary_key=True),
    _entry_ref(),
    text("document_no"),
    number("days"),
    money("base_amount"),
    money("interest_amount"),
    text("formula_text"),
)

ISSUED_FINANCE_CHARGE_LINES = sa.Table(
    "issued_finance_charge_lines",  # append-only: interest charged up to `charged_until`
    metadata,
    serial("id"),
    big("memo_id", sa.ForeignKey("finance_charge_memos.id")),
    _entry_ref(),
    date_("charged_until"),
    money("interest_amount"),
    created_at(),
    sa.Index("ix_issued_finance_charge_lines_entry", "cust_ledger_entry_no"),
)
