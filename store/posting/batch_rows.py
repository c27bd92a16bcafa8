"""The rows a cash receipt batch has posted in memory, taken a part at a time and written with
one COPY per table and one UPDATE per ledger. A new entry goes in in its state when taken, so
only entries posted before (by an earlier part or an earlier batch) and changed since get the
UPDATE."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from store.posting.applications import update_entries
from store.posting.ledgers import CUSTOMERS, VENDORS, Ledger
from store.posting.writer import BALE, GL, insert_many
from store.records import LedgerEntryRecord

LEDGERS = (CUSTOMERS, VENDORS)
ENTRY_FIELDS = tuple(LedgerEntryRecord.__dataclass_fields__)


class BatchRows:
    def __init__(self) -> None:
        self._new: dict[str, dict[int, int]] = {x.name: {} for x in LEDGERS}  # entry -> tx
        self._changed: dict[str, set[int]] = {x.name: set() for x in LEDGERS}
        self._detailed: dict[str, list[dict[str, Any]]] = {x.name: [] for x in LEDGERS}
        self._gl: list[dict[str, Any]] = []
        self._bank: list[dict[str, Any]] = []

    def entry(self, ledger: Ledger, entry_no: int, transaction_no: int) -> None:
        """A new entry, inserted in its state when its part is taken."""
        self._new[ledger.name][entry_no] = transaction_no

    def detailed(self, ledger: Ledger, rows: Iterable[dict[str, Any]]) -> None:
        self._detailed[ledger.name].extend(rows)

    def gl(self, rows: Iterable[dict[str, Any]]) -> None:
        self._gl.extend(rows)

    def bank(self, row: dict[str, Any]) -> None:
        self._bank.append(row)

    def changed(self, ledger: Ledger, entry_nos: Iterable[int]) -> None:
        """Posted entries whose cached fields changed (new ones need no update)."""
        new = self._new[ledger.name]
        self._changed[ledger.name].update(n for n in entry_nos if n not in new)

    def take(self, entries: Mapping[str, Mapping[int, LedgerEntryRecord]]) -> Part:
        """What the lines posted so far write: new entries in their state now, the detailed,
        G/L and bank entries, and the posted entries changed since the last part. An entry
        written here and changed again later is updated again by a later part."""
        inserts: list[tuple[sa.Table, list[dict[str, Any]]]] = []
        updates: list[tuple[Ledger, list[LedgerEntryRecord]]] = []
        for ledger in LEDGERS:
            records, new = entries[ledger.name], self._new[ledger.name]
            rows = [_entry_row(ledger, records[n], tx) for n, tx in new.items()]
            inserts.append((ledger.entries, rows))
            new.clear()
            changed = self._changed[ledger.name]
            updates.append((ledger, [records[n] for n in sorted(changed)]))
            changed.clear()
        for ledger in LEDGERS:
            inserts.append((ledger.detailed, self._detailed[ledger.name]))
            self._detailed[ledger.name] = []
        inserts += [(GL, self._gl), (BALE, self._bank)]
        self._gl, self._bank = [], []
        return Part(inserts, updates)


@dataclass(frozen=True, slots=True)
class Part:
    inserts: list[tuple[sa.Table, list[dict[str, Any]]]]  # entries first: others refer to them
    updates: list[tuple[Ledger, list[LedgerEntryRecord]]]

    async def write(self, conn: AsyncConnection) -> None:
        """One COPY per table, then one UPDATE per ledger of the entries' cached fields."""
        for table, rows in self.inserts:
            await insert_many(conn, table, rows)
        for ledger, records in self.updates:
            await update_entries(conn, records, ledger)


def _entry_row(ledger: Ledger, record: LedgerEntryRecord, transaction_no: int) -> dict[str, Any]:
    """Every column of a new ledger entry."""
    row = {f: getattr(record, f) for f in ENTRY_FIELDS}
    row[ledger.party_col] = row.pop("customer_no")
    row[ledger.group_col] = row.pop("customer_posting_group")
    return {**row, "transaction_no": transaction_no}
