"""OpenEntriesByCustomerLoader: the first N open entries of each customer of a page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.dataloader import DataLoader

from domain.ledger import Ledger, LedgerEntry
from store.parties.ledger import open_entries_by_party

Key = tuple[str, int]
Result = list[LedgerEntry]


def open_entries_by_customer_loader(engine: AsyncEngine) -> DataLoader[Key, Result]:
    async def load(keys: Sequence[Key]) -> list[Result]:
        by_first: dict[int, list[str]] = defaultdict(list)
        for no, first in keys:
            by_first[first].append(no)
        found: dict[Key, Result] = {}
        async with engine.connect() as conn:
            for first, nos in by_first.items():
                for no, entries in (
                    await open_entries_by_party(conn, Ledger.CUSTOMER, nos, first)
                ).items():
                    found[(no, first)] = entries
        return [found.get(k, []) for k in keys]

    return DataLoader(load_fn=load)
