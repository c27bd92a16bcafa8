"""Apply, unapply and reverse between posted entries, and revalue open currency entries.
Every one of them appends opposite or new detailed entries; nothing posted is edited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.application import (
    ApplicationMethod,
    ApplyTarget,
    adjust_exchange_rates,
    apply,
    reverse_entry,
    unapply,
)
from domain.errors import DomainError, ErrorCode
from domain.ledger import LedgerEntry
from domain.sales_posting import check_posting_date
from store.idempotency import idempotent
from store.parties.ledger_tables import CUSTOMER_LEDGER, VENDOR_LEDGER, LedgerTables
from store.posting.applications import (
    application_setup,
    detailed_of,
    lock_entries,
    next_application_no,
    not_found,
    persist,
    rates_on,
    state_of,
)
from store.posting.writer import next_transaction_no
from store.records import CompanySetupRecord
from store.setup import load_setup
from store.tables import BANK_ACCOUNT_LEDGER_ENTRIES as BALE
from store.tables import GL_ENTRIES as GL
from store.uow import UnitOfWork, run_in_transaction


@dataclass(frozen=True, slots=True)
class ApplyToEntry:
    entry_no: int
    amount_to_apply: Decimal | None = None
    accept_payment_discount_tolerance: bool | None = None
    accept_payment_tolerance: bool | None = None


async def apply_posted(
    conn: AsyncConnection,
    entry_no: int,
    apply_to: list[ApplyToEntry],
    posting_date: date,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> int:
    setup = await load_setup(conn)
    check_posting_date(posting_date, setup.allow_posting_from, setup.allow_posting_to)
    if not apply_to:
        raise DomainError(ErrorCode.NOTHING_TO_APPLY, "give the entries to apply to", ["applyTo"])
    locked = await lock_entries(conn, [entry_no, *(a.entry_no for a in apply_to)], ledger)
    if entry_no not in locked:
        raise not_found(entry_no, ["entryNo"])
    targets = []
    for k, a in enumerate(apply_to):
        if a.entry_no not in locked:
            raise not_found(a.entry_no, ["applyTo", str(k), "entryNo"])
        targets.append(
            ApplyTarget(
                state_of(locked[a.entry_no]),
                a.amount_to_apply,
                a.accept_payment_discount_tolerance,
                a.accept_payment_tolerance,
            )
        )
    applying = locked[entry_no]
    rates = await rates_on(conn, [r.currency_code for r in locked.values()], posting_date)
    application_no = await next_application_no(conn)
    result = apply(
        state_of(applying),
        targets,
        await application_setup(conn, setup),
        posting_date,
        rates,
        application_id=application_no,
        method=ApplicationMethod.APPLIES_TO_ID,
    )
    tx = await next_transaction_no(conn)
    await persist(
        conn,
        result,
        locked,
        setup=setup,
        transaction_no=tx,
        document_type=applying.document_type,
        document_no=applying.document_no,
        description=f"Application of {applying.document_no}",
        ledger=ledger,
    )
    return application_no


async def _last_application(
    conn: AsyncConnection, entry_no: int, ledger: LedgerTables = CUSTOMER_LEDGER
) -> int | None:
    dt = ledger.detailed
    row = await conn.execute(
        sa.select(sa.func.max(dt.c.application_no)).where(
            dt.c[ledger.entry_fk] == entry_no,
            dt.c.entry_type == "APPLICATION",
            dt.c.unapplied.is_(False),
            dt.c.unapplies_application_no.is_(None),
        )
    )
    value = row.scalar_one()
    return None if value is None else int(value)


async def _unapply(
    conn: AsyncConnection,
    entry_no: int,
    posting_date: date | None,
    setup: CompanySetupRecord,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> int:
    if (await lock_entries(conn, [entry_no], ledger)).get(entry_no) is None:
        raise not_found(entry_no, ["entryNo"])
    application_no = await _last_application(conn, entry_no, ledger)
    if application_no is None:
        raise DomainError(
            ErrorCode.NOTHING_TO_UNAPPLY,
            f"entry {entry_no} has no application to unapply",
            ["entryNo"],
        )
    dt = ledger.detailed
    rows = list(
        await conn.execute(
            sa.select(dt).where(dt.c.application_no == application_no).order_by(dt.c.entry_no)
        )
    )
    detailed = detailed_of(rows, ledger)
    locked = await lock_entries(conn, {d.entry_no for d in detailed}, ledger)
    when = posting_date or max(d.posting_date for d in detailed)
    check_posting_date(when, setup.allow_posting_from, setup.allow_posting_to)
    new_no = await next_application_no(conn)
    result = unapply([state_of(r) for r in locked.values()], detailed, when, application_id=new_no)
    tx = await next_transaction_no(conn)
    first = rows[0]
    await persist(
        conn,
        result,
        locked,
        setup=setup,
        transaction_no=tx,
        document_type=first.document_type,
        document_no=first.document_no,
        description=f"Unapply of application {application_no}",
        ledger=ledger,
    )
    return new_no


async def _reverse(
    conn: AsyncConnection, entry_no: int, posting_date: date | None, ledger: LedgerTables
) -> int:
    setup = await load_setup(conn)

    async def locked() -> LedgerEntry:
        found = (await lock_entries(conn, [entry_no], ledger)).get(entry_no)
        if found is None:
            raise not_found(entry_no, ["entryNo"])
        if found.reversed:
            raise DomainError(
                ErrorCode.ENTRY_CLOSED,
                f"entry {entry_no} is already reversed",
                ["entryNo"],
            )
        return found

    await locked()
    while await _last_application(conn, entry_no, ledger) is not None:
        await _unapply(conn, entry_no, None, setup, ledger)
    entry = await locked()
    when = posting_date or entry.posting_date
    check_posting_date(when, setup.allow_posting_from, setup.allow_posting_to)
    table = ledger.entries
    original_tx = (
        await conn.execute(sa.select(table.c.transaction_no).where(table.c.entry_no == entry_no))
    ).scalar_one()
    balancing = (
        await conn.execute(
            sa.select(GL.c.gl_account_no).where(
                GL.c.transaction_no == original_tx, GL.c.amount == -entry.amount_lcy
            )
        )
    ).scalar()
    tx = await next_transaction_no(conn)
    values = {
        ledger.party_col: entry.party_no,
        "posting_date": when,
        "document_date": when,
        "document_type": entry.document_type,
        "document_no": entry.document_no,
        "description": f"Reversal of entry {entry_no}",
        "currency_code": entry.currency_code,
        "currency_factor": entry.currency_factor,
        "amount": -entry.amount,
        "amount_lcy": -entry.amount_lcy,
        "remaining_amount": Decimal(0),
        "remaining_amount_lcy": Decimal(0),
        "open": False,
        "due_date": when,
        ledger.group_col: entry.posting_group,
        "reversed": True,
        "transaction_no": tx,
    }
    reversal_no = int(
        (
            await conn.execute(sa.insert(table).values(**values).returning(table.c.entry_no))
        ).scalar_one()
    )
    reversal = replace(
        entry,
        entry_no=reversal_no,
        amount=-entry.amount,
        amount_lcy=-entry.amount_lcy,
        remaining_amount=Decimal(0),
        remaining_amount_lcy=Decimal(0),
        open=False,
    )
    result = reverse_entry(
        state_of(entry),
        when,
        reversal_entry_no=reversal_no,
        application_id=await next_application_no(conn),
    )
    records: dict[int, LedgerEntry] = {entry_no: entry, reversal_no: reversal}
    await persist(
        conn,
        result,
        records,
        setup=setup,
        transaction_no=tx,
        document_type=entry.document_type,
        document_no=entry.document_no,
        description=f"Reversal of entry {entry_no}",
        balancing_account=balancing,
        ledger=ledger,
    )
    await conn.execute(sa.update(table).where(table.c.entry_no == entry_no).values(reversed=True))
    bank = (await conn.execute(sa.select(BALE).where(BALE.c.transaction_no == original_tx))).first()
    if bank is not None:
        await conn.execute(
            sa.insert(BALE).values(
                bank_account_no=bank.bank_account_no,
                posting_date=when,
                document_type=bank.document_type,
                document_no=bank.document_no,
                description=f"Reversal of entry {entry_no}",
                currency_code=bank.currency_code,
                amount=-bank.amount,
                amount_lcy=-bank.amount_lcy,
                open=True,
                transaction_no=tx,
            )
        )
    return reversal_no


async def _adjust(conn: AsyncConnection, posting_date: date) -> int:
    """Revalue the open foreign-currency entries of both ledgers; returns how many moved."""
    setup = await load_setup(conn)
    check_posting_date(posting_date, setup.allow_posting_from, setup.allow_posting_to)
    adjusted = 0
    for ledger in (CUSTOMER_LEDGER, VENDOR_LEDGER):
        table = ledger.entries
        rows = await conn.execute(
            sa.select(table.c.entry_no).where(
                table.c.open, table.c.currency_code != "", table.c.posting_date <= posting_date
            )
        )
        locked = await lock_entries(conn, [r.entry_no for r in rows], ledger)
        if not locked:
            continue
        rates = await rates_on(conn, [r.currency_code for r in locked.values()], posting_date)
        result = adjust_exchange_rates(
            [state_of(r) for r in locked.values()],
            rates,
            posting_date,
            await application_setup(conn, setup),
            application_id=await next_application_no(conn),
        )
        if not result.detailed:
            continue
        await persist(
            conn,
            result,
            locked,
            setup=setup,
            transaction_no=await next_transaction_no(conn),
            document_type="",
            document_no=f"ADJ-{posting_date.isoformat()}",
            description=f"Exchange rate adjustment {posting_date.isoformat()}",
            ledger=ledger,
        )
        adjusted += len({d.entry_no for d in result.detailed})
    return adjusted


async def _run(
    engine: AsyncEngine, operation: str, key: str | None, payload: Any, body: Any
) -> dict[str, Any]:
    async def work(uow: UnitOfWork) -> dict[str, Any]:
        async def once() -> dict[str, Any]:
            return {"value": await body(uow.conn)}

        return await idempotent(uow, operation, key, payload, once)

    return await run_in_transaction(engine, work)


async def apply_entries(
    engine: AsyncEngine,
    entry_no: int,
    apply_to: list[ApplyToEntry],
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
    out = await _run(
        engine,
        "applyEntries",
        idempotency_key,
        payload,
        lambda conn: apply_posted(conn, entry_no, apply_to, posting_date, ledger),
    )
    return int(out["value"])


async def unapply_entries(
    engine: AsyncEngine,
    entry_no: int,
    posting_date: date | None,
    idempotency_key: str | None = None,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> int:
    async def body(conn: AsyncConnection) -> int:
        return await _unapply(conn, entry_no, posting_date, await load_setup(conn), ledger)

    out = await _run(
        engine,
        "unapplyEntries",
        idempotency_key,
        {"entryNo": entry_no, "postingDate": str(posting_date), "ledger": ledger.name},
        body,
    )
    return int(out["value"])


async def reverse_payment(
    engine: AsyncEngine,
    entry_no: int,
    posting_date: date | None,
    idempotency_key: str | None = None,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> int:
    out = await _run(
        engine,
        "reversePayment",
        idempotency_key,
        {"entryNo": entry_no, "postingDate": str(posting_date), "ledger": ledger.name},
        lambda conn: _reverse(conn, entry_no, posting_date, ledger),
    )
    return int(out["value"])


async def adjust_rates(
    engine: AsyncEngine, posting_date: date, idempotency_key: str | None = None
) -> int:
    out = await _run(
        engine,
        "adjustExchangeRates",
        idempotency_key,
        {"postingDate": posting_date.isoformat()},
        lambda conn: _adjust(conn, posting_date),
    )
    return int(out["value"])


def vars_of(a: ApplyToEntry) -> dict[str, Any]:
    return {
        "entryNo": a.entry_no,
        "amountToApply": str(a.amount_to_apply),
        "acceptPdt": a.accept_payment_discount_tolerance,
        "acceptPt": a.accept_payment_tolerance,
    }
