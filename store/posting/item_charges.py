"""Posting an item charge assignment, once for both sides: sales charges land on shipment lines
(against cost of sales), purchase charges on receipt lines (against inventory). The split itself
is `domain.item_charges.suggest_assignment`; the sides differ only in the table, the owner rule
and the account debited."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import DomainError, ErrorCode
from domain.item_charges import AssignmentLine, AssignmentMethod, suggest_assignment
from domain.sales_posting import GlPostingLine, check_posting_date
from store.idempotency import idempotent
from store.posting.writer import insert_gl, next_transaction_no
from store.records import CompanySetupRecord
from store.setup import load_setup
from store.tables import ITEM_CHARGE_CODES as CHARGE
from store.tables import RECEIPT_LINES, SHIPMENT_LINES
from store.tables import VALUE_ENTRIES as VALUE
from store.uow import UnitOfWork, run_in_transaction


@dataclass(frozen=True, slots=True)
class ChargeSide:
    """Where a charge lands and what changes between sales and purchases."""

    operation: str  # idempotency scope, the mutation's name
    table: sa.Table
    value_column: str  # the value entry's line id column
    party_column: str
    amount_column: str  # what BY_AMOUNT weighs
    field: str  # input name of the line ids
    noun: str
    one_party: bool  # sales: one customer's shipments; purchases (BC): any vendor's receipts
    debit_account: Callable[[CompanySetupRecord], str]


SALES = ChargeSide(
    operation="postItemChargeAssignment",
    table=SHIPMENT_LINES,
    value_column="shipment_line_id",
    party_column="customer_no",
    amount_column="line_amount",
    field="shipmentLineIds",
    noun="shipment",
    one_party=True,
    debit_account=lambda setup: setup.cost_of_sales_account,
)
PURCHASE = ChargeSide(
    operation="postPurchaseItemChargeAssignment",
    table=RECEIPT_LINES,
    value_column="receipt_line_id",
    party_column="vendor_no",
    amount_column="line_amount_lcy",
    field="receiptLineIds",
    noun="receipt",
    one_party=False,
    debit_account=lambda setup: setup.inventory_account,
)


@dataclass(frozen=True, slots=True)
class ChargeAssignmentInput:
    charge_code: str
    charge_amount: Decimal  # LCY
    posting_date: date
    method: AssignmentMethod
    line_ids: tuple[int, ...]
    document_no: str = ""
    party_no: str | None = None
    quantities: tuple[Decimal, ...] | None = None


def _invalid(side: ChargeSide, message: str, name: str | None = None) -> DomainError:
    return DomainError(ErrorCode.INVALID_ASSIGNMENT, message, [name or side.field])


async def _lines(conn: AsyncConnection, side: ChargeSide, ids: Sequence[int]) -> dict[int, Any]:
    t = side.table
    rows = await conn.execute(
        sa.select(
            t.c.id,
            t.c[side.party_column].label("party_no"),
            t.c.item_no,
            t.c.quantity,
            t.c[side.amount_column].label("amount"),
            t.c.gross_weight,
            t.c.unit_volume,
        ).where(t.c.id.in_(ids))
    )
    return {int(r.id): r for r in rows}


async def assign_charge(
    conn: AsyncConnection,
    side: ChargeSide,
    cmd: ChargeAssignmentInput,
    transaction_no: int | None = None,
) -> list[int]:
    """Insert one ITEM_CHARGE value entry per line and move the charge to the side's account.

    Runs inside the caller's transaction (a purchase invoice passes its own transaction no.);
    returns the new value entry nos.
    """
    setup = await load_setup(conn)
    check_posting_date(cmd.posting_date, setup.allow_posting_from, setup.allow_posting_to)
    charge = (
        await conn.execute(sa.select(CHARGE).where(CHARGE.c.code == cmd.charge_code))
    ).one_or_none()
    if charge is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"item charge {cmd.charge_code!r} does not exist",
            ["chargeCode"],
        )
    ids = list(dict.fromkeys(cmd.line_ids))
    if len(ids) != len(cmd.line_ids) or not ids:
        raise _invalid(side, f"give each posted {side.noun} line once")
    found = await _lines(conn, side, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise _invalid(side, f"{side.noun} lines {missing} are not posted {side.noun} lines")
    owners = {found[i].party_no for i in ids}
    expected = cmd.party_no or next(iter(owners))
    if side.one_party and owners != {expected}:
        raise _invalid(
            side,
            f"an item charge is assigned to one customer's shipments; these lines "
            f"belong to {', '.join(sorted(owners))}",
        )
    if cmd.quantities is not None and len(cmd.quantities) != len(ids):
        raise _invalid(side, f"give one quantity per {side.noun} line", "quantities")
    lines = [
        AssignmentLine(
            key=str(i),
            quantity=found[i].quantity,
            amount=found[i].amount,
            gross_weight=found[i].gross_weight,
            unit_volume=found[i].unit_volume,
            qty_to_assign=None if cmd.quantities is None else cmd.quantities[n],
        )
        for n, i in enumerate(ids)
    ]
    assigned = suggest_assignment(
        cmd.charge_amount, cmd.method, lines, setup.amount_rounding_precision
    )
    tx = transaction_no if transaction_no is not None else await next_transaction_no(conn)
    document_no = cmd.document_no or f"IC-{tx}"
    rows = await conn.execute(
        sa.insert(VALUE).returning(VALUE.c.entry_no),
        [
            {
                side.value_column: int(a.key),
                "item_no": found[int(a.key)].item_no,
                "entry_type": "ITEM_CHARGE",
                "item_charge_code": cmd.charge_code,
                "posting_date": cmd.posting_date,
                "document_no": document_no,
                "quantity": Decimal(0),
                "cost_amount": a.amount_to_assign,
                "transaction_no": tx,
            }
            for a in assigned
        ],
    )
    description = f"{charge.description} {document_no}"
    await insert_gl(
        conn,
        (
            GlPostingLine(side.debit_account(setup), cmd.charge_amount, description),
            GlPostingLine(charge.gl_account_no, -cmd.charge_amount, description),
        ),
        posting_date=cmd.posting_date,
        document_type="",
        document_no=document_no,
        transaction_no=tx,
        source_type="ITEM_CHARGE",
        source_no=cmd.charge_code,
    )
    return [int(r.entry_no) for r in rows]


async def post_item_charge_assignment(
    engine: AsyncEngine,
    side: ChargeSide,
    cmd: ChargeAssignmentInput,
    idempotency_key: str | None,
) -> list[int]:
    """Post value entries adding the charge to the lines' cost, and the G/L, in one transaction."""

    async def work(uow: UnitOfWork) -> list[int]:
        async def once() -> dict[str, Any]:
            return {"valueEntryNos": await assign_charge(uow.conn, side, cmd)}

        payload = {**asdict(cmd), "method": cmd.method.value}
        response = await idempotent(uow, side.operation, idempotency_key, payload, once)
        return [int(n) for n in response["valueEntryNos"]]

    return await run_in_transaction(engine, work)
