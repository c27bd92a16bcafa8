"""Vendors and purchase documents: the mirror image of the sales side, on its own ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from schwifty import IBAN
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.api.conftest import GraphQLClient
from tests.conftest import _asyncpg_dsn

VENDOR = """mutation ($i: UpsertVendorInput!) { upsertVendor(input: $i) {
  vendor { no name bankAccounts { iban } } errors { code message field } } }"""
INVOICE = """mutation ($i: PostPurchaseDocumentInput!) { postPurchaseInvoice(input: $i) {
  replayed entry { entryNo amount remainingAmount vendorInvoiceNo dueDate open documentType }
  errors { code message field } } }"""
CREDIT = """mutation ($i: PostPurchaseDocumentInput!) { postPurchaseCreditMemo(input: $i) {
  entry { entryNo amount } errors { code message field } } }"""


@pytest.fixture
async def supplier(gql: GraphQLClient) -> GraphQLClient:
    out = await gql.call(
        VENDOR,
        {
            "i": {
                "no": "V1",
                "name": "Supplier One",
                "bankAccounts": [{"iban": "DE89370400440532013000"}],
            }
        },
    )
    assert out["upsertVendor"]["errors"] == []
    return gql


async def test_purchase_invoice_is_negative_on_the_vendor_with_balanced_gl(
    supplier: GraphQLClient,
) -> None:
    out = (
        await supplier.call(
            INVOICE,
            {
                "i": {
                    "vendorNo": "V1",
                    "documentNo": "PI-1",
                    "vendorInvoiceNo": "SUP-77",
                    "postingDate": "2026-03-10",
                    "lines": [{"amount": "100.00", "vatPct": "20", "description": "Paper"}],
                }
            },
        )
    )["postPurchaseInvoice"]
    assert out["errors"] == []
    assert out["entry"]["amount"] == "-120.00"
    assert out["entry"]["vendorInvoiceNo"] == "SUP-77"
    gl = (await supplier.call('{ glEntries(documentNo: "PI-1") { glAccountNo amount } }'))[
        "glEntries"
    ]
    assert {g["glAccountNo"]: g["amount"] for g in gl} == {
        "2100": "-120.00",
        "6000": "100.00",
        "1500": "20.00",
    }
    assert sum(Decimal(g["amount"]) for g in gl) == 0
    data = await supplier.call('{ vendor(no: "V1") { balance bankAccounts { iban } } }')
    assert data["vendor"]["balance"] == "-120.00"


async def test_credit_memo_is_positive_and_open_entries_follow_as_of(
    supplier: GraphQLClient,
) -> None:
    await supplier.call(
        INVOICE,
        {
            "i": {
                "vendorNo": "V1",
                "documentNo": "PI-1",
                "vendorInvoiceNo": "S1",
                "postingDate": "2026-03-10",
                "amount": "50.00",
            }
        },
    )
    out = await supplier.call(
        CREDIT,
        {
            "i": {
                "vendorNo": "V1",
                "documentNo": "PC-1",
                "vendorInvoiceNo": "SC1",
                "postingDate": "2026-03-20",
                "amount": "10.00",
            }
        },
    )
    assert out["postPurchaseCreditMemo"]["entry"]["amount"] == "10.00"
    query = """query ($d: Date) { openVendorEntries(vendorNo: "V1", asOf: $d) {
      edges { node { documentNo remainingAmount } } } }"""
    early = await supplier.call(query, {"d": "2026-03-15"})
    assert [e["node"]["documentNo"] for e in early["openVendorEntries"]["edges"]] == ["PI-1"]
    for now in ({"d": None}, {}):  # no date: the entries open now
        data = await supplier.call(query, now)
        edges = data["openVendorEntries"]["edges"]
        assert [e["node"]["documentNo"] for e in edges] == ["PI-1", "PC-1"]
    data = await supplier.call(
        '{ vendorLedgerEntries(vendorNo: "V1") { edges { node { documentNo } } } }'
    )
    assert len(data["vendorLedgerEntries"]["edges"]) == 2


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"vendorNo": "NOPE"}, "UNKNOWN_VENDOR"),
        ({"amount": "0.00"}, "INVALID_AMOUNT"),
        ({"vendorInvoiceNo": "DUP"}, "DUPLICATE_DOCUMENT_NO"),
    ],
)
async def test_bad_purchase_input_is_typed_and_posts_nothing(
    supplier: GraphQLClient, db_url: str, fields: dict[str, str], code: str
) -> None:
    base = {
        "vendorNo": "V1",
        "documentNo": "PI-9",
        "vendorInvoiceNo": "DUP",
        "postingDate": "2026-03-10",
        "amount": "5.00",
    }
    if code == "DUPLICATE_DOCUMENT_NO":
        first = await supplier.call(INVOICE, {"i": base})
        assert first["postPurchaseInvoice"]["errors"] == []
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        before = await conn.fetchval("SELECT count(*) FROM vendor_ledger_entries")
        out = await supplier.call(INVOICE, {"i": {**base, **fields}})
        assert out["postPurchaseInvoice"]["errors"][0]["code"] == code
        assert await conn.fetchval("SELECT count(*) FROM vendor_ledger_entries") == before
    finally:
        await conn.close()


async def test_vendor_iban_must_be_valid(gql: GraphQLClient) -> None:
    out = await gql.call(
        VENDOR, {"i": {"no": "V2", "name": "x", "bankAccounts": [{"iban": "DE00BAD"}]}}
    )
    assert out["upsertVendor"]["errors"][0]["code"] == "INVALID_IBAN"


PAY = """mutation ($i: PostCashReceiptLinesInput!) { postCashReceiptLines(input: $i) {
  entries { entryNo } errors { code message field } } }"""
VLE = """query ($d: String) { vendorLedgerEntries(vendorNo: "V1", documentNo: $d) {
  edges { node { entryNo amount remainingAmount open } } } }"""


async def _vle(gql: GraphQLClient, doc: str) -> dict[str, object]:
    data = await gql.call(VLE, {"d": doc})
    return dict(data["vendorLedgerEntries"]["edges"][0]["node"])


async def test_vendor_payment_closes_the_purchase_invoice_through_the_same_engine(
    supplier: GraphQLClient, db_url: str
) -> None:
    await supplier.call("""mutation { upsertPaymentTerms(input: {code: "V8", dueDateCalculation:
      "1M", discountDateCalculation: "8D", discountPct: "2"}) { errors { code } } }""")
    await supplier.call(VENDOR, {"i": {"no": "V1", "paymentTermsCode": "V8"}})
    await supplier.call("""mutation { upsertBankAccount(input: {no: "BANK", glAccountNo: "1100"})
      { errors { code } } }""")
    inv = await supplier.call(
        INVOICE,
        {
            "i": {
                "vendorNo": "V1",
                "documentNo": "PI-1",
                "vendorInvoiceNo": "S-1",
                "postingDate": "2026-03-01",
                "amount": "1000.00",
            }
        },
    )
    inv_no = inv["postPurchaseInvoice"]["entry"]["entryNo"]
    wrong = await supplier.call(
        PAY,
        {
            "i": {
                "lines": [
                    {
                        "postingDate": "2026-03-05",
                        "documentNo": "VP-0",
                        "vendorNo": "V1",
                        "amount": "-980.00",
                        "balAccountNo": "BANK",
                    }
                ]
            }
        },
    )
    assert wrong["postCashReceiptLines"]["errors"][0]["code"] == "WRONG_SIGN"
    out = await supplier.call(
        PAY,
        {
            "i": {
                "lines": [
                    {
                        "postingDate": "2026-03-05",
                        "documentNo": "VP-1",
                        "vendorNo": "V1",
                        "amount": "980.00",
                        "balAccountNo": "BANK",
                        "applyTo": [{"entryNo": inv_no}],
                    }
                ]
            }
        },
    )
    assert out["postCashReceiptLines"]["errors"] == [], out
    invoice = await _vle(supplier, "PI-1")
    assert invoice["open"] is False
    payment = await _vle(supplier, "VP-1")
    assert payment["remainingAmount"] == "0.00"
    gl = (await supplier.call('{ glEntries(documentNo: "VP-1") { glAccountNo amount } }'))[
        "glEntries"
    ]
    assert sum(Decimal(g["amount"]) for g in gl) == 0
    assert {"glAccountNo": "1100", "amount": "-980.00"} in gl
    undo = await supplier.call(
        """mutation ($n: Int!) { unapplyEntries(input: {entryNo: $n,
      ledger: VENDOR}) { vendorEntries { entryNo remainingAmount open } errors { code } } }""",
        {"n": payment["entryNo"]},
    )
    assert undo["unapplyEntries"]["errors"] == []
    assert (await _vle(supplier, "PI-1"))["remainingAmount"] == "-1000.00"
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        mismatched = await conn.fetchval(
            "SELECT count(*) FROM vendor_ledger_entries e WHERE remaining_amount <> "
            "(SELECT sum(amount) FROM detailed_vendor_ledger_entries d "
            "WHERE d.vendor_ledger_entry_no = e.entry_no)"
        )
        assert mismatched == 0
    finally:
        await conn.close()


async def test_a_blank_payment_terms_code_means_none_for_vendors_and_customers(
    gql: GraphQLClient, db_url: str
) -> None:
    out = await gql.call(VENDOR, {"i": {"no": "V9", "name": "Nine", "paymentTermsCode": " "}})
    assert out["upsertVendor"]["errors"] == []
    out = await gql.call(
        """mutation ($i: UpsertCustomerInput!) { upsertCustomer(input: $i)
        { customer { no } errors { code } } }""",
        {"i": {"no": "C9", "name": "Nine", "paymentTermsCode": ""}},
    )
    assert out["upsertCustomer"]["errors"] == []
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        for table in ("vendors", "customers"):
            terms = await conn.fetchval(f"SELECT payment_terms_code FROM {table}")
            assert terms is None, table
    finally:
        await conn.close()


async def test_a_page_of_vendors_with_balances_and_bank_accounts_costs_constant_queries(
    gql: GraphQLClient,
) -> None:
    for v in range(12):
        no = f"V{v:03d}"
        iban = str(IBAN.generate("DE", bank_code="37040044", account_code=f"{532013000 + v:010d}"))
        out = await gql.call(VENDOR, {"i": {"no": no, "bankAccounts": [{"iban": iban}]}})
        assert out["upsertVendor"]["errors"] == [], out
        await gql.call(
            INVOICE,
            {
                "i": {
                    "vendorNo": no,
                    "documentNo": f"PI-{v}",
                    "vendorInvoiceNo": f"S-{v}",
                    "postingDate": "2026-03-10",
                    "amount": "10.00",
                }
            },
        )
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    query = """query ($n: Int) { vendors(first: $n) { edges { node { no
      balance early: balance(asOf: "2026-03-01") bankAccounts { iban } } } } }"""
    event.listen(Engine, "before_cursor_execute", count)
    try:
        small_page = await gql.call(query, {"n": 3})
        small = len(statements)
        statements.clear()
        large_page = await gql.call(query, {"n": 12})
        large = len(statements)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    nodes = [e["node"] for e in large_page["vendors"]["edges"]]
    assert [n["balance"] for n in nodes] == ["-10.00"] * 12
    assert [n["early"] for n in nodes] == ["0"] * 12
    assert [len(n["bankAccounts"]) for n in nodes] == [1] * 12
    assert len(small_page["vendors"]["edges"]) == 3
    assert small == large, (small, large)
    assert large <= 4  # the page, balances per asOf date (2), IBANs
