"""Draft cash receipt journals: lines an SPA edits one by one before posting them together.

Drafts are not posted entries, so they may be updated and deleted freely.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from store.tables.base import code, created_at, date_, metadata, money, number, serial, text
from store.tables.base import optional_text as optional

CASH_RECEIPT_JOURNALS = sa.Table(
    "cash_receipt_journals",
    metadata,
    code("name"),
    text("description"),
    created_at(),
)

CASH_RECEIPT_JOURNAL_LINES = sa.Table(
    "cash_receipt_journal_lines",
    metadata,
    serial("id"),
    sa.Column(
        "journal_name",
        sa.Text(),
        sa.ForeignKey("cash_receipt_journals.name", ondelete="CASCADE"),
        nullable=False,
    ),
    number("line_no"),
    date_("posting_date"),
    text("document_type", "PAYMENT"),
    text("document_no"),
    optional("customer_no"),
    optional("gl_account_no"),
    text("bal_account_type", "BANK_ACCOUNT"),
    text("bal_account_no"),
    money("amount"),
    optional("currency_code"),
    text("description"),
    optional("applies_to_doc_type"),
    optional("applies_to_doc_no"),
    optional("applies_to_id"),
    sa.Column("apply_to", JSONB(), default=list, nullable=False),
    sa.Column("accept_payment_discount_tolerance", sa.Boolean(), nullable=True),
    sa.Column("accept_payment_tolerance", sa.Boolean(), nullable=True),
    sa.Index("ix_crjl_journal", "journal_name", "line_no"),
)
