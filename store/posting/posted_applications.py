"""Apply, unapply and reverse between posted entries, and revalue open currency entries, for
customers and vendors alike: each loads and locks what its domain planner reads, draws the
numbers, plans and writes the plan with the one writer, in one unit of work (idempotent
with a key)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.posting import revaluation, reversal
from domain.posting.apply_entries import ApplyRequest, plan_apply
from domain.posting.journal import ApplyToInput
from domain.posting.numbers import APPLICATION, TRANSACTION
from domain.posting.revaluation import plan_revaluation
from domain.posting.reversal import ReversalFacts, plan_reversal
from domain.posting.unapply_entries import (
    application_to_undo,
    plan_unapply,
    standing_applications,
)
from store.idempotency import idempotent
from store.parties.ledger_tables import CUSTOMER_LEDGER, LEDGERS, LedgerTables
from store.posting.applications import (
    detailed_of,
    draw,
    ledger_facts,
    lock_entries,
    lock_open_currency_entries,
    lock_touched,
    transaction_rows,
)
from store.posting.writer import write
from store.setup import load_setup
from store.uow import UnitOfWork, run_in_transaction

ApplyToEntry = ApplyToInput  # the name store/collections/reminders.py imports


async def apply_posted(
    conn: AsyncConnection,
    entry_no: int,
    apply_to: Sequence[ApplyToInput],
    posting_date: date,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> int:
    """Apply entry ``entry_no`` to ``apply_to`` inside the caller's transaction; returns the
    application no."""
    request = ApplyRequest(entry_no, tuple(apply_to), posting_date)
    entries = await lock_entries(conn, request.entry_nos, ledger)
    facts = await ledger_facts(conn, ledger, await load_setup(conn), entries.values())
    numbers = await draw(conn, {APPLICATION: 1, TRANSACTION: 1})
    posted = plan_apply(request, entries, facts, numbers)
    await write(conn, posted.plan)
    return posted.number


async def _unapply(
    conn: AsyncConnection, entry_no: int, posting_date: date | None, ledger: LedgerTables
) -> int:
    entry = (await lock_entries(conn, [entry_no], ledger)).get(entry_no)
    application_no = application_to_undo(
        entry_no, entry, await detailed_of(conn, ledger, [entry_no])
    )
    entries = await lock_touched(conn, ledger, [application_no])
    detailed = await detailed_of(conn, ledger, entries)
    facts = await ledger_facts(conn, ledger, await load_setup(conn))
    numbers = await draw(conn, {APPLICATION: 1, TRANSACTION: 1})
    posted = plan_unapply(application_no, posting_date, entries, detailed, facts, numbers)
    await write(conn, posted.plan)
    return posted.number


async def _reverse(
    conn: AsyncConnection, entry_no: int, posting_date: date | None, ledger: LedgerTables
) -> int:
    entries = await lock_entries(conn, [entry_no], ledger)
    applications = standing_applications(entry_no, await detailed_of(conn, ledger, entries))
    entries |= await lock_touched(conn, ledger, applications)
    gl, bank = await transaction_rows(conn, ledger, entry_no)
    facts = ReversalFacts(entries, await detailed_of(conn, ledger, entries), gl, bank)
    numbers = await draw(conn, reversal.numbers_needed(entry_no, facts, ledger.kind))
    setup = await load_setup(conn)
    posted = plan_reversal(
        entry_no, posting_date, facts, await ledger_facts(conn, ledger, setup), numbers
    )
    await write(conn, posted.plan)
    return posted.number


async def _adjust(conn: AsyncConnection, posting_date: date) -> int:
    """Revalue the open foreign-currency entries of both ledgers; returns how many moved."""
    setup = await load_setup(conn)
    ledgers = []
    for ledger in LEDGERS.values():
        entries = await lock_open_currency_entries(conn, ledger, posting_date)
        ledgers.append((await ledger_facts(conn, ledger, setup, entries), entries))
    wanted = revaluation.numbers_needed((entries for _, entries in ledgers), posting_date)
    adjusted = plan_revaluation(posting_date, setup, ledgers, await draw(conn, wanted))
    await write(conn, adjusted.plan)
    return adjusted.adjusted


async def _run(
    engine: AsyncEngine,
    operation: str,
    key: str | None,
    payload: Any,
    body: Callable[[AsyncConnection], Awaitable[int]],
) -> int:
    async def work(uow: UnitOfWork) -> dict[str, Any]:
        async def once() -> dict[str, Any]:
            return {"value": await body(uow.conn)}

        return await idempotent(uow, operation, key, payload, once)

    return int((await run_in_transaction(engine, work))["value"])


async def apply_entries(
    engine: AsyncEngine,
    entry_no: int,
    apply_to: Sequence[ApplyToInput],
    posting_date: date,
    idempotency_key: str | None = None,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> int:
    payload = {
        "entryNo": entry_no,
        "applyTo": [vars_of(a) for a in apply_to],
        "postingDate": posting_date.isoformat(),
        "ledger": ledger.name,
    }
    return await _run(
        engine,
        "applyEntries",
        idempotency_key,
        payload,
        lambda conn: apply_posted(conn, entry_no, apply_to, posting_date, ledger),
    )


async def unapply_entries(
    engine: AsyncEngine,
    entry_no: int,
    posting_date: date | None,
    idempotency_key: str | None = None,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> int:
    """Undo the last application of the entry; returns the unapply's application no."""
    return await _on_entry(
        engine, "unapplyEntries", _unapply, entry_no, posting_date, idempotency_key, ledger
    )


async def reverse_payment(
    engine: AsyncEngine,
    entry_no: int,
    posting_date: date | None,
    idempotency_key: str | None = None,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> int:
    """Unapply every application of the entry, then reverse it; returns the reversal entry."""
    return await _on_entry(
        engine, "reversePayment", _reverse, entry_no, posting_date, idempotency_key, ledger
    )


async def _on_entry(
    engine: AsyncEngine,
    operation: str,
    body: Callable[[AsyncConnection, int, date | None, LedgerTables], Awaitable[int]],
    entry_no: int,
    posting_date: date | None,
    key: str | None,
    ledger: LedgerTables,
) -> int:
    payload = {"entryNo": entry_no, "postingDate": str(posting_date), "ledger": ledger.name}
    return await _run(
        engine, operation, key, payload, lambda conn: body(conn, entry_no, posting_date, ledger)
    )


async def adjust_rates(
    engine: AsyncEngine, posting_date: date, idempotency_key: str | None = None
) -> int:
    return await _run(
        engine,
        "adjustExchangeRates",
        idempotency_key,
        {"postingDate": posting_date.isoformat()},
        lambda conn: _adjust(conn, posting_date),
    )


def vars_of(a: ApplyToInput) -> dict[str, Any]:
    return {
        "entryNo": a.entry_no,
        "amountToApply": str(a.amount_to_apply),
        "acceptPdt": a.accept_payment_discount_tolerance,
        "acceptPt": a.accept_payment_tolerance,
    }
