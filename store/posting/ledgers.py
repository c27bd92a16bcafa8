"""The two ledgers the application engine serves differ only in tables, column names, sign
conventions and accounts; this descriptor is the whole difference, seen from the store."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sqlalchemy as sa

from store.records import LedgerEntryRecord
from store.tables import (
    CUSTOMER_LEDGER_ENTRIES,
    CUSTOMER_POSTING_GROUPS,
    DETAILED_CUSTOMER_LEDGER_ENTRIES,
    DETAILED_VENDOR_LEDGER_ENTRIES,
    VENDOR_LEDGER_ENTRIES,
    VENDOR_POSTING_GROUPS,
)

RECORD_FIELDS = tuple(LedgerEntryRecord.__dataclass_fields__)


@dataclass(frozen=True)
class Ledger:
    name: str  # CUSTOMER | VENDOR (the G/L source type too)
    entries: sa.Table
    detailed: sa.Table
    party_col: str
    group_col: str
    entry_fk: str
    applied_col: str
    groups: sa.Table
    group_account_col: str
    payment_sign: int  # sign of a PAYMENT amount on this ledger (customer -, vendor +)

    @cached_property
    def columns(self) -> list[sa.Column[Any]]:
        """The entry columns of a `LedgerEntryRecord`, in its field order (what `record`
        reads: selecting only these skips decoding the others)."""
        names = {"customer_no": self.party_col, "customer_posting_group": self.group_col}
        return [self.entries.c[names.get(f, f)] for f in RECORD_FIELDS]

    def record(self, row: Any) -> LedgerEntryRecord:
        """Read model of an entry selected with `columns`; `customer_no` and
        `customer_posting_group` hold the party's."""
        return LedgerEntryRecord(*row)


CUSTOMER_LEDGER = Ledger(
    "CUSTOMER",
    CUSTOMER_LEDGER_ENTRIES,
    DETAILED_CUSTOMER_LEDGER_ENTRIES,
    "customer_no",
    "customer_posting_group",
    "cust_ledger_entry_no",
    "applied_cust_ledger_entry_no",
    CUSTOMER_POSTING_GROUPS,
    "receivables_account",
    -1,
)
VENDOR_LEDGER = Ledger(
    "VENDOR",
    VENDOR_LEDGER_ENTRIES,
    DETAILED_VENDOR_LEDGER_ENTRIES,
    "vendor_no",
    "vendor_posting_group",
    "vendor_ledger_entry_no",
    "applied_vendor_ledger_entry_no",
    VENDOR_POSTING_GROUPS,
    "payables_account",
    1,
)
