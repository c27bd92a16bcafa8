"""Draft cash receipt journals: saved lines an SPA edits before posting them all at once."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain import setup_rules as rules
from domain.errors import DomainError, ErrorCode
from domain.posting.journal import ApplyToInput, CashReceiptLine
from store.tables import CASH_RECEIPT_JOURNAL_LINES as LINE
from store.tables import CASH_RECEIPT_JOURNALS as JOURNAL


@dataclass(frozen=True, slots=True)
class DraftLine:
    id: int
    line_no: int
    line: CashReceiptLine


@dataclass(frozen=True, slots=True)
class Draft:
    name: str
    description: str
    lines: tuple[DraftLine, ...] = field(default_factory=tuple)


def _row_values(line: CashReceiptLine) -> dict[str, Any]:
    values = asdict(line)
    values.pop("vendor_no")
    values["apply_to"] = [
        {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(a).items()}
        for a in line.apply_to
    ]
    return values


def _line_of(row: Any) -> CashReceiptLine:
    m = row._mapping
    return CashReceiptLine(
        posting_date=m["posting_date"],
        document_no=m["document_no"],
        amount=m["amount"],
        bal_account_no=m["bal_account_no"],
        document_type=m["document_type"],
        customer_no=m["customer_no"],
        gl_account_no=m["gl_account_no"],
        bal_account_type=m["bal_account_type"],
        currency_code=m["currency_code"],
        description=m["description"],
        applies_to_doc_type=m["applies_to_doc_type"],
        applies_to_doc_no=m["applies_to_doc_no"],
        applies_to_id=m["applies_to_id"],
        apply_to=tuple(
            ApplyToInput(
                entry_no=int(a["entry_no"]),
                amount_to_apply=None
                if a.get("amount_to_apply") is None
                else Decimal(a["amount_to_apply"]),
                accept_payment_discount_tolerance=a.get("accept_payment_discount_tolerance"),
                accept_payment_tolerance=a.get("accept_payment_tolerance"),
            )
            for a in m["apply_to"]
        ),
        accept_payment_discount_tolerance=m["accept_payment_discount_tolerance"],
        accept_payment_tolerance=m["accept_payment_tolerance"],
    )


async def load_draft(conn: AsyncConnection, name: str) -> Draft | None:
    head = (await conn.execute(sa.select(JOURNAL).where(JOURNAL.c.name == name))).one_or_none()
    if head is None:
        return None
    rows = await conn.execute(
        sa.select(LINE).where(LINE.c.journal_name == name).order_by(LINE.c.line_no, LINE.c.id)
    )
    return Draft(
        head.name, head.description, tuple(DraftLine(r.id, r.line_no, _line_of(r)) for r in rows)
    )


async def ensure_draft(engine: AsyncEngine, name: str, description: str = "") -> None:
    rules.check_code(name, ["journalName"], 40)
    async with engine.begin() as conn:
        await conn.execute(
            insert(JOURNAL).values(name=name, description=description).on_conflict_do_nothing()
        )


async def add_line(engine: AsyncEngine, name: str, line: CashReceiptLine) -> int:
    await ensure_draft(engine, name)
    async with engine.begin() as conn:
        await conn.execute(
            sa.select(JOURNAL.c.name).where(JOURNAL.c.name == name).with_for_update()
        )
        last = (
            await conn.execute(
                sa.select(sa.func.max(LINE.c.line_no)).where(LINE.c.journal_name == name)
            )
        ).scalar_one()
        row = await conn.execute(
            sa.insert(LINE)
            .values(journal_name=name, line_no=(last or 0) + 10000, **_row_values(line))
            .returning(LINE.c.id)
        )
        return int(row.scalar_one())


async def update_line(engine: AsyncEngine, line_id: int, line: CashReceiptLine) -> str:
    async with engine.begin() as conn:
        row = (
            await conn.execute(
                sa.update(LINE)
                .where(LINE.c.id == line_id)
                .values(**_row_values(line))
                .returning(LINE.c.journal_name)
            )
        ).one_or_none()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"journal line {line_id} does not exist", ["lineId"])
    return str(row.journal_name)


async def get_line(conn: AsyncConnection, line_id: int) -> tuple[str, CashReceiptLine] | None:
    row = (await conn.execute(sa.select(LINE).where(LINE.c.id == line_id))).one_or_none()
    return None if row is None else (row.journal_name, _line_of(row))


async def delete_line(engine: AsyncEngine, line_id: int) -> str:
    async with engine.begin() as conn:
        row = (
            await conn.execute(
                sa.delete(LINE).where(LINE.c.id == line_id).returning(LINE.c.journal_name)
            )
        ).one_or_none()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"journal line {line_id} does not exist", ["lineId"])
    return str(row.journal_name)


async def clear_draft(conn: AsyncConnection, name: str, line_ids: list[int]) -> None:
    """After posting: remove exactly the lines that were posted (in the posting transaction)."""
    await conn.execute(sa.delete(LINE).where(LINE.c.journal_name == name, LINE.c.id.in_(line_ids)))
