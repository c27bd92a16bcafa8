"""What postings between posted entries load and lock before a planner runs: entries
(`FOR UPDATE` in entry-no. order), their detailed entries, the original transaction of a
reversal, the ledger's facts, and the numbers the plan takes, drawn from their sequences."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.company import CompanySetup
from domain.ledger import DetailedLedgerEntry, LedgerEntry
from domain.money import ExchangeRate
from domain.posting.numbers import APPLICATION, BANK_ENTRY, TRANSACTION, NumberPool
from domain.posting.posted_entries import LedgerFacts
from domain.posting.pricing import Currency
from domain.posting.rows import BankRow, GlRow
from store.parties.ledger_tables import CUSTOMER_LEDGER, LEDGERS, LedgerTables
from store.posting.writer import APPLICATION_NOS, TRANSACTION_NOS, allocate, any_of
from store.tables import BANK_ACCOUNT_LEDGER_ENTRIES as BALE
from store.tables import CURRENCIES as CURRENCY
from store.tables import EXCHANGE_RATES as RATE
from store.tables import GL_ENTRIES as GL


async def lock_entries(
    conn: AsyncConnection, entry_nos: Iterable[int], ledger: LedgerTables = CUSTOMER_LEDGER
) -> dict[int, LedgerEntry]:
    """SELECT … FOR UPDATE in entry-no. order, so concurrent postings never deadlock."""
    nos = sorted(set(entry_nos))
    if not nos:
        return {}
    t = ledger.entries
    rows = await conn.execute(
        sa.select(*ledger.columns)
        .where(any_of(t.c.entry_no, nos))
        .order_by(t.c.entry_no)
        .with_for_update()
    )
    return {r.entry_no: ledger.record(r) for r in rows}


async def lock_touched(
    conn: AsyncConnection, ledger: LedgerTables, application_nos: Iterable[int]
) -> dict[int, LedgerEntry]:
    """Lock every entry these applications have a detailed entry on (entry-no. order)."""
    apps = sorted(set(application_nos))
    if not apps:
        return {}
    t, dt = ledger.entries, ledger.detailed
    touched = sa.select(dt.c[ledger.entry_fk]).where(any_of(dt.c.application_no, apps))
    rows = await conn.execute(
        sa.select(*ledger.columns)
        .where(t.c.entry_no.in_(touched))
        .order_by(t.c.entry_no)
        .with_for_update()
    )
    return {r.entry_no: ledger.record(r) for r in rows}


async def lock_open_currency_entries(
    conn: AsyncConnection, ledger: LedgerTables, posted_by: date
) -> list[LedgerEntry]:
    """Lock the open foreign-currency entries posted by a day (what a revaluation reads)."""
    t = ledger.entries
    rows = await conn.execute(
        sa.select(*ledger.columns)
        .where(t.c.open, t.c.currency_code != "", t.c.posting_date <= posted_by)
        .order_by(t.c.entry_no)
        .with_for_update()
    )
    return [ledger.record(r) for r in rows]


async def lock_batch(
    conn: AsyncConnection,
    entry_nos: Iterable[int],
    open_of: Iterable[str] = (),
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> dict[int, LedgerEntry]:
    """One `FOR UPDATE` for a whole batch, in entry-no. order: the given entries and every
    open entry of the `open_of` parties (their apply-to-oldest candidates)."""
    nos, parties = sorted(set(entry_nos)), sorted(set(open_of))
    if not nos and not parties:
        return {}
    t = ledger.entries
    wanted: list[sa.ColumnElement[bool]] = []
    if nos:
        wanted.append(any_of(t.c.entry_no, nos))
    if parties:
        wanted.append(sa.and_(any_of(t.c[ledger.party_col], parties), t.c.open))
    rows = await conn.execute(
        sa.select(*ledger.columns).where(sa.or_(*wanted)).order_by(t.c.entry_no).with_for_update()
    )
    return {r.entry_no: ledger.record(r) for r in rows}


async def detailed_of(
    conn: AsyncConnection, ledger: LedgerTables, entry_nos: Iterable[int]
) -> list[DetailedLedgerEntry]:
    """Every posted detailed entry of these entries, in posting order."""
    nos = sorted(set(entry_nos))
    if not nos:
        return []
    dt = ledger.detailed
    rows = await conn.execute(
        sa.select(*(dt.c[c] for c in ledger.detailed_names))
        .where(any_of(dt.c[ledger.entry_fk], nos))
        .order_by(dt.c.entry_no)
    )
    return [DetailedLedgerEntry(*r) for r in rows]


async def transaction_rows(
    conn: AsyncConnection, ledger: LedgerTables, entry_no: int
) -> tuple[list[GlRow], list[BankRow]]:
    """The G/L and bank entries of the transaction that posted an entry, in posting order."""
    t = ledger.entries
    tx = sa.select(t.c.transaction_no).where(t.c.entry_no == entry_no).scalar_subquery()
    gl = await conn.execute(
        sa.select(*(GL.c[f] for f in GlRow.__dataclass_fields__))
        .where(GL.c.transaction_no == tx)
        .order_by(GL.c.entry_no)
    )
    bank = await conn.execute(
        sa.select(*(BALE.c[f] for f in BankRow.__dataclass_fields__))
        .where(BALE.c.transaction_no == tx)
        .order_by(BALE.c.entry_no)
    )
    return [GlRow(*r) for r in gl], [BankRow(*r) for r in bank]


async def receivables_accounts(
    conn: AsyncConnection, ledger: LedgerTables = CUSTOMER_LEDGER
) -> dict[str, str]:
    """Posting group -> receivables (customers) or payables (vendors) account."""
    rows = await conn.execute(sa.select(ledger.groups))
    return {r.code: r._mapping[ledger.group_account_col] for r in rows}


async def currencies(conn: AsyncConnection, with_rates: Iterable[str]) -> dict[str, Currency]:
    """Every currency (the engine rounds each by its own precision), with the exchange rates
    of those a posting may need."""
    codes = sorted({c for c in with_rates if c})
    rates: dict[str, list[ExchangeRate]] = {}
    if codes:
        rows = await conn.execute(sa.select(RATE).where(any_of(RATE.c.currency_code, codes)))
        for r in rows:
            rates.setdefault(r.currency_code, []).append(
                ExchangeRate(r.currency_code, r.starting_date, r.rate)
            )
    rows = await conn.execute(
        sa.select(
            CURRENCY.c.code,
            CURRENCY.c.amount_rounding_precision,
            CURRENCY.c.payment_tolerance_pct,
            CURRENCY.c.max_payment_tolerance_amount,
        )
    )
    return {r.code: Currency(r[0], r[1], r[2], r[3], tuple(rates.get(r.code, ()))) for r in rows}


async def ledger_facts(
    conn: AsyncConnection,
    ledger: LedgerTables,
    setup: CompanySetup,
    entries: Iterable[LedgerEntry] = (),
) -> LedgerFacts:
    """The facts of a posting on ``ledger`` between ``entries`` (their currencies' rates)."""
    return LedgerFacts(
        ledger.kind,
        setup,
        await receivables_accounts(conn, ledger),
        await currencies(conn, (e.currency_code for e in entries)),
    )


async def draw(conn: AsyncConnection, wanted: Mapping[str, int]) -> NumberPool:
    """The numbers a plan takes (per kind of `domain.posting.numbers`, or a ledger's entry
    numbers under its name), drawn from their sequences in one round trip."""
    sequences: dict[str, str | sa.Table] = {
        TRANSACTION: TRANSACTION_NOS,
        APPLICATION: APPLICATION_NOS,
        BANK_ENTRY: BALE,
        **{kind.value: ledger.entries for kind, ledger in LEDGERS.items()},
    }
    drawn = await allocate(conn, {sequences[k]: n for k, n in wanted.items()})
    return NumberPool({k: drawn[sequences[k]] for k in wanted})
