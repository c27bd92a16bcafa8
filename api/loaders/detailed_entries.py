"""DetailedEntriesByEntryNoLoader: the detailed entries of many ledger entries in one query."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.dataloader import DataLoader

from domain.ledger import DetailedLedgerEntry, Ledger
from store.parties.ledger import detailed_by_entry

Key = int  # ledger entry no.
Result = list[DetailedLedgerEntry]


class DetailedEntriesByEntryNoLoader(DataLoader[Key, Result]):
    def __init__(self, engine: AsyncEngine, ledger: Ledger) -> None:
        self.engine, self.ledger = engine, ledger
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[Key]) -> list[Result]:
        async with self.engine.connect() as conn:
            found = await detailed_by_entry(conn, self.ledger, keys)
        return [found.get(k, []) for k in keys]
