"""The rows a cash receipt batch has posted in memory, taken a part at a time and inserted with
one COPY per table, and at the end one UPDATE per ledger. A new entry goes in in its state
when taken, so only entries posted before (by an earlier part or an earlier batch) and changed
since get the UPDATE."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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

    def take(
        self, entries: Mapping[str, Mapping[int, LedgerEntryRecord]]
    ) -> list[tuple[sa.Table, list[dict[str, Any]]]]:
        """The rows to insert so far, in the order they go in (entries first: detailed entries
        refer to them), new entries in their state now; an entry taken here and changed later
        gets the UPDATE of `update`."""
        out: list[tuple[sa.Table, list[dict[str, Any]]]] = []
        for ledger in LEDGERS:
            records, new = entries[ledger.name], self._new[ledger.name]
            out.append(
                (ledger.entries, [_entry_row(ledger, records[n], tx) for n, tx in new.items()])
            )
            new.clear()
        for ledger in LEDGERS:
            out.append((ledger.detailed, self._detailed[ledger.name]))
            self._detailed[ledger.name] = []
        out += [(GL, self._gl), (BALE, self._bank)]
        self._gl, self._bank = [], []
        return out

    async def update(
        self, conn: AsyncConnection, entries: Mapping[str, Mapping[int, LedgerEntryRecord]]
    ) -> None:
        """The cached fields of every posted entry the batch changed, one UPDATE per ledger."""
        for ledger in LEDGERS:
            records = entries[ledger.name]
            changed = [records[n] for n in sorted(self._changed[ledger.name])]
            await update_entries(conn, changed, ledger)


async def insert_all(
    conn: AsyncConnection, rows: list[tuple[sa.Table, list[dict[str, Any]]]]
) -> None:
    for table, table_rows in rows:
        await insert_many(conn, table, table_rows)


def _entry_row(ledger: Ledger, record: LedgerEntryRecord, transaction_no: int) -> dict[str, Any]:
    """Every column of a new ledger entry."""
    row = {f: getattr(record, f) for f in ENTRY_FIELDS}
    row[ledger.party_col] = row.pop("customer_no")
    row[ledger.group_col] = row.pop("customer_posting_group")
    return {**row, "transaction_no": transaction_no}
