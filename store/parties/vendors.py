"""Vendors and their bank accounts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
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
from store.tables import VENDOR_BANK_ACCOUNTS as VENDOR_IBAN
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
