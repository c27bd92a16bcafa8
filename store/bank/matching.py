"""Feeds the matching engine from both ledgers (customers and vendors) and keeps its
proposals as journal suggestions.

Open entries, their parties' names and IBANs, and the text mappings are read in one query each
(never per line), so a statement of thousands of lines is matched in one pass; entries already
promised to an accepted, unposted line only offer what is left of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.ledger import LedgerEntry
from domain.matching import Confidence, Ledger, MatchEntry, MatchLine, Suggestion, TextMapping
from domain.matching import suggest as run_matcher
from store.bank.records import APPLIED, LineStatus, SuggestionStatus
from store.parties.ledger_tables import CUSTOMER_LEDGER, VENDOR_LEDGER, LedgerTables
from store.setup import load_setup
from store.tables import BANK_STATEMENT_LINES as LINE
from store.tables import BANK_STATEMENTS as STATEMENT
from store.tables import BANK_SUGGESTIONS as SUGGESTION
from store.tables import BANK_TEXT_MAPPINGS as TEXT_MAPPING
from store.tables import CUSTOMER_BANK_ACCOUNTS, CUSTOMERS, VENDOR_BANK_ACCOUNTS, VENDORS

_WORKING = (LineStatus.OPEN.value, LineStatus.SUGGESTED.value)


@dataclass(frozen=True)
class _Parties:
    """Where a ledger's parties and their IBANs live."""

    entries: LedgerTables
    parties: sa.Table
    ibans: sa.Table
    iban_party_col: str


_SOURCES = {
    Ledger.CUSTOMER: _Parties(
        CUSTOMER_LEDGER,
        CUSTOMERS,
        CUSTOMER_BANK_ACCOUNTS,
        "customer_no",
    ),
    Ledger.VENDOR: _Parties(
        VENDOR_LEDGER,
        VENDORS,
        VENDOR_BANK_ACCOUNTS,
        "vendor_no",
    ),
}


def store_ledger(ledger: Ledger | str) -> LedgerTables:
    """The store's descriptor (tables, columns) of a matching ledger."""
    return _SOURCES[Ledger(ledger)].entries


async def entries_by_key(
    conn: AsyncConnection, ledger: Ledger | str, nos: Sequence[int]
) -> dict[int, LedgerEntry]:
    """Entries of one ledger by entry no."""
    if not nos:
        return {}
    source = store_ledger(ledger)
    rows = await conn.execute(sa.select(*source.columns).where(source.entries.c.entry_no.in_(nos)))
    return {int(r.entry_no): source.record(r) for r in rows}


async def reserved_amounts(
    conn: AsyncConnection,
    ledger: Ledger,
    entry_nos: Sequence[int] | None,
    exclude_line_id: int | None = None,
) -> dict[int, Decimal]:
    """Σ of accepted or manual applications on lines not posted yet, per entry of the ledger
    (signed like the entry's remaining amount)."""
    query = (
        sa.select(SUGGESTION.c.entry_no, sa.func.sum(SUGGESTION.c.amount).label("amount"))
        .join(LINE, LINE.c.id == SUGGESTION.c.line_id)
        .where(
            SUGGESTION.c.status.in_(APPLIED),
            SUGGESTION.c.entry_no.is_not(None),
            SUGGESTION.c.ledger == ledger.value,
            LINE.c.status != LineStatus.POSTED.value,
        )
        .group_by(SUGGESTION.c.entry_no)
    )
    if entry_nos is not None:
        query = query.where(SUGGESTION.c.entry_no.in_(entry_nos))
    if exclude_line_id is not None:
        query = query.where(SUGGESTION.c.line_id != exclude_line_id)
    return {int(r.entry_no): r.amount for r in await conn.execute(query)}


async def open_entries(conn: AsyncConnection, ledger: Ledger) -> list[MatchEntry]:
    """Every open entry of the ledger with its party's name and IBANs (three queries)."""
    source = _SOURCES[ledger]
    table, party_col = source.entries.entries, source.entries.party_col
    reserved = await reserved_amounts(conn, ledger, None)
    rows = await conn.execute(
        sa.select(table, source.parties.c.name.label("party_name"))
        .join(source.parties, source.parties.c.no == table.c[party_col])
        .where(table.c.open)
        .order_by(table.c.entry_no)
    )
    entries = list(rows)
    ibans: dict[str, list[str]] = {}
    owner = source.ibans.c[source.iban_party_col]
    iban_rows = await conn.execute(
        sa.select(owner.label("party_no"), source.ibans.c.iban).where(
            owner.in_(sa.select(table.c[party_col]).where(table.c.open).distinct())
        )
    )
    for r in iban_rows:
        ibans.setdefault(r.party_no, []).append(r.iban)
    out: list[MatchEntry] = []
    for r in entries:
        remaining = r.remaining_amount - reserved.get(r.entry_no, Decimal(0))
        if remaining == 0 or (remaining > 0) != (r.remaining_amount > 0):
            continue
        party = r._mapping[party_col]
        out.append(
            MatchEntry(
                entry_no=r.entry_no,
                ledger=ledger,
                party_no=party,
                party_name=r.party_name,
                document_type=r.document_type,
                document_no=r.document_no,
                external_document_no=r.external_document_no,
                posting_date=r.posting_date,
                due_date=r.due_date,
                remaining_amount=remaining,
                currency_code=r.currency_code,
                party_ibans=tuple(sorted(ibans.get(party, ()))),
                remaining_pmt_disc_possible=r.remaining_pmt_disc_possible
                if remaining == r.remaining_amount
                else Decimal(0),
                pmt_discount_date=r.pmt_discount_date,
            )
        )
    return out


async def text_mappings(conn: AsyncConnection) -> list[TextMapping]:
    rows = await conn.execute(sa.select(TEXT_MAPPING).order_by(TEXT_MAPPING.c.mapping_text))
    return [
        TextMapping(
            mapping_text=r.mapping_text, gl_account_no=r.gl_account_no, description=r.description
        )
        for r in rows
    ]


def _row(s: Suggestion) -> dict[str, object]:
    entry = s.entry
    return {
        "line_id": s.line_id,
        "ledger": entry.ledger.value if entry else Ledger.CUSTOMER.value,
        "entry_no": entry.entry_no if entry else None,
        "party_no": entry.party_no if entry else None,
        "gl_account_no": s.gl_account_no,
        "description": "",
        "amount": s.amount,
        "score": s.score,
        "confidence": s.confidence.value,
        "rule": s.explanation.rule,
        "matched_fields": list(s.explanation.matched_fields),
        "notes": list(s.explanation.notes),
        "status": SuggestionStatus.PROPOSED.value,
    }


async def refresh_suggestions(conn: AsyncConnection, statement_ids: Sequence[int]) -> int:
    """Re-run the matcher for the statements' lines that are OPEN or SUGGESTED.

    Their PROPOSED suggestions are replaced; accepted, manual and rejected ones stay, and a
    proposal the user rejected on a line is not proposed again for it. Returns the number of
    lines that got at least one suggestion above NONE.
    """
    rows = list(
        await conn.execute(
            sa.select(LINE, STATEMENT.c.statement_date)
            .join(STATEMENT, STATEMENT.c.id == LINE.c.statement_id)
            .where(LINE.c.statement_id.in_(statement_ids), LINE.c.status.in_(_WORKING))
            .order_by(LINE.c.id)
            .with_for_update(of=LINE)
        )
    )
    if not rows:
        return 0
    line_ids = [r.id for r in rows]
    await conn.execute(
        sa.delete(SUGGESTION).where(
            SUGGESTION.c.line_id.in_(line_ids),
            SUGGESTION.c.status == SuggestionStatus.PROPOSED.value,
        )
    )
    rejected = {
        (r.line_id, r.ledger, r.entry_no, r.gl_account_no)
        for r in await conn.execute(
            sa.select(
                SUGGESTION.c.line_id,
                SUGGESTION.c.ledger,
                SUGGESTION.c.entry_no,
                SUGGESTION.c.gl_account_no,
            ).where(
                SUGGESTION.c.line_id.in_(line_ids),
                SUGGESTION.c.status == SuggestionStatus.REJECTED.value,
            )
        )
    }
    lcy = (await load_setup(conn)).lcy_code
    lines = [
        MatchLine(
            line_id=r.id,
            amount=r.amount,
            booking_date=r.booking_date or r.value_date or r.statement_date,
            currency_code="" if r.currency_code == lcy else r.currency_code,
            counterparty_name=r.counterparty_name,
            counterparty_iban=r.counterparty_iban,
            text=r.description,
        )
        for r in rows
        if r.amount != 0 and (r.booking_date or r.value_date or r.statement_date)
    ]
    entries = [e for ledger in Ledger for e in await open_entries(conn, ledger)]
    found = run_matcher(lines, entries, await text_mappings(conn))
    kept = [
        s
        for s in found
        if (
            s.line_id,
            s.entry.ledger.value if s.entry else Ledger.CUSTOMER.value,
            s.entry.entry_no if s.entry else None,
            s.gl_account_no,
        )
        not in rejected
    ]
    if kept:
        await conn.execute(sa.insert(SUGGESTION), [_row(s) for s in kept])
    suggested = sorted({s.line_id for s in kept if s.confidence is not Confidence.NONE})
    if suggested:
        await conn.execute(
            sa.update(LINE)
            .where(LINE.c.id.in_(suggested))
            .values(status=LineStatus.SUGGESTED.value)
        )
    others = sorted(set(line_ids) - set(suggested))
    if others:
        await conn.execute(
            sa.update(LINE).where(LINE.c.id.in_(others)).values(status=LineStatus.OPEN.value)
        )
    return len(suggested)
