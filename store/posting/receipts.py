"""Item and item charge lines of purchase invoices: posted receipt lines at their cost in LCY,
their value entries, and the charge lines to assign on posting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError, ErrorCode
from domain.item_charges import AssignmentMethod
from domain.items import ItemLine, amount_lcy, line_amount
from domain.sales_posting import DocumentKind, DocumentLine
from store.posting.items import ItemRecord
from store.tables import ITEM_CHARGE_CODES as CHARGE
from store.tables import ITEMS as ITEM
from store.tables import RECEIPT_LINES as RECEIPT
from store.tables import VALUE_ENTRIES as VALUE


@dataclass(frozen=True, slots=True)
class PurchaseItemLineInput:
    """An item line as the client sends it; the direct unit cost defaults to the item's."""

    item_no: str
    quantity: Decimal
    direct_unit_cost: Decimal | None = None
    line_discount_pct: Decimal = Decimal(0)
    description: str = ""
    vat_pct: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class ChargeTargets:
    """How a charge line is assigned when the invoice posts: to posted receipt lines and/or to
    this invoice's own item lines (1-based positions in its lines), in that order."""

    method: AssignmentMethod
    receipt_line_ids: tuple[int, ...] = ()
    line_nos: tuple[int, ...] = ()
    quantities: tuple[Decimal, ...] | None = None


@dataclass(frozen=True, slots=True)
class PurchaseChargeLineInput:
    """A charge (item) line: its amount goes to the charge's G/L account until assigned."""

    item_charge_code: str
    amount: Decimal
    description: str = ""
    vat_pct: Decimal = Decimal(0)
    assignment: ChargeTargets | None = None


PurchaseLine = DocumentLine | PurchaseItemLineInput | PurchaseChargeLineInput


@dataclass(frozen=True, slots=True)
class Received:
    line_no: int
    item: ItemRecord
    line: ItemLine
    amount: Decimal


@dataclass(frozen=True, slots=True)
class InvoicedCharge:
    index: int  # position in the input lines
    code: str
    amount: Decimal
    assignment: ChargeTargets | None


@dataclass(frozen=True, slots=True)
class ReceiptLineRecord:
    id: int
    vendor_no: str
    document_no: str
    line_no: int
    item_no: str
    description: str
    quantity: Decimal
    direct_unit_cost: Decimal
    line_amount: Decimal
    line_amount_lcy: Decimal
    gross_weight: Decimal
    unit_volume: Decimal
    posting_date: date
    cost_amount: Decimal


async def resolve_purchase_lines(
    conn: AsyncConnection,
    kind: DocumentKind,
    lines: Sequence[PurchaseLine],
    *,
    expense_account: str,
    inventory_account: str,
    precision: Decimal,
) -> tuple[tuple[DocumentLine, ...], list[Received], list[InvoicedCharge]]:
    """Turn every line into a G/L line: G/L lines to their account (expense by default), item
    lines to inventory, charge lines to their charge's G/L account."""
    items = await _items(conn, {x.item_no for x in lines if isinstance(x, PurchaseItemLineInput)})
    codes = {x.item_charge_code for x in lines if isinstance(x, PurchaseChargeLineInput)}
    charge_accounts: dict[str, str] = {}
    if codes:
        rows = await conn.execute(sa.select(CHARGE).where(CHARGE.c.code.in_(codes)))
        charge_accounts = {r.code: r.gl_account_no for r in rows}
    out: list[DocumentLine] = []
    received: list[Received] = []
    charges: list[InvoicedCharge] = []
    for i, x in enumerate(lines):
        where = ["lines", str(i)]
        if isinstance(x, DocumentLine):
            out.append(
                x
                if x.gl_account_no
                else DocumentLine(x.description, expense_account, x.amount, x.vat_pct)
            )
            continue
        if kind is not DocumentKind.INVOICE:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "item and item charge lines are posted on purchase invoices; a purchase return "
                "(credit memo with item lines) is out of scope",
                [*where, "type"],
            )
        if isinstance(x, PurchaseChargeLineInput):
            account = charge_accounts.get(x.item_charge_code)
            if account is None:
                raise DomainError(
                    ErrorCode.NOT_FOUND,
                    f"item charge {x.item_charge_code!r} does not exist",
                    [*where, "itemChargeCode"],
                )
            description = x.description or f"Item charge {x.item_charge_code}"
            out.append(DocumentLine(description, account, x.amount, x.vat_pct))
            charges.append(InvoicedCharge(i, x.item_charge_code, x.amount, x.assignment))
            continue
        item = items.get(x.item_no)
        if item is None:
            raise DomainError(
                ErrorCode.NOT_FOUND, f"item {x.item_no!r} does not exist", [*where, "itemNo"]
            )
        line = ItemLine(
            item.no,
            x.quantity,
            item.unit_cost if x.direct_unit_cost is None else x.direct_unit_cost,
            x.line_discount_pct,
            item.unit_cost,
            x.description or item.description,
        )
        amount = line_amount(line, precision, where, price_field="directUnitCost")
        out.append(DocumentLine(line.description, inventory_account, amount, x.vat_pct))
        received.append(Received(i + 1, item, line, amount))
    return tuple(out), received, charges


async def _items(conn: AsyncConnection, nos: set[str]) -> dict[str, ItemRecord]:
    if not nos:
        return {}
    rows = await conn.execute(sa.select(ITEM).where(ITEM.c.no.in_(nos)))
    return {r.no: ItemRecord(**r._mapping) for r in rows}


async def record_receipts(
    conn: AsyncConnection,
    received: Sequence[Received],
    *,
    vendor_no: str,
    document_no: str,
    entry_no: int,
    posting_date: date,
    transaction_no: int,
    rate: Decimal,
    lcy_precision: Decimal,
) -> dict[int, int]:
    """Insert receipt lines and their PURCHASE value entries (cost = the line's LCY, as in the
    G/L inventory line); returns receipt line id by line no."""
    if not received:
        return {}
    costs = {r.line_no: amount_lcy(r.amount, rate, lcy_precision) for r in received}
    rows = await conn.execute(
        sa.insert(RECEIPT).returning(RECEIPT.c.id, RECEIPT.c.line_no),
        [
            {
                "vendor_no": vendor_no,
                "document_no": document_no,
                "vendor_ledger_entry_no": entry_no,
                "line_no": r.line_no,
                "item_no": r.item.no,
                "description": r.line.description,
                "quantity": r.line.quantity,
                "direct_unit_cost": r.line.unit_price,
                "line_discount_pct": r.line.line_discount_pct,
                "line_amount": r.amount,
                "line_amount_lcy": costs[r.line_no],
                "gross_weight": r.item.gross_weight,
                "unit_volume": r.item.unit_volume,
                "posting_date": posting_date,
                "transaction_no": transaction_no,
            }
            for r in received
        ],
    )
    ids = {int(row.line_no): int(row.id) for row in rows}
    await conn.execute(
        sa.insert(VALUE),
        [
            {
                "receipt_line_id": ids[r.line_no],
                "item_no": r.item.no,
                "entry_type": "PURCHASE",
                "posting_date": posting_date,
                "document_no": document_no,
                "quantity": r.line.quantity,
                "cost_amount": costs[r.line_no],
                "transaction_no": transaction_no,
            }
            for r in received
        ],
    )
    return ids


def _receipt_query() -> sa.Select[Any]:
    cost = (
        sa.select(sa.func.coalesce(sa.func.sum(VALUE.c.cost_amount), 0))
        .where(VALUE.c.receipt_line_id == RECEIPT.c.id)
        .scalar_subquery()
    )
    return sa.select(
        *(
            RECEIPT.c[name]
            for name in ReceiptLineRecord.__dataclass_fields__
            if name != "cost_amount"
        ),
        cost.label("cost_amount"),
    )


async def receipt_lines(conn: AsyncConnection, ids: Sequence[int]) -> list[ReceiptLineRecord]:
    rows = await conn.execute(_receipt_query().where(RECEIPT.c.id.in_(ids)).order_by(RECEIPT.c.id))
    return [ReceiptLineRecord(**r._mapping) for r in rows]


async def receipt_lines_of_document(
    conn: AsyncConnection, vendor_no: str, document_no: str
) -> list[ReceiptLineRecord]:
    rows = await conn.execute(
        _receipt_query()
        .where(RECEIPT.c.vendor_no == vendor_no, RECEIPT.c.document_no == document_no)
        .order_by(RECEIPT.c.line_no)
    )
    return [ReceiptLineRecord(**r._mapping) for r in rows]


async def receipt_lines_of_entry(conn: AsyncConnection, entry_no: int) -> list[ReceiptLineRecord]:
    """The receipt lines one posted invoice created (document nos. may repeat per vendor)."""
    rows = await conn.execute(
        _receipt_query()
        .where(RECEIPT.c.vendor_ledger_entry_no == entry_no)
        .order_by(RECEIPT.c.line_no)
    )
    return [ReceiptLineRecord(**r._mapping) for r in rows]
