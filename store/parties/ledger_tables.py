"""Where each party ledger lives: the one mapping from a `domain.ledger.Ledger` to its tables.

The customer and the vendor ledger differ, seen from the store, only in tables, column names
and posting-group accounts; `LEDGERS[ledger]` is that whole difference. Rows come back as the
domain's party-neutral `LedgerEntry` / `DetailedLedgerEntry` (`party_no`, `posting_group`,
`ledger_entry_no`, `applied_entry_no` under whatever name the table gives them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

import sqlalchemy as sa

from domain.ledger import DetailedLedgerEntry, Ledger, LedgerEntry
from store.tables import (
    CUSTOMER_LEDGER_ENTRIES,
    CUSTOMER_POSTING_GROUPS,
    DETAILED_CUSTOMER_LEDGER_ENTRIES,
    DETAILED_VENDOR_LEDGER_ENTRIES,
    VENDOR_LEDGER_ENTRIES,
    VENDOR_POSTING_GROUPS,
)
from store.tables.party_ledgers import CUSTOMER_COLUMNS, VENDOR_COLUMNS, PartyColumns

ENTRY_FIELDS = tuple(f.name for f in fields(LedgerEntry))
DETAILED_FIELDS = tuple(f.name for f in fields(DetailedLedgerEntry))


@dataclass(frozen=True)
class LedgerTables:
    kind: Ledger
    entries: sa.Table
    detailed: sa.Table
    party_col: str  # customer_no | vendor_no
    group_col: str  # the entry's posting group
    entry_fk: str  # the detailed entry's entry
    applied_col: str  # the entry a detailed entry was applied against
    groups: sa.Table
    group_account_col: str  # receivables_account | payables_account

    @classmethod
    def of(
        cls,
        kind: Ledger,
        entries: sa.Table,
        detailed: sa.Table,
        names: PartyColumns,
        groups: sa.Table,
        group_account_col: str,
    ) -> LedgerTables:
        return cls(
            kind,
            entries,
            detailed,
            names.party,
            names.posting_group,
            names.ledger_entry,
            names.applied_entry,
            groups,
            group_account_col,
        )

    @property
    def name(self) -> str:
        """CUSTOMER | VENDOR: the G/L source type, and the ledger named in a request."""
        return self.kind.value

    @cached_property
    def entry_names(self) -> tuple[str, ...]:
        """The column of each `LedgerEntry` field, in field order."""
        renamed = {"party_no": self.party_col, "posting_group": self.group_col}
        return tuple(renamed.get(f, f) for f in ENTRY_FIELDS)

    @cached_property
    def detailed_names(self) -> tuple[str, ...]:
        """The column of each `DetailedLedgerEntry` field, in field order."""
        renamed = {"ledger_entry_no": self.entry_fk, "applied_entry_no": self.applied_col}
        return tuple(renamed.get(f, f) for f in DETAILED_FIELDS)

    @cached_property
    def columns(self) -> list[sa.Column[Any]]:
        """The entry columns of a `LedgerEntry`, in its field order (what `record` reads:
        selecting only these skips decoding the others)."""
        return [self.entries.c[c] for c in self.entry_names]

    def record(self, row: Any) -> LedgerEntry:
        """The entry of a row selected with `columns`."""
        return LedgerEntry(*row)

    def entry(self, row: Any) -> LedgerEntry:
        """The entry of any row holding the entry's columns by name (`select(entries)`...)."""
        m = row._mapping
        return LedgerEntry(*(m[c] for c in self.entry_names))

    def detailed_entry(self, row: Any) -> DetailedLedgerEntry:
        """The detailed entry of a row holding the detailed table's columns by name."""
        m = row._mapping
        return DetailedLedgerEntry(*(m[c] for c in self.detailed_names))


CUSTOMER_LEDGER = LedgerTables.of(
    Ledger.CUSTOMER,
    CUSTOMER_LEDGER_ENTRIES,
    DETAILED_CUSTOMER_LEDGER_ENTRIES,
    CUSTOMER_COLUMNS,
    CUSTOMER_POSTING_GROUPS,
    "receivables_account",
)
VENDOR_LEDGER = LedgerTables.of(
    Ledger.VENDOR,
    VENDOR_LEDGER_ENTRIES,
    DETAILED_VENDOR_LEDGER_ENTRIES,
    VENDOR_COLUMNS,
    VENDOR_POSTING_GROUPS,
    "payables_account",
)
LEDGERS: Mapping[Ledger, LedgerTables] = {
    Ledger.CUSTOMER: CUSTOMER_LEDGER,
    Ledger.VENDOR: VENDOR_LEDGER,
}
