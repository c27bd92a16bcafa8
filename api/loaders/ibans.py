"""IbansByCustomerLoader: bank accounts of a page of customers in one query."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.dataloader import DataLoader

from store.parties.master import CUSTOMER, ibans_by_party

Key = str
Result = list[str]


def ibans_by_customer_loader(engine: AsyncEngine) -> DataLoader[Key, Result]:
    async def load(keys: Sequence[Key]) -> list[Result]:
        async with engine.connect() as conn:
            found = await ibans_by_party(conn, CUSTOMER, keys)
        return [found.get(k, []) for k in keys]

    return DataLoader(load_fn=load)
