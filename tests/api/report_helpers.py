"""A small known ledger for the report tests: two customers (one billed in LCY and USD), a
partial payment, a credit memo, a vendor; what it owes on 2026-03-31 is written beside it."""

from __future__ import annotations

from typing import Any

from tests.api.cash_helpers import post_lines, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_credit_memo, post_invoice, setup_customer

RATE = """mutation ($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { errors { code } } }"""
TERMS = """mutation { upsertPaymentTerms(input: {code: "30D", dueDateCalculation: "30D"})
  { errors { code message } } }"""
VENDOR = """mutation ($i: UpsertVendorInput!) { upsertVendor(input: $i) { errors { code } } }"""
PURCHASE = """mutation ($i: PostPurchaseDocumentInput!) { postPurchaseInvoice(input: $i) {
  entry { entryNo amount dueDate } errors { code message field } } }"""

AGED = """query ($asOf: Date, $by: AgingBy! = DUE_DATE, $periods: [String!], $cur: String,
  $nos: [String!], $first: Int, $after: String) {
  agedReceivables(asOf: $asOf, agingBy: $by, periods: $periods, currencyCode: $cur,
                  customerNos: $nos, first: $first, after: $after) {
    edges { cursor node { customerNo partyNo name currencyCode notDue
      buckets { label from to amount } total totalLcy } }
    pageInfo { hasNextPage hasPreviousPage endCursor } csvUrl pdfUrl } }"""


async def post(gql: GraphQLClient, **fields: Any) -> int:
    out = await post_invoice(gql, paymentTermsCode="30D", **fields)
    assert out["errors"] == [], out
    return int(out["entry"]["entryNo"])


async def known_ledger(gql: GraphQLClient) -> None:
    """As of 2026-03-31, by due date in 30D buckets (1-30: Mar 2-31, 31-60: Jan 31-Mar 1,
    61-90: Jan 1-30, over 90: up to Dec 31):

    C1 (LCY) INV-1 1000.00 due 2025-12-31, 200.00 paid on 2026-03-25  -> over 90: 800.00
             INV-2  500.00 due 2026-03-17                              -> 1-30: 500.00
             INV-3  300.00 due 2026-04-19                              -> not due: 300.00
             CM-1   -50.00 on 2026-01-10 (due then)                    -> 61-90: -50.00
    C1 (USD) INV-4  100.00 USD due 2026-03-31 (= 90.00 LCY at 0.9)     -> 1-30: 100.00
    C2 (LCY) INV-5  250.00 due 2026-02-04                              -> 31-60: 250.00
    C3       no entries; C4 paid in full: no rows.
    """
    await gql.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
    await gql.call(
        RATE, {"i": {"currencyCode": "USD", "startingDate": "2025-01-01", "rate": "0.9"}}
    )
    await gql.call(TERMS)
    await setup_bank(gql)
    for no in ("C1", "C2", "C3", "C4"):
        await setup_customer(gql, no, paymentTermsCode="30D")
    inv1 = await post(gql, customerNo="C1", documentNo="INV-1", postingDate="2025-12-01",
                      amount="1000.00")  # fmt: skip
    await post(gql, customerNo="C1", documentNo="INV-2", postingDate="2026-02-15", amount="500.00")
    await post(gql, customerNo="C1", documentNo="INV-3", postingDate="2026-03-20", amount="300.00")
    memo = await post_credit_memo(
        gql, customerNo="C1", documentNo="CM-1", postingDate="2026-01-10", amount="50.00"
    )
    assert memo["errors"] == [], memo
    await post(
        gql,
        customerNo="C1",
        documentNo="INV-4",
        postingDate="2026-03-01",
        currencyCode="USD",
        amount="100.00",
    )
    await post(gql, customerNo="C2", documentNo="INV-5", postingDate="2026-01-05", amount="250.00")
    inv6 = await post(
        gql, customerNo="C4", documentNo="INV-6", postingDate="2026-01-05", amount="70.00"
    )
    paid = await post_lines(
        gql,
        [
            {
                "customerNo": "C1",
                "documentNo": "PAY-1",
                "amount": "-200.00",
                "postingDate": "2026-03-25",
                "applyTo": [{"entryNo": inv1}],
            },
            {
                "customerNo": "C4",
                "documentNo": "PAY-2",
                "amount": "-70.00",
                "postingDate": "2026-02-01",
                "applyTo": [{"entryNo": inv6}],
            },
        ],
    )
    assert paid["errors"] == [], paid


async def known_payables(gql: GraphQLClient) -> None:
    """V1 owes nothing; we owe V1 120.00 (invoice posted 2026-03-01, due 2026-03-31) and
    60.00 posted 2025-11-15 (due 2025-12-15): by due date on 2026-03-31 -120.00 in 1-30,
    -60.00 over 90."""
    await gql.call(TERMS)
    await gql.call(VENDOR, {"i": {"no": "V1", "name": "Supplier One", "paymentTermsCode": "30D"}})
    for doc, day, amount in (("PI-1", "2026-03-01", "120.00"), ("PI-2", "2025-11-15", "60.00")):
        out = await gql.call(
            PURCHASE,
            {
                "i": {
                    "vendorNo": "V1",
                    "documentNo": doc,
                    "vendorInvoiceNo": f"S-{doc}",
                    "postingDate": day,
                    "amount": amount,
                }
            },
        )
        assert out["postPurchaseInvoice"]["errors"] == [], out


async def aged(gql: GraphQLClient, **variables: Any) -> dict[str, Any]:
    data = await gql.call(AGED, {"asOf": "2026-03-31", **variables})
    return dict(data["agedReceivables"])


def rows(page: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in page["edges"]]
