"""Customers and their bank accounts (IBANs feed the bank matching's related-party rule)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain import setup_rules as rules
from domain.errors import DomainError, ErrorCode
from domain.iban import normalize_iban
from store.records import CustomerRecord, from_row
from store.setup import load_setup, party_payment_terms, require_currency
from store.tables import CUSTOMER_BANK_ACCOUNTS as CUSTOMER_IBAN
from store.tables import CUSTOMER_POSTING_GROUPS as POSTING_GROUP
from store.tables import CUSTOMERS as CUSTOMER

LANGUAGES = ("en", "fr")


async def get_customer(conn: AsyncConnection, no: str) -> CustomerRecord | None:
    row = (await conn.execute(sa.select(CUSTOMER).where(CUSTOMER.c.no == no))).one_or_none()
    return None if row is None else from_row(CustomerRecord, row)


async def require_customer(conn: AsyncConnection, no: str, field: list[str]) -> CustomerRecord:
    customer = await get_customer(conn, no)
    if customer is None:
        raise DomainError(ErrorCode.UNKNOWN_CUSTOMER, f"customer {no!r} does not exist", field)
    return customer


async def receivables_account(conn: AsyncConnection, posting_group: str) -> str:
    row = (
        await conn.execute(
            sa.select(POSTING_GROUP.c.receivables_account).where(
                POSTING_GROUP.c.code == posting_group
            )
        )
    ).one_or_none()
    if row is None:
        raise DomainError(
            ErrorCode.UNKNOWN_POSTING_GROUP,
            f"customer posting group {posting_group!r} does not exist",
            ["customerPostingGroup"],
        )
    return str(row.receivables_account)


async def upsert_customer(
    engine: AsyncEngine, no: str, changes: dict[str, Any], ibans: Sequence[str] | None
) -> CustomerRecord:
    no = rules.check_code(no, ["no"])
    async with engine.begin() as conn:
        existing = await get_customer(conn, no)
        base = (
            asdict(existing)
            if existing
            else {
                "no": no,
                "name": no,
                "address": "",
                "email": "",
                "language_code": "en",
                "currency_code": "",
                "payment_terms_code": None,
                "application_method": "MANUAL",
                "customer_posting_group": "DOMESTIC",
                "reminder_terms_code": None,
                "finance_charge_terms_code": None,
            }
        )
        merged = {**base, **changes, "no": no}
        f: list[str] = []
        if not merged["name"].strip():
            raise DomainError(ErrorCode.INVALID_INPUT, "a customer needs a name", [*f, "name"])
        merged["email"] = rules.check_email(merged["email"], [*f, "email"])
        merged["language_code"] = merged["language_code"].lower()
        rules.check_choice(merged["language_code"], LANGUAGES, [*f, "languageCode"])
        rules.check_choice(
            merged["application_method"], rules.APPLICATION_METHODS, [*f, "applicationMethod"]
        )
        if merged["currency_code"]:
            setup = await load_setup(conn)
            if merged["currency_code"] == setup.lcy_code:
                merged["currency_code"] = ""
            else:
                await require_currency(conn, merged["currency_code"], [*f, "currencyCode"])
        merged["payment_terms_code"] = await party_payment_terms(
            conn, merged["payment_terms_code"], [*f, "paymentTermsCode"]
        )
        await receivables_account(conn, merged["customer_posting_group"])
        clean_ibans = None
        if ibans is not None:
            clean_ibans = [
                normalize_iban(iban, [*f, "bankAccounts", str(i), "iban"])
                for i, iban in enumerate(ibans)
            ]
        stmt = insert(CUSTOMER).values(**merged)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[CUSTOMER.c.no],
                set_={k: stmt.excluded[k] for k in merged if k != "no"},
            )
        )
        if clean_ibans is not None:
            await conn.execute(sa.delete(CUSTOMER_IBAN).where(CUSTOMER_IBAN.c.customer_no == no))
            if clean_ibans:
                await conn.execute(
                    insert(CUSTOMER_IBAN).on_conflict_do_nothing(),
                    [{"customer_no": no, "iban": iban} for iban in dict.fromkeys(clean_ibans)],
                )
        return from_row(CustomerRecord, merged)


async def list_customers(
    conn: AsyncConnection, limit: int, after_no: str | None, search: str | None
) -> list[CustomerRecord]:
    query = sa.select(CUSTOMER).order_by(CUSTOMER.c.no).limit(limit)
    if after_no is not None:
        query = query.where(CUSTOMER.c.no > after_no)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(CUSTOMER.c.no.ilike(pattern), CUSTOMER.c.name.ilike(pattern)))
    return [from_row(CustomerRecord, r) for r in await conn.execute(query)]


async def ibans_by_customer(conn: AsyncConnection, nos: Sequence[str]) -> dict[str, list[str]]:
    rows = await conn.execute(
        sa.select(CUSTOMER_IBAN.c.customer_no, CUSTOMER_IBAN.c.iban)
        .where(CUSTOMER_IBAN.c.customer_no.in_(nos))
        .order_by(CUSTOMER_IBAN.c.iban)
    )
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r.customer_no, []).append(r.iban)
    return out


async def customers_by_no(conn: AsyncConnection, nos: Sequence[str]) -> dict[str, CustomerRecord]:
    rows = await conn.execute(sa.select(CUSTOMER).where(CUSTOMER.c.no.in_(nos)))
    return {r.no: from_row(CustomerRecord, r) for r in rows}
