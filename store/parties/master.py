"""Customers and vendors (the parties of the two ledgers) and their bank accounts: one set of
reads and one upsert over a party descriptor. IBANs feed the bank matching's related-party
rule.

The two differ in the fields only customers have (address, e-mail, language, reminder and
finance charge terms), checked by `Party.check_own`; everything else (name, currency,
payment terms, application method, posting group, IBANs) is validated alike, in the same
order, with the same error codes and fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain import setup_rules as rules
from domain.errors import DomainError, ErrorCode
from domain.iban import normalize_iban
from domain.ledger import Ledger
from store.parties.ledger_tables import LEDGERS
from store.records import CustomerRecord, VendorRecord, from_row
from store.setup import load_setup, party_payment_terms, require_currency
from store.tables import CUSTOMER_BANK_ACCOUNTS, CUSTOMERS, VENDOR_BANK_ACCOUNTS, VENDORS

R = TypeVar("R", CustomerRecord, VendorRecord)

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Party(Generic[R]):
    kind: Ledger
    table: sa.Table
    ibans: sa.Table
    iban_owner: str  # the IBAN table's party column
    record: type[R]
    new: Mapping[str, Any]  # a new party's fields but no. and name, before the changes
    unknown: ErrorCode
    group_field: str  # the posting group's input field
    check_own: Callable[[dict[str, Any]], None]  # the fields only this kind of party has

    @property
    def group_col(self) -> str:
        return LEDGERS[self.kind].group_col


def _customer_fields(merged: dict[str, Any]) -> None:
    merged["email"] = rules.check_email(merged["email"], ["email"])
    merged["language_code"] = merged["language_code"].lower()
    rules.check_choice(merged["language_code"], LANGUAGES, ["languageCode"])


def _no_own_fields(merged: dict[str, Any]) -> None:
    return None


CUSTOMER = Party(
    kind=Ledger.CUSTOMER,
    table=CUSTOMERS,
    ibans=CUSTOMER_BANK_ACCOUNTS,
    iban_owner="customer_no",
    record=CustomerRecord,
    new={
        "address": "",
        "email": "",
        "language_code": "en",
        "currency_code": "",
        "payment_terms_code": None,
        "application_method": "MANUAL",
        "customer_posting_group": "DOMESTIC",
        "reminder_terms_code": None,
        "finance_charge_terms_code": None,
    },
    unknown=ErrorCode.UNKNOWN_CUSTOMER,
    group_field="customerPostingGroup",
    check_own=_customer_fields,
)
VENDOR = Party(
    kind=Ledger.VENDOR,
    table=VENDORS,
    ibans=VENDOR_BANK_ACCOUNTS,
    iban_owner="vendor_no",
    record=VendorRecord,
    new={
        "currency_code": "",
        "payment_terms_code": None,
        "application_method": "MANUAL",
        "vendor_posting_group": "DOMESTIC",
    },
    unknown=ErrorCode.UNKNOWN_VENDOR,
    group_field="vendorPostingGroup",
    check_own=_no_own_fields,
)


async def get_party(conn: AsyncConnection, party: Party[R], no: str) -> R | None:
    t = party.table
    row = (await conn.execute(sa.select(t).where(t.c.no == no))).one_or_none()
    return None if row is None else from_row(party.record, row)


async def require_party(conn: AsyncConnection, party: Party[R], no: str, field: list[str]) -> R:
    found = await get_party(conn, party, no)
    if found is None:
        word = party.kind.word
        raise DomainError(party.unknown, f"{word} {no!r} does not exist", field)
    return found


async def posting_account(conn: AsyncConnection, party: Party[R], group: str) -> str:
    """The receivables (customers) or payables (vendors) account of a posting group."""
    tables = LEDGERS[party.kind]
    account = tables.groups.c[tables.group_account_col]
    row = (
        await conn.execute(sa.select(account).where(tables.groups.c.code == group))
    ).one_or_none()
    if row is None:
        raise DomainError(
            ErrorCode.UNKNOWN_POSTING_GROUP,
            f"{party.kind.word} posting group {group!r} does not exist",
            [party.group_field],
        )
    return str(row[0])


async def upsert_party(
    engine: AsyncEngine,
    party: Party[R],
    no: str,
    changes: dict[str, Any],
    ibans: Sequence[str] | None,
) -> R:
    """Create or change a party (only the fields in `changes`); `ibans`, when given, replace
    its bank accounts."""
    no = rules.check_code(no, ["no"])
    async with engine.begin() as conn:
        existing = await get_party(conn, party, no)
        base = asdict(existing) if existing else {"no": no, "name": no, **party.new}
        merged = {**base, **changes, "no": no}
        if not merged["name"].strip():
            raise DomainError(
                ErrorCode.INVALID_INPUT, f"a {party.kind.word} needs a name", ["name"]
            )
        party.check_own(merged)
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
        await posting_account(conn, party, merged[party.group_col])
        clean = (
            None
            if ibans is None
            else [
                normalize_iban(iban, ["bankAccounts", str(i), "iban"])
                for i, iban in enumerate(ibans)
            ]
        )
        t = party.table
        stmt = insert(t).values(**merged)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[t.c.no],
                set_={k: stmt.excluded[k] for k in merged if k != "no"},
            )
        )
        if clean is not None:
            owner = party.ibans.c[party.iban_owner]
            await conn.execute(sa.delete(party.ibans).where(owner == no))
            if clean:
                await conn.execute(
                    insert(party.ibans).on_conflict_do_nothing(),
                    [{party.iban_owner: no, "iban": iban} for iban in dict.fromkeys(clean)],
                )
        return from_row(party.record, merged)


async def list_parties(
    conn: AsyncConnection,
    party: Party[R],
    limit: int,
    after_no: str | None,
    search: str | None = None,
) -> list[R]:
    """A page of parties by no.; `search` matches no. or name (case-insensitive)."""
    t = party.table
    query = sa.select(t).order_by(t.c.no).limit(limit)
    if after_no is not None:
        query = query.where(t.c.no > after_no)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(t.c.no.ilike(pattern), t.c.name.ilike(pattern)))
    return [from_row(party.record, r) for r in await conn.execute(query)]


async def ibans_by_party(
    conn: AsyncConnection, party: Party[R], nos: Sequence[str]
) -> dict[str, list[str]]:
    owner = party.ibans.c[party.iban_owner]
    rows = await conn.execute(
        sa.select(owner, party.ibans.c.iban).where(owner.in_(nos)).order_by(party.ibans.c.iban)
    )
    out: dict[str, list[str]] = {}
    for no, iban in rows:
        out.setdefault(no, []).append(iban)
    return out
