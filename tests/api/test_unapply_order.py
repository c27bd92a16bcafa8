"""BC's unapply order through the real server (issue 20, item 1): an application cannot be
unapplied, nor its payment reversed, while a later application stands on one of its entries
("Before you can unapply this entry, you must first unapply all application entries in Cust.
Ledger Entry No. %1 that were posted after this entry"); undone latest first, it works.
Customers and vendors alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from tests.api.cash_helpers import post_lines, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer
from tests.conftest import _asyncpg_dsn

UNAPPLY = """mutation ($n: Int!, $l: PartyLedger!) { unapplyEntries(input: {entryNo: $n,
  ledger: $l}) { entries { entryNo } vendorEntries { entryNo } errors { code message field } } }"""
REVERSE = """mutation ($n: Int!, $l: PartyLedger!) { reversePayment(input: {entryNo: $n,
  ledger: $l}) { entries { entryNo amount open } vendorEntries { entryNo amount open }
  errors { code message field } } }"""
VENDOR = """mutation ($i: UpsertVendorInput!) { upsertVendor(input: $i) { errors { code } } }"""
PURCHASE = """mutation ($i: PostPurchaseDocumentInput!) { postPurchaseInvoice(input: $i) {
  entry { entryNo } errors { code message } } }"""
TABLES = (
    "customer_ledger_entries",
    "detailed_customer_ledger_entries",
    "vendor_ledger_entries",
    "detailed_vendor_ledger_entries",
    "gl_entries",
    "bank_account_ledger_entries",
)


async def _rows(db_url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def _counts(db_url: str) -> list[int]:
    rows = await _rows(db_url, "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES))
    return list(rows[0])


async def _unbalanced(db_url: str) -> int:
    rows = await _rows(
        db_url,
        "SELECT count(*) FROM (SELECT transaction_no FROM gl_entries GROUP BY 1 "
        "HAVING sum(amount) <> 0) t",
    )
    return int(rows[0][0])


async def _sales_invoice(gql: GraphQLClient) -> int:
    await setup_customer(gql, "C1")
    out = await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-03-02", amount="1000.00"
    )
    assert out["errors"] == [], out
    return int(out["entry"]["entryNo"])


async def _purchase_invoice(gql: GraphQLClient) -> int:
    vendor = await gql.call(VENDOR, {"i": {"no": "V1", "name": "Vendor"}})
    assert vendor["upsertVendor"]["errors"] == []
    purchase = {
        "vendorNo": "V1",
        "documentNo": "INV-1",
        "vendorInvoiceNo": "SUP-1",
        "postingDate": "2026-03-02",
        "lines": [{"amount": "1000.00", "description": "goods"}],
    }
    out = (await gql.call(PURCHASE, {"i": purchase}))["postPurchaseInvoice"]
    assert out["errors"] == [], out
    return int(out["entry"]["entryNo"])


@dataclass(frozen=True)
class Side:
    """What differs between the two ledgers here: party field, signs, payload and query."""

    party_field: str  # of a journal line
    sign: int  # of an invoice; a payment has the other
    entries: str  # the payload's entry list
    list_query: str
    post_invoice: Callable[[GraphQLClient], Awaitable[int]]


SIDES = {
    "CUSTOMER": Side("customerNo", 1, "entries", "customerLedgerEntries", _sales_invoice),
    "VENDOR": Side("vendorNo", -1, "vendorEntries", "vendorLedgerEntries", _purchase_invoice),
}


async def _case(gql: GraphQLClient, side: Side) -> tuple[int, int, int]:
    """Invoice 1,000; payment P1 400 applied to it, then payment P2 600: (inv, P1, P2)."""
    await setup_bank(gql)
    invoice = await side.post_invoice(gql)
    payments = []
    for doc, amount in (("P1", 400), ("P2", 600)):
        line = {
            side.party_field: "C1" if side.sign > 0 else "V1",
            "documentNo": doc,
            "amount": f"{-side.sign * amount}.00",
            "applyTo": [{"entryNo": invoice}],
        }
        paid = await post_lines(gql, [line])
        assert paid["errors"] == [], paid
        payments.append(int(paid[side.entries][0]["entryNo"]))
    return invoice, payments[0], payments[1]


async def _invoice_state(gql: GraphQLClient, side: Side) -> tuple[Decimal, bool]:
    query = f"""query {{ {side.list_query}(documentNo: "INV-1") {{
      edges {{ node {{ remainingAmount open }} }} }} }}"""
    (edge,) = (await gql.call(query))[side.list_query]["edges"]
    return Decimal(edge["node"]["remainingAmount"]), bool(edge["node"]["open"])


@pytest.mark.parametrize("ledger", list(SIDES))
async def test_the_earlier_payment_is_unapplied_only_after_the_later_one(
    gql: GraphQLClient, db_url: str, ledger: str
) -> None:
    side = SIDES[ledger]
    invoice, first, second = await _case(gql, side)
    before = await _counts(db_url)

    refused = (await gql.call(UNAPPLY, {"n": first, "l": ledger}))["unapplyEntries"]

    (error,) = refused["errors"]
    assert error["code"] == "UNAPPLY_LATER_APPLICATION_FIRST"
    assert f"entry {invoice}" in error["message"]
    assert error["field"] == ["input", "entryNo"]
    assert await _counts(db_url) == before  # nothing posted
    later = (await gql.call(UNAPPLY, {"n": second, "l": ledger}))["unapplyEntries"]
    assert later["errors"] == []
    assert await _invoice_state(gql, side) == (Decimal(side.sign * 600), True)
    earlier = (await gql.call(UNAPPLY, {"n": first, "l": ledger}))["unapplyEntries"]
    assert earlier["errors"] == []
    assert await _invoice_state(gql, side) == (Decimal(side.sign * 1000), True)
    assert await _unbalanced(db_url) == 0


@pytest.mark.parametrize("ledger", list(SIDES))
async def test_a_payment_is_reversed_only_after_the_later_application_is_unapplied(
    gql: GraphQLClient, db_url: str, ledger: str
) -> None:
    side = SIDES[ledger]
    _, first, second = await _case(gql, side)
    before = await _counts(db_url)

    refused = (await gql.call(REVERSE, {"n": first, "l": ledger}))["reversePayment"]

    assert [e["code"] for e in refused["errors"]] == ["UNAPPLY_LATER_APPLICATION_FIRST"]
    assert await _counts(db_url) == before
    assert (await gql.call(UNAPPLY, {"n": second, "l": ledger}))["unapplyEntries"]["errors"] == []
    reversed_ = (await gql.call(REVERSE, {"n": first, "l": ledger}))["reversePayment"]
    assert reversed_["errors"] == []
    entries = reversed_[side.entries]
    original, reversal = entries
    assert original["entryNo"] == first
    assert Decimal(reversal["amount"]) == -Decimal(original["amount"])
    assert [e["open"] for e in entries] == [False, False]
    assert await _invoice_state(gql, side) == (Decimal(side.sign * 1000), True)
    bank = await _rows(
        db_url,
        "SELECT amount, description FROM bank_account_ledger_entries WHERE document_no = $1 "
        "ORDER BY entry_no",
        "P1",
    )
    assert [r["amount"] for r in bank] == [  # money in for a customer, out to a vendor
        -Decimal(original["amount"]),
        Decimal(original["amount"]),
    ]
    assert bank[1]["description"] == f"Reversal of entry {first}"
    assert await _unbalanced(db_url) == 0
