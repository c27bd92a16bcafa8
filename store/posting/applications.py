"""Where the application engine meets the database: lock and load entries as engine states,
then write back exactly what the engine returned (detailed entries, cached fields, G/L)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from operator import attrgetter

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.application import (
    ApplicationResult,
    ApplicationSetup,
    ApplnBetweenCurrencies,
    DetailedEntry,
    DetailedEntryType,
    DocumentType,
    GlRole,
    LedgerEntryState,
)
from domain.errors import DomainError, ErrorCode
from domain.ledger import LedgerEntry
from domain.money import ExchangeRate, rate_on
from domain.sales_posting import GlPostingLine
from store.parties.ledger_tables import CUSTOMER_LEDGER, LedgerTables
from store.posting.writer import any_of, insert_gl, insert_rows, update_rows
from store.records import CompanySetupRecord
from store.tables import CURRENCIES as CURRENCY
from store.tables import EXCHANGE_RATES as RATE


async def next_application_no(conn: AsyncConnection) -> int:
    return int((await conn.execute(sa.text("SELECT nextval('application_no_seq')"))).scalar_one())


async def lock_entries(
    conn: AsyncConnection, entry_nos: Iterable[int], ledger: LedgerTables = CUSTOMER_LEDGER
) -> dict[int, LedgerEntry]:
    """SELECT … FOR UPDATE in entry-no. order, so concurrent postings never deadlock."""
    nos = sorted(set(entry_nos))
    if not nos:
        return {}
    t = ledger.entries
    rows = await conn.execute(
        sa.select(*ledger.columns)
        .where(t.c.entry_no.in_(nos))
        .order_by(t.c.entry_no)
        .with_for_update()
    )
    return {r.entry_no: ledger.record(r) for r in rows}


async def lock_open_entries(
    conn: AsyncConnection, party_no: str, ledger: LedgerTables = CUSTOMER_LEDGER
) -> dict[int, LedgerEntry]:
    t = ledger.entries
    rows = await conn.execute(
        sa.select(*ledger.columns)
        .where(t.c[ledger.party_col] == party_no, t.c.open)
        .order_by(t.c.entry_no)
        .with_for_update()
    )
    return {r.entry_no: ledger.record(r) for r in rows}


async def lock_batch(
    conn: AsyncConnection,
    entry_nos: Iterable[int],
    open_of: Iterable[str] = (),
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> dict[int, LedgerEntry]:
    """One `FOR UPDATE` for a whole batch, in entry-no. order: the given entries and every
    open entry of the `open_of` parties (their apply-to-oldest candidates)."""
    nos, parties = sorted(set(entry_nos)), sorted(set(open_of))
    if not nos and not parties:
        return {}
    t = ledger.entries
    wanted: list[sa.ColumnElement[bool]] = []
    if nos:
        wanted.append(any_of(t.c.entry_no, nos))
    if parties:
        wanted.append(sa.and_(any_of(t.c[ledger.party_col], parties), t.c.open))
    rows = await conn.execute(
        sa.select(*ledger.columns).where(sa.or_(*wanted)).order_by(t.c.entry_no).with_for_update()
    )
    return {r.entry_no: LedgerEntry(*r) for r in rows}


_DOCUMENT_TYPES = {t.value: t for t in DocumentType}


def state_of(r: LedgerEntry) -> LedgerEntryState:
    return LedgerEntryState(
        entry_no=r.entry_no,
        party_no=r.party_no,
        document_type=_DOCUMENT_TYPES[r.document_type],
        document_no=r.document_no,
        posting_date=r.posting_date,
        due_date=r.due_date,
        amount=r.amount,
        remaining_amount=r.remaining_amount,
        amount_lcy=r.amount_lcy,
        remaining_amount_lcy=r.remaining_amount_lcy,
        currency_code=r.currency_code,
        original_rate=r.currency_factor,
        unrealized_lcy=r.unrealized_lcy,
        pmt_discount_date=r.pmt_discount_date,
        pmt_disc_tolerance_date=r.pmt_disc_tolerance_date,
        original_pmt_disc_possible=r.original_pmt_disc_possible,
        remaining_pmt_disc_possible=r.remaining_pmt_disc_possible,
        max_payment_tolerance=r.max_payment_tolerance,
        posting_group=r.posting_group,
        open=r.open,
    )


async def application_setup(conn: AsyncConnection, setup: CompanySetupRecord) -> ApplicationSetup:
    rows = await conn.execute(sa.select(CURRENCY.c.code, CURRENCY.c.amount_rounding_precision))
    return ApplicationSetup(
        appln_between_currencies=ApplnBetweenCurrencies(setup.appln_between_currencies),
        payment_tolerance_warning=setup.payment_tolerance_warning,
        payment_discount_tolerance_warning=setup.payment_discount_tolerance_warning,
        appln_rounding_precision=setup.appln_rounding_precision,
        lcy_precision=setup.amount_rounding_precision,
        currency_precisions=tuple((r.code, r.amount_rounding_precision) for r in rows),
    )


async def rates_on(
    conn: AsyncConnection, currencies: Iterable[str], on: date
) -> dict[str, Decimal]:
    """LCY per unit of each foreign currency on a date (for cross-currency applications)."""
    codes = sorted({c for c in currencies if c})
    if not codes:
        return {}
    rows = await conn.execute(sa.select(RATE).where(RATE.c.currency_code.in_(codes)))
    rates = [ExchangeRate(r.currency_code, r.starting_date, r.rate) for r in rows]
    out: dict[str, Decimal] = {}
    for code in codes:
        try:
            out[code] = rate_on(rates, code, on)
        except DomainError:
            continue  # only needed across currencies; the engine says so if it is missing
    return out


async def receivables_accounts(
    conn: AsyncConnection, ledger: LedgerTables = CUSTOMER_LEDGER
) -> dict[str, str]:
    """Posting group -> receivables (customers) or payables (vendors) account."""
    rows = await conn.execute(sa.select(ledger.groups))
    return {r.code: r._mapping[ledger.group_account_col] for r in rows}


def _account(
    role: GlRole,
    group: str,
    setup: CompanySetupRecord,
    receivables: Mapping[str, str],
    balancing: str | None,
) -> str:
    if role is GlRole.PARTY:
        return receivables[group]
    if role is GlRole.BALANCING:
        if balancing is None:
            raise AssertionError("a reversal needs the original balancing account")
        return balancing
    return {
        GlRole.PAYMENT_DISCOUNT: setup.payment_discount_account,
        GlRole.PAYMENT_TOLERANCE: setup.payment_tolerance_account,
        GlRole.PAYMENT_DISCOUNT_TOLERANCE: setup.payment_tolerance_account,
        GlRole.REALIZED_GAIN: setup.realized_gains_account,
        GlRole.REALIZED_LOSS: setup.realized_losses_account,
        GlRole.UNREALIZED_GAIN: setup.unrealized_gains_account,
        GlRole.UNREALIZED_LOSS: setup.unrealized_losses_account,
        GlRole.APPLN_ROUNDING: setup.appln_rounding_account,
    }[role]


RECORD_FIELDS = tuple(LedgerEntry.__dataclass_fields__)
CACHED = (
    "remaining_amount",
    "remaining_amount_lcy",
    "remaining_pmt_disc_possible",
    "unrealized_lcy",
    "open",
    "closed_at_date",
    "closed_by_entry_no",
)


def booked(result: ApplicationResult, records: Mapping[int, LedgerEntry]) -> dict[int, LedgerEntry]:
    """The records of the entries the result changes, as they are once it is posted."""
    posting_date = result.detailed[0].posting_date if result.detailed else None
    closer = next(
        (
            d.entry_no
            for d in result.detailed
            if d.entry_type is DetailedEntryType.APPLICATION and d.amount != 0
        ),
        None,
    )
    out = {}
    for update in result.entries:
        before = records[update.entry_no]
        closed_at, closed_by = before.closed_at_date, before.closed_by_entry_no
        if before.open and not update.open:
            closed_at = posting_date
            closed_by = _closed_by(result.detailed, update.entry_no, closer)
        elif update.open and not before.open:
            closed_at, closed_by = None, None
        # dataclasses.replace, without its generic checks (a batch calls this per entry)
        values = list(_ALL_FIELDS(before))
        values[_REMAINING] = update.remaining_amount
        values[_REMAINING_LCY] = update.remaining_amount_lcy
        values[_DISC_POSSIBLE] = update.remaining_pmt_disc_possible
        values[_UNREALIZED] = update.unrealized_lcy
        values[_OPEN] = update.open
        values[_CLOSED_AT] = closed_at
        values[_CLOSED_BY] = closed_by
        out[update.entry_no] = LedgerEntry(*values)
    return out


_ALL_FIELDS = attrgetter(*RECORD_FIELDS)
_REMAINING, _REMAINING_LCY, _DISC_POSSIBLE, _UNREALIZED, _OPEN, _CLOSED_AT, _CLOSED_BY = (
    RECORD_FIELDS.index(f) for f in CACHED
)


def detailed_rows(
    result: ApplicationResult,
    records: Mapping[int, LedgerEntry],
    *,
    transaction_no: int,
    document_type: str,
    document_no: str,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> list[dict[str, object]]:
    return [
        {
            ledger.entry_fk: d.entry_no,
            ledger.party_col: records[d.entry_no].party_no,
            "entry_type": d.entry_type.value,
            "posting_date": d.posting_date,
            "document_type": document_type,
            "document_no": document_no,
            "currency_code": d.currency_code,
            "amount": d.amount,
            "amount_lcy": d.amount_lcy,
            ledger.applied_col: d.applied_entry_no,
            "application_no": result.application_id,
            "pmt_disc_possible_delta": d.pmt_disc_possible_delta,
            "unapplied": d.unapplied,
            "unapplies_application_no": d.unapplies_application_id,
            "transaction_no": transaction_no,
        }
        for d in result.detailed
    ]


def gl_lines(
    result: ApplicationResult,
    records: Mapping[int, LedgerEntry],
    *,
    setup: CompanySetupRecord,
    description: str,
    receivables: Mapping[str, str],
    balancing_account: str | None = None,
) -> list[GlPostingLine]:
    """The result's G/L, one line per account (roles mapped to the setup's accounts)."""
    return _merge(
        [
            GlPostingLine(
                _account(
                    g.role,
                    records[g.entry_no].posting_group,
                    setup,
                    receivables,
                    balancing_account,
                ),
                g.amount_lcy,
                description,
            )
            for g in result.gl
        ]
    )


async def update_entries(
    conn: AsyncConnection,
    records: Iterable[LedgerEntry],
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> None:
    """Write the cached fields of these entries in one statement."""
    rows = list(records)
    columns = {c: [getattr(r, c) for r in rows] for c in ("entry_no", *CACHED)}
    await update_rows(conn, ledger.entries, columns)


async def persist(
    conn: AsyncConnection,
    result: ApplicationResult,
    records: Mapping[int, LedgerEntry],
    *,
    setup: CompanySetupRecord,
    transaction_no: int,
    document_type: str,
    document_no: str,
    description: str,
    balancing_account: str | None = None,
    receivables: Mapping[str, str] | None = None,
    ledger: LedgerTables = CUSTOMER_LEDGER,
) -> None:
    """Insert the result's detailed entries and G/L; update the entries' cached fields."""
    rows = detailed_rows(
        result,
        records,
        transaction_no=transaction_no,
        document_type=document_type,
        document_no=document_no,
        ledger=ledger,
    )
    await insert_rows(conn, ledger.detailed, rows)
    undone = {d.unapplies_application_id for d in result.detailed if d.unapplies_application_id}
    if undone:
        dt = ledger.detailed
        await conn.execute(
            sa.update(dt)
            .where(dt.c.application_no.in_(undone), dt.c.unapplies_application_no.is_(None))
            .values(unapplied=True)
        )
    await update_entries(conn, booked(result, records).values(), ledger)
    if result.gl:
        await insert_gl(
            conn,
            gl_lines(
                result,
                records,
                setup=setup,
                description=description,
                receivables=receivables or await receivables_accounts(conn, ledger),
                balancing_account=balancing_account,
            ),
            posting_date=result.detailed[0].posting_date if result.detailed else date.today(),
            document_type=document_type,
            document_no=document_no,
            transaction_no=transaction_no,
            source_type=ledger.name,
            source_no=next(iter(records.values())).party_no,
        )


def _closed_by(
    detailed: Sequence[DetailedEntry], entry_no: int, fallback: int | None
) -> int | None:
    for d in detailed:
        if d.entry_no == entry_no and d.applied_entry_no is not None:
            return d.applied_entry_no
    return fallback


def _merge(lines: Sequence[GlPostingLine]) -> list[GlPostingLine]:
    """One G/L line per account (the engine gives one per detailed entry)."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.account_no] = totals.get(line.account_no, Decimal(0)) + line.amount_lcy
    description = lines[0].description if lines else ""
    return [GlPostingLine(a, v, description) for a, v in totals.items() if v != 0]


def detailed_of(
    rows: Iterable[sa.Row[object]], ledger: LedgerTables = CUSTOMER_LEDGER
) -> list[DetailedEntry]:
    out = []
    for r in rows:
        m = r._mapping
        out.append(
            DetailedEntry(
                entry_no=m[ledger.entry_fk],
                entry_type=DetailedEntryType(m["entry_type"]),
                posting_date=m["posting_date"],
                currency_code=m["currency_code"],
                amount=m["amount"],
                amount_lcy=m["amount_lcy"],
                applied_entry_no=m[ledger.applied_col],
                application_id=m["application_no"],
                pmt_disc_possible_delta=m["pmt_disc_possible_delta"],
                unapplied=m["unapplied"],
                unapplies_application_id=m["unapplies_application_no"],
            )
        )
    return out


def not_found(entry_no: int, field: list[str]) -> DomainError:
    return DomainError(ErrorCode.ENTRY_NOT_FOUND, f"ledger entry {entry_no} does not exist", field)
