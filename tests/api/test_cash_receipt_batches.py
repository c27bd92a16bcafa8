"""Batches of cash receipt lines: the lines post in order against the same locked entries, so
a later line sees what an earlier one left; one bad line posts nothing; the ledgers hold.
Every test runs twice: rows written in parts of the usual size, and a part after every line
(so a line changes entries an earlier part has already inserted)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from bench.post_cash_receipts import load, plan
from store.db import create_engine
from store.posting import receipt_batch, writer
from store.posting.cash_receipts import post_cash_receipt_lines
from store.posting.writer import insert_many
from store.setup import upsert_bank_account
from tests.api.cash_helpers import entry, post_lines, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer
from tests.conftest import _asyncpg_dsn

VENDOR_INVOICE = """mutation ($i: PostPurchaseDocumentInput!) { postPurchaseInvoice(input: $i)
  { entry { entryNo } errors { code } } }"""


@pytest.fixture(autouse=True, params=[receipt_batch.WRITE_EVERY, 1], ids=["parts", "per-line"])
def write_every(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    every = int(request.param)
    monkeypatch.setattr(receipt_batch, "WRITE_EVERY", every)
    return every


@pytest.fixture
async def books(gql: GraphQLClient) -> GraphQLClient:
    await setup_customer(gql, "C1")
    await setup_customer(gql, "C2", applicationMethod="APPLY_TO_OLDEST")
    await setup_bank(gql)
    return gql


async def _invoice(gql: GraphQLClient, doc: str, amount: str, customer: str = "C1") -> int:
    out = await post_invoice(
        gql, customerNo=customer, documentNo=doc, postingDate="2026-03-01", amount=amount
    )
    assert out["errors"] == [], out
    return int(out["entry"]["entryNo"])


async def _fetch(db_url: str, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


async def _ledger_faults(db_url: str) -> dict[str, int]:
    """Counts of broken invariants: each must be 0."""
    checks = {
        "unbalanced transactions": "SELECT transaction_no FROM gl_entries GROUP BY 1 "
        "HAVING sum(amount) <> 0",
        "remaining != sum of detailed": "SELECT entry_no FROM customer_ledger_entries e "
        "WHERE remaining_amount <> (SELECT sum(amount) FROM detailed_customer_ledger_entries d "
        "WHERE d.cust_ledger_entry_no = e.entry_no) OR remaining_amount_lcy <> (SELECT "
        "sum(amount_lcy) FROM detailed_customer_ledger_entries d "
        "WHERE d.cust_ledger_entry_no = e.entry_no)",
        "vendor remaining != sum of detailed": "SELECT entry_no FROM vendor_ledger_entries e "
        "WHERE remaining_amount <> (SELECT sum(amount) FROM detailed_vendor_ledger_entries d "
        "WHERE d.vendor_ledger_entry_no = e.entry_no)",
        "open flag wrong": "SELECT entry_no FROM customer_ledger_entries "
        "WHERE open <> (remaining_amount <> 0)",
        "over-applied": "SELECT entry_no FROM customer_ledger_entries "
        "WHERE sign(remaining_amount) * sign(amount) < 0",
        "closed without closer": "SELECT entry_no FROM customer_ledger_entries "
        "WHERE NOT open AND (closed_by_entry_no IS NULL OR closed_at_date IS NULL)",
    }
    return {name: len(await _fetch(db_url, sql)) for name, sql in checks.items()}


async def test_two_lines_paying_the_same_invoice_see_each_others_remaining(
    books: GraphQLClient, db_url: str
) -> None:
    inv = await _invoice(books, "INV-1", "1000.00")
    out = await post_lines(
        books,
        [
            {
                "customerNo": "C1",
                "documentNo": "P-1",
                "amount": "-400.00",
                "applyTo": [{"entryNo": inv}],
            },
            {
                "customerNo": "C1",
                "documentNo": "P-2",
                "amount": "-600.00",
                "applyTo": [{"entryNo": inv}],
            },
        ],
    )
    assert out["errors"] == [], out
    first, second = out["entries"]
    assert first["entryNo"] < second["entryNo"]
    assert (first["open"], second["open"]) == (False, False)
    invoice = await entry(books, inv)
    assert (invoice["remainingAmount"], invoice["open"]) == ("0.00", False)
    assert invoice["closedByEntryNo"] == second["entryNo"]
    applied = [d["amount"] for d in invoice["detailedEntries"] if d["entryType"] == "APPLICATION"]
    assert applied == ["-400.00", "-600.00"]
    assert all(v == 0 for v in (await _ledger_faults(db_url)).values())


async def test_a_later_line_applying_more_than_an_earlier_line_left_posts_nothing(
    books: GraphQLClient, db_url: str
) -> None:
    inv = await _invoice(books, "INV-1", "1000.00")
    before = await _fetch(db_url, "SELECT count(*) AS n FROM detailed_customer_ledger_entries")
    out = await post_lines(
        books,
        [
            {
                "customerNo": "C1",
                "documentNo": "P-1",
                "amount": "-700.00",
                "applyTo": [{"entryNo": inv}],
            },
            {
                "customerNo": "C1",
                "documentNo": "P-2",
                "amount": "-400.00",
                "applyTo": [{"entryNo": inv, "amountToApply": "400.00"}],
            },
        ],
    )
    assert [e["code"] for e in out["errors"]] == ["AMOUNT_EXCEEDS_REMAINING"]
    assert out["errors"][0]["field"] == ["input", "lines", "1", "applyTo", "0", "amountToApply"]
    invoice = await entry(books, inv)
    assert (invoice["remainingAmount"], invoice["open"]) == ("1000.00", True)
    after = await _fetch(db_url, "SELECT count(*) AS n FROM detailed_customer_ledger_entries")
    assert after[0]["n"] == before[0]["n"]
    assert await _fetch(db_url, "SELECT 1 FROM gl_entries WHERE document_no LIKE 'P-%'") == []


async def test_apply_to_oldest_lines_take_the_invoices_in_turn(
    books: GraphQLClient,
) -> None:
    old = await _invoice(books, "INV-A", "100.00", "C2")
    new = await _invoice(books, "INV-B", "100.00", "C2")
    out = await post_lines(
        books,
        [
            {"customerNo": "C2", "documentNo": "P-1", "amount": "-100.00"},
            {"customerNo": "C2", "documentNo": "P-2", "amount": "-60.00"},
        ],
    )
    assert out["errors"] == [], out
    assert (await entry(books, old))["remainingAmount"] == "0.00"
    assert (await entry(books, new))["remainingAmount"] == "40.00"


async def test_a_refund_applies_to_a_payment_posted_earlier_in_the_same_batch(
    books: GraphQLClient, db_url: str
) -> None:
    out = await post_lines(
        books,
        [
            {"customerNo": "C2", "documentNo": "P-1", "amount": "-50.00"},
            {"customerNo": "C2", "documentNo": "R-1", "amount": "30.00", "documentType": "REFUND"},
            {
                "customerNo": "C1",
                "documentNo": "P-2",
                "amount": "-20.00",
            },
            {
                "customerNo": "C1",
                "documentNo": "R-2",
                "amount": "20.00",
                "documentType": "REFUND",
                "appliesToDocType": "PAYMENT",
                "appliesToDocNo": "P-2",
            },
        ],
    )
    assert out["errors"] == [], out
    payment, refund, payment2, refund2 = out["entries"]
    assert (payment["remainingAmount"], payment["open"]) == ("-20.00", True)
    assert (refund["remainingAmount"], refund["open"]) == ("0.00", False)
    assert (payment2["open"], refund2["open"]) == (False, False)
    assert all(v == 0 for v in (await _ledger_faults(db_url)).values())


async def test_a_batch_mixes_customers_vendors_and_gl_lines(
    books: GraphQLClient, db_url: str
) -> None:
    await books.call(
        """mutation { upsertVendor(input: {no: "V1", name: "Supplier"}) { errors { code } } }"""
    )
    vinv = await books.call(
        VENDOR_INVOICE,
        {
            "i": {
                "vendorNo": "V1",
                "documentNo": "PI-1",
                "vendorInvoiceNo": "S-1",
                "postingDate": "2026-03-01",
                "amount": "300.00",
            }
        },
    )
    vendor_invoice = vinv["postPurchaseInvoice"]["entry"]["entryNo"]
    inv = await _invoice(books, "INV-1", "250.00")
    lines: list[dict[str, Any]] = [
        {
            "customerNo": "C1",
            "documentNo": "P-1",
            "amount": "-250.00",
            "applyTo": [{"entryNo": inv}],
        },
        {
            "vendorNo": "V1",
            "documentNo": "VP-1",
            "amount": "300.00",
            "applyTo": [{"entryNo": vendor_invoice}],
        },
        {"glAccountNo": "4900", "documentNo": "G-1", "amount": "-12.50"},
        {"customerNo": "C1", "documentNo": "P-2", "amount": "-10.00"},
    ]
    out = await post_lines(books, lines)
    assert out["errors"] == [], out
    assert (await entry(books, inv))["open"] is False
    vendor = await _fetch(
        db_url,
        "SELECT open, remaining_amount FROM vendor_ledger_entries "
        f"WHERE entry_no = {int(vendor_invoice)}",
    )
    assert (vendor[0]["open"], vendor[0]["remaining_amount"]) == (False, Decimal(0))
    bank = await _fetch(
        db_url,
        "SELECT document_no, amount, transaction_no FROM bank_account_ledger_entries "
        "ORDER BY entry_no",
    )
    assert [(b["document_no"], b["amount"]) for b in bank] == [
        ("P-1", Decimal("250.00")),
        ("VP-1", Decimal("-300.00")),
        ("G-1", Decimal("12.50")),
        ("P-2", Decimal("10.00")),
    ]
    txs = [b["transaction_no"] for b in bank]
    assert txs == sorted(set(txs))
    gl = await _fetch(
        db_url,
        "SELECT document_no, transaction_no, sum(amount) AS total, count(*) AS n FROM gl_entries "
        "WHERE document_no IN ('P-1', 'VP-1', 'G-1', 'P-2') GROUP BY 1, 2 ORDER BY 2",
    )
    assert [(g["document_no"], g["transaction_no"], g["total"]) for g in gl] == [
        (doc, tx, Decimal(0)) for doc, tx in zip(["P-1", "VP-1", "G-1", "P-2"], txs, strict=True)
    ]
    assert all(v == 0 for v in (await _ledger_faults(db_url)).values())


async def test_ledgers_hold_after_a_500_line_batch(db_url: str) -> None:
    await load(db_url, invoices=2000, customers=100)
    engine = create_engine(db_url, pool_size=1)
    try:
        await upsert_bank_account(engine, "BANK", {"gl_account_no": "1100"})
        lines = plan(2000, 100, 600, seed=7)[:500]
        assert len(lines) == 500
        outcome = await post_cash_receipt_lines(engine, lines)
    finally:
        await engine.dispose()
    assert len(outcome.transaction_nos) == 500
    assert outcome.entry_nos == sorted(outcome.entry_nos)
    assert outcome.transaction_nos == sorted(set(outcome.transaction_nos))
    assert all(v == 0 for v in (await _ledger_faults(db_url)).values())
    paid = {
        a.entry_no: n
        for line, n in zip(lines, outcome.entry_nos, strict=True)
        for a in line.apply_to
    }
    rows = await _fetch(
        db_url,
        "SELECT entry_no, open, closed_by_entry_no FROM customer_ledger_entries "
        "WHERE document_type = 'INVOICE'",
    )
    assert len(rows) == 2000
    for r in rows:
        if r["entry_no"] in paid:
            assert (r["open"], r["closed_by_entry_no"]) == (False, paid[r["entry_no"]])
        else:
            assert (r["open"], r["closed_by_entry_no"]) == (True, None)
    payments = await _fetch(
        db_url,
        "SELECT e.entry_no, e.open, e.amount, b.amount AS bank FROM customer_ledger_entries e "
        "JOIN bank_account_ledger_entries b USING (transaction_no) "
        "WHERE e.document_type = 'PAYMENT' ORDER BY e.entry_no",
    )
    assert [p["entry_no"] for p in payments] == outcome.entry_nos
    assert all(not p["open"] and p["bank"] == -p["amount"] for p in payments)


async def test_a_bad_last_line_posts_none_of_the_lines_before_it(
    books: GraphQLClient, db_url: str
) -> None:
    inv = await _invoice(books, "INV-1", "100.00")
    lines: list[dict[str, Any]] = [
        {
            "customerNo": "C1",
            "documentNo": "P-1",
            "amount": "-100.00",
            "applyTo": [{"entryNo": inv}],
        }
    ]
    lines += [{"glAccountNo": "4900", "documentNo": f"G-{i}", "amount": "-1.00"} for i in range(30)]
    lines.append({"customerNo": "NOBODY", "documentNo": "P-2", "amount": "-5.00"})
    out = await post_lines(books, lines)
    assert [(e["code"], e["field"]) for e in out["errors"]] == [
        ("UNKNOWN_CUSTOMER", ["input", "lines", "31", "customerNo"])
    ]
    assert (await entry(books, inv))["remainingAmount"] == "100.00"
    for table in ("gl_entries", "bank_account_ledger_entries", "customer_ledger_entries"):
        rows = await _fetch(db_url, f"SELECT 1 FROM {table} WHERE document_no LIKE 'G-%'")
        assert rows == [], table
    assert (
        await _fetch(db_url, "SELECT 1 FROM customer_ledger_entries WHERE document_no = 'P-1'")
        == []
    )


async def test_a_part_that_fails_to_write_fails_the_batch_and_posts_nothing(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await load(db_url, invoices=200, customers=10)
    lines = plan(200, 10, 60, seed=3)[:40]
    copies: list[str] = []

    async def failing_insert(conn: Any, table: Any, rows: Any, columns: Any) -> None:
        copies.append(table.name)
        if len(copies) == 7:  # the first table of the second part (six tables a part)
            raise RuntimeError("the database went away")
        await insert_many(conn, table, rows, columns)

    monkeypatch.setattr(writer, "insert_many", failing_insert)
    monkeypatch.setattr(receipt_batch, "WRITE_EVERY", 10)
    engine = create_engine(db_url, pool_size=1)
    try:
        await upsert_bank_account(engine, "BANK", {"gl_account_no": "1100"})
        with pytest.raises(RuntimeError, match="went away"):
            await post_cash_receipt_lines(engine, lines)
    finally:
        await engine.dispose()
    assert len(copies) == 7  # no part was started after the failed one
    for table in ("customer_ledger_entries", "gl_entries", "bank_account_ledger_entries"):
        rows = await _fetch(db_url, f"SELECT 1 FROM {table} WHERE document_no LIKE 'P3-%'")
        assert rows == [], table
    rows = await _fetch(db_url, "SELECT 1 FROM customer_ledger_entries WHERE NOT open")
    assert rows == []
