"""The payment reconciliation journal: users decide what each bank line pays, then post.

A line is applied either to open entries of one customer or one vendor, or to one G/L account
(fees, interest), never a mix: it becomes exactly one journal line when posted. Amounts applied
are signed like the entries (positive on a customer invoice, negative on a vendor invoice), and
one entry's remaining amount is never promised twice across unposted lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import DomainError, ErrorCode
from domain.matching import Confidence, Ledger
from store.bank.matching import entries_by_key, reserved_amounts
from store.bank.records import (
    APPLIED,
    LineStatus,
    StatementLineRecord,
    SuggestionRecord,
    SuggestionStatus,
    require_line,
    require_suggestion,
    suggestions_by_line,
)
from store.setup import require_gl_account
from store.tables import BANK_STATEMENT_LINES as LINE
from store.tables import BANK_SUGGESTIONS as SUGGESTION
from store.uow import UnitOfWork, run_in_transaction

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ManualApplication:
    """Apply ``amount`` (signed like the entry's remaining amount) to entry ``entry_no`` of
    the ledger."""

    entry_no: int
    amount: Decimal
    ledger: Ledger = Ledger.CUSTOMER


def _not_posted(line: StatementLineRecord, field: list[str]) -> None:
    if line.status == LineStatus.POSTED.value:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"statement line {line.line_no} is already posted; it cannot change",
            field,
        )


async def _set_status(conn: AsyncConnection, line_id: int) -> str:
    """Line status from its suggestions: ACCEPTED > SUGGESTED > OPEN."""
    rows = (await suggestions_by_line(conn, [line_id])).get(line_id, [])
    if any(s.status in APPLIED for s in rows):
        status = LineStatus.ACCEPTED
    elif any(
        s.status == SuggestionStatus.PROPOSED.value and s.confidence != Confidence.NONE.value
        for s in rows
    ):
        status = LineStatus.SUGGESTED
    else:
        status = LineStatus.OPEN
    await conn.execute(sa.update(LINE).where(LINE.c.id == line_id).values(status=status.value))
    return status.value


async def _drop_applications(
    conn: AsyncConnection, line_id: int, keep: SuggestionRecord | None = None
) -> None:
    """Undo the line's applications: manual rows go, accepted proposals are proposed again."""
    await conn.execute(
        sa.delete(SUGGESTION).where(
            SUGGESTION.c.line_id == line_id,
            SUGGESTION.c.status == SuggestionStatus.MANUAL.value,
        )
    )
    reopen = sa.update(SUGGESTION).where(
        SUGGESTION.c.line_id == line_id,
        SUGGESTION.c.status == SuggestionStatus.ACCEPTED.value,
    )
    if keep is not None:
        reopen = reopen.where(SUGGESTION.c.id != keep.id)
    await conn.execute(reopen.values(status=SuggestionStatus.PROPOSED.value))


async def _check_entries(
    conn: AsyncConnection,
    line: StatementLineRecord,
    ledger: Ledger,
    applications: Sequence[tuple[int, Decimal]],
    field: list[str],
) -> str:
    """Entries exist, are open, belong to one party, and can take the amounts."""
    entries = await entries_by_key(conn, ledger, [n for n, _ in applications])
    reserved = await reserved_amounts(conn, ledger, [n for n, _ in applications], line.id)
    party: str | None = None
    total = ZERO
    for k, (entry_no, amount) in enumerate(applications):
        where = [*field, str(k)]
        entry = entries.get(entry_no)
        if entry is None:
            raise DomainError(
                ErrorCode.ENTRY_NOT_FOUND,
                f"{ledger.word} ledger entry {entry_no} does not exist",
                [*where, "entryNo"],
            )
        if not entry.open:
            raise DomainError(
                ErrorCode.ENTRY_CLOSED,
                f"entry {entry_no} ({entry.document_no}) is already closed",
                [*where, "entryNo"],
            )
        if party is not None and entry.party_no != party:
            raise DomainError(
                ErrorCode.ENTRY_OF_OTHER_PARTY,
                f"one bank line pays entries of one {ledger.word}; entry {entry_no} belongs to "
                f"{entry.party_no}, not {party}",
                [*where, "entryNo"],
            )
        party = entry.party_no
        if amount == 0 or (amount > 0) != (entry.remaining_amount > 0):
            raise DomainError(
                ErrorCode.WRONG_SIGN,
                f"the amount applied to entry {entry_no} must have the sign of its remaining "
                f"amount {entry.remaining_amount}",
                [*where, "amount"],
            )
        free = entry.remaining_amount - reserved.get(entry_no, ZERO)
        if abs(amount) > abs(free):
            raise DomainError(
                ErrorCode.AMOUNT_EXCEEDS_REMAINING,
                f"{amount} is more than the {free} left on entry {entry_no} "
                f"({entry.document_no}) after other accepted lines",
                [*where, "amount"],
            )
        total += amount
    if total != 0 and ((total > 0) != (line.amount > 0) or abs(total) > abs(line.amount)):
        raise DomainError(
            ErrorCode.AMOUNT_EXCEEDS_REMAINING,
            f"the applications add up to {total}, more than the line's {line.amount} "
            "(or in the other direction)",
            field,
        )
    assert party is not None
    return party


async def accept_suggestion(engine: AsyncEngine, suggestion_id: int) -> int:
    """Accept one suggestion of a line; returns the line id."""

    async def work(uow: UnitOfWork) -> int:
        conn = uow.conn
        found = await require_suggestion(conn, suggestion_id)
        line = await require_line(conn, found.line_id, lock=True)
        suggestion = await require_suggestion(conn, suggestion_id, lock=True)
        _not_posted(line, ["suggestionId"])
        if suggestion.confidence == Confidence.NONE.value and suggestion.status != "MANUAL":
            raise DomainError(
                ErrorCode.NOTHING_TO_APPLY,
                "this suggestion found nothing to apply; use setLineApplication or transferToGl",
                ["suggestionId"],
            )
        current = [
            s
            for s in (await suggestions_by_line(conn, [line.id], APPLIED)).get(line.id, [])
            if s.id != suggestion.id
        ]
        compatible = suggestion.entry_no is not None and all(
            s.entry_no is not None
            and s.ledger == suggestion.ledger
            and s.party_no == suggestion.party_no
            for s in current
        )
        if not compatible:
            await _drop_applications(conn, line.id, keep=suggestion)
            current = []
        if suggestion.entry_no is not None:
            await _check_entries(
                conn,
                line,
                Ledger(suggestion.ledger),
                [(s.entry_no, s.amount) for s in current if s.entry_no is not None]
                + [(suggestion.entry_no, suggestion.amount)],
                ["suggestionId"],
            )
        await conn.execute(
            sa.update(SUGGESTION)
            .where(SUGGESTION.c.id == suggestion.id)
            .values(status=SuggestionStatus.ACCEPTED.value)
        )
        await _set_status(conn, line.id)
        return line.id

    return await run_in_transaction(engine, work)


async def reject_suggestion(engine: AsyncEngine, suggestion_id: int) -> int:
    """Reject a proposal (or take back an accepted one); it is not proposed again."""

    async def work(uow: UnitOfWork) -> int:
        conn = uow.conn
        found = await require_suggestion(conn, suggestion_id)
        line = await require_line(conn, found.line_id, lock=True)
        _not_posted(line, ["suggestionId"])
        if (
            found.confidence == Confidence.NONE.value
            and found.entry_no is None
            and found.gl_account_no is None
        ):
            raise DomainError(
                ErrorCode.NOTHING_TO_APPLY,
                "this suggestion proposes nothing, so there is nothing to reject",
                ["suggestionId"],
            )
        await conn.execute(
            sa.update(SUGGESTION)
            .where(SUGGESTION.c.id == suggestion_id)
            .values(status=SuggestionStatus.REJECTED.value)
        )
        await _set_status(conn, line.id)
        return line.id

    return await run_in_transaction(engine, work)


async def set_line_application(
    engine: AsyncEngine, line_id: int, applications: Sequence[ManualApplication]
) -> int:
    """Replace the line's applications with these (an empty list clears them)."""

    async def work(uow: UnitOfWork) -> int:
        conn = uow.conn
        line = await require_line(conn, line_id, lock=True)
        _not_posted(line, ["lineId"])
        field = ["applications"]
        seen = [a.entry_no for a in applications]
        if len(set(seen)) != len(seen):
            raise DomainError(ErrorCode.INVALID_INPUT, "an entry is given twice", field)
        ledgers = {a.ledger for a in applications}
        if len(ledgers) > 1:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "one bank line pays entries of one ledger: customer or vendor entries, not both",
                field,
            )
        await _drop_applications(conn, line.id)
        if applications:
            ledger = ledgers.pop()
            party = await _check_entries(
                conn, line, ledger, [(a.entry_no, a.amount) for a in applications], field
            )
            await conn.execute(
                sa.insert(SUGGESTION),
                [
                    {
                        "line_id": line.id,
                        "ledger": ledger.value,
                        "entry_no": a.entry_no,
                        "party_no": party,
                        "amount": a.amount,
                        "confidence": Confidence.NONE.value,
                        "rule": "manual application",
                        "matched_fields": [],
                        "notes": ["applied by a user"],
                        "status": SuggestionStatus.MANUAL.value,
                    }
                    for a in applications
                ],
            )
        await _set_status(conn, line.id)
        return line.id

    return await run_in_transaction(engine, work)


async def transfer_to_gl(
    engine: AsyncEngine, line_id: int, gl_account_no: str, description: str
) -> int:
    """Post the whole line to a G/L account (bank fees, interest) instead of a party."""

    async def work(uow: UnitOfWork) -> int:
        conn = uow.conn
        line = await require_line(conn, line_id, lock=True)
        _not_posted(line, ["lineId"])
        await require_gl_account(conn, gl_account_no, ["glAccountNo"])
        await _drop_applications(conn, line.id)
        await conn.execute(
            sa.insert(SUGGESTION).values(
                line_id=line.id,
                ledger=Ledger.CUSTOMER.value,
                gl_account_no=gl_account_no,
                description=description.strip(),
                amount=line.amount,
                confidence=Confidence.NONE.value,
                rule="transfer to G/L account",
                matched_fields=[],
                notes=[f"the whole line goes to G/L account {gl_account_no}"],
                status=SuggestionStatus.MANUAL.value,
            )
        )
        await _set_status(conn, line.id)
        return line.id

    return await run_in_transaction(engine, work)
