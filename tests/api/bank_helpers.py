"""Shared bank-test operations: multipart statement upload, bank setup, a crafted camt.053."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lettrage.demo_statement import Entry, camt053
from tests.api.conftest import GraphQLClient

__all__ = ["Entry", "camt053"]

SAMPLES = Path(__file__).resolve().parent.parent / "unit" / "bank" / "samples"

BANK_IBAN = "NL77ABNA0574908765"  # the default account of camt053()

SUGGESTION_FIELDS = """id amount score confidence status glAccountNo description
entry { entryNo partyNo documentNo remainingAmount open }
explanation { rule matchedFields notes }"""

LINE_FIELDS = f"""id lineNo bookingDate valueDate amount description counterpartyName
counterpartyIban endToEndId status documentNo bankEntryNo
suggestions {{ {SUGGESTION_FIELDS} }} applications {{ id amount glAccountNo }}"""

STATEMENT_FIELDS = f"""id bankAccountNo statementNo accountIban currencyCode statementDate
openingBalance closingBalance format balanceWarning openingWarning
lines {{ {LINE_FIELDS} }}"""

IMPORT = f"""
mutation ($input: ImportBankStatementInput!) {{
  importBankStatement(input: $input) {{
    statements {{ {STATEMENT_FIELDS} }} warnings errors {{ code message field }}
  }}
}}"""

UPSERT_BANK = """
mutation ($input: UpsertBankAccountInput!) {
  upsertBankAccount(input: $input) { bankAccount { no iban } errors { code message } }
}"""


async def setup_bank(gql: GraphQLClient, no: str = "BANK1", **fields: Any) -> None:
    data = await gql.call(UPSERT_BANK, {"input": {"no": no, "name": f"Bank {no}", **fields}})
    assert data["upsertBankAccount"]["errors"] == [], data


async def upload(
    gql: GraphQLClient,
    data: bytes,
    bank_account_no: str = "BANK1",
    filename: str = "statement.xml",
    **fields: Any,
) -> dict[str, Any]:
    """importBankStatement through the GraphQL multipart request spec; returns the payload."""
    operations = {
        "query": IMPORT,
        "variables": {"input": {"bankAccountNo": bank_account_no, "file": None, **fields}},
    }
    response = await gql.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (filename, data, "application/octet-stream")},
        headers={"Authorization": f"Bearer {gql.key}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body["errors"]
    payload: dict[str, Any] = body["data"]["importBankStatement"]
    return payload


def sample(folder: str, name: str) -> bytes:
    return (SAMPLES / folder / name).read_bytes()


async def call_ok(gql: GraphQLClient, query: str, name: str, **variables: Any) -> dict[str, Any]:
    """Run a mutation and fail the test on payload errors."""
    data = await gql.call(query, variables)
    payload: dict[str, Any] = data[name]
    assert payload["errors"] == [], payload["errors"]
    return payload


ACCEPT = f"""mutation ($id: ID!) {{ acceptSuggestion(input: {{suggestionId: $id}}) {{
  line {{ {LINE_FIELDS} }} errors {{ code message field }} }} }}"""

REJECT = f"""mutation ($id: ID!) {{ rejectSuggestion(input: {{suggestionId: $id}}) {{
  line {{ {LINE_FIELDS} }} errors {{ code message field }} }} }}"""

SET_APPLICATION = f"""mutation ($line: ID!, $apps: [LineApplicationInput!]!) {{
  setLineApplication(input: {{lineId: $line, applications: $apps}}) {{
    line {{ {LINE_FIELDS} }} errors {{ code message field }} }} }}"""

TRANSFER = f"""mutation ($line: ID!, $gl: String!, $d: String!) {{
  transferToGl(input: {{lineId: $line, glAccountNo: $gl, description: $d}}) {{
    line {{ {LINE_FIELDS} }} errors {{ code message field }} }} }}"""

POST = f"""mutation ($id: ID!, $key: String) {{
  postPaymentReconciliation(input: {{statementId: $id, idempotencyKey: $key}}) {{
    statement {{ {STATEMENT_FIELDS} }} postedLines {{ id lineNo status documentNo bankEntryNo }}
    replayed errors {{ code message field }} }} }}"""

RECONCILIATION = """query ($id: ID!) { bankAccountReconciliation(statementId: $id) {
  reconciled closingBalance ledgerBalance difference notes
  matches { rule statementLine { lineNo } bankLedgerEntry { entryNo amount documentNo } }
  unmatchedLines { lineNo amount } unmatchedBankEntries { entryNo amount documentNo } } }"""

TEXT_MAPPING = """mutation ($t: String!, $gl: String!) {
  upsertTextToAccountMapping(input: {mappingText: $t, glAccountNo: $gl, description: "Fees"}) {
    mapping { mappingText glAccountNo } errors { code message } } }"""
