"""Items, item charges, shipment and receipt lines and their value entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from api.context import Context
from domain.item_charges import UNIT_COST_PRECISION
from domain.money import round_amount
from store.posting.items import (
    ItemChargeCodeRecord,
    ItemRecord,
    ShipmentLineRecord,
    ValueEntryRecord,
)
from store.posting.receipts import ReceiptLineRecord


@strawberry.enum
class AssignmentMethod(Enum):
    EQUALLY = "EQUALLY"
    BY_AMOUNT = "BY_AMOUNT"
    BY_WEIGHT = "BY_WEIGHT"
    BY_VOLUME = "BY_VOLUME"
    MANUAL = "MANUAL"


@strawberry.type
class Item:
    no: str
    description: str
    unit_of_measure: str
    unit_price: Decimal
    unit_cost: Decimal
    gross_weight: Decimal
    unit_volume: Decimal

    @classmethod
    def of(cls, r: ItemRecord) -> Item:
        return cls(
            no=r.no,
            description=r.description,
            unit_of_measure=r.unit_of_measure,
            unit_price=r.unit_price,
            unit_cost=r.unit_cost,
            gross_weight=r.gross_weight,
            unit_volume=r.unit_volume,
        )


@strawberry.type
class ItemChargeCode:
    code: str
    description: str
    gl_account_no: str

    @classmethod
    def of(cls, r: ItemChargeCodeRecord) -> ItemChargeCode:
        return cls(code=r.code, description=r.description, gl_account_no=r.gl_account_no)


@strawberry.type
class ValueEntry:
    entry_no: int
    item_no: str
    entry_type: str
    item_charge_code: str | None
    posting_date: date
    document_no: str
    quantity: Decimal
    cost_amount: Decimal

    @classmethod
    def of(cls, r: ValueEntryRecord) -> ValueEntry:
        return cls(
            entry_no=r.entry_no,
            item_no=r.item_no,
            entry_type=r.entry_type,
            item_charge_code=r.item_charge_code,
            posting_date=r.posting_date,
            document_no=r.document_no,
            quantity=r.quantity,
            cost_amount=r.cost_amount,
        )


@strawberry.type(description="A shipped item line; its cost grows with assigned item charges.")
class ShipmentLine:
    id: int
    customer_no: str
    document_no: str
    line_no: int
    item_no: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    line_amount: Decimal
    posting_date: date
    cost_amount: Decimal = strawberry.field(description="Cost of sales plus item charges (LCY).")
    unit_cost: Decimal = strawberry.field(description="costAmount / quantity (adjusted cost).")

    @strawberry.field
    async def value_entries(self, info: Info[Context, None]) -> list[ValueEntry]:
        from store.posting.items import value_entries

        async with info.context.engine.connect() as conn:
            return [ValueEntry.of(r) for r in await value_entries(conn, [self.id])]

    @classmethod
    def of(cls, r: ShipmentLineRecord) -> ShipmentLine:
        from domain.item_charges import UNIT_COST_PRECISION
        from domain.money import round_amount

        return cls(
            id=r.id,
            customer_no=r.customer_no,
            document_no=r.document_no,
            line_no=r.line_no,
            item_no=r.item_no,
            description=r.description,
            quantity=r.quantity,
            unit_price=r.unit_price,
            line_amount=r.line_amount,
            posting_date=r.posting_date,
            cost_amount=r.cost_amount,
            unit_cost=round_amount(r.cost_amount / r.quantity, UNIT_COST_PRECISION),
        )


@strawberry.type(description="A received item line; its cost grows with assigned item charges.")
class ReceiptLine:
    id: int
    vendor_no: str
    document_no: str
    line_no: int
    item_no: str
    description: str
    quantity: Decimal
    direct_unit_cost: Decimal = strawberry.field(description="In the invoice's currency.")
    line_amount: Decimal = strawberry.field(description="In the invoice's currency.")
    line_amount_lcy: Decimal = strawberry.field(description="Cost at receipt; BY_AMOUNT weighs it.")
    gross_weight: Decimal
    unit_volume: Decimal
    posting_date: date
    cost_amount: Decimal = strawberry.field(description="Purchase cost plus item charges (LCY).")
    unit_cost: Decimal = strawberry.field(description="costAmount / quantity (adjusted cost).")

    @strawberry.field
    async def value_entries(self, info: Info[Context, None]) -> list[ValueEntry]:
        from store.posting.items import value_entries

        async with info.context.engine.connect() as conn:
            rows = await value_entries(conn, [self.id], "receipt_line_id")
        return [ValueEntry.of(r) for r in rows]

    @classmethod
    def of(cls, r: ReceiptLineRecord) -> ReceiptLine:
        return cls(
            id=r.id,
            vendor_no=r.vendor_no,
            document_no=r.document_no,
            line_no=r.line_no,
            item_no=r.item_no,
            description=r.description,
            quantity=r.quantity,
            direct_unit_cost=r.direct_unit_cost,
            line_amount=r.line_amount,
            line_amount_lcy=r.line_amount_lcy,
            gross_weight=r.gross_weight,
            unit_volume=r.unit_volume,
            posting_date=r.posting_date,
            cost_amount=r.cost_amount,
            unit_cost=round_amount(r.cost_amount / r.quantity, UNIT_COST_PRECISION),
        )
