"""DetailedEntriesByEntryNoLoader: the DCLEs of many ledger entries in one query."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.dataloader import DataLoader

from domain.ledger import DetailedLedgerEntry, Ledger
from store.parties.ledger import detailed_by_entry

Key = int
Result = list[DetailedLedgerEntry]


def detailed_entries_by_entry_no(engine: AsyncEngine) -> DataLoader[Key, Result]:
    async def load(keys: Sequence[Key]) -> list[Result]:
        async with engine.connect() as conn:
            found = await detailed_by_entry(conn, Ledger.CUSTOMER, keys)
        return [found.get(k, []) for k in keys]

    return DataLoader(load_fn=load)
