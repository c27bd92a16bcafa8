"""Posting the payment reconciliation journal: every accepted bank line becomes a journal line
(customer, vendor or G/L), all posted in one transaction through the cash receipt posting, so
payments, applications, bank and G/L entries appear together or not at all."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.errors import DomainError, ErrorCode
from domain.matching import Ledger
from domain.posting.journal import ApplyToInput, CashReceiptLine
from store.bank.records import (
    APPLIED,
    LineStatus,
    StatementLineRecord,
    StatementRecord,
    SuggestionRecord,
    line_date,
    require_statement,
    suggestions_by_line,
)
from store.idempotency import idempotent
from store.posting.cash_receipts import post_lines
from store.records import from_row
from store.tables import BANK_ACCOUNT_LEDGER_ENTRIES as BALE
from store.tables import BANK_STATEMENT_LINES as LINE
from store.uow import UnitOfWork, run_in_transaction


def document_no(statement: StatementRecord, line: StatementLineRecord) -> str:
    """Payments posted from a statement line are found again by this number."""
    return f"BS{statement.id}-{line.line_no}"


def _description(line: StatementLineRecord, applied: list[SuggestionRecord]) -> str:
    chosen = next((s.description for s in applied if s.description), "")
    text = chosen or line.counterparty_name or line.description or ""
    return text[:100]


def cash_receipt_line(
    statement: StatementRecord, line: StatementLineRecord, applied: list[SuggestionRecord]
) -> CashReceiptLine:
    """The journal line a bank line posts as (party amount = − bank amount: money in is a
    customer payment or a vendor refund, money out a vendor payment or a customer refund)."""
    common: dict[str, Any] = {
        "posting_date": line_date(line, statement),
        "document_no": document_no(statement, line),
        "amount": -line.amount,
        "bal_account_no": statement.bank_account_no,
        "currency_code": statement.currency_code,
        "description": _description(line, applied),
    }
    gl = [s for s in applied if s.gl_account_no is not None]
    if gl:
        return CashReceiptLine(**common, document_type="", gl_account_no=gl[0].gl_account_no)
    party = applied[0].party_no
    vendor = applied[0].ledger == Ledger.VENDOR.value
    money_in = line.amount > 0
    return CashReceiptLine(
        **common,
        document_type="PAYMENT" if money_in != vendor else "REFUND",
        customer_no=None if vendor else party,
        vendor_no=party if vendor else None,
        apply_to=tuple(
            ApplyToInput(entry_no=s.entry_no, amount_to_apply=s.amount)
            for s in applied
            if s.entry_no is not None
        ),
    )


def _relabel(exc: DomainError, lines: list[StatementLineRecord]) -> DomainError:
    """Name the statement line a posting error is about (the posting speaks of indexes)."""
    if exc.index is not None and exc.index < len(lines):
        line = lines[exc.index]
        return DomainError(
            exc.code, f"statement line {line.line_no}: {exc.message}", exc.field, index=line.id
        )
    return exc


async def post_payment_reconciliation(
    engine: AsyncEngine, statement_id: int, idempotency_key: str | None
) -> dict[str, Any]:
    """Post every ACCEPTED line of the statement; lines not accepted stay in the journal."""

    async def work(uow: UnitOfWork) -> dict[str, Any]:
        async def post() -> dict[str, Any]:
            conn = uow.conn
            statement = await require_statement(conn, statement_id, lock=True)
            rows = await conn.execute(
                sa.select(LINE)
                .where(
                    LINE.c.statement_id == statement.id, LINE.c.status == LineStatus.ACCEPTED.value
                )
                .order_by(LINE.c.line_no)
                .with_for_update()
            )
            lines = [from_row(StatementLineRecord, r) for r in rows]
            if not lines:
                raise DomainError(
                    ErrorCode.NOTHING_TO_APPLY,
                    f"statement {statement.statement_no} has no accepted line to post",
                    ["statementId"],
                )
            applied = await suggestions_by_line(conn, [x.id for x in lines], APPLIED)
            journal = [cash_receipt_line(statement, x, applied[x.id]) for x in lines]
            try:
                posted = await post_lines(conn, journal)
            except DomainError as exc:
                raise _relabel(exc, lines) from exc
            for result in posted:
                line = lines[result.index]
                await conn.execute(
                    sa.update(LINE)
                    .where(LINE.c.id == line.id)
                    .values(
                        status=LineStatus.POSTED.value,
                        document_no=journal[result.index].document_no,
                        transaction_no=result.transaction_no,
                        bank_entry_no=result.bank_entry_no,
                    )
                )
                if result.bank_entry_no is not None:
                    await conn.execute(
                        sa.update(BALE)
                        .where(BALE.c.entry_no == result.bank_entry_no)
                        .values(statement_line_id=line.id)
                    )
            return {
                "statementId": statement.id,
                "postedLineIds": [lines[p.index].id for p in posted],
                "entryNos": [p.entry_no for p in posted if p.entry_no is not None],
                "bankEntryNos": [p.bank_entry_no for p in posted if p.bank_entry_no is not None],
                "transactionNos": [p.transaction_no for p in posted],
            }

        return await idempotent(
            uow, "postPaymentReconciliation", idempotency_key, {"statementId": statement_id}, post
        )

    return await run_in_transaction(engine, work)
