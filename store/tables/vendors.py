"""Vendors and their ledger: the payables side a bank account needs to be fully reconciled.

The vendor ledger mirrors the customer ledger (same columns, opposite sign convention:
purchase invoices are negative on the vendor, as in BC) and is append-only too.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from store.tables.base import (
    big,
    code,
    created_at,
    date_,
    flag,
    metadata,
    money,
    reference,
    serial,
    text,
)

VENDOR_POSTING_GROUPS = sa.Table(
    "vendor_posting_groups",
    metadata,
    code("code"),
    reference("payables_account", "gl_accounts.no"),
)

VENDORS = sa.Table(
    "vendors",
    metadata,
    code("no"),
    text("name"),
    text("currency_code"),
    sa.Column("payment_terms_code", sa.Text(), sa.ForeignKey("payment_terms.code"), nullable=True),
    text("application_method", "MANUAL"),
    reference("vendor_posting_group", "vendor_posting_groups.code", default="DOMESTIC"),
)

VENDOR_BANK_ACCOUNTS = sa.Table(
    "vendor_bank_accounts",
    metadata,
    sa.Column("vendor_no", sa.Text(), sa.ForeignKey("vendors.no"), primary_key=True),
    sa.Column("iban", sa.Text(), primary_key=True, index=True),
)

VENDOR_LEDGER_ENTRIES = sa.Table(
    "vendor_ledger_entries",
    metadata,
    serial(),
    reference("vendor_no", "vendors.no"),
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
    text("vendor_posting_group"),
    big("closed_by_entry_no", nullable=True),
    date_("closed_at_date", nullable=True),
    flag("reversed"),
    big("transaction_no"),
    created_at(),
    sa.Index(
        "ix_vle_vendor_open_due",
        "vendor_no",
        "due_date",
        "entry_no",
        postgresql_where=sa.text("open"),
    ),
    sa.Index(
        "uq_vle_vendor_document",
        "vendor_no",
        "document_type",
        "external_document_no",
        unique=True,
        postgresql_where=sa.text("document_type IN ('INVOICE', 'CREDIT_MEMO')"),
    ),
)

DETAILED_VENDOR_LEDGER_ENTRIES = sa.Table(
    "detailed_vendor_ledger_entries",
    metadata,
    serial(),
    big("vendor_ledger_entry_no", sa.ForeignKey("vendor_ledger_entries.entry_no")),
    text("vendor_no"),
    text("entry_type"),
    date_("posting_date"),
    text("document_type"),
    text("document_no"),
    text("currency_code"),
    money("amount"),
    money("amount_lcy"),
    big("applied_vendor_ledger_entry_no", nullable=True),
    big("application_no", nullable=True),
    money("pmt_disc_possible_delta"),
    big("unapplies_application_no", nullable=True),
    flag("unapplied"),
    big("transaction_no"),
    created_at(),
    sa.Index("ix_dvle_vle_posting", "vendor_ledger_entry_no", "posting_date"),
    sa.Index("ix_dvle_vendor_posting", "vendor_no", "posting_date"),
)
