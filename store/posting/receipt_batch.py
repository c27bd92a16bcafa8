"""A batch of cash receipt lines in a small number of statements: parties, bank and G/L
accounts, posting groups and applies-to documents are read once, every entry the lines may
apply to is locked once in entry-no. order, and the numbers are drawn at once. The lines then
post in order against in-memory entry states (a later line sees what an earlier one left
open). Every `WRITE_EVERY` lines what the lines posted so far write (one COPY per table, one
UPDATE per ledger: `batch_rows`) goes to the database in the background while the next lines
are computed; at the end, the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.application import ApplicationResult, ApplicationSetup
from domain.errors import DomainError, ErrorCode
from domain.sales_posting import GlPostingLine
from store.parties.customers import CUSTOMER
from store.parties.vendors import VENDOR
from store.posting.applications import (
    application_setup,
    booked,
    detailed_rows,
    gl_lines,
    lock_batch,
    rates_on,
    receivables_accounts,
)
from store.posting.batch_rows import BatchRows
from store.posting.journals import CashReceiptLine
from store.posting.ledgers import CUSTOMERS, VENDORS, Ledger
from store.posting.sales import Pricing, pricing_for
from store.posting.writer import (
    APPLICATION_NOS,
    BALE,
    TRANSACTION_NOS,
    allocate,
    any_of,
    gl_rows,
)
from store.records import CompanySetupRecord, LedgerEntryRecord
from store.setup import BANK, GL_ACCOUNT

LEDGERS = (CUSTOMERS, VENDORS)
PARTY_TABLES = {CUSTOMERS.name: (CUSTOMER, "customer_posting_group")}
PARTY_TABLES[VENDORS.name] = (VENDOR, "vendor_posting_group")
# Lines posted between background writes: with two cores, the database writes one part while
# Python computes the next (chunk sizes compared in docs/benchmarks.md, "Cash receipts").
WRITE_EVERY = 125


@dataclass(frozen=True, slots=True)
class Party:
    no: str
    currency_code: str
    application_method: str
    posting_group: str


def ledger_of(line: CashReceiptLine) -> Ledger | None:
    if line.customer_no is not None:
        return CUSTOMERS
    return VENDORS if line.vendor_no is not None else None


def party_no(line: CashReceiptLine) -> str:
    no = line.customer_no if line.customer_no is not None else line.vendor_no
    assert no is not None
    return no


class ReceiptBatch:
    """Lookups, locked entry states, numbers and rows of one batch (one transaction)."""

    def __init__(self, conn: AsyncConnection, setup: CompanySetupRecord) -> None:
        self.conn = conn
        self.setup = setup
        self._parties: dict[str, dict[str, Party]] = {}
        self._banks: dict[str, tuple[str, str]] = {}
        self._gl_accounts: set[str] = set()
        self._groups: dict[str, dict[str, str]] = {}
        self._documents: dict[tuple[str, str, str, str], int] = {}
        self._pricing: dict[tuple[str, date], Pricing] = {}
        self._rates: dict[tuple[frozenset[str], date], dict[str, Decimal]] = {}
        self._appl_setup: ApplicationSetup | None = None
        self._numbers: dict[str | sa.Table, list[int]] = {}
        self._by_party: dict[str, dict[str, list[int]]] = {x.name: {} for x in LEDGERS}
        self.entries: dict[str, dict[int, LedgerEntryRecord]] = {x.name: {} for x in LEDGERS}
        self._new: dict[str, set[int]] = {x.name: set() for x in LEDGERS}
        self.rows = BatchRows()
        self._writing: asyncio.Future[None] | None = None

    @classmethod
    async def open(
        cls, conn: AsyncConnection, setup: CompanySetupRecord, lines: Sequence[CashReceiptLine]
    ) -> ReceiptBatch:
        batch = cls(conn, setup)
        await batch._load(lines)
        return batch

    async def _load(self, lines: Sequence[CashReceiptLine]) -> None:
        conn = self.conn
        party_lines = [(x, ledger) for x in lines if (ledger := ledger_of(x)) is not None]
        for ledger in LEDGERS:
            nos = {party_no(x) for x, led in party_lines if led is ledger}
            self._parties[ledger.name] = await _parties(conn, ledger, nos)
            if nos:
                self._groups[ledger.name] = await receivables_accounts(conn, ledger)
        banks = {x.bal_account_no for x in lines if x.bal_account_type == "BANK_ACCOUNT"}
        if banks:
            rows = await conn.execute(
                sa.select(BANK.c.no, BANK.c.gl_account_no, BANK.c.currency_code).where(
                    any_of(BANK.c.no, banks)
                )
            )
            self._banks = {r.no: (r.gl_account_no, r.currency_code) for r in rows}
        accounts = {x.gl_account_no for x in lines if x.gl_account_no is not None}
        accounts |= {x.bal_account_no for x in lines if x.bal_account_type == "GL_ACCOUNT"}
        if accounts:
            rows = await conn.execute(
                sa.select(GL_ACCOUNT.c.no).where(any_of(GL_ACCOUNT.c.no, accounts))
            )
            self._gl_accounts = {r.no for r in rows}
        may_apply = 0
        for ledger in LEDGERS:
            mine = [x for x, led in party_lines if led is ledger]
            documents = await self._load_documents(ledger, mine)
            oldest = [
                party_no(x)
                for x in mine
                if not x.apply_to
                and not x.applies_to_doc_no
                and (p := self._parties[ledger.name].get(party_no(x))) is not None
                and p.application_method == "APPLY_TO_OLDEST"
            ]
            given = [a.entry_no for x in mine for a in x.apply_to]
            locked = await lock_batch(conn, [*given, *documents], oldest, ledger)
            self.entries[ledger.name] = locked
            for r in locked.values():
                self._by_party[ledger.name].setdefault(r.customer_no, []).append(r.entry_no)
            may_apply += len(oldest) + sum(1 for x in mine if x.apply_to or x.applies_to_doc_no)
        numbers = await allocate(
            conn,
            {
                TRANSACTION_NOS: len(lines),
                APPLICATION_NOS: may_apply,
                CUSTOMERS.entries: sum(1 for _, led in party_lines if led is CUSTOMERS),
                VENDORS.entries: sum(1 for _, led in party_lines if led is VENDORS),
                BALE: len([x for x in lines if x.bal_account_type == "BANK_ACCOUNT"]),
            },
        )
        self._numbers = {k: v[::-1] for k, v in numbers.items()}

    async def _load_documents(self, ledger: Ledger, lines: Iterable[CashReceiptLine]) -> list[int]:
        """Entries named by applies-to doc. type/no. (the lowest entry no. of each)."""
        keys = {
            (party_no(x), x.applies_to_doc_type or "INVOICE", x.applies_to_doc_no)
            for x in lines
            if not x.apply_to and x.applies_to_doc_no
        }
        if not keys:
            return []
        t = ledger.entries
        party = t.c[ledger.party_col]
        rows = await self.conn.execute(
            sa.select(t.c.entry_no, party, t.c.document_type, t.c.document_no)
            .where(sa.tuple_(party, t.c.document_type, t.c.document_no).in_(sorted(keys)))
            .order_by(t.c.entry_no.desc())
        )
        for r in rows:
            key = (ledger.name, r[1], r.document_type, r.document_no)
            self._documents[key] = r.entry_no
        return [n for k, n in self._documents.items() if k[0] == ledger.name]

    # lookups, raising the user error a line gets
    def party(self, line: CashReceiptLine, where: list[str]) -> tuple[Ledger, Party]:
        ledger = ledger_of(line)
        assert ledger is not None
        no = party_no(line)
        found = self._parties[ledger.name].get(no)
        if found is None:
            if ledger is CUSTOMERS:
                raise DomainError(
                    ErrorCode.UNKNOWN_CUSTOMER,
                    f"customer {no!r} does not exist",
                    [*where, "customerNo"],
                )
            raise DomainError(
                ErrorCode.UNKNOWN_VENDOR, f"vendor {no!r} does not exist", [*where, "vendorNo"]
            )
        return ledger, found

    def require_gl_account(self, no: str, field: list[str]) -> None:
        if no not in self._gl_accounts:
            raise DomainError(
                ErrorCode.UNKNOWN_GL_ACCOUNT, f"G/L account {no!r} does not exist", field
            )

    def balancing(self, line: CashReceiptLine, where: list[str]) -> tuple[str, str | None, str]:
        """(G/L account, bank account no. or None, bank currency) of the balancing account."""
        if line.bal_account_type == "GL_ACCOUNT":
            self.require_gl_account(line.bal_account_no, [*where, "balAccountNo"])
            return line.bal_account_no, None, ""
        if line.bal_account_type != "BANK_ACCOUNT":
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "balAccountType is BANK_ACCOUNT or GL_ACCOUNT",
                [*where, "balAccountType"],
            )
        bank = self._banks.get(line.bal_account_no)
        if bank is None:
            raise DomainError(
                ErrorCode.UNKNOWN_BANK_ACCOUNT,
                f"bank account {line.bal_account_no!r} does not exist",
                [*where, "balAccountNo"],
            )
        return bank[0], line.bal_account_no, bank[1]

    def receivables(self, ledger: Ledger) -> dict[str, str]:
        return self._groups[ledger.name]

    async def pricing(self, currency: str, on: date, field: list[str]) -> Pricing:
        if (currency, on) not in self._pricing:
            await self.settle()
            self._pricing[(currency, on)] = await pricing_for(
                self.conn, currency, on, field, self.setup
            )
        return self._pricing[(currency, on)]

    async def appl_setup(self) -> ApplicationSetup:
        if self._appl_setup is None:
            await self.settle()
            self._appl_setup = await application_setup(self.conn, self.setup)
        return self._appl_setup

    async def rates(self, currencies: set[str], on: date) -> dict[str, Decimal]:
        key = (frozenset(currencies), on)
        if key not in self._rates:
            await self.settle()
            self._rates[key] = await rates_on(self.conn, currencies, on)
        return self._rates[key]

    def document(self, ledger: Ledger, party: str, doc_type: str, doc_no: str) -> int | None:
        """The entry an applies-to doc. names: a posted one, else one posted by this batch."""
        found = self._documents.get((ledger.name, party, doc_type, doc_no))
        if found is not None:
            return found
        return next(
            (
                n
                for n, r in self.entries[ledger.name].items()
                if n in self._new[ledger.name]
                and (r.customer_no, r.document_type, r.document_no) == (party, doc_type, doc_no)
            ),
            None,
        )

    def open_entries(self, ledger: Ledger, party: str) -> list[LedgerEntryRecord]:
        """The party's open entries as they stand now (apply-to-oldest candidates)."""
        records = self.entries[ledger.name]
        nos = self._by_party[ledger.name].get(party, [])
        return [records[n] for n in nos if records[n].open]

    # numbers and rows
    def number(self, of: str | sa.Table) -> int:
        return self._numbers[of].pop()

    def add_entry(self, ledger: Ledger, record: LedgerEntryRecord, transaction_no: int) -> None:
        """A new payment or refund (inserted in its state at the end of the batch)."""
        self.entries[ledger.name][record.entry_no] = record
        self._by_party[ledger.name].setdefault(record.customer_no, []).append(record.entry_no)
        self._new[ledger.name].add(record.entry_no)
        self.rows.entry(ledger, record.entry_no, transaction_no)

    def add_detailed(self, ledger: Ledger, rows: Iterable[dict[str, Any]]) -> None:
        self.rows.detailed(ledger, rows)

    def add_gl(self, lines: Sequence[GlPostingLine], **keys: Any) -> None:
        self.rows.gl(gl_rows(lines, **keys))

    def add_bank(self, row: dict[str, Any]) -> int:
        entry_no = self.number(BALE)
        self.rows.bank({"entry_no": entry_no, **row})
        return entry_no

    def add_result(
        self,
        ledger: Ledger,
        result: ApplicationResult,
        *,
        transaction_no: int,
        document_type: str,
        document_no: str,
        description: str,
        source_no: str,
    ) -> None:
        """Book an application: its detailed entries and G/L, and the entries' new states."""
        records = self.entries[ledger.name]
        self.add_detailed(
            ledger,
            detailed_rows(
                result,
                records,
                transaction_no=transaction_no,
                document_type=document_type,
                document_no=document_no,
                ledger=ledger,
            ),
        )
        if result.gl:
            self.add_gl(
                gl_lines(
                    result,
                    records,
                    setup=self.setup,
                    description=description,
                    receivables=self.receivables(ledger),
                ),
                posting_date=result.detailed[0].posting_date,
                document_type=document_type,
                document_no=document_no,
                transaction_no=transaction_no,
                source_type=ledger.name,
                source_no=source_no,
            )
        after = booked(result, records)
        records.update(after)
        self.rows.changed(ledger, after)

    @property
    def writing(self) -> bool:
        """Rows are still going in (the caller yields to the event loop between lines)."""
        return self._writing is not None and not self._writing.done()

    async def write_so_far(self) -> None:
        """Start inserting the rows posted so far in the background, so that the database
        takes them in while the next lines are computed; a read of the batch, the next write
        and the end wait for it (and raise its error)."""
        await self.settle()
        self._writing = asyncio.ensure_future(self.rows.take(self.entries).write(self.conn))

    async def settle(self) -> None:
        """Wait for the rows being written: the connection runs one statement at a time."""
        if self._writing is not None:
            writing, self._writing = self._writing, None
            await writing

    async def write(self) -> None:
        """Write the rest, after the part being written."""
        await self.settle()
        await self.rows.take(self.entries).write(self.conn)


async def _parties(conn: AsyncConnection, ledger: Ledger, nos: set[str]) -> dict[str, Party]:
    if not nos:
        return {}
    table, group = PARTY_TABLES[ledger.name]
    rows = await conn.execute(
        sa.select(
            table.c.no, table.c.currency_code, table.c.application_method, table.c[group]
        ).where(any_of(table.c.no, nos))
    )
    return {r.no: Party(r.no, r.currency_code, r.application_method, r[3]) for r in rows}
