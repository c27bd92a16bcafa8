"""Items, item charges, posted shipment/receipt lines and value entries (the cost of each line)."""

from __future__ import annotations

import sqlalchemy as sa

from store.tables.base import (
    big,
    code,
    created_at,
    date_,
    metadata,
    money,
    number,
    optional_text,
    reference,
    serial,
    text,
)

ITEMS = sa.Table(
    "items",
    metadata,
    code("no"),
    text("description"),
    text("unit_of_measure", "PCS"),
    money("unit_price"),
    money("unit_cost"),
    money("gross_weight"),
    money("unit_volume"),
)

ITEM_CHARGE_CODES = sa.Table(
    "item_charge_codes",
    metadata,
    code("code"),
    text("description"),
    reference("gl_account_no", "gl_accounts.no"),
)

SHIPMENT_LINES = sa.Table(
    "shipment_lines",  # a posted shipment of an item line of a sales invoice (append-only)
    metadata,
    serial("id"),
    reference("customer_no", "customers.no"),
    text("document_no"),
    big("cust_ledger_entry_no", sa.ForeignKey("customer_ledger_entries.entry_no")),
    number("line_no"),
    reference("item_no", "items.no"),
    text("description"),
    money("quantity"),
    money("unit_price"),
    money("line_discount_pct"),
    money("line_amount"),
    money("unit_cost"),
    money("gross_weight"),
    money("unit_volume"),
    date_("posting_date"),
    big("transaction_no"),
    sa.Index("ix_shipment_lines_document", "customer_no", "document_no"),
)

# A posted receipt of an item line of a purchase invoice (append-only). `line_amount` is in
# the invoice's currency; `line_amount_lcy` (the cost at receipt) is what BY_AMOUNT weighs, so
# receipts of vendors in different currencies compare fairly.
RECEIPT_LINES = sa.Table(
    "receipt_lines",
    metadata,
    serial("id"),
    reference("vendor_no", "vendors.no"),
    text("document_no"),
    big("vendor_ledger_entry_no", sa.ForeignKey("vendor_ledger_entries.entry_no")),
    number("line_no"),
    reference("item_no", "items.no"),
    text("description"),
    money("quantity"),
    money("direct_unit_cost"),
    money("line_discount_pct"),
    money("line_amount"),
    money("line_amount_lcy"),
    money("gross_weight"),
    money("unit_volume"),
    date_("posting_date"),
    big("transaction_no"),
    sa.Index("ix_receipt_lines_document", "vendor_no", "document_no"),
)

# Cost posted to a shipped or received line: its cost of sales or purchase cost, then any item
# charges assigned. Exactly one of the two line ids is set.
VALUE_ENTRIES = sa.Table(
    "value_entries",
    metadata,
    serial(),
    big("shipment_line_id", sa.ForeignKey("shipment_lines.id"), nullable=True),
    big("receipt_line_id", sa.ForeignKey("receipt_lines.id"), nullable=True),
    reference("item_no", "items.no"),
    text("entry_type"),  # COST_OF_SALES | PURCHASE | ITEM_CHARGE
    optional_text("item_charge_code"),
    date_("posting_date"),
    text("document_no"),
    money("quantity"),
    money("cost_amount"),
    big("transaction_no"),
    created_at(),
    sa.Index("ix_value_entries_shipment_line", "shipment_line_id"),
    sa.Index("ix_value_entries_receipt_line", "receipt_line_id"),
    sa.CheckConstraint("num_nonnulls(shipment_line_id, receipt_line_id) = 1", name="one_line"),
)
