"""The G/L and the bank account ledger: append-only (a trigger rejects DELETE and any UPDATE
but the cached fields); the customer and vendor ledgers are in `party_ledgers`.

Entry numbers come from the tables' serial sequences: increasing, gaps allowed, never MAX()+1.
"""

from __future__ import annotations

import sqlalchemy as sa

from store.tables.base import (
    big,
    created_at,
    date_,
    flag,
    metadata,
    money,
    reference,
    serial,
    text,
)

GL_ENTRIES = sa.Table(
    "gl_entries",  # amount in LCY: debit positive, credit negative; Σ per transaction is zero
    metadata,
    serial(),
    reference("gl_account_no", "gl_accounts.no"),
    date_("posting_date"),
    text("document_type"),
    text("document_no"),
    text("description"),
    money("amount"),
    text("source_type"),
    text("source_no"),
    big("transaction_no"),
    created_at(),
    sa.Index("ix_gl_document", "document_no"),
    sa.Index("ix_gl_transaction", "transaction_no"),
    sa.Index("ix_gl_account_posting", "gl_account_no", "posting_date"),
)

BANK_ACCOUNT_LEDGER_ENTRIES = sa.Table(
    "bank_account_ledger_entries",
    metadata,
    serial(),
    reference("bank_account_no", "bank_accounts.no"),
    date_("posting_date"),
    text("document_type"),
    text("document_no"),
    text("description"),
    text("currency_code"),
    money("amount"),
    money("amount_lcy"),
    flag("open", True),
    big("statement_line_id", nullable=True),
    big("transaction_no"),
    created_at(),
    sa.Index("ix_bale_account_posting", "bank_account_no", "posting_date"),
)
