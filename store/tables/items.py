"""Items, item charges, posted shipment/receipt lines and value entries (the cost of each line)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from store.tables.base import money, text


class Item(SQLModel, table=True):
    __tablename__ = "items"

    no: str = Field(sa_type=sa.Text(), primary_key=True)
    description: str = text()
    unit_of_measure: str = text("PCS")
    unit_price: Decimal = money()
    unit_cost: Decimal = money()
    gross_weight: Decimal = money()
    unit_volume: Decimal = money()


class ItemChargeCode(SQLModel, table=True):
    __tablename__ = "item_charge_codes"

    code: str = Field(sa_type=sa.Text(), primary_key=True)
    description: str = text()
    gl_account_no: str = Field(sa_type=sa.Text(), foreign_key="gl_accounts.no")


class ShipmentLine(SQLModel, table=True):
    """A posted shipment of an item line of a sales invoice (append-only)."""

    __tablename__ = "shipment_lines"
    __table_args__ = (sa.Index("ix_shipment_lines_document", "customer_no", "document_no"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    customer_no: str = Field(sa_type=sa.Text(), foreign_key="customers.no")
    document_no: str = text()
    cust_ledger_entry_no: int = Field(
        sa_type=sa.BigInteger(), foreign_key="customer_ledger_entries.entry_no"
    )
    line_no: int
    item_no: str = Field(sa_type=sa.Text(), foreign_key="items.no")
    description: str = text()
    quantity: Decimal = money()
    unit_price: Decimal = money()
    line_discount_pct: Decimal = money()
    line_amount: Decimal = money()
    unit_cost: Decimal = money()
    gross_weight: Decimal = money()
    unit_volume: Decimal = money()
    posting_date: date
    transaction_no: int = Field(sa_type=sa.BigInteger())


class ReceiptLine(SQLModel, table=True):
    """A posted receipt of an item line of a purchase invoice (append-only).

    ``line_amount`` is in the invoice's currency; ``line_amount_lcy`` (the cost at receipt) is
    what BY_AMOUNT weighs, so receipts of vendors in different currencies compare fairly."""

    __tablename__ = "receipt_lines"
    __table_args__ = (sa.Index("ix_receipt_lines_document", "vendor_no", "document_no"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    vendor_no: str = Field(sa_type=sa.Text(), foreign_key="vendors.no")
    document_no: str = text()
    vendor_ledger_entry_no: int = Field(
        sa_type=sa.BigInteger(), foreign_key="vendor_ledger_entries.entry_no"
    )
    line_no: int
    item_no: str = Field(sa_type=sa.Text(), foreign_key="items.no")
    description: str = text()
    quantity: Decimal = money()
    direct_unit_cost: Decimal = money()
    line_discount_pct: Decimal = money()
    line_amount: Decimal = money()
    line_amount_lcy: Decimal = money()
    gross_weight: Decimal = money()
    unit_volume: Decimal = money()
    posting_date: date
    transaction_no: int = Field(sa_type=sa.BigInteger())


class ValueEntry(SQLModel, table=True):
    """Cost posted to a shipped or received line: its cost of sales or purchase cost, then any
    item charges assigned. Exactly one of the two line ids is set."""

    __tablename__ = "value_entries"
    __table_args__ = (
        sa.Index("ix_value_entries_shipment_line", "shipment_line_id"),
        sa.Index("ix_value_entries_receipt_line", "receipt_line_id"),
        sa.CheckConstraint("num_nonnulls(shipment_line_id, receipt_line_id) = 1", name="one_line"),
    )

    entry_no: int | None = Field(default=None, primary_key=True, sa_type=sa.BigInteger())
    shipment_line_id: int | None = Field(
        default=None, sa_type=sa.BigInteger(), foreign_key="shipment_lines.id", nullable=True
    )
    receipt_line_id: int | None = Field(
        default=None, sa_type=sa.BigInteger(), foreign_key="receipt_lines.id", nullable=True
    )
    item_no: str = Field(sa_type=sa.Text(), foreign_key="items.no")
    entry_type: str = text()  # COST_OF_SALES | PURCHASE | ITEM_CHARGE
    item_charge_code: str | None = Field(default=None, sa_type=sa.Text(), nullable=True)
    posting_date: date
    document_no: str = text()
    quantity: Decimal = money()
    cost_amount: Decimal = money()
    transaction_no: int = Field(sa_type=sa.BigInteger())
    created_at: datetime = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )
