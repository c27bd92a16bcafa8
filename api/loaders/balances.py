"""BalancesByPartyLoader: per-currency balances of a page of customers or vendors, one query
per asOf date asked for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.dataloader import DataLoader

from domain.ledger import Ledger
from store.parties.ledger import balances

Key = tuple[str, date | None]  # party no., as of
Result = dict[str, tuple[Decimal, Decimal]]  # currency -> (amount, amount_lcy)


class BalancesByPartyLoader(DataLoader[Key, Result]):
    def __init__(self, engine: AsyncEngine, ledger: Ledger) -> None:
        self.engine, self.ledger = engine, ledger
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[Key]) -> list[Result]:
        by_date: dict[date | None, list[str]] = defaultdict(list)
        for no, as_of in keys:
            by_date[as_of].append(no)
        found: dict[Key, Result] = {}
        async with self.engine.connect() as conn:
            for as_of, nos in by_date.items():
                for no, per_currency in (await balances(conn, self.ledger, nos, as_of)).items():
                    found[(no, as_of)] = per_currency
        return [found.get(k, {}) for k in keys]
