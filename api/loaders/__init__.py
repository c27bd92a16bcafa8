"""Per-request dataloaders: one batched query per kind of lookup, whatever the page size.

The loader classes serve either ledger (customers or vendors); a request gets one instance
per ledger a GraphQL field reads through.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from api.loaders.balances import BalancesByPartyLoader
from api.loaders.detailed_entries import DetailedEntriesByEntryNoLoader
from api.loaders.ibans import IbansByPartyLoader
from api.loaders.open_entries import OpenEntriesByPartyLoader
from domain.ledger import Ledger
from store.parties.master import CUSTOMER, VENDOR


@dataclass
class Loaders:
    detailed_entries_by_entry_no: DetailedEntriesByEntryNoLoader  # customer entries
    balances_by_customer: BalancesByPartyLoader
    balances_by_vendor: BalancesByPartyLoader
    open_entries_by_customer: OpenEntriesByPartyLoader
    ibans_by_customer: IbansByPartyLoader
    ibans_by_vendor: IbansByPartyLoader


def build_loaders(engine: AsyncEngine) -> Loaders:
    return Loaders(
        detailed_entries_by_entry_no=DetailedEntriesByEntryNoLoader(engine, Ledger.CUSTOMER),
        balances_by_customer=BalancesByPartyLoader(engine, Ledger.CUSTOMER),
        balances_by_vendor=BalancesByPartyLoader(engine, Ledger.VENDOR),
        open_entries_by_customer=OpenEntriesByPartyLoader(engine, Ledger.CUSTOMER),
        ibans_by_customer=IbansByPartyLoader(engine, CUSTOMER),
        ibans_by_vendor=IbansByPartyLoader(engine, VENDOR),
    )
