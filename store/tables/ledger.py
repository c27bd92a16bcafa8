"""Posted ledgers: append-only (a trigger rejects DELETE and any UPDATE but the cached fields).

Entry numbers come from the tables' serial sequences: increasing, gaps allowed, never MAX()+1.
"""

from __future__ import annotations

from decimal import Decimal

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

CUSTOMER_LEDGER_ENTRIES = sa.Table(
    "customer_ledger_entries",
    metadata,
    serial(),
    reference("customer_no", "customers.no"),
    date_("posting_date"),
    date_("document_date"),
    text("document_type"),
    text("document_no"),
    text("external_document_no"),
    text("description"),
    text("currency_code"),
    money("currency_factor", Decimal(1)),
    money("amount"),
    money("amount_lcy"),
    money("remaining_amount"),
    money("remaining_amount_lcy"),
    flag("open", True),
    date_("due_date"),
    date_("pmt_discount_date", nullable=True),
    date_("pmt_disc_tolerance_date", nullable=True),
    money("original_pmt_disc_possible"),
    money("remaining_pmt_disc_possible"),
    money("max_payment_tolerance"),
    money("unrealized_lcy"),
    text("customer_posting_group"),
    big("closed_by_entry_no", nullable=True),
    date_("closed_at_date", nullable=True),
    flag("reversed"),
    big("transaction_no"),
    created_at(),
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

DETAILED_CUSTOMER_LEDGER_ENTRIES = sa.Table(
    "detailed_customer_ledger_entries",
    metadata,
    serial(),
    big("cust_ledger_entry_no", sa.ForeignKey("customer_ledger_entries.entry_no")),
    text("customer_no"),
    text("entry_type"),
    date_("posting_date"),
    text("document_type"),
    text("document_no"),
    text("currency_code"),
    money("amount"),
    money("amount_lcy"),
    big("applied_cust_ledger_entry_no", nullable=True),
    big("application_no", nullable=True),
    money("pmt_disc_possible_delta"),
    big("unapplies_application_no", nullable=True),
    flag("unapplied"),
    big("unapplied_by_entry_no", nullable=True),
    big("transaction_no"),
    created_at(),
    sa.Index("ix_dcle_cle_posting", "cust_ledger_entry_no", "posting_date"),
    sa.Index("ix_dcle_customer_posting", "customer_no", "posting_date"),
    sa.Index("ix_dcle_transaction", "transaction_no"),
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
