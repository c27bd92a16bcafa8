"""Vendors, their bank accounts, and reads of the vendor ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain import setup_rules as rules
from domain.errors import DomainError, ErrorCode
from domain.iban import normalize_iban
from domain.ledger import LedgerEntry
from store.parties.ledger_tables import VENDOR_LEDGER
from store.setup import load_setup, party_payment_terms, require_currency
from store.tables import DETAILED_VENDOR_LEDGER_ENTRIES as DVLE
from store.tables import VENDOR_BANK_ACCOUNTS as VENDOR_IBAN
from store.tables import VENDOR_LEDGER_ENTRIES as VLE
from store.tables import VENDOR_POSTING_GROUPS as VENDOR_GROUP
from store.tables import VENDORS as VENDOR


@dataclass(frozen=True, slots=True)
class VendorRecord:
    no: str
    name: str
    currency_code: str
    payment_terms_code: str | None
    application_method: str
    vendor_posting_group: str


def _vendor(row: Any) -> VendorRecord:
    m = row._mapping
    return VendorRecord(**{k: m[k] for k in VendorRecord.__dataclass_fields__})


def _entry(row: Any) -> LedgerEntry:
    return VENDOR_LEDGER.entry(row)


async def get_vendor(conn: AsyncConnection, no: str) -> VendorRecord | None:
    row = (await conn.execute(sa.select(VENDOR).where(VENDOR.c.no == no))).one_or_none()
    return None if row is None else _vendor(row)


async def require_vendor(conn: AsyncConnection, no: str, field: list[str]) -> VendorRecord:
    vendor = await get_vendor(conn, no)
    if vendor is None:
        raise DomainError(ErrorCode.UNKNOWN_VENDOR, f"vendor {no!r} does not exist", field)
    return vendor


async def payables_account(conn: AsyncConnection, group: str) -> str:
    row = (
        await conn.execute(
            sa.select(VENDOR_GROUP.c.payables_account).where(VENDOR_GROUP.c.code == group)
        )
    ).one_or_none()
    if row is None:
        raise DomainError(
            ErrorCode.UNKNOWN_POSTING_GROUP,
            f"vendor posting group {group!r} does not exist",
            ["vendorPostingGroup"],
        )
    return str(row.payables_account)


async def upsert_vendor(
    engine: AsyncEngine, no: str, changes: dict[str, Any], ibans: Sequence[str] | None
) -> VendorRecord:
    no = rules.check_code(no, ["no"])
    async with engine.begin() as conn:
        existing = await get_vendor(conn, no)
        base = (
            asdict(existing)
            if existing
            else {
                "no": no,
                "name": no,
                "currency_code": "",
                "payment_terms_code": None,
                "application_method": "MANUAL",
                "vendor_posting_group": "DOMESTIC",
            }
        )
        merged = {**base, **changes, "no": no}
        if not merged["name"].strip():
            raise DomainError(ErrorCode.INVALID_INPUT, "a vendor needs a name", ["name"])
        rules.check_choice(
            merged["application_method"], rules.APPLICATION_METHODS, ["applicationMethod"]
        )
        if merged["currency_code"]:
            setup = await load_setup(conn)
            if merged["currency_code"] == setup.lcy_code:
                merged["currency_code"] = ""
            else:
                await require_currency(conn, merged["currency_code"], ["currencyCode"])
        merged["payment_terms_code"] = await party_payment_terms(
            conn, merged["payment_terms_code"], ["paymentTermsCode"]
        )
        await payables_account(conn, merged["vendor_posting_group"])
        clean = (
            None
            if ibans is None
            else [
                normalize_iban(iban, ["bankAccounts", str(i), "iban"])
                for i, iban in enumerate(ibans)
            ]
        )
        stmt = insert(VENDOR).values(**merged)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[VENDOR.c.no],
                set_={k: stmt.excluded[k] for k in merged if k != "no"},
            )
        )
        if clean is not None:
            await conn.execute(sa.delete(VENDOR_IBAN).where(VENDOR_IBAN.c.vendor_no == no))
            if clean:
                await conn.execute(
                    insert(VENDOR_IBAN).on_conflict_do_nothing(),
                    [{"vendor_no": no, "iban": iban} for iban in dict.fromkeys(clean)],
                )
        return VendorRecord(**merged)


async def list_vendors(
    conn: AsyncConnection, limit: int, after_no: str | None
) -> list[VendorRecord]:
    query = sa.select(VENDOR).order_by(VENDOR.c.no).limit(limit)
    if after_no is not None:
        query = query.where(VENDOR.c.no > after_no)
    return [_vendor(r) for r in await conn.execute(query)]


async def vendor_ibans(conn: AsyncConnection, no: str) -> list[str]:
    rows = await conn.execute(
        sa.select(VENDOR_IBAN.c.iban)
        .where(VENDOR_IBAN.c.vendor_no == no)
        .order_by(VENDOR_IBAN.c.iban)
    )
    return [r.iban for r in rows]


async def vendor_entry(conn: AsyncConnection, entry_no: int) -> LedgerEntry | None:
    row = (await conn.execute(sa.select(VLE).where(VLE.c.entry_no == entry_no))).one_or_none()
    return None if row is None else _entry(row)


async def vendor_entries_by_no(conn: AsyncConnection, nos: Sequence[int]) -> dict[int, LedgerEntry]:
    if not nos:
        return {}
    rows = await conn.execute(sa.select(VLE).where(VLE.c.entry_no.in_(nos)))
    return {int(r.entry_no): _entry(r) for r in rows}


async def vendor_entries(
    conn: AsyncConnection,
    *,
    vendor_no: str | None,
    document_no: str | None,
    open_only: bool | None,
    limit: int,
    after_entry_no: int | None,
) -> list[LedgerEntry]:
    query = sa.select(VLE).order_by(VLE.c.entry_no).limit(limit)
    if vendor_no is not None:
        query = query.where(VLE.c.vendor_no == vendor_no)
    if document_no is not None:
        query = query.where(VLE.c.document_no == document_no)
    if open_only is not None:
        query = query.where(VLE.c.open.is_(open_only))
    if after_entry_no is not None:
        query = query.where(VLE.c.entry_no > after_entry_no)
    return [_entry(r) for r in await conn.execute(query)]


async def open_vendor_entries(
    conn: AsyncConnection,
    vendor_no: str,
    as_of: date | None,
    limit: int,
    after: tuple[date, int] | None,
) -> list[LedgerEntry]:
    """Open entries by due date; with as_of, remaining = Σ detailed entries up to that date."""
    query = sa.select(VLE).where(VLE.c.vendor_no == vendor_no)
    if as_of is None:
        query = query.where(VLE.c.open)
    else:
        rem = (
            sa.select(sa.func.coalesce(sa.func.sum(DVLE.c.amount), 0))
            .where(DVLE.c.vendor_ledger_entry_no == VLE.c.entry_no, DVLE.c.posting_date <= as_of)
            .scalar_subquery()
        )
        query = sa.select(VLE, rem.label("rem")).where(
            VLE.c.vendor_no == vendor_no, VLE.c.posting_date <= as_of, rem != 0
        )
    if after is not None:
        query = query.where(sa.tuple_(VLE.c.due_date, VLE.c.entry_no) > sa.tuple_(*after))
    rows = await conn.execute(query.order_by(VLE.c.due_date, VLE.c.entry_no).limit(limit))
    out = []
    for r in rows:
        entry = _entry(r)
        if as_of is not None:
            entry = replace(entry, remaining_amount=r.rem, open=True)
        out.append(entry)
    return out


async def vendor_balance(
    conn: AsyncConnection, vendor_no: str, currency_code: str, as_of: date | None
) -> Decimal:
    query = sa.select(sa.func.coalesce(sa.func.sum(DVLE.c.amount), 0)).where(
        DVLE.c.vendor_no == vendor_no, DVLE.c.currency_code == currency_code
    )
    if as_of is not None:
        query = query.where(DVLE.c.posting_date <= as_of)
    return Decimal((await conn.execute(query)).scalar_one())


async def vendor_entries_of_application(
    conn: AsyncConnection, application_no: int
) -> list[LedgerEntry]:
    nos = sa.select(DVLE.c.vendor_ledger_entry_no).where(DVLE.c.application_no == application_no)
    rows = await conn.execute(
        sa.select(VLE).where(VLE.c.entry_no.in_(nos)).order_by(VLE.c.entry_no)
    )
    return [_entry(r) for r in rows]
