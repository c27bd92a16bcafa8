"""Preview a posting: read back what a transaction wrote before it is rolled back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from store.parties.ledger_tables import CUSTOMER_LEDGER
from store.records import GLEntryRecord, from_row
from store.tables import CUSTOMER_LEDGER_ENTRIES as CLE
from store.tables import DETAILED_CUSTOMER_LEDGER_ENTRIES as DCLE
from store.tables import GL_ENTRIES as GL


async def read_transactions(
    conn: AsyncConnection, transaction_nos: Sequence[int]
) -> dict[str, Any]:
    """Entries written by these transactions, plus entries they changed (with new values)."""
    txs = list(transaction_nos)
    detailed = [
        CUSTOMER_LEDGER.detailed_entry(r)
        for r in await conn.execute(
            sa.select(DCLE).where(DCLE.c.transaction_no.in_(txs)).order_by(DCLE.c.entry_no)
        )
    ]
    touched = sorted({d.ledger_entry_no for d in detailed})
    entries = [
        CUSTOMER_LEDGER.entry(r)
        for r in await conn.execute(
            sa.select(CLE).where(CLE.c.entry_no.in_(touched)).order_by(CLE.c.entry_no)
        )
    ]
    gl = [
        from_row(GLEntryRecord, r)
        for r in await conn.execute(
            sa.select(GL).where(GL.c.transaction_no.in_(txs)).order_by(GL.c.entry_no)
        )
    ]
    return {"entries": entries, "detailed": detailed, "gl": gl}
