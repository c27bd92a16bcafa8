"""Imported bank statements and the payment reconciliation journal built on them.

Statements and their lines are what the bank said: once imported their amounts never change
(a trigger guards them); only the working state (line status, the posting link, the
reconciled mark) moves. Suggestions are the journal's editable part.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from store.tables.base import (
    big,
    code,
    date_,
    metadata,
    money,
    number,
    optional_text,
    reference,
    serial,
    text,
    timestamp,
)

BANK_STATEMENTS = sa.Table(
    "bank_statements",
    metadata,
    serial("id"),
    reference("bank_account_no", "bank_accounts.no"),
    text("statement_no"),
    optional_text("account_iban"),
    text("currency_code"),
    date_("statement_date", nullable=True),
    money("opening_balance", None, nullable=True),
    money("closing_balance", None, nullable=True),
    text("format"),
    text("file_sha256"),
    number("file_position", 1),
    optional_text("balance_warning"),
    optional_text("opening_warning"),
    timestamp("imported_at"),
    timestamp("reconciled_at", nullable=True),
    sa.UniqueConstraint("bank_account_no", "statement_no", "file_sha256", "file_position"),
    sa.Index("ix_bank_statements_account_date", "bank_account_no", "statement_date", "id"),
)

BANK_STATEMENT_LINES = sa.Table(
    "bank_statement_lines",
    metadata,
    serial("id"),
    big("statement_id", sa.ForeignKey("bank_statements.id")),
    number("line_no"),
    date_("booking_date", nullable=True),
    date_("value_date", nullable=True),
    money("amount"),
    text("currency_code"),
    text("description"),
    optional_text("counterparty_name"),
    optional_text("counterparty_iban"),
    optional_text("end_to_end_id"),
    optional_text("bank_reference"),
    optional_text("transaction_code"),
    text("status", "OPEN"),
    optional_text("document_no"),
    big("transaction_no", nullable=True),
    big("bank_entry_no", nullable=True),
    sa.UniqueConstraint("statement_id", "line_no"),
    sa.Index("ix_bank_statement_lines_status", "statement_id", "status"),
)

BANK_SUGGESTIONS = sa.Table(
    "bank_suggestions",  # a proposed, accepted, rejected or manual application of a line
    metadata,
    serial("id"),
    big("line_id", sa.ForeignKey("bank_statement_lines.id")),
    text("ledger", "CUSTOMER"),
    big("entry_no", nullable=True),
    optional_text("party_no"),
    optional_text("gl_account_no"),
    text("description"),
    money("amount"),
    number("score", 0),
    text("confidence", "NONE"),
    text("rule"),
    sa.Column("matched_fields", ARRAY(sa.Text()), default=list, nullable=False),
    sa.Column("notes", ARRAY(sa.Text()), default=list, nullable=False),
    text("status", "PROPOSED"),
    timestamp("created_at"),
    sa.Index("ix_bank_suggestions_line", "line_id", "status"),
)

BANK_CSV_MAPPINGS = sa.Table(
    "bank_csv_mappings",
    metadata,
    code("code"),
    sa.Column("mapping", JSONB(), default=dict, nullable=False),
)

BANK_TEXT_MAPPINGS = sa.Table(
    "bank_text_mappings",  # BC's "Map text to account": a text on a line sends it to an account
    metadata,
    code("mapping_text"),
    reference("gl_account_no", "gl_accounts.no"),
    text("description"),
)
