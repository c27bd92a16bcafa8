"""Shared bank-test operations: multipart statement upload, bank setup, a crafted camt.053."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tests.api.conftest import GraphQLClient

SAMPLES = Path(__file__).resolve().parent.parent / "unit" / "bank" / "samples"

BANK_IBAN = "NL77ABNA0574908765"

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


@dataclass(frozen=True)
class Entry:
    """One camt.053 entry: positive amount = money in (CRDT)."""

    amount: Decimal
    name: str
    iban: str | None
    text: str
    end_to_end_id: str = "NOTPROVIDED"


def camt053(
    entries: list[Entry],
    *,
    statement_id: str = "STMT-2026-11-20",
    iban: str = BANK_IBAN,
    opening: Decimal = Decimal("0.00"),
    closing: Decimal | None = None,
    day: str = "2026-11-20",
) -> bytes:
    """A camt.053.001.02 statement, as a bank would send it for these entries."""
    closing = opening + sum((e.amount for e in entries), Decimal(0)) if closing is None else closing

    def balance(code: str, amount: Decimal) -> str:
        sign = "CRDT" if amount >= 0 else "DBIT"
        return (
            f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{abs(amount)}</Amt><CdtDbtInd>{sign}</CdtDbtInd>'
            f"<Dt><Dt>{day}</Dt></Dt></Bal>"
        )

    def entry(e: Entry) -> str:
        credit = e.amount > 0
        party, account = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
        acct = f"<{account}><Id><IBAN>{e.iban}</IBAN></Id></{account}>" if e.iban else ""
        return (
            f'<Ntry><Amt Ccy="EUR">{abs(e.amount)}</Amt>'
            f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
            f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>"
            "</Fmly></Domn></BkTxCd>"
            f"<NtryDtls><TxDtls><Refs><EndToEndId>{escape(e.end_to_end_id)}</EndToEndId></Refs>"
            f"<RltdPties><{party}><Nm>{escape(e.name)}</Nm></{party}>{acct}</RltdPties>"
            f"<RmtInf><Ustrd>{escape(e.text)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        )

    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>MSG-{statement_id}</MsgId><CreDtTm>{day}T18:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{statement_id}</Id><CreDtTm>{day}T18:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{balance('OPBD', opening)}{balance('CLBD', closing)}"
        + "".join(entry(e) for e in entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    )
    return xml.encode()


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
