"""Vendors, their posting groups and bank accounts: the payables side a bank account needs to
be fully reconciled (their ledger is in `party_ledgers`, beside the customers')."""

from __future__ import annotations

import sqlalchemy as sa

from store.tables.base import code, metadata, reference, text

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
