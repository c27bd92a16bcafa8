"""OpenEntriesByPartyLoader: the first N open entries of each party of a page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.dataloader import DataLoader

from domain.ledger import Ledger, LedgerEntry
from store.parties.ledger import open_entries_by_party

Key = tuple[str, int]  # party no., how many
Result = list[LedgerEntry]


class OpenEntriesByPartyLoader(DataLoader[Key, Result]):
    def __init__(self, engine: AsyncEngine, ledger: Ledger) -> None:
        self.engine, self.ledger = engine, ledger
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[Key]) -> list[Result]:
        by_first: dict[int, list[str]] = defaultdict(list)
        for no, first in keys:
            by_first[first].append(no)
        found: dict[Key, Result] = {}
        async with self.engine.connect() as conn:
            for first, nos in by_first.items():
                page = await open_entries_by_party(conn, self.ledger, nos, first)
                for no, entries in page.items():
                    found[(no, first)] = entries
        return [found.get(k, []) for k in keys]
