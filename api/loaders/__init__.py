"""Per-request dataloaders: one batched query per kind of lookup, whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.dataloader import DataLoader

from api.loaders.balances import balances_by_customer
from api.loaders.detailed_entries import detailed_entries_by_entry_no
from api.loaders.ibans import ibans_by_customer_loader
from api.loaders.open_entries import open_entries_by_customer_loader
from domain.ledger import DetailedLedgerEntry, LedgerEntry


@dataclass
class Loaders:
    detailed_entries_by_entry_no: DataLoader[int, list[DetailedLedgerEntry]]
    balances_by_customer: DataLoader[tuple[str, date | None], dict[str, tuple[Decimal, Decimal]]]
    open_entries_by_customer: DataLoader[tuple[str, int], list[LedgerEntry]]
    ibans_by_customer: DataLoader[str, list[str]]


def build_loaders(engine: AsyncEngine) -> Loaders:
    return Loaders(
        detailed_entries_by_entry_no=detailed_entries_by_entry_no(engine),
        balances_by_customer=balances_by_customer(engine),
        open_entries_by_customer=open_entries_by_customer_loader(engine),
        ibans_by_customer=ibans_by_customer_loader(engine),
    )
