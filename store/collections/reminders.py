"""Reminders chase overdue invoices: proposals are stored, issuing posts the fee to the ledger,
records the level each entry reached (so the next run escalates from there) and the delivery
that sends the reminder to the customer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.dates import canonical_formula
from domain.errors import DomainError, ErrorCode
from domain.reminders import (
    ReminderCandidate,
    ReminderLevel,
    ReminderTerms,
    propose_reminders,
    terms_in_currency,
    validate_terms,
)
from store.collections.deliveries import (
    REMINDER,
    DocumentDelivery,
    cancel_pending,
)
from store.collections.documents import (
    CollectionDocument,
    find_documents,
    finish_issue,
    load_documents,
    lock_document,
    start_issue,
)
from store.collections.ledger import (
    Issued,
    entries_as_of,
    issue_documents,
    lock_customer,
    post_fee_entry,
    propose_documents,
    require_customer_nos,
)
from store.posting.posted_applications import ApplyToEntry, apply_posted
from store.posting.sales import pricing_for
from store.records import CustomerRecord
from store.tables import CUSTOMER_LEDGER_ENTRIES as CLE
from store.tables import ISSUED_REMINDER_LINES as ISSUED_LINES
from store.tables import REMINDER_LEVELS as LEVELS
from store.tables import REMINDER_LINES as LINES
from store.tables import REMINDER_TERMS as TERMS
from store.tables import REMINDERS
from store.uow import UnitOfWork, run_in_transaction

REMINDER_DOCUMENT = CollectionDocument(
    "Reminder", REMINDERS, LINES, ISSUED_LINES, "reminder_id", REMINDER
)

REMINDER_FEES_ACCOUNT = "4920"


# --- terms -------------------------------------------------------------------------------


async def upsert_reminder_terms(engine: AsyncEngine, terms: ReminderTerms) -> ReminderTerms:
    """Validate and store reminder terms, replacing their levels."""
    if not terms.code.strip():
        raise DomainError(ErrorCode.INVALID_INPUT, "Reminder terms need a code.", ["code"])
    validate_terms(terms)
    levels = tuple(
        ReminderLevel(
            level.no,
            canonical_formula(level.grace_period),
            canonical_formula(level.due_date_formula),
            level.fixed_fee,
            level.pct_of_remaining,
            level.additional_fee_per_line,
            tuple((code.strip().lower(), text) for code, text in level.texts),
        )
        for level in sorted(terms.levels, key=lambda level: level.no)
    )
    stored = ReminderTerms(
        terms.code.strip(), terms.minimum_overdue_amount, terms.max_reminders, levels
    )
    async with engine.begin() as conn:
        values = {
            "code": stored.code,
            "minimum_overdue_amount": stored.minimum_overdue_amount,
            "max_reminders": stored.max_reminders,
        }
        stmt = pg_insert(TERMS).values(**values)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[TERMS.c.code],
                set_={k: stmt.excluded[k] for k in values if k != "code"},
            )
        )
        await conn.execute(sa.delete(LEVELS).where(LEVELS.c.terms_code == stored.code))
        await conn.execute(
            sa.insert(LEVELS),
            [
                {
                    "terms_code": stored.code,
                    "no": level.no,
                    "grace_period": level.grace_period,
                    "due_date_calculation": level.due_date_formula,
                    "fixed_fee": level.fixed_fee,
                    "pct_of_remaining": level.pct_of_remaining,
                    "additional_fee_per_line": level.additional_fee_per_line,
                    "texts": [{"languageCode": c, "text": t} for c, t in level.texts],
                }
                for level in stored.levels
            ],
        )
    return stored


async def get_reminder_terms(conn: AsyncConnection, code: str) -> ReminderTerms | None:
    head = (await conn.execute(sa.select(TERMS).where(TERMS.c.code == code))).one_or_none()
    if head is None:
        return None
    rows = await conn.execute(
        sa.select(LEVELS).where(LEVELS.c.terms_code == code).order_by(LEVELS.c.no)
    )
    levels = tuple(
        ReminderLevel(
            r.no,
            r.grace_period,
            r.due_date_calculation,
            r.fixed_fee,
            r.pct_of_remaining,
            r.additional_fee_per_line,
            tuple((t["languageCode"], t["text"]) for t in r.texts),
        )
        for r in rows
    )
    return ReminderTerms(head.code, head.minimum_overdue_amount, head.max_reminders, levels)


# --- proposals ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredReminderLine:
    entry_no: int
    document_type: str
    document_no: str
    due_date: date
    remaining_amount: Decimal
    level: int


@dataclass(frozen=True, slots=True)
class StoredReminder:
    id: int
    customer_no: str
    currency_code: str
    level: int
    posting_date: date
    document_date: date
    due_date: date
    remaining_amount: Decimal
    fee_amount: Decimal
    total_amount: Decimal
    status: str
    document_no: str
    posted_entry_no: int | None
    cancel_entry_no: int | None
    lines: tuple[StoredReminderLine, ...]
    delivery: DocumentDelivery | None = None
    terms_code: str = ""


async def _last_levels(
    conn: AsyncConnection, entry_nos: Sequence[int]
) -> dict[int, tuple[int, date]]:
    """Per entry: the highest level still standing and the due date of that reminder."""
    rows = await conn.execute(
        sa.select(
            ISSUED_LINES.c.cust_ledger_entry_no,
            ISSUED_LINES.c.level,
            ISSUED_LINES.c.reminder_due_date,
        )
        .where(ISSUED_LINES.c.cust_ledger_entry_no.in_(entry_nos), sa.not_(ISSUED_LINES.c.canceled))
        .order_by(ISSUED_LINES.c.level, ISSUED_LINES.c.id)
    )
    return {r.cust_ledger_entry_no: (r.level, r.reminder_due_date) for r in rows}


async def _require_terms(
    conn: AsyncConnection, customer: CustomerRecord, index: int
) -> ReminderTerms:
    field = ["customerNos", str(index)]
    if not customer.reminder_terms_code:
        raise DomainError(
            ErrorCode.INVALID_TERMS, f"Customer {customer.no} has no reminder terms.", field
        )
    terms = await get_reminder_terms(conn, customer.reminder_terms_code)
    if terms is None:
        raise DomainError(
            ErrorCode.INVALID_TERMS,
            f"Reminder terms {customer.reminder_terms_code!r} of customer {customer.no} "
            "do not exist.",
            field,
        )
    return terms


async def _propose_for(
    conn: AsyncConnection,
    customer: CustomerRecord,
    terms: ReminderTerms,
    posting_date: date,
    document_date: date,
    overdue_as_of: date,
) -> list[int]:
    entries = await entries_as_of(conn, customer.no, overdue_as_of)
    last = await _last_levels(conn, [e.entry_no for e in entries])
    by_currency: dict[str, list[ReminderCandidate]] = {}
    for e in entries:
        level, reminded_due = last.get(e.entry_no, (0, None))
        by_currency.setdefault(e.currency_code, []).append(
            ReminderCandidate(
                e.entry_no,
                e.document_type,
                e.document_no,
                e.currency_code,
                e.posting_date,
                e.document_date,
                e.due_date,
                e.remaining_amount,
                level,
                reminded_due,
            )
        )
    ids: list[int] = []
    for currency, candidates in sorted(by_currency.items()):
        price = await pricing_for(conn, currency, posting_date, ["postingDate"])
        local_terms = terms
        if price.currency_code:
            local_terms = terms_in_currency(terms, price.rate, price.precision)
        try:
            proposed = propose_reminders(
                local_terms, candidates, document_date, overdue_as_of, price.precision
            )
        except DomainError as error:
            if error.code is ErrorCode.NOTHING_OVERDUE:
                continue
            raise
        for reminder in proposed:
            reminder_id = (
                await conn.execute(
                    sa.insert(REMINDERS)
                    .values(
                        customer_no=customer.no,
                        terms_code=terms.code,
                        currency_code=reminder.currency_code,
                        level=reminder.level,
                        posting_date=posting_date,
                        document_date=document_date,
                        due_date=reminder.due_date,
                        overdue_as_of=overdue_as_of,
                        remaining_amount=reminder.remaining_amount,
                        fee_amount=reminder.fee_amount,
                        total_amount=reminder.total_amount,
                    )
                    .returning(REMINDERS.c.id)
                )
            ).scalar_one()
            await conn.execute(
                sa.insert(LINES),
                [
                    {
                        "reminder_id": reminder_id,
                        "line_no": n + 1,
                        "cust_ledger_entry_no": line.entry_no,
                        "document_type": line.document_type,
                        "document_no": line.document_no,
                        "due_date": line.due_date,
                        "remaining_amount": line.remaining_amount,
                        "level": line.level,
                    }
                    for n, line in enumerate(reminder.lines)
                ],
            )
            ids.append(int(reminder_id))
    return ids


async def create_reminders(
    engine: AsyncEngine,
    posting_date: date,
    document_date: date,
    customer_nos: Sequence[str],
    overdue_as_of: date | None = None,
) -> list[StoredReminder]:
    """Propose and store one reminder per customer and currency; all or nothing.

    Customers with nothing to remind are skipped; NOTHING_OVERDUE when the run produces no
    reminder at all.
    """
    as_of = overdue_as_of or document_date
    require_customer_nos(customer_nos)  # refused first, as before the dates
    if as_of > document_date:
        raise DomainError(
            ErrorCode.DATES_OUT_OF_ORDER,
            f"Entries cannot be overdue as of {as_of.isoformat()}, after the reminder's "
            f"document date {document_date.isoformat()}.",
            ["documentDate"],
        )

    async def propose(conn: AsyncConnection, customer: CustomerRecord, index: int) -> list[int]:
        terms = await _require_terms(conn, customer, index)
        return await _propose_for(conn, customer, terms, posting_date, document_date, as_of)

    return await propose_documents(
        engine,
        customer_nos,
        propose,
        load_reminders,
        f"No customer has entries overdue enough to remind on {as_of.isoformat()}.",
    )


async def load_reminders(conn: AsyncConnection, ids: Sequence[int]) -> list[StoredReminder]:
    return await load_documents(conn, REMINDER_DOCUMENT, ids, _reminder_line, _reminder)


def _reminder_line(r: Any) -> StoredReminderLine:
    return StoredReminderLine(
        r.cust_ledger_entry_no,
        r.document_type,
        r.document_no,
        r.due_date,
        r.remaining_amount,
        r.level,
    )


def _reminder(
    h: Any, lines: tuple[StoredReminderLine, ...], delivery: DocumentDelivery | None
) -> StoredReminder:
    return StoredReminder(
        h.id,
        h.customer_no,
        h.currency_code,
        h.level,
        h.posting_date,
        h.document_date,
        h.due_date,
        h.remaining_amount,
        h.fee_amount,
        h.total_amount,
        h.status,
        h.document_no,
        h.posted_entry_no,
        h.cancel_entry_no,
        lines,
        delivery,
        h.terms_code,
    )


# --- issue and cancel --------------------------------------------------------------------


async def _issue_one(conn: AsyncConnection, reminder_id: int, index: int) -> int:
    field = ["reminderIds", str(index)]
    row, customer, lines = await start_issue(conn, REMINDER_DOCUMENT, reminder_id, field)
    standing = await _last_levels(conn, [line.cust_ledger_entry_no for line in lines])
    for line in lines:
        if standing.get(line.cust_ledger_entry_no, (0, None))[0] >= line.level:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"Reminder {reminder_id} is out of date: {line.document_no} was already "
                f"reminded at level {line.level} or higher. Create reminders again.",
                field,
            )
    document_no = f"REM{reminder_id:06d}"
    entry_no = None
    if row.fee_amount != 0:
        entry_no = await post_fee_entry(
            conn,
            customer,
            document_type="REMINDER",
            document_no=document_no,
            posting_date=row.posting_date,
            document_date=row.document_date,
            due_date=row.due_date,
            currency_code=row.currency_code,
            amount=row.fee_amount,
            income_account=REMINDER_FEES_ACCOUNT,
            description=f"Reminder {document_no} level {row.level}",
        )
    issued = [
        {
            "cust_ledger_entry_no": line.cust_ledger_entry_no,
            "level": line.level,
            "reminder_due_date": row.due_date,
        }
        for line in lines
    ]
    return await finish_issue(conn, REMINDER_DOCUMENT, row, customer, issued, document_no, entry_no)


async def issue_reminders(
    engine: AsyncEngine, reminder_ids: Sequence[int], idempotency_key: str | None
) -> Issued[StoredReminder]:
    """Post each reminder's fee and record its levels; the same key twice posts once."""
    if not reminder_ids:
        raise DomainError(ErrorCode.INVALID_INPUT, "Name at least one reminder.", ["reminderIds"])
    return await issue_documents(
        engine, "issueReminders", reminder_ids, idempotency_key, _issue_one, load_reminders
    )


async def cancel_issued_reminder(
    engine: AsyncEngine, reminder_id: int, posting_date: date | None = None
) -> StoredReminder:
    """Post the fee back (a negative REMINDER entry) and lower the reminded entries' levels.

    The negative entry is applied to the fee entry while that is still open, so both close;
    ``posting_date`` defaults to the reminder's posting date.
    """

    async def work(uow: UnitOfWork) -> StoredReminder:
        conn = uow.conn
        field = ["id"]
        row = await lock_document(conn, REMINDER_DOCUMENT, reminder_id, field)
        if row.status != "ISSUED":
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"Reminder {reminder_id} is {row.status.lower()}; only an issued reminder can "
                "be canceled.",
                field,
            )
        cancel_entry = None
        if row.fee_amount != 0:
            customer = await lock_customer(conn, row.customer_no, field)
            day = posting_date or row.posting_date
            cancel_entry = await post_fee_entry(
                conn,
                customer,
                document_type="REMINDER",
                document_no=row.document_no,
                posting_date=day,
                document_date=row.document_date,
                due_date=row.due_date,
                currency_code=row.currency_code,
                amount=-row.fee_amount,
                income_account=REMINDER_FEES_ACCOUNT,
                description=f"Canceled reminder {row.document_no}",
            )
            fee_open = (
                await conn.execute(
                    sa.select(CLE.c.open).where(CLE.c.entry_no == row.posted_entry_no)
                )
            ).scalar_one()
            if fee_open:
                await apply_posted(
                    conn, cancel_entry, [ApplyToEntry(int(row.posted_entry_no))], day
                )
        await conn.execute(
            sa.update(ISSUED_LINES)
            .where(ISSUED_LINES.c.reminder_id == reminder_id)
            .values(canceled=True)
        )
        await cancel_pending(conn, REMINDER, reminder_id, "reminder canceled before it was sent")
        await conn.execute(
            sa.update(REMINDERS)
            .where(REMINDERS.c.id == reminder_id)
            .values(status="CANCELED", cancel_entry_no=cancel_entry)
        )
        return (await load_reminders(conn, [reminder_id]))[0]

    return await run_in_transaction(engine, work)


async def find_reminders(
    conn: AsyncConnection, customer_no: str | None, status: str | None, limit: int
) -> list[StoredReminder]:
    """Newest first, optionally for one customer and/or one status."""
    return await find_documents(conn, REMINDER_DOCUMENT, load_reminders, customer_no, status, limit)
