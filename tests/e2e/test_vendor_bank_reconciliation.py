"""A real bank account carries money out as well as in: a statement with customer receipts, a
customer refund, supplier payments, a supplier refund and a bank fee goes from the file to a
reconciled bank account on a real `lettrage serve` process, customers and vendors alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.api.bank_helpers import (
    ACCEPT,
    BANK_IBAN,
    POST,
    RECONCILIATION,
    TEXT_MAPPING,
    Entry,
    call_ok,
    camt053,
    setup_bank,
    upload,
)
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_credit_memo, post_invoice, setup_customer

ALICE_IBAN = "NL91ABNA0417164300"
PAPER_IBAN = "DE89370400440532013000"
FREIGHT_IBAN = "FR1420041010050500013M02606"

VENDOR = """mutation ($i: UpsertVendorInput!) { upsertVendor(input: $i) {
  vendor { no } errors { code message field } } }"""
PURCHASE = """mutation ($i: PostPurchaseDocumentInput!) { postPurchaseInvoice(input: $i) {
  entry { entryNo amount } errors { code message field } } }"""
PURCHASE_CREDIT = """mutation ($i: PostPurchaseDocumentInput!) { postPurchaseCreditMemo(input: $i) {
  entry { entryNo amount } errors { code message field } } }"""
SUGGESTIONS = """query ($id: ID!) { suggestedApplications(statementId: $id) {
  id amount confidence statementLine { lineNo }
  entry { __typename entryNo partyNo documentNo externalDocumentNo }
  glAccountNo explanation { rule matchedFields } } }"""
VENDOR_ENTRIES = """query ($v: String!) { vendorLedgerEntries(vendorNo: $v, first: 20) {
  edges { node { documentType documentNo amount remainingAmount open } } } }"""
CUSTOMER_ENTRIES = """query ($c: String!) { customerLedgerEntries(customerNo: $c, first: 20) {
  edges { node { documentType documentNo amount remainingAmount open } } } }"""


async def _vendor(gql: GraphQLClient, no: str, name: str, iban: str) -> None:
    data = await gql.call(VENDOR, {"i": {"no": no, "name": name, "bankAccounts": [{"iban": iban}]}})
    assert data["upsertVendor"]["errors"] == []


async def _purchase(gql: GraphQLClient, query: str, **fields: Any) -> None:
    data = await gql.call(
        query,
        {
            "i": {
                "postingDate": "2026-11-02",
                "lines": [{"amount": fields.pop("amount"), "description": "goods"}],
                **fields,
            }
        },
    )
    (payload,) = data.values()
    assert payload["errors"] == [], payload


async def _docs(gql: GraphQLClient, query: str, key: str, no: str) -> dict[str, tuple[str, bool]]:
    data = await gql.call(query, {"v" if "vendorNo" in query else "c": no})
    return {
        e["node"]["documentNo"]: (e["node"]["remainingAmount"], e["node"]["open"])
        for e in data[key]["edges"]
        if e["node"]["documentType"] in ("INVOICE", "CREDIT_MEMO")
    }


async def test_customer_and_vendor_lines_are_suggested_posted_and_the_bank_reconciles(
    client: GraphQLClient,
) -> None:
    gql = client
    await setup_bank(gql, iban=BANK_IBAN)
    await setup_customer(gql, "ALICE", name="Alice Bakery", bankAccounts=[{"iban": ALICE_IBAN}])
    assert (
        await post_invoice(
            gql,
            customerNo="ALICE",
            documentNo="INV-1001",
            postingDate="2026-11-02",
            amount="1000.00",
        )
    )["errors"] == []
    assert (
        await post_credit_memo(
            gql, customerNo="ALICE", documentNo="CM-1002", postingDate="2026-11-03", amount="80.00"
        )
    )["errors"] == []
    await _vendor(gql, "V-PAPER", "Paper Supplies GmbH", PAPER_IBAN)
    await _vendor(gql, "V-FREIGHT", "Rapid Freight SARL", FREIGHT_IBAN)
    await _purchase(
        gql,
        PURCHASE,
        vendorNo="V-PAPER",
        documentNo="PI-1",
        vendorInvoiceNo="SUP-77",
        amount="300.00",
    )
    await _purchase(
        gql,
        PURCHASE_CREDIT,
        vendorNo="V-FREIGHT",
        documentNo="PCM-1",
        vendorInvoiceNo="RF-CN-9",
        amount="45.00",
    )
    await call_ok(gql, TEXT_MAPPING, "upsertTextToAccountMapping", t="BANK FEE", gl="8960")
    file = camt053(
        [
            Entry(Decimal("1000.00"), "Alice Bakery", ALICE_IBAN, "INV-1001"),
            Entry(Decimal("-300.00"), "Paper Supplies GmbH", PAPER_IBAN, "Invoice SUP-77"),
            Entry(Decimal("45.00"), "Rapid Freight SARL", FREIGHT_IBAN, "Refund RF-CN-9"),
            Entry(Decimal("-80.00"), "Alice Bakery", ALICE_IBAN, "Refund CM-1002"),
            Entry(Decimal("-5.00"), "Our Bank", None, "BANK FEE NOVEMBER"),
        ],
    )

    (statement,) = (await upload(gql, file))["statements"]
    assert statement["closingBalance"] == "660.00"
    found = (await gql.call(SUGGESTIONS, {"id": statement["id"]}))["suggestedApplications"]
    best = {s["statementLine"]["lineNo"]: s for s in found}
    assert {n: s["confidence"] for n, s in best.items()} == dict.fromkeys(range(1, 6), "HIGH")
    assert [
        (best[n]["entry"]["__typename"], best[n]["entry"]["documentNo"], best[n]["amount"])
        for n in range(1, 5)
    ] == [
        ("CustomerLedgerEntry", "INV-1001", "1000.00"),
        ("VendorLedgerEntry", "PI-1", "-300.00"),
        ("VendorLedgerEntry", "PCM-1", "45.00"),
        ("CustomerLedgerEntry", "CM-1002", "-80.00"),
    ]
    assert best[2]["entry"]["partyNo"] == "V-PAPER"
    assert best[5]["entry"] is None
    assert best[5]["glAccountNo"] == "8960"

    for s in best.values():
        await call_ok(gql, ACCEPT, "acceptSuggestion", id=s["id"])
    posted = await call_ok(gql, POST, "postPaymentReconciliation", id=statement["id"], key="v1")
    assert [x["status"] for x in posted["postedLines"]] == ["POSTED"] * 5

    assert await _docs(gql, CUSTOMER_ENTRIES, "customerLedgerEntries", "ALICE") == {
        "INV-1001": ("0.00", False),
        "CM-1002": ("0.00", False),
    }
    assert await _docs(gql, VENDOR_ENTRIES, "vendorLedgerEntries", "V-PAPER") == {
        "PI-1": ("0.00", False)
    }
    assert await _docs(gql, VENDOR_ENTRIES, "vendorLedgerEntries", "V-FREIGHT") == {
        "PCM-1": ("0.00", False)
    }
    payment = await gql.call(
        "query ($d: String!) { glEntries(documentNo: $d) { glAccountNo amount } }",
        {"d": posted["postedLines"][1]["documentNo"]},
    )
    assert sorted((g["glAccountNo"], g["amount"]) for g in payment["glEntries"]) == [
        ("1100", "-300.00"),
        ("2100", "300.00"),
    ]

    after = (await gql.call(RECONCILIATION, {"id": statement["id"]}))["bankAccountReconciliation"]
    assert after["reconciled"] is True, after["notes"]
    assert after["unmatchedLines"] == []
    assert after["unmatchedBankEntries"] == []
    assert after["difference"] == "0.00"
    assert after["ledgerBalance"] == after["closingBalance"] == "660.00"
