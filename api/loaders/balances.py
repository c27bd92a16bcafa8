"""BalancesByCustomerLoader: per-currency balances of a page of customers in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.dataloader import DataLoader

from domain.ledger import Ledger
from store.parties.ledger import balances

Key = tuple[str, date | None]
Result = dict[str, tuple[Decimal, Decimal]]


def balances_by_customer(engine: AsyncEngine) -> DataLoader[Key, Result]:
    async def load(keys: Sequence[Key]) -> list[Result]:
        by_date: dict[date | None, list[str]] = defaultdict(list)
        for no, as_of in keys:
            by_date[as_of].append(no)
        found: dict[Key, Result] = {}
        async with engine.connect() as conn:
            for as_of, nos in by_date.items():
                for no, per_currency in (await balances(conn, Ledger.CUSTOMER, nos, as_of)).items():
                    found[(no, as_of)] = per_currency
        return [found.get(k, {}) for k in keys]

    return DataLoader(load_fn=load)
