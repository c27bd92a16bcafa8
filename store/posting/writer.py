"""Inserts of posted rows, shared by every kind of posting (one statement per table), and the
numbers a batch needs (entry and transaction numbers), drawn from their sequences at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from operator import attrgetter
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.posting.booking import CACHED_FIELDS, ENTRY_FIELDS
from domain.posting.rows import PostingPlan
from domain.sales_posting import GlPostingLine
from store.parties.ledger_tables import LEDGERS, LedgerTables
from store.tables import BANK_ACCOUNT_LEDGER_ENTRIES as BALE
from store.tables import CUSTOMER_LEDGER_ENTRIES as CLE
from store.tables import DETAILED_CUSTOMER_LEDGER_ENTRIES as DCLE
from store.tables import GL_ENTRIES as GL

_PG = postgresql.dialect()  # type: ignore[no-untyped-call]
TRANSACTION_NOS = "transaction_no_seq"
APPLICATION_NOS = "application_no_seq"


async def next_transaction_no(conn: AsyncConnection) -> int:
    return int((await conn.execute(sa.text("SELECT nextval('transaction_no_seq')"))).scalar_one())


async def allocate(
    conn: AsyncConnection, counts: Mapping[str | sa.Table, int]
) -> dict[str | sa.Table, list[int]]:
    """`n` numbers from each sequence (a sequence name, or a table: its serial entry no.), in
    one round trip and increasing, so rows inserted with them keep the posting order."""
    wanted = [(k, n) for k, n in counts.items() if n > 0]
    out: dict[str | sa.Table, list[int]] = {k: [] for k in counts}
    if not wanted:
        return out
    parts: list[str] = []
    params: dict[str, object] = {}
    for i, (key, n) in enumerate(wanted):
        seq = f"{key.name}_entry_no_seq" if isinstance(key, sa.Table) else key
        parts.append(
            f"ARRAY(SELECT nextval(CAST(:s{i} AS regclass)) FROM generate_series(1, :n{i}))"
        )
        params[f"s{i}"], params[f"n{i}"] = seq, n
    row = (await conn.execute(sa.text("SELECT " + ", ".join(parts)), params)).one()
    for i, (key, _) in enumerate(wanted):
        out[key] = sorted(int(x) for x in row[i])
    return out


async def insert_rows(
    conn: AsyncConnection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> None:
    """One executemany for rows that all name the same columns."""
    if rows:
        await conn.execute(sa.insert(table), list(rows))


def any_of(column: sa.ColumnElement[Any], values: Iterable[Any]) -> sa.ColumnElement[bool]:
    """`column = ANY($1)`: one array parameter, so the statement is the same for any count
    (prepared once, planned once) where `IN (…)` would name one parameter per value."""
    array = sa.bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
    return column == sa.func.any(array)


async def _driver(conn: AsyncConnection) -> asyncpg.Connection:
    """asyncpg's connection under SQLAlchemy's. The transaction must already have run a
    statement: SQLAlchemy begins it lazily, and what goes to the driver directly does not."""
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    return driver


async def insert_many(
    conn: AsyncConnection,
    table: sa.Table,
    rows: Sequence[tuple[Any, ...]],
    columns: Sequence[str],
) -> None:
    """COPY the rows (tuples of ``columns``) in, in order (serial numbers follow it); on the
    driver: see `_driver`."""
    if not rows:
        return
    driver = await _driver(conn)
    try:
        await driver.copy_records_to_table(table.name, columns=list(columns), records=rows)
    except asyncpg.PostgresError as exc:  # raised as SQLAlchemy would, so retries see it
        raise DBAPIError(f"COPY {table.name}", None, exc) from exc


@cache
def _update_sql(table: sa.Table, cols: tuple[str, ...], key: str) -> str:
    """`UPDATE … FROM unnest($1::type[], …)`: one typed array per column, so a batch is one
    statement whatever its size (prepared once per connection)."""
    arrays = ", ".join(
        f"${i}::{table.c[c].type.compile(dialect=_PG)}[]" for i, c in enumerate(cols, 1)
    )
    names = ", ".join(f'"{c}"' for c in cols)
    sets = ", ".join(f'"{c}" = v."{c}"' for c in cols if c != key)
    keys = f"${cols.index(key) + 1}"
    # the ANY() lets the planner fetch the rows by index instead of hashing the whole table
    return (
        f'UPDATE "{table.name}" AS t SET {sets} FROM unnest({arrays}) AS v({names}) '
        f'WHERE t."{key}" = ANY({keys}) AND t."{key}" = v."{key}"'
    )


async def update_rows(
    conn: AsyncConnection, table: sa.Table, columns: Mapping[str, list[Any]], key: str = "entry_no"
) -> None:
    """Set each row's columns, matched on `key`, in one statement: `columns` holds one list
    of values per column, the key's among them, all in the same row order (on the driver:
    see `_driver`)."""
    if not columns[key]:
        return
    driver = await _driver(conn)
    sql = _update_sql(table, tuple(columns), key)
    try:
        await driver.execute(sql, *columns.values())
    except asyncpg.PostgresError as exc:  # raised as SQLAlchemy would, so retries see it
        raise DBAPIError(f"UPDATE {table.name}", None, exc) from exc


async def insert_cle(conn: AsyncConnection, values: dict[str, Any]) -> int:
    row = (await conn.execute(sa.insert(CLE).values(**values).returning(CLE.c.entry_no))).one()
    return int(row.entry_no)


async def insert_dcles(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    await insert_rows(conn, DCLE, rows)


def gl_rows(
    lines: Sequence[GlPostingLine],
    *,
    posting_date: date,
    document_type: str,
    document_no: str,
    transaction_no: int,
    source_type: str,
    source_no: str,
) -> list[dict[str, Any]]:
    """The G/L rows of one balanced transaction (zero lines dropped); refuse an unbalanced one."""
    if sum(line.amount_lcy for line in lines) != 0:
        raise AssertionError(f"unbalanced G/L for {document_no}: {lines}")
    return [
        {
            "gl_account_no": line.account_no,
            "posting_date": posting_date,
            "document_type": document_type,
            "document_no": document_no,
            "description": line.description,
            "amount": line.amount_lcy,
            "source_type": source_type,
            "source_no": source_no,
            "transaction_no": transaction_no,
        }
        for line in lines
        if line.amount_lcy != 0
    ]


async def insert_gl(
    conn: AsyncConnection,
    lines: Sequence[GlPostingLine],
    *,
    posting_date: date,
    document_type: str,
    document_no: str,
    transaction_no: int,
    source_type: str,
    source_no: str,
) -> None:
    rows = gl_rows(
        lines,
        posting_date=posting_date,
        document_type=document_type,
        document_no=document_no,
        transaction_no=transaction_no,
        source_type=source_type,
        source_no=source_no,
    )
    await insert_rows(conn, GL, rows)


# -- the one writer of posted rows -----------------------------------------------------------

_ENTRY_VALUES = attrgetter(*ENTRY_FIELDS)
_DETAILED_FIELDS = (
    "ledger_entry_no",
    "party_no",
    "entry_type",
    "posting_date",
    "document_type",
    "document_no",
    "currency_code",
    "amount",
    "amount_lcy",
    "applied_entry_no",
    "application_no",
    "pmt_disc_possible_delta",
    "unapplied",
    "unapplies_application_no",
    "transaction_no",
)
_DETAILED_VALUES = attrgetter(*_DETAILED_FIELDS)
_GL_COLUMNS = (
    "gl_account_no",
    "posting_date",
    "document_type",
    "document_no",
    "description",
    "amount",
    "source_type",
    "source_no",
    "transaction_no",
)
_GL_VALUES = attrgetter(*_GL_COLUMNS)
_BANK_COLUMNS = (
    "entry_no",
    "bank_account_no",
    "posting_date",
    "document_type",
    "document_no",
    "description",
    "currency_code",
    "amount",
    "amount_lcy",
    "open",
    "transaction_no",
)
_BANK_VALUES = attrgetter(*_BANK_COLUMNS)
# what a posting may change on a posted entry (the append-only guard allows these)
_UPDATED = (*CACHED_FIELDS, "reversed")
_UPDATED_VALUES = attrgetter("entry_no", *_UPDATED)


def _entry_columns(ledger: LedgerTables) -> list[str]:
    names = {"party_no": ledger.party_col, "posting_group": ledger.group_col}
    return [names.get(f, f) for f in ENTRY_FIELDS] + ["transaction_no"]


def _detailed_columns(ledger: LedgerTables) -> list[str]:
    names = {
        "ledger_entry_no": ledger.entry_fk,
        "party_no": ledger.party_col,
        "applied_entry_no": ledger.applied_col,
    }
    return [names.get(f, f) for f in _DETAILED_FIELDS]


async def write(conn: AsyncConnection, plan: PostingPlan) -> None:
    """Write a posting's rows: one COPY per table (ledger entries first, the rows that refer
    to them after), then one UPDATE per ledger of the posted entries it changed."""
    await _begun(conn)
    for kind, ledger in LEDGERS.items():
        rows = [
            (*_ENTRY_VALUES(n.entry), n.transaction_no)
            for n in plan.new_entries
            if n.ledger is kind
        ]
        await insert_many(conn, ledger.entries, rows, _entry_columns(ledger))
    for kind, ledger in LEDGERS.items():
        rows = [_DETAILED_VALUES(d) for d in plan.detailed if d.ledger is kind]
        await insert_many(conn, ledger.detailed, rows, _detailed_columns(ledger))
    await insert_many(conn, GL, [_GL_VALUES(g) for g in plan.gl], _GL_COLUMNS)
    await insert_many(conn, BALE, [_BANK_VALUES(b) for b in plan.bank], _BANK_COLUMNS)
    for kind, ledger in LEDGERS.items():
        changed = [_UPDATED_VALUES(e) for k, e in plan.changed if k is kind]
        if changed:
            columns = dict(
                zip(("entry_no", *_UPDATED), map(list, zip(*changed, strict=True)), strict=True)
            )
            await update_rows(conn, ledger.entries, columns)
        undone = sorted({no for k, no in plan.unapplied if k is kind})
        if undone:
            dt = ledger.detailed
            await conn.execute(
                sa.update(dt)
                .where(any_of(dt.c.application_no, undone), dt.c.unapplies_application_no.is_(None))
                .values(unapplied=True)
            )


async def _begun(conn: AsyncConnection) -> None:
    """COPY and the UPDATE go to the driver directly, which must already be inside the
    transaction (SQLAlchemy begins it lazily, at the first statement)."""
    driver = await _driver(conn)
    if not driver.is_in_transaction():
        await conn.execute(sa.text("SELECT 1"))
