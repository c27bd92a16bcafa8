"""Cash receipt journal posting: payments and refunds to customers (or G/L lines) against a
bank or G/L account, applied by the engine, all lines in one transaction or none."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.application import Note, NoteCode
from domain.errors import DomainError, ErrorCode
from domain.immutable import immutable
from domain.ledger import Ledger
from domain.posting.batch import LinePlan
from domain.posting.cash_receipt import plan_receipt_line
from domain.posting.journal import CashReceiptLine, check_line
from store.idempotency import idempotent
from store.posting import receipt_batch
from store.posting.receipt_batch import ReceiptBatch
from store.setup import load_setup
from store.uow import UnitOfWork, run_in_transaction


class PreviewRollback(Exception):
    """Raised inside the transaction to undo a preview after reading what it wrote."""

    def __init__(self, posted: list[PostedLine], preview: dict[str, Any]) -> None:
        super().__init__("preview")
        self.transaction_nos = [p.transaction_no for p in posted]
        self.notes = tuple(n for p in posted for n in p.notes)
        self.preview = preview


@immutable
class PostedLine:
    index: int
    entry_no: int | None  # on the line's ledger (customer or vendor); None for a G/L line
    bank_entry_no: int | None
    transaction_no: int
    notes: tuple[Note, ...] = ()
    vendor: bool = False

    @classmethod
    def of(cls, plan: LinePlan) -> PostedLine:
        return cls(
            plan.index,
            None if plan.entry is None else plan.entry.entry_no,
            plan.bank_entry_no,
            plan.transaction_no,
            plan.notes,
            vendor=plan.ledger is Ledger.VENDOR,
        )


async def post_lines(conn: AsyncConnection, lines: Sequence[CashReceiptLine]) -> list[PostedLine]:
    """Post every line inside the caller's transaction (raise DomainError on any bad line).

    The lines are planned in order against the batch's locked entries in memory; their rows
    go in every `WRITE_EVERY` lines while the next are planned (a bad line raises before the
    transaction commits, so nothing of the batch stays)."""
    if not lines:
        raise DomainError(ErrorCode.INVALID_INPUT, "give at least one line", ["lines"])
    setup = await load_setup(conn)
    batch = await ReceiptBatch.open(conn, setup, lines)
    facts, state, numbers = batch.facts, batch.state, batch.numbers
    posted = []
    every = receipt_batch.WRITE_EVERY
    try:
        for i, line in enumerate(lines):
            check_line(line, i, setup)
            plan = plan_receipt_line(line, i, facts, state, numbers)
            state.record(plan)
            posted.append(PostedLine.of(plan))
            if (i + 1) % every == 0 and len(lines) - i > every // 2:
                await batch.write_so_far()
            elif batch.writing:
                await asyncio.sleep(0)  # the rows being written go on to the database
    except BaseException:
        with contextlib.suppress(Exception):  # the line's own error is the one to report
            await batch.settle()
        raise
    await batch.write()
    return posted


def _note_json(note: Note) -> dict[str, Any]:
    return {
        "code": note.code.value,
        "message": note.message,
        "entryNo": note.entry_no,
        "amount": None if note.amount is None else str(note.amount),
        "currencyCode": note.currency_code,
    }


def _note_of(data: dict[str, Any]) -> Note:
    return Note(
        NoteCode(data["code"]),
        data["message"],
        data["entryNo"],
        None if data["amount"] is None else Decimal(data["amount"]),
        data["currencyCode"],
    )


@dataclass(frozen=True, slots=True)
class CashReceiptOutcome:
    entry_nos: list[int]  # customer ledger entries
    transaction_nos: list[int]
    replayed: bool = False
    preview: dict[str, Any] | None = None
    notes: tuple[Note, ...] = ()
    vendor_entry_nos: list[int] = field(default_factory=list)

    @classmethod
    def posted(cls, posted: Sequence[PostedLine]) -> CashReceiptOutcome:
        return cls(
            [p.entry_no for p in posted if p.entry_no is not None and not p.vendor],
            [p.transaction_no for p in posted],
            notes=tuple(n for p in posted for n in p.notes),
            vendor_entry_nos=[p.entry_no for p in posted if p.entry_no is not None and p.vendor],
        )

    def stored(self) -> dict[str, Any]:
        """What an idempotent replay returns: the JSON form of the outcome."""
        return {
            "entryNos": self.entry_nos,
            "vendorEntryNos": self.vendor_entry_nos,
            "transactionNos": self.transaction_nos,
            "notes": [_note_json(n) for n in self.notes],
        }

    @classmethod
    def of(cls, response: dict[str, Any]) -> CashReceiptOutcome:
        return cls(
            [int(n) for n in response["entryNos"]],
            [int(n) for n in response["transactionNos"]],
            bool(response.get("replayed", False)),
            notes=tuple(_note_of(n) for n in response.get("notes", [])),
            vendor_entry_nos=[int(n) for n in response.get("vendorEntryNos", [])],
        )


async def post_cash_receipt_lines(
    engine: AsyncEngine,
    lines: Sequence[CashReceiptLine],
    *,
    preview: bool = False,
    idempotency_key: str | None = None,
) -> CashReceiptOutcome:
    """Post all lines in one transaction; with preview, post, read back, and roll back."""
    from store.posting.preview import read_transactions

    async def work(uow: UnitOfWork) -> CashReceiptOutcome:
        if preview:
            posted = await post_lines(uow.conn, lines)
            txs = [p.transaction_no for p in posted]
            raise PreviewRollback(posted, await read_transactions(uow.conn, txs))

        if idempotency_key is None:  # no replay to store: skip the JSON form
            return CashReceiptOutcome.posted(await post_lines(uow.conn, lines))

        async def once() -> dict[str, Any]:
            return CashReceiptOutcome.posted(await post_lines(uow.conn, lines)).stored()

        payload = [asdict(x) for x in lines]
        response = await idempotent(uow, "postCashReceiptLines", idempotency_key, payload, once)
        return CashReceiptOutcome.of(response)

    try:
        return await run_in_transaction(engine, work)
    except PreviewRollback as rollback:
        return CashReceiptOutcome(
            [], rollback.transaction_nos, preview=rollback.preview, notes=rollback.notes
        )


async def post_draft(
    engine: AsyncEngine,
    journal_name: str,
    *,
    preview: bool = False,
    idempotency_key: str | None = None,
) -> CashReceiptOutcome:
    """Post every line of a saved journal in one transaction, then empty the journal."""
    from store.posting.journals import clear_draft, load_draft
    from store.posting.preview import read_transactions

    async def work(uow: UnitOfWork) -> CashReceiptOutcome:
        async def once() -> dict[str, Any]:
            draft = await load_draft(uow.conn, journal_name)
            if draft is None or not draft.lines:
                raise DomainError(
                    ErrorCode.NOT_FOUND,
                    f"journal {journal_name!r} has no lines to post",
                    ["journalName"],
                )
            posted = await post_lines(uow.conn, [d.line for d in draft.lines])
            if preview:
                txs = [p.transaction_no for p in posted]
                raise PreviewRollback(posted, await read_transactions(uow.conn, txs))
            await clear_draft(uow.conn, journal_name, [d.id for d in draft.lines])
            return CashReceiptOutcome.posted(posted).stored()

        key = None if preview else idempotency_key
        response = await idempotent(
            uow, "postCashReceiptJournal", key, {"journal": journal_name}, once
        )
        return CashReceiptOutcome.of(response)

    try:
        return await run_in_transaction(engine, work)
    except PreviewRollback as rollback:
        return CashReceiptOutcome(
            [], rollback.transaction_nos, preview=rollback.preview, notes=rollback.notes
        )
