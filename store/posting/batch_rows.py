"""The rows a cash receipt batch has posted in memory, written at the end with one COPY per
table and one UPDATE per ledger. New entries are inserted in their final state, so only the
entries that were already posted get an UPDATE. (Writing chunks in the background while the
next lines were computed was measured slower on the 2-core machine: docs/benchmarks.md.)"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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
        """A new entry, inserted in its state at the end of the batch."""
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

    async def write(
        self, conn: AsyncConnection, entries: Mapping[str, Mapping[int, LedgerEntryRecord]]
    ) -> None:
        """Entries first (detailed entries refer to them), then the rest, then the updates."""
        for ledger in LEDGERS:
            records = entries[ledger.name]
            rows = [_entry_row(ledger, records[n], tx) for n, tx in self._new[ledger.name].items()]
            await insert_many(conn, ledger.entries, rows)
        for ledger in LEDGERS:
            await insert_many(conn, ledger.detailed, self._detailed[ledger.name])
        await insert_many(conn, GL, self._gl)
        await insert_many(conn, BALE, self._bank)
        for ledger in LEDGERS:
            records = entries[ledger.name]
            changed = [records[n] for n in sorted(self._changed[ledger.name])]
            await update_entries(conn, changed, ledger)


def _entry_row(ledger: Ledger, record: LedgerEntryRecord, transaction_no: int) -> dict[str, Any]:
    """Every column of a new ledger entry."""
    row = {f: getattr(record, f) for f in ENTRY_FIELDS}
    row[ledger.party_col] = row.pop("customer_no")
    row[ledger.group_col] = row.pop("customer_posting_group")
    return {**row, "transaction_no": transaction_no}
