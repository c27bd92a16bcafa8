"""The customer and the vendor ledger: one pair of tables built twice.

Both ledgers hold the same entries and detailed entries (the vendor ledger mirrors the
customer ledger with the sign flipped: purchase invoices are negative, as in BC) and are
append-only (a trigger rejects DELETE and any UPDATE but the cached fields). Only the names
differ, and what each ledger is indexed for: customers are read by posting date and
document no.; a vendor document is unique by the vendor's own invoice no.

Entry numbers come from the tables' serial sequences: increasing, gaps allowed, never
MAX()+1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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

INVOICES_AND_CREDIT_MEMOS = sa.text("document_type IN ('INVOICE', 'CREDIT_MEMO')")


@dataclass(frozen=True)
class PartyColumns:
    """What the two ledgers call the same columns (the database keeps both names)."""

    party: str  # customer_no | vendor_no
    parties: str  # the party table
    posting_group: str
    ledger_entry: str  # the entry a detailed entry changes
    applied_entry: str  # the entry a detailed entry was applied against


CUSTOMER_COLUMNS = PartyColumns(
    party="customer_no",
    parties="customers",
    posting_group="customer_posting_group",
    ledger_entry="cust_ledger_entry_no",
    applied_entry="applied_cust_ledger_entry_no",
)
VENDOR_COLUMNS = PartyColumns(
    party="vendor_no",
    parties="vendors",
    posting_group="vendor_posting_group",
    ledger_entry="vendor_ledger_entry_no",
    applied_entry="applied_vendor_ledger_entry_no",
)


def ledger_entries(name: str, names: PartyColumns, *indexes: sa.Index) -> sa.Table:
    """An entry per posted document, with the cached running fields of its detailed entries."""
    return sa.Table(
        name,
        metadata,
        serial(),
        reference(names.party, f"{names.parties}.no"),
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
        text(names.posting_group),
        big("closed_by_entry_no", nullable=True),
        date_("closed_at_date", nullable=True),
        flag("reversed"),
        big("transaction_no"),
        created_at(),
        *indexes,
    )


def detailed_ledger_entries(
    name: str,
    entries: sa.Table,
    names: PartyColumns,
    *indexes: sa.Index,
    extra: Sequence[sa.Column[Any]] = (),
) -> sa.Table:
    """One change to an entry's amount each; `extra` columns come after `unapplied`."""
    return sa.Table(
        name,
        metadata,
        serial(),
        big(names.ledger_entry, sa.ForeignKey(entries.c.entry_no)),
        text(names.party),
        text("entry_type"),
        date_("posting_date"),
        text("document_type"),
        text("document_no"),
        text("currency_code"),
        money("amount"),
        money("amount_lcy"),
        big(names.applied_entry, nullable=True),
        big("application_no", nullable=True),
        money("pmt_disc_possible_delta"),
        big("unapplies_application_no", nullable=True),
        flag("unapplied"),
        *extra,
        big("transaction_no"),
        created_at(),
        *indexes,
    )


CUSTOMER_LEDGER_ENTRIES = ledger_entries(
    "customer_ledger_entries",
    CUSTOMER_COLUMNS,
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
        postgresql_where=INVOICES_AND_CREDIT_MEMOS,
    ),
)
DETAILED_CUSTOMER_LEDGER_ENTRIES = detailed_ledger_entries(
    "detailed_customer_ledger_entries",
    CUSTOMER_LEDGER_ENTRIES,
    CUSTOMER_COLUMNS,
    sa.Index("ix_dcle_cle_posting", "cust_ledger_entry_no", "posting_date"),
    sa.Index("ix_dcle_customer_posting", "customer_no", "posting_date"),
    sa.Index("ix_dcle_transaction", "transaction_no"),
    # from the first schema, never written; the append-only trigger lets it change
    extra=[big("unapplied_by_entry_no", nullable=True)],
)

VENDOR_LEDGER_ENTRIES = ledger_entries(
    "vendor_ledger_entries",
    VENDOR_COLUMNS,
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
        postgresql_where=INVOICES_AND_CREDIT_MEMOS,
    ),
)
DETAILED_VENDOR_LEDGER_ENTRIES = detailed_ledger_entries(
    "detailed_vendor_ledger_entries",
    VENDOR_LEDGER_ENTRIES,
    VENDOR_COLUMNS,
    sa.Index("ix_dvle_vle_posting", "vendor_ledger_entry_no", "posting_date"),
    sa.Index("ix_dvle_vendor_posting", "vendor_no", "posting_date"),
)
