"""Items and item charge codes; shipment lines of sales invoices and their value entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain import setup_rules as rules
from domain.errors import DomainError, ErrorCode
from domain.items import ItemLine, cost_gl_lines, cost_of_sales, line_amount
from domain.sales_posting import DocumentLine, GlPostingLine
from store.records import CompanySetupRecord
from store.setup import require_gl_account
from store.tables import ITEM_CHARGE_CODES as CHARGE
from store.tables import ITEMS as ITEM
from store.tables import SHIPMENT_LINES as SHIPMENT
from store.tables import VALUE_ENTRIES as VALUE

if TYPE_CHECKING:
    from store.posting.sales import SalesDocumentInput


@dataclass(frozen=True, slots=True)
class ItemLineInput:
    """An item line as the client sends it; the unit price defaults to the item's."""

    item_no: str
    quantity: Decimal
    unit_price: Decimal | None = None
    line_discount_pct: Decimal = Decimal(0)
    description: str = ""
    vat_pct: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class ItemRecord:
    no: str
    description: str
    unit_of_measure: str
    unit_price: Decimal
    unit_cost: Decimal
    gross_weight: Decimal
    unit_volume: Decimal


@dataclass(frozen=True, slots=True)
class ItemChargeCodeRecord:
    code: str
    description: str
    gl_account_no: str


@dataclass(frozen=True, slots=True)
class ShipmentLineRecord:
    id: int
    customer_no: str
    document_no: str
    line_no: int
    item_no: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    line_amount: Decimal
    unit_cost: Decimal
    gross_weight: Decimal
    unit_volume: Decimal
    posting_date: date
    cost_amount: Decimal


@dataclass(frozen=True, slots=True)
class ValueEntryRecord:
    entry_no: int
    line_id: int
    item_no: str
    entry_type: str
    item_charge_code: str | None
    posting_date: date
    document_no: str
    quantity: Decimal
    cost_amount: Decimal


@dataclass(frozen=True, slots=True)
class Shipped:
    line_no: int
    item: ItemRecord
    line: ItemLine
    amount: Decimal


async def upsert_item(engine: AsyncEngine, no: str, changes: dict[str, Any]) -> ItemRecord:
    no = rules.check_code(no, ["no"])
    async with engine.begin() as conn:
        row = (await conn.execute(sa.select(ITEM).where(ITEM.c.no == no))).one_or_none()
        base = (
            dict(row._mapping)
            if row
            else {
                "no": no,
                "description": no,
                "unit_of_measure": "PCS",
                "unit_price": Decimal(0),
                "unit_cost": Decimal(0),
                "gross_weight": Decimal(0),
                "unit_volume": Decimal(0),
            }
        )
        merged = {**base, **changes, "no": no}
        for name in ("unit_price", "unit_cost", "gross_weight", "unit_volume"):
            rules.check_non_negative(merged[name], [_camel(name)])
        stmt = insert(ITEM).values(**merged)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[ITEM.c.no], set_={k: stmt.excluded[k] for k in merged if k != "no"}
            )
        )
        return ItemRecord(**merged)


async def upsert_item_charge_code(
    engine: AsyncEngine, code: str, changes: dict[str, Any]
) -> ItemChargeCodeRecord:
    code = rules.check_code(code, ["code"]).upper()
    async with engine.begin() as conn:
        row = (await conn.execute(sa.select(CHARGE).where(CHARGE.c.code == code))).one_or_none()
        base = (
            dict(row._mapping)
            if row
            else {"code": code, "description": code, "gl_account_no": "5100"}
        )
        merged = {**base, **changes, "code": code}
        await require_gl_account(conn, merged["gl_account_no"], ["glAccountNo"])
        stmt = insert(CHARGE).values(**merged)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[CHARGE.c.code],
                set_={k: stmt.excluded[k] for k in merged if k != "code"},
            )
        )
        return ItemChargeCodeRecord(**merged)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


async def resolve_item_lines(
    conn: AsyncConnection, doc: SalesDocumentInput, revenue_account: str, precision: Decimal
) -> tuple[tuple[DocumentLine, ...], list[Shipped]]:
    """Turn item lines into revenue lines (amount from quantity × price − discount)."""
    item_nos = {x.item_no for x in doc.lines if isinstance(x, ItemLineInput)}
    items: dict[str, ItemRecord] = {}
    if item_nos:
        rows = await conn.execute(sa.select(ITEM).where(ITEM.c.no.in_(item_nos)))
        items = {r.no: ItemRecord(**r._mapping) for r in rows}
    lines: list[DocumentLine] = []
    shipped: list[Shipped] = []
    for i, x in enumerate(doc.lines):
        where = ["lines", str(i)]
        if not isinstance(x, ItemLineInput):
            lines.append(
                x
                if x.gl_account_no
                else DocumentLine(x.description, revenue_account, x.amount, x.vat_pct)
            )
            continue
        if doc.kind.value != "INVOICE":
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "item lines are posted on invoices (a return is out of scope)",
                [*where, "type"],
            )
        item = items.get(x.item_no)
        if item is None:
            raise DomainError(
                ErrorCode.NOT_FOUND, f"item {x.item_no!r} does not exist", [*where, "itemNo"]
            )
        line = ItemLine(
            item.no,
            x.quantity,
            item.unit_price if x.unit_price is None else x.unit_price,
            x.line_discount_pct,
            item.unit_cost,
            x.description or item.description,
        )
        amount = line_amount(line, precision, where)
        lines.append(DocumentLine(line.description, revenue_account, amount, x.vat_pct))
        shipped.append(Shipped(i + 1, item, line, amount))
    return tuple(lines), shipped


async def record_shipments(
    conn: AsyncConnection,
    shipped: Sequence[Shipped],
    *,
    customer_no: str,
    document_no: str,
    entry_no: int,
    posting_date: date,
    transaction_no: int,
    setup: CompanySetupRecord,
) -> tuple[GlPostingLine, ...]:
    """Insert shipment lines and their cost-of-sales value entries; return the cost G/L."""
    gl: list[GlPostingLine] = []
    for s in shipped:
        cost = cost_of_sales(s.line, setup.amount_rounding_precision)
        shipment_id = (
            await conn.execute(
                sa.insert(SHIPMENT)
                .values(
                    customer_no=customer_no,
                    document_no=document_no,
                    cust_ledger_entry_no=entry_no,
                    line_no=s.line_no,
                    item_no=s.item.no,
                    description=s.line.description,
                    quantity=s.line.quantity,
                    unit_price=s.line.unit_price,
                    line_discount_pct=s.line.line_discount_pct,
                    line_amount=s.amount,
                    unit_cost=s.item.unit_cost,
                    gross_weight=s.item.gross_weight,
                    unit_volume=s.item.unit_volume,
                    posting_date=posting_date,
                    transaction_no=transaction_no,
                )
                .returning(SHIPMENT.c.id)
            )
        ).scalar_one()
        await conn.execute(
            sa.insert(VALUE).values(
                shipment_line_id=shipment_id,
                item_no=s.item.no,
                entry_type="COST_OF_SALES",
                posting_date=posting_date,
                document_no=document_no,
                quantity=s.line.quantity,
                cost_amount=cost,
                transaction_no=transaction_no,
            )
        )
        gl += cost_gl_lines(
            cost,
            setup.cost_of_sales_account,
            setup.inventory_account,
            f"Cost of sales {s.item.no} {document_no}",
        )
    return tuple(gl)


def _shipment_query() -> sa.Select[Any]:
    cost = (
        sa.select(sa.func.coalesce(sa.func.sum(VALUE.c.cost_amount), 0))
        .where(VALUE.c.shipment_line_id == SHIPMENT.c.id)
        .scalar_subquery()
    )
    return sa.select(
        SHIPMENT.c.id,
        SHIPMENT.c.customer_no,
        SHIPMENT.c.document_no,
        SHIPMENT.c.line_no,
        SHIPMENT.c.item_no,
        SHIPMENT.c.description,
        SHIPMENT.c.quantity,
        SHIPMENT.c.unit_price,
        SHIPMENT.c.line_amount,
        SHIPMENT.c.unit_cost,
        SHIPMENT.c.gross_weight,
        SHIPMENT.c.unit_volume,
        SHIPMENT.c.posting_date,
        cost.label("cost_amount"),
    )


async def shipment_lines(conn: AsyncConnection, ids: Sequence[int]) -> list[ShipmentLineRecord]:
    rows = await conn.execute(
        _shipment_query().where(SHIPMENT.c.id.in_(ids)).order_by(SHIPMENT.c.id)
    )
    return [ShipmentLineRecord(**r._mapping) for r in rows]


async def shipment_lines_of_document(
    conn: AsyncConnection, customer_no: str, document_no: str
) -> list[ShipmentLineRecord]:
    rows = await conn.execute(
        _shipment_query()
        .where(SHIPMENT.c.customer_no == customer_no, SHIPMENT.c.document_no == document_no)
        .order_by(SHIPMENT.c.line_no)
    )
    return [ShipmentLineRecord(**r._mapping) for r in rows]


async def value_entries(
    conn: AsyncConnection, line_ids: Sequence[int], line_column: str = "shipment_line_id"
) -> list[ValueEntryRecord]:
    """Value entries of shipment lines, or of receipt lines with ``receipt_line_id``."""
    rows = await conn.execute(
        sa.select(
            VALUE.c.entry_no,
            VALUE.c[line_column].label("line_id"),
            VALUE.c.item_no,
            VALUE.c.entry_type,
            VALUE.c.item_charge_code,
            VALUE.c.posting_date,
            VALUE.c.document_no,
            VALUE.c.quantity,
            VALUE.c.cost_amount,
        )
        .where(VALUE.c[line_column].in_(line_ids))
        .order_by(VALUE.c.entry_no)
    )
    return [ValueEntryRecord(**r._mapping) for r in rows]
