"""BC's unapply order through the real server (issue 20, item 1): an application cannot be
unapplied, nor its payment reversed, while a later application stands on one of its entries
("Before you can unapply this entry, you must first unapply all application entries in Cust.
Ledger Entry No. %1 that were posted after this entry"); undone latest first, it works.
Customers and vendors alike."""

from __future__ import annotations

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
CUSTOMER_ENTRY = """query ($n: Int!) { customerLedgerEntry(entryNo: $n) {
  remainingAmount open } }"""
VENDOR_ENTRIES = """query ($d: String!) { vendorLedgerEntries(documentNo: $d) {
  edges { node { entryNo remainingAmount open } } } }"""
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


async def _customer_case(gql: GraphQLClient) -> tuple[int, int, int]:
    """Invoice 1,000; payment P1 400 applied to it, then payment P2 600: (inv, P1, P2)."""
    await setup_bank(gql)
    await setup_customer(gql, "C1")
    out = await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-03-02", amount="1000.00"
    )
    invoice = int(out["entry"]["entryNo"])
    payments = []
    for doc, amount in (("P1", "-400.00"), ("P2", "-600.00")):
        paid = await post_lines(
            gql,
            [
                {
                    "customerNo": "C1",
                    "documentNo": doc,
                    "amount": amount,
                    "applyTo": [{"entryNo": invoice}],
                }
            ],
        )
        assert paid["errors"] == [], paid
        payments.append(int(paid["entries"][0]["entryNo"]))
    return invoice, payments[0], payments[1]


async def _vendor_case(gql: GraphQLClient) -> tuple[int, int, int]:
    """Purchase invoice 1,000 (-1,000 on the vendor); payments 400 then 600 applied to it."""
    await setup_bank(gql)
    assert (await gql.call(VENDOR, {"i": {"no": "V1", "name": "Vendor"}}))["upsertVendor"][
        "errors"
    ] == []
    purchase = {
        "vendorNo": "V1",
        "documentNo": "PI-1",
        "vendorInvoiceNo": "SUP-1",
        "postingDate": "2026-03-02",
        "lines": [{"amount": "1000.00", "description": "goods"}],
    }
    out = (await gql.call(PURCHASE, {"i": purchase}))["postPurchaseInvoice"]
    assert out["errors"] == [], out
    invoice = int(out["entry"]["entryNo"])
    payments = []
    for doc, amount in (("VP1", "400.00"), ("VP2", "600.00")):
        paid = await post_lines(
            gql,
            [
                {
                    "vendorNo": "V1",
                    "documentNo": doc,
                    "amount": amount,
                    "applyTo": [{"entryNo": invoice}],
                }
            ],
        )
        assert paid["errors"] == [], paid
        payments.append(int(paid["vendorEntries"][0]["entryNo"]))
    return invoice, payments[0], payments[1]


async def _remaining(gql: GraphQLClient, ledger: str, entry_no: int) -> tuple[Decimal, bool]:
    if ledger == "CUSTOMER":
        e = (await gql.call(CUSTOMER_ENTRY, {"n": entry_no}))["customerLedgerEntry"]
        return Decimal(e["remainingAmount"]), bool(e["open"])
    edges = (await gql.call(VENDOR_ENTRIES, {"d": "PI-1"}))["vendorLedgerEntries"]["edges"]
    (node,) = [x["node"] for x in edges if x["node"]["entryNo"] == entry_no]
    return Decimal(node["remainingAmount"]), bool(node["open"])


CASES = {"CUSTOMER": (_customer_case, Decimal(1000)), "VENDOR": (_vendor_case, Decimal(-1000))}


@pytest.mark.parametrize("ledger", list(CASES))
async def test_the_earlier_payment_is_unapplied_only_after_the_later_one(
    gql: GraphQLClient, db_url: str, ledger: str
) -> None:
    case, invoice_amount = CASES[ledger]
    invoice, first, second = await case(gql)
    before = await _counts(db_url)

    refused = (await gql.call(UNAPPLY, {"n": first, "l": ledger}))["unapplyEntries"]

    (error,) = refused["errors"]
    assert error["code"] == "UNAPPLY_LATER_APPLICATION_FIRST"
    assert f"entry {invoice}" in error["message"]
    assert error["field"] == ["input", "entryNo"]
    assert await _counts(db_url) == before  # nothing posted
    later = (await gql.call(UNAPPLY, {"n": second, "l": ledger}))["unapplyEntries"]
    assert later["errors"] == []
    assert await _remaining(gql, ledger, invoice) == (invoice_amount * Decimal("0.6"), True)
    earlier = (await gql.call(UNAPPLY, {"n": first, "l": ledger}))["unapplyEntries"]
    assert earlier["errors"] == []
    assert await _remaining(gql, ledger, invoice) == (invoice_amount, True)
    assert await _unbalanced(db_url) == 0


@pytest.mark.parametrize("ledger", list(CASES))
async def test_a_payment_is_reversed_only_after_the_later_application_is_unapplied(
    gql: GraphQLClient, db_url: str, ledger: str
) -> None:
    case, invoice_amount = CASES[ledger]
    invoice, first, second = await case(gql)
    before = await _counts(db_url)

    refused = (await gql.call(REVERSE, {"n": first, "l": ledger}))["reversePayment"]

    assert [e["code"] for e in refused["errors"]] == ["UNAPPLY_LATER_APPLICATION_FIRST"]
    assert await _counts(db_url) == before
    assert (await gql.call(UNAPPLY, {"n": second, "l": ledger}))["unapplyEntries"]["errors"] == []
    reversed_ = (await gql.call(REVERSE, {"n": first, "l": ledger}))["reversePayment"]
    assert reversed_["errors"] == []
    entries = reversed_["entries" if ledger == "CUSTOMER" else "vendorEntries"]
    original, reversal = entries
    assert original["entryNo"] == first
    assert Decimal(reversal["amount"]) == -Decimal(original["amount"])
    assert [e["open"] for e in entries] == [False, False]
    assert await _remaining(gql, ledger, invoice) == (invoice_amount, True)
    doc = "P1" if ledger == "CUSTOMER" else "VP1"
    bank = await _rows(
        db_url,
        "SELECT amount, description FROM bank_account_ledger_entries WHERE document_no = $1 "
        "ORDER BY entry_no",
        doc,
    )
    assert [r["amount"] for r in bank] == [  # money in for a customer, out to a vendor
        -Decimal(original["amount"]),
        Decimal(original["amount"]),
    ]
    assert bank[1]["description"] == f"Reversal of entry {first}"
    assert await _unbalanced(db_url) == 0
