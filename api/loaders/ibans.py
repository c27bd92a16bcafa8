"""IbansByPartyLoader: bank accounts of a page of customers or vendors in one query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.dataloader import DataLoader

from store.parties.master import Party, ibans_by_party

Key = str  # party no.
Result = list[str]


class IbansByPartyLoader(DataLoader[Key, Result]):
    def __init__(self, engine: AsyncEngine, party: Party[Any]) -> None:
        self.engine, self.party = engine, party
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[Key]) -> list[Result]:
        async with self.engine.connect() as conn:
            found = await ibans_by_party(conn, self.party, keys)
        return [found.get(k, []) for k in keys]
