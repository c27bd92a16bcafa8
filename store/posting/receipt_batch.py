"""What a cash receipt batch loads and locks before its lines are planned (one transaction):
the parties, accounts, currencies and rates, every entry a line may apply to, and the numbers
the lines take. Every `WRITE_EVERY` lines what the lines planned so far write goes to the
database in the background while the next lines are planned; at the end, the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.company import CompanySetup
from domain.ledger import Ledger as LedgerKind
from domain.ledger import LedgerEntry
from domain.posting import cash_receipt as rules
from domain.posting.batch import Batch, DocumentKey
from domain.posting.cash_receipt import BankAccount, Party, ReceiptFacts
from domain.posting.journal import CashReceiptLine
from domain.posting.numbers import NumberPool
from domain.posting.pricing import application_setup
from store.parties.ledger_tables import LEDGERS, LedgerTables
from store.parties.master import CUSTOMER, VENDOR
from store.posting.applications import currencies, draw, lock_batch, receivables_accounts
from store.posting.writer import any_of, write
from store.tables import BANK_ACCOUNTS as BANK
from store.tables import GL_ACCOUNTS as GL_ACCOUNT

PARTIES = {party.kind: party for party in (CUSTOMER, VENDOR)}
# Lines planned between background writes: with two cores, the database writes one part while
# Python plans the next (chunk sizes compared in docs/benchmarks.md, "Cash receipts").
WRITE_EVERY = 125


class ReceiptBatch:
    """The facts, locked entries, numbers and pending rows of one batch (one transaction)."""

    def __init__(
        self, conn: AsyncConnection, facts: ReceiptFacts, state: Batch, numbers: NumberPool
    ) -> None:
        self.conn = conn
        self.facts = facts
        self.state = state
        self.numbers = numbers
        self._writing: asyncio.Future[None] | None = None

    @classmethod
    async def open(
        cls, conn: AsyncConnection, setup: CompanySetup, lines: Sequence[CashReceiptLine]
    ) -> ReceiptBatch:
        kinds = {x.ledger for x in lines if x.ledger is not None}
        parties = {
            kind: await _parties(conn, kind, {x.party_no for x in lines if x.ledger is kind})
            for kind in LedgerKind
        }
        accounts = {kind: await receivables_accounts(conn, LEDGERS[kind]) for kind in kinds}
        locked: dict[LedgerKind, dict[int, LedgerEntry]] = {}
        documents: dict[LedgerKind, dict[DocumentKey, int]] = {}
        for kind in kinds:
            ledger = LEDGERS[kind]
            documents[kind] = await _documents(conn, ledger, rules.document_keys(lines, kind))
            given = [a.entry_no for x in lines if x.ledger is kind for a in x.apply_to]
            oldest = rules.oldest_parties(lines, kind, parties[kind])
            locked[kind] = await lock_batch(
                conn, [*given, *documents[kind].values()], oldest, ledger
            )
        entries = [e for by_no in locked.values() for e in by_no.values()]
        needed = await currencies(conn, rules.currencies_needed(lines, parties, entries))
        facts = ReceiptFacts(
            setup=setup,
            application=application_setup(setup, needed.values()),
            parties=parties,
            party_accounts=accounts,
            banks=await _banks(conn, lines),
            gl_accounts=await _gl_accounts(conn, lines),
            currencies=needed,
        )
        numbers = await draw(conn, rules.numbers_needed(lines, parties))
        state = Batch({k: v.values() for k, v in locked.items()}, documents)
        return cls(conn, facts, state, numbers)

    @property
    def writing(self) -> bool:
        """Rows are still going in (the caller yields to the event loop between lines)."""
        return self._writing is not None and not self._writing.done()

    async def write_so_far(self) -> None:
        """Start writing the rows planned so far in the background, so that the database takes
        them in while the next lines are planned; the next write and the end wait for it (and
        raise its error)."""
        await self.settle()
        self._writing = asyncio.ensure_future(write(self.conn, self.state.take()))

    async def settle(self) -> None:
        """Wait for the rows being written: the connection runs one statement at a time."""
        if self._writing is not None:
            writing, self._writing = self._writing, None
            await writing

    async def write(self) -> None:
        """Write the rest, after the part being written."""
        await self.settle()
        await write(self.conn, self.state.take())


async def _parties(conn: AsyncConnection, kind: LedgerKind, nos: set[str]) -> dict[str, Party]:
    if not nos:
        return {}
    party = PARTIES[kind]
    table = party.table
    rows = await conn.execute(
        sa.select(
            table.c.no,
            table.c.currency_code,
            table.c.application_method,
            table.c[party.group_col],
        ).where(any_of(table.c.no, nos))
    )
    return {r.no: Party(r.no, r.currency_code, r.application_method, r[3]) for r in rows}


async def _documents(
    conn: AsyncConnection, ledger: LedgerTables, keys: set[DocumentKey]
) -> dict[DocumentKey, int]:
    """Entries named by applies-to doc. type/no. (the lowest entry no. of each)."""
    if not keys:
        return {}
    t = ledger.entries
    party = t.c[ledger.party_col]
    rows = await conn.execute(
        sa.select(t.c.entry_no, party, t.c.document_type, t.c.document_no)
        .where(sa.tuple_(party, t.c.document_type, t.c.document_no).in_(sorted(keys)))
        .order_by(t.c.entry_no.desc())
    )
    return {(r[1], r.document_type, r.document_no): r.entry_no for r in rows}


async def _banks(conn: AsyncConnection, lines: Iterable[CashReceiptLine]) -> dict[str, BankAccount]:
    nos = {x.bal_account_no for x in lines if x.bal_account_type == "BANK_ACCOUNT"}
    if not nos:
        return {}
    rows = await conn.execute(
        sa.select(BANK.c.no, BANK.c.gl_account_no, BANK.c.currency_code).where(
            any_of(BANK.c.no, nos)
        )
    )
    return {r.no: BankAccount(r.no, r.gl_account_no, r.currency_code) for r in rows}


async def _gl_accounts(conn: AsyncConnection, lines: Iterable[CashReceiptLine]) -> frozenset[str]:
    nos = {x.gl_account_no for x in lines if x.gl_account_no is not None}
    nos |= {x.bal_account_no for x in lines if x.bal_account_type == "GL_ACCOUNT"}
    if not nos:
        return frozenset()
    rows = await conn.execute(sa.select(GL_ACCOUNT.c.no).where(any_of(GL_ACCOUNT.c.no, nos)))
    return frozenset(r.no for r in rows)
