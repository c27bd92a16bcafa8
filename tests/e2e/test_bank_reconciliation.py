"""From a bank file to a reconciled bank account on a real `lettrage serve` process: import a
camt.053, review the suggestions, accept, post, see the invoices closed and the bank agree."""

from __future__ import annotations

import os
import subprocess
from decimal import Decimal
from pathlib import Path

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
from tests.api.ledger_helpers import post_invoice, setup_customer
from tests.e2e.conftest import lettrage_command

ALICE_IBAN = "NL91ABNA0417164300"
BOB_IBAN = "DE89370400440532013000"

OPEN_ENTRIES = """query ($c: String!) { customerLedgerEntries(customerNo: $c, first: 50) {
  edges { node { documentType documentNo remainingAmount open } } } }"""


async def _entries(gql: GraphQLClient, customer: str) -> dict[str, tuple[str, bool]]:
    data = await gql.call(OPEN_ENTRIES, {"c": customer})
    return {
        e["node"]["documentNo"]: (e["node"]["remainingAmount"], e["node"]["open"])
        for e in data["customerLedgerEntries"]["edges"]
        if e["node"]["documentType"] == "INVOICE"
    }


async def test_a_camt053_is_imported_applied_posted_and_the_bank_reconciles(
    client: GraphQLClient,
) -> None:
    gql = client
    await setup_bank(gql, iban=BANK_IBAN)
    await setup_customer(gql, "ALICE", name="Alice Bakery", bankAccounts=[{"iban": ALICE_IBAN}])
    await setup_customer(gql, "BOB", name="Bob Builders", bankAccounts=[{"iban": BOB_IBAN}])
    for customer, doc, amount in [
        ("ALICE", "INV-1001", "1000.00"),
        ("BOB", "INV-2001", "250.00"),
        ("BOB", "INV-2002", "150.00"),
    ]:
        posted = await post_invoice(
            gql, customerNo=customer, documentNo=doc, postingDate="2026-11-02", amount=amount
        )
        assert posted["errors"] == []
    await call_ok(gql, TEXT_MAPPING, "upsertTextToAccountMapping", t="BANK FEE", gl="8960")
    file = camt053(
        [
            Entry(Decimal("1000.00"), "Alice Bakery", ALICE_IBAN, "INV-1001"),
            Entry(Decimal("400.00"), "Bob Builders", BOB_IBAN, "INV-2001 / INV-2002"),
            Entry(Decimal("-5.00"), "Our Bank", None, "BANK FEE NOVEMBER"),
        ],
        opening=Decimal("0.00"),
    )

    imported = await upload(gql, file)
    (statement,) = imported["statements"]
    assert imported["warnings"] == []
    assert statement["closingBalance"] == "1395.00"
    suggestions = [s for line in statement["lines"] for s in line["suggestions"]]
    assert [s["confidence"] for s in suggestions] == ["HIGH", "HIGH", "HIGH", "HIGH"]
    assert suggestions[-1]["glAccountNo"] == "8960"

    before = await gql.call(RECONCILIATION, {"id": statement["id"]})
    assert before["bankAccountReconciliation"]["reconciled"] is False
    assert len(before["bankAccountReconciliation"]["unmatchedLines"]) == 3

    for s in suggestions:
        await call_ok(gql, ACCEPT, "acceptSuggestion", id=s["id"])
    posted = await call_ok(gql, POST, "postPaymentReconciliation", id=statement["id"], key="k1")
    assert [x["status"] for x in posted["postedLines"]] == ["POSTED"] * 3
    assert all(x["bankEntryNo"] for x in posted["postedLines"])
    replay = await call_ok(gql, POST, "postPaymentReconciliation", id=statement["id"], key="k1")
    assert replay["replayed"] is True

    assert await _entries(gql, "ALICE") == {"INV-1001": ("0.00", False)}
    assert await _entries(gql, "BOB") == {
        "INV-2001": ("0.00", False),
        "INV-2002": ("0.00", False),
    }
    fees = await gql.call(
        "query ($d: String!) { glEntries(documentNo: $d) { glAccountNo amount } }",
        {"d": posted["postedLines"][2]["documentNo"]},
    )
    assert sorted((g["glAccountNo"], g["amount"]) for g in fees["glEntries"]) == [
        ("1100", "-5.00"),
        ("8960", "5.00"),
    ]

    after = (await gql.call(RECONCILIATION, {"id": statement["id"]}))["bankAccountReconciliation"]
    assert after["reconciled"] is True, after["notes"]
    assert after["ledgerBalance"] == after["closingBalance"] == "1395.00"
    assert after["difference"] == "0.00"
    assert after["unmatchedLines"] == []
    assert after["unmatchedBankEntries"] == []
    assert [m["bankLedgerEntry"]["amount"] for m in after["matches"]] == [
        "1000.00",
        "400.00",
        "-5.00",
    ]


def test_the_cli_imports_a_statement_once_and_refuses_it_twice(
    db_url: str, redis_url: str, tmp_path: Path
) -> None:
    import asyncio

    from store.db import create_engine
    from store.setup import upsert_bank_account

    async def bank() -> None:
        engine = create_engine(db_url, pool_size=1)
        try:
            await upsert_bank_account(engine, "BANK1", {"iban": BANK_IBAN})
        finally:
            await engine.dispose()

    asyncio.run(bank())
    path = tmp_path / "statement.xml"
    path.write_bytes(camt053([Entry(Decimal("10.00"), "A", None, "x")], statement_id="CLI-1"))
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "LETTRAGE_DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    command = [lettrage_command(), "import-statement", str(path), "--bank-account", "BANK1"]

    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    assert first.returncode == 0, first.stderr
    assert "imported statement CLI-1" in first.stdout
    assert second.returncode == 1
    assert "DUPLICATE_STATEMENT" in second.stderr
