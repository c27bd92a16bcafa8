"""Read models of the payment reconciliation journal, loaded per statement in a few queries.

A statement page shows every line with its suggestions and the entries they point at; loading
them statement-wide (never per line) keeps the journal fast on statements of thousands of lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError, ErrorCode
from store.records import from_row
from store.tables import BANK_STATEMENT_LINES as LINE
from store.tables import BANK_STATEMENTS as STATEMENT
from store.tables import BANK_SUGGESTIONS as SUGGESTION


class LineStatus(StrEnum):
    """OPEN: nothing found; SUGGESTED: proposals wait; ACCEPTED: ready to post; POSTED."""

    OPEN = "OPEN"
    SUGGESTED = "SUGGESTED"
    ACCEPTED = "ACCEPTED"
    POSTED = "POSTED"


class SuggestionStatus(StrEnum):
    """PROPOSED by the matcher, ACCEPTED or REJECTED by a user, or MANUAL (entered by one)."""

    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    MANUAL = "MANUAL"


APPLIED = (SuggestionStatus.ACCEPTED.value, SuggestionStatus.MANUAL.value)


@dataclass(frozen=True, slots=True)
class StatementRecord:
    id: int
    bank_account_no: str
    statement_no: str
    account_iban: str | None
    currency_code: str
    statement_date: date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    format: str
    file_sha256: str
    file_position: int
    balance_warning: str | None
    opening_warning: str | None
    imported_at: datetime
    reconciled_at: datetime | None


@dataclass(frozen=True, slots=True)
class StatementLineRecord:
    id: int
    statement_id: int
    line_no: int
    booking_date: date | None
    value_date: date | None
    amount: Decimal
    currency_code: str
    description: str
    counterparty_name: str | None
    counterparty_iban: str | None
    end_to_end_id: str | None
    bank_reference: str | None
    transaction_code: str | None
    status: str
    document_no: str | None
    transaction_no: int | None
    bank_entry_no: int | None


@dataclass(frozen=True, slots=True)
class SuggestionRecord:
    id: int
    line_id: int
    ledger: str
    entry_no: int | None
    party_no: str | None
    gl_account_no: str | None
    description: str
    amount: Decimal
    score: int
    confidence: str
    rule: str
    matched_fields: tuple[str, ...]
    notes: tuple[str, ...]
    status: str


def line_date(line: StatementLineRecord, statement: StatementRecord) -> date:
    """The date a line is matched and posted at: booking date, else value date, else the
    statement's date."""
    found = line.booking_date or line.value_date or statement.statement_date
    if found is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"statement line {line.line_no} has no booking, value or statement date",
            ["lineId"],
        )
    return found


def _suggestion(row: sa.Row[object]) -> SuggestionRecord:
    m = row._mapping
    return SuggestionRecord(
        **{k: m[k] for k in SuggestionRecord.__slots__ if k not in ("matched_fields", "notes")},
        matched_fields=tuple(m["matched_fields"]),
        notes=tuple(m["notes"]),
    )


async def get_statement(conn: AsyncConnection, statement_id: int) -> StatementRecord | None:
    row = (
        await conn.execute(sa.select(STATEMENT).where(STATEMENT.c.id == statement_id))
    ).one_or_none()
    return None if row is None else from_row(StatementRecord, row)


async def _row_by_id(
    conn: AsyncConnection, table: sa.Table, row_id: int, lock: bool, missing: DomainError
) -> sa.Row[Any]:
    """The row with this id (locked FOR UPDATE when asked), else ``missing`` is raised."""
    query = sa.select(table).where(table.c.id == row_id)
    if lock:
        query = query.with_for_update()
    row = (await conn.execute(query)).one_or_none()
    if row is None:
        raise missing
    return row


async def require_statement(
    conn: AsyncConnection, statement_id: int, *, lock: bool = False
) -> StatementRecord:
    missing = DomainError(
        ErrorCode.UNKNOWN_STATEMENT,
        f"bank statement {statement_id} does not exist",
        ["statementId"],
    )
    row = await _row_by_id(conn, STATEMENT, statement_id, lock, missing)
    return from_row(StatementRecord, row)


async def list_statements(
    conn: AsyncConnection, bank_account_no: str | None, limit: int, before_id: int | None
) -> list[StatementRecord]:
    """Newest import first."""
    query = sa.select(STATEMENT).order_by(STATEMENT.c.id.desc()).limit(limit)
    if bank_account_no is not None:
        query = query.where(STATEMENT.c.bank_account_no == bank_account_no)
    if before_id is not None:
        query = query.where(STATEMENT.c.id < before_id)
    return [from_row(StatementRecord, r) for r in await conn.execute(query)]


async def statements_by_id(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, StatementRecord]:
    rows = await conn.execute(sa.select(STATEMENT).where(STATEMENT.c.id.in_(ids)))
    return {r.id: from_row(StatementRecord, r) for r in rows}


async def lines_of(conn: AsyncConnection, statement_id: int) -> list[StatementLineRecord]:
    rows = await conn.execute(
        sa.select(LINE).where(LINE.c.statement_id == statement_id).order_by(LINE.c.line_no)
    )
    return [from_row(StatementLineRecord, r) for r in rows]


async def lines_by_statement(
    conn: AsyncConnection, statement_ids: Sequence[int]
) -> dict[int, list[StatementLineRecord]]:
    rows = await conn.execute(
        sa.select(LINE)
        .where(LINE.c.statement_id.in_(statement_ids))
        .order_by(LINE.c.statement_id, LINE.c.line_no)
    )
    out: dict[int, list[StatementLineRecord]] = {i: [] for i in statement_ids}
    for r in rows:
        out[r.statement_id].append(from_row(StatementLineRecord, r))
    return out


async def require_line(
    conn: AsyncConnection, line_id: int, *, lock: bool = False
) -> StatementLineRecord:
    missing = DomainError(
        ErrorCode.NOT_FOUND, f"bank statement line {line_id} does not exist", ["lineId"]
    )
    return from_row(StatementLineRecord, await _row_by_id(conn, LINE, line_id, lock, missing))


async def suggestions_by_line(
    conn: AsyncConnection, line_ids: Sequence[int], statuses: Sequence[str] | None = None
) -> dict[int, list[SuggestionRecord]]:
    """Suggestions of the lines, best first (score, then the order the matcher gave them)."""
    query = (
        sa.select(SUGGESTION)
        .where(SUGGESTION.c.line_id.in_(line_ids))
        .order_by(SUGGESTION.c.line_id, SUGGESTION.c.score.desc(), SUGGESTION.c.id)
    )
    if statuses is not None:
        query = query.where(SUGGESTION.c.status.in_(statuses))
    out: dict[int, list[SuggestionRecord]] = {}
    for r in await conn.execute(query):
        out.setdefault(r.line_id, []).append(_suggestion(r))
    return out


async def require_suggestion(
    conn: AsyncConnection, suggestion_id: int, *, lock: bool = False
) -> SuggestionRecord:
    missing = DomainError(
        ErrorCode.NOT_FOUND,
        f"suggestion {suggestion_id} does not exist",
        ["suggestionId"],
    )
    return _suggestion(await _row_by_id(conn, SUGGESTION, suggestion_id, lock, missing))


async def lines_by_id(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, StatementLineRecord]:
    rows = await conn.execute(sa.select(LINE).where(LINE.c.id.in_(ids)))
    return {r.id: from_row(StatementLineRecord, r) for r in rows}
