"""Shared GraphQL operations for ledger tests: set up a customer, post documents."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import GraphQLClient

ENTRY_FIELDS = """entryNo customerNo documentType documentNo postingDate dueDate
pmtDiscountDate pmtDiscToleranceDate currencyCode amount remainingAmount amountLcy
remainingAmountLcy open originalPmtDiscPossible maxPaymentTolerance
detailedEntries { entryType amount amountLcy postingDate }"""

POST_INVOICE = f"""
mutation Post($input: PostSalesDocumentInput!) {{
  postSalesInvoice(input: $input) {{ replayed entry {{ {ENTRY_FIELDS} }}
    errors {{ code message field }} }}
}}"""

POST_CREDIT_MEMO = f"""
mutation Post($input: PostSalesDocumentInput!) {{
  postSalesCreditMemo(input: $input) {{ replayed entry {{ {ENTRY_FIELDS} }}
    errors {{ code message field }} }}
}}"""

UPSERT_CUSTOMER = """
mutation ($input: UpsertCustomerInput!) {
  upsertCustomer(input: $input) { customer { no name currencyCode bankAccounts { iban } }
    errors { code message field } }
}"""


async def setup_customer(gql: GraphQLClient, no: str = "C0001", **fields: Any) -> None:
    data = await gql.call(
        UPSERT_CUSTOMER, {"input": {"no": no, "name": f"Customer {no}", **fields}}
    )
    assert data["upsertCustomer"]["errors"] == [], data


async def post_invoice(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    data = await gql.call(POST_INVOICE, {"input": fields})
    return dict(data["postSalesInvoice"])


async def post_credit_memo(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    data = await gql.call(POST_CREDIT_MEMO, {"input": fields})
    return dict(data["postSalesCreditMemo"])


async def gl_sum(gql: GraphQLClient, document_no: str) -> tuple[str, list[dict[str, Any]]]:
    data = await gql.call(
        "query ($d: String!) { glEntries(documentNo: $d) { glAccountNo amount } }",
        {"d": document_no},
    )
    from decimal import Decimal

    rows = data["glEntries"]
    return str(sum((Decimal(r["amount"]) for r in rows), Decimal(0))), rows
