"""How reminders and finance charge memos are kept, one descriptor per kind, and the steps
both take the same way: loading, finding, locking, and the start and end of issuing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError, ErrorCode
from store.collections.deliveries import DocumentDelivery, deliveries_of, record_delivery
from store.collections.ledger import lock_customer
from store.records import CustomerRecord

D = TypeVar("D")
L = TypeVar("L")


@dataclass(frozen=True, slots=True)
class CollectionDocument:
    """Where a kind of collection document (reminder, finance charge memo) is kept."""

    label: str  # as messages name it: "Reminder"
    table: sa.Table  # the documents, with status, customer and dates
    lines: sa.Table  # a proposal's lines
    issued_lines: sa.Table  # what issuing records per line
    key: str  # the column of the lines and issued lines naming their document
    delivery: str  # the kind of its deliveries


async def lock_document(
    conn: AsyncConnection, doc: CollectionDocument, doc_id: int, field: list[str]
) -> Any:
    row = (
        await conn.execute(sa.select(doc.table).where(doc.table.c.id == doc_id).with_for_update())
    ).one_or_none()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"{doc.label} {doc_id} does not exist.", field)
    return row


async def start_issue(
    conn: AsyncConnection, doc: CollectionDocument, doc_id: int, field: list[str]
) -> tuple[Any, CustomerRecord, list[Any]]:
    """The proposal locked (refused when it is not one), its customer locked, its lines."""
    row = await lock_document(conn, doc, doc_id, field)
    if row.status != "PROPOSED":
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{doc.label} {doc_id} is {row.status.lower()}, not a proposal to issue.",
            field,
        )
    customer = await lock_customer(conn, row.customer_no, field)
    query = sa.select(doc.lines).where(doc.lines.c[doc.key] == doc_id)
    return row, customer, list((await conn.execute(query)).all())


async def finish_issue(
    conn: AsyncConnection,
    doc: CollectionDocument,
    row: Any,
    customer: CustomerRecord,
    issued: list[dict[str, Any]],
    document_no: str,
    entry_no: int | None,
) -> int:
    """Record the issued lines, mark the document ISSUED and queue its delivery."""
    await conn.execute(sa.insert(doc.issued_lines), [{doc.key: row.id, **x} for x in issued])
    await conn.execute(
        sa.update(doc.table)
        .where(doc.table.c.id == row.id)
        .values(status="ISSUED", document_no=document_no, posted_entry_no=entry_no)
    )
    await record_delivery(conn, doc.delivery, row.id, customer, row.created_at)
    return int(row.id)


async def find_documents(
    conn: AsyncConnection,
    doc: CollectionDocument,
    load: Callable[[AsyncConnection, Sequence[int]], Awaitable[list[D]]],
    customer_no: str | None,
    status: str | None,
    limit: int,
) -> list[D]:
    """Newest first, optionally for one customer and/or one status."""
    t = doc.table
    query = sa.select(t.c.id).order_by(t.c.id.desc()).limit(limit)
    if customer_no is not None:
        query = query.where(t.c.customer_no == customer_no)
    if status is not None:
        query = query.where(t.c.status == status)
    return await load(conn, [int(i) for i in (await conn.execute(query)).scalars()])


async def load_documents(
    conn: AsyncConnection,
    doc: CollectionDocument,
    ids: Sequence[int],
    line: Callable[[Any], L],
    document: Callable[[Any, tuple[L, ...], DocumentDelivery | None], D],
) -> list[D]:
    """The documents in the order of ``ids`` (unknown ones left out), each built by
    ``document`` from its row, its lines in order (built by ``line``) and its delivery."""
    heads = (await conn.execute(sa.select(doc.table).where(doc.table.c.id.in_(ids)))).all()
    lines: dict[int, list[L]] = {}
    key = doc.lines.c[doc.key]
    query = sa.select(doc.lines).where(key.in_(ids)).order_by(doc.lines.c.line_no)
    for r in await conn.execute(query):
        lines.setdefault(r._mapping[doc.key], []).append(line(r))
    deliveries = await deliveries_of(conn, doc.delivery, ids)
    by_id = {h.id: document(h, tuple(lines.get(h.id, ())), deliveries.get(h.id)) for h in heads}
    return [by_id[i] for i in ids if i in by_id]
