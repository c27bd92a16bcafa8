"""Bank account reconciliation: the books agree with the bank when every statement line has
its bank ledger entry and the statement's closing balance equals the bank ledger balance at
the statement date. Lines posted from the journal are linked already; the others are matched
on amount, a date window and the document no., like BC's bank account reconciliation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import DomainError, ErrorCode
from store.bank.records import (
    StatementLineRecord,
    StatementRecord,
    line_date,
    lines_of,
    require_statement,
)
from store.records import from_row
from store.tables import BANK_ACCOUNT_LEDGER_ENTRIES as BALE
from store.tables import BANK_STATEMENTS as STATEMENT
from store.uow import UnitOfWork, run_in_transaction

DEFAULT_DATE_TOLERANCE_DAYS = 3


@dataclass(frozen=True, slots=True)
class BankEntryRecord:
    entry_no: int
    bank_account_no: str
    posting_date: date
    document_type: str
    document_no: str
    description: str
    currency_code: str
    amount: Decimal
    amount_lcy: Decimal
    open: bool
    statement_line_id: int | None
    transaction_no: int


@dataclass(frozen=True, slots=True)
class ReconciliationMatch:
    line: StatementLineRecord
    entry: BankEntryRecord
    rule: str


@dataclass(frozen=True, slots=True)
class Reconciliation:
    statement: StatementRecord
    matches: tuple[ReconciliationMatch, ...]
    unmatched_lines: tuple[StatementLineRecord, ...]
    unmatched_entries: tuple[BankEntryRecord, ...]
    ledger_balance: Decimal
    difference: Decimal | None
    reconciled: bool
    notes: tuple[str, ...]


def _mentions(text: str, document_no: str) -> bool:
    if not document_no:
        return False
    pattern = r"(?<![0-9A-Za-z])" + re.escape(document_no) + r"(?![0-9A-Za-z])"
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def _match_free(
    statement: StatementRecord,
    lines: list[StatementLineRecord],
    entries: list[BankEntryRecord],
    tolerance: int,
) -> list[ReconciliationMatch]:
    """Greedy, in line order: same amount, date within ± tolerance days; a document no. found
    in the line text wins, then the closest date, then the oldest entry."""
    taken: set[int] = set()
    out: list[ReconciliationMatch] = []
    for line in lines:
        when = line_date(line, statement)
        best: tuple[tuple[int, int, int], BankEntryRecord] | None = None
        for entry in entries:
            if entry.entry_no in taken or entry.amount != line.amount:
                continue
            gap = abs((entry.posting_date - when).days)
            if gap > tolerance:
                continue
            text = f"{line.description} {line.end_to_end_id or ''} {line.bank_reference or ''}"
            key = (0 if _mentions(text, entry.document_no) else 1, gap, entry.entry_no)
            if best is None or key < best[0]:
                best = (key, entry)
        if best is None:
            continue
        (by_document, gap, _), entry = best
        taken.add(entry.entry_no)
        what = "amount and document no." if by_document == 0 else "amount"
        out.append(
            ReconciliationMatch(
                line, entry, f"{what} match, {gap} day(s) apart (window ± {tolerance} days)"
            )
        )
    return out


async def bank_account_reconciliation(
    conn: AsyncConnection, statement_id: int, tolerance: int = DEFAULT_DATE_TOLERANCE_DAYS
) -> Reconciliation:
    """Match the statement's lines with the bank account's ledger entries."""
    if not 0 <= tolerance <= 366:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "the date tolerance is 0 to 366 days",
            ["dateToleranceDays"],
        )
    statement = await require_statement(conn, statement_id)
    lines = await lines_of(conn, statement.id)
    line_ids = [x.id for x in lines]
    query = sa.select(BALE).where(
        BALE.c.bank_account_no == statement.bank_account_no,
        sa.or_(
            BALE.c.statement_line_id.in_(line_ids),
            sa.and_(BALE.c.statement_line_id.is_(None), BALE.c.open),
        ),
    )
    if statement.statement_date is not None:
        query = query.where(
            sa.or_(
                BALE.c.statement_line_id.in_(line_ids),
                BALE.c.posting_date <= statement.statement_date + timedelta(days=tolerance),
            )
        )
    entries = [
        from_row(BankEntryRecord, r)
        for r in await conn.execute(query.order_by(BALE.c.posting_date, BALE.c.entry_no))
    ]
    by_line = {e.statement_line_id: e for e in entries if e.statement_line_id is not None}
    matches = [
        ReconciliationMatch(x, by_line[x.id], "posted from this statement line")
        for x in lines
        if x.id in by_line
    ]
    free_lines = [x for x in lines if x.id not in by_line]
    free_entries = [e for e in entries if e.statement_line_id is None]
    matches += _match_free(statement, free_lines, free_entries, tolerance)
    matched_lines = {m.line.id for m in matches}
    matched_entries = {m.entry.entry_no for m in matches}
    balance_query = sa.select(sa.func.coalesce(sa.func.sum(BALE.c.amount), 0)).where(
        BALE.c.bank_account_no == statement.bank_account_no
    )
    if statement.statement_date is not None:
        balance_query = balance_query.where(BALE.c.posting_date <= statement.statement_date)
    ledger_balance = Decimal((await conn.execute(balance_query)).scalar_one())
    closing = statement.closing_balance
    difference = None if closing is None else closing - ledger_balance
    unmatched_lines = tuple(x for x in lines if x.id not in matched_lines)
    notes: list[str] = []
    if unmatched_lines:
        notes.append(f"{len(unmatched_lines)} statement line(s) have no bank ledger entry")
    if closing is None:
        notes.append("the statement has no closing balance to compare")
    elif difference:
        notes.append(
            f"closing balance {closing} differs from the bank ledger balance {ledger_balance} "
            f"by {difference}"
        )
    return Reconciliation(
        statement=statement,
        matches=tuple(sorted(matches, key=lambda m: m.line.line_no)),
        unmatched_lines=unmatched_lines,
        unmatched_entries=tuple(e for e in entries if e.entry_no not in matched_entries),
        ledger_balance=ledger_balance,
        difference=difference,
        reconciled=not notes,
        notes=tuple(notes),
    )


async def mark_statement_reconciled(
    engine: AsyncEngine, statement_id: int, tolerance: int = DEFAULT_DATE_TOLERANCE_DAYS
) -> Reconciliation:
    """Close the matched bank ledger entries and stamp the statement reconciled (refused
    with the reasons while it does not reconcile)."""

    async def work(uow: UnitOfWork) -> Reconciliation:
        conn = uow.conn
        await require_statement(conn, statement_id, lock=True)
        result = await bank_account_reconciliation(conn, statement_id, tolerance)
        if not result.reconciled:
            raise DomainError(
                ErrorCode.LINE_NOT_APPLIED,
                "the statement does not reconcile: " + "; ".join(result.notes),
                ["statementId"],
            )
        for m in result.matches:
            await conn.execute(
                sa.update(BALE)
                .where(BALE.c.entry_no == m.entry.entry_no)
                .values(open=False, statement_line_id=m.line.id)
            )
        await conn.execute(
            sa.update(STATEMENT)
            .where(STATEMENT.c.id == statement_id)
            .values(reconciled_at=sa.func.now())
        )
        return await bank_account_reconciliation(conn, statement_id, tolerance)

    return await run_in_transaction(engine, work)
