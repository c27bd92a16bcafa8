"""postCashReceiptLines, applyEntries, unapplyEntries, reversePayment through the real app."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from tests.api.cash_helpers import entry, post_lines, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_credit_memo, post_invoice, setup_customer
from tests.conftest import _asyncpg_dsn

TERMS = """mutation { upsertPaymentTerms(input: {code: "8D2", dueDateCalculation: "1M",
  discountDateCalculation: "8D", discountPct: "2"}) { errors { code } } }"""


@pytest.fixture
async def ledger(gql: GraphQLClient) -> GraphQLClient:
    await gql.call(TERMS)
    await gql.call(
        'mutation { updateCompanySetup(input: {paymentTolerancePct: "0.5", '
        'maxPaymentToleranceAmount: "5"}) { errors { code } } }'
    )
    await setup_customer(gql, "C1", paymentTermsCode="8D2")
    await setup_customer(gql, "C2")
    await setup_bank(gql)
    return gql


async def _invoice(
    gql: GraphQLClient, doc: str, amount: str, customer: str = "C1", day: str = "2026-03-01"
) -> int:
    out = await post_invoice(
        gql, customerNo=customer, documentNo=doc, postingDate=day, amount=amount
    )
    assert out["errors"] == [], out
    return int(out["entry"]["entryNo"])


async def _gl_balances(db_url: str) -> tuple[int, int]:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        unbalanced = await conn.fetchval(
            "SELECT count(*) FROM (SELECT transaction_no FROM gl_entries GROUP BY 1 "
            "HAVING sum(amount) <> 0) t"
        )
        mismatched = await conn.fetchval(
            "SELECT count(*) FROM customer_ledger_entries e WHERE remaining_amount <> "
            "(SELECT coalesce(sum(amount), 0) FROM detailed_customer_ledger_entries d "
            "WHERE d.cust_ledger_entry_no = e.entry_no)"
        )
        return int(unbalanced), int(mismatched)
    finally:
        await conn.close()


async def test_payment_within_discount_period_closes_invoice_with_discount(
    ledger: GraphQLClient, db_url: str
) -> None:
    inv = await _invoice(ledger, "INV-1", "1000.00")
    out = await post_lines(
        ledger,
        [
            {
                "customerNo": "C1",
                "documentNo": "PAY-1",
                "amount": "-980.00",
                "appliesToDocType": "INVOICE",
                "appliesToDocNo": "INV-1",
                "postingDate": "2026-03-05",
            }
        ],
    )
    assert out["errors"] == [], out
    payment = out["entries"][0]
    assert payment["open"] is False
    invoice = await entry(ledger, inv)
    assert invoice["open"] is False
    assert invoice["remainingAmount"] == "0.00"
    types = [d["entryType"] for d in invoice["detailedEntries"]]
    assert "PAYMENT_DISCOUNT" in types
    gl = (await ledger.call('{ glEntries(documentNo: "PAY-1") { glAccountNo amount } }'))[
        "glEntries"
    ]
    assert {"glAccountNo": "4900", "amount": "20.00"} in gl
    assert await _gl_balances(db_url) == (0, 0)


async def test_late_partial_payment_leaves_invoice_open_without_discount(
    ledger: GraphQLClient,
) -> None:
    inv = await _invoice(ledger, "INV-1", "1000.00")
    out = await post_lines(
        ledger,
        [
            {
                "customerNo": "C1",
                "documentNo": "PAY-1",
                "amount": "-400.00",
                "applyTo": [{"entryNo": inv}],
                "postingDate": "2026-03-20",
            }
        ],
    )
    assert out["errors"] == []
    invoice = await entry(ledger, inv)
    assert invoice["remainingAmount"] == "600.00"
    assert invoice["open"] is True


async def test_underpayment_within_tolerance_closes_both(ledger: GraphQLClient) -> None:
    inv = await _invoice(ledger, "INV-1", "1000.00")
    out = await post_lines(
        ledger,
        [
            {
                "customerNo": "C1",
                "documentNo": "PAY-1",
                "amount": "-996.00",
                "applyTo": [{"entryNo": inv}],
                "postingDate": "2026-03-25",
            }
        ],
    )
    assert out["errors"] == []
    assert (await entry(ledger, inv))["open"] is False
    assert out["entries"][0]["open"] is False


async def test_one_payment_for_two_invoices_and_a_credit_memo(ledger: GraphQLClient) -> None:
    a = await _invoice(ledger, "INV-A", "300.00", "C2")
    b = await _invoice(ledger, "INV-B", "200.00", "C2")
    cm = await post_credit_memo(
        ledger, customerNo="C2", documentNo="CM-1", postingDate="2026-03-02", amount="50.00"
    )
    cm_no = int(cm["entry"]["entryNo"])
    out = await post_lines(
        ledger,
        [
            {
                "customerNo": "C2",
                "documentNo": "PAY-2",
                "amount": "-450.00",
                "applyTo": [{"entryNo": a}, {"entryNo": b}, {"entryNo": cm_no}],
            }
        ],
    )
    assert out["errors"] == [], out
    for n in (a, b, cm_no):
        assert (await entry(ledger, n))["open"] is False


async def test_overpayment_stays_open_on_the_payment(ledger: GraphQLClient) -> None:
    inv = await _invoice(ledger, "INV-1", "100.00", "C2")
    out = await post_lines(
        ledger,
        [
            {
                "customerNo": "C2",
                "documentNo": "PAY-1",
                "amount": "-150.00",
                "applyTo": [{"entryNo": inv}],
            }
        ],
    )
    assert out["entries"][0]["remainingAmount"] == "-50.00"
    assert out["entries"][0]["open"] is True


async def test_unapply_restores_then_reverse_cancels_the_payment(
    ledger: GraphQLClient, db_url: str
) -> None:
    inv = await _invoice(ledger, "INV-1", "1000.00")
    before = await entry(ledger, inv)
    out = await post_lines(
        ledger,
        [
            {
                "customerNo": "C1",
                "documentNo": "PAY-1",
                "amount": "-980.00",
                "applyTo": [{"entryNo": inv}],
                "postingDate": "2026-03-05",
            }
        ],
    )
    pay = out["entries"][0]["entryNo"]
    undo = await ledger.call(
        "mutation ($n: Int!) { unapplyEntries(input: {entryNo: $n}) "
        "{ entries { entryNo open } errors { code message } } }",
        {"n": pay},
    )
    assert undo["unapplyEntries"]["errors"] == []
    after = await entry(ledger, inv)
    for field in ("remainingAmount", "remainingAmountLcy", "open", "remainingPmtDiscPossible"):
        assert after[field] == before[field], field
    again = await ledger.call(
        "mutation ($n: Int!) { unapplyEntries(input: {entryNo: $n}) { errors { code } } }",
        {"n": pay},
    )
    assert again["unapplyEntries"]["errors"][0]["code"] == "NOTHING_TO_UNAPPLY"
    await post_lines(
        ledger,
        [
            {
                "customerNo": "C1",
                "documentNo": "PAY-2",
                "amount": "-100.00",
                "applyTo": [{"entryNo": inv}],
            }
        ],
    )
    rev = await ledger.call(
        "mutation ($n: Int!) { reversePayment(input: {entryNo: $n}) "
        "{ entries { entryNo amount open } errors { code message } } }",
        {"n": pay},
    )
    assert rev["reversePayment"]["errors"] == []
    assert [e["open"] for e in rev["reversePayment"]["entries"]] == [False, False]
    assert (await entry(ledger, inv))["remainingAmount"] == "900.00"
    assert await _gl_balances(db_url) == (0, 0)


async def test_apply_between_posted_entries(ledger: GraphQLClient) -> None:
    inv = await _invoice(ledger, "INV-1", "100.00", "C2")
    out = await post_lines(
        ledger, [{"customerNo": "C2", "documentNo": "PAY-1", "amount": "-60.00"}]
    )
    pay = out["entries"][0]["entryNo"]
    data = await ledger.call(
        """mutation ($p: Int!, $i: Int!) { applyEntries(input: {
      entryNo: $p, postingDate: "2026-03-18", applyTo: [{entryNo: $i}]}) {
      entries { entryNo remainingAmount open } errors { code message } } }""",
        {"p": pay, "i": inv},
    )
    assert data["applyEntries"]["errors"] == []
    remaining = {e["entryNo"]: e["remainingAmount"] for e in data["applyEntries"]["entries"]}
    assert remaining == {inv: "40.00", pay: "0.00"}


async def test_preview_posts_nothing(ledger: GraphQLClient, db_url: str) -> None:
    inv = await _invoice(ledger, "INV-1", "100.00", "C2")
    out = await post_lines(
        ledger,
        [
            {
                "customerNo": "C2",
                "documentNo": "PAY-1",
                "amount": "-100.00",
                "applyTo": [{"entryNo": inv}],
            }
        ],
        previewPosting=True,
    )
    assert out["errors"] == []
    assert out["entries"] == []
    assert {e["entryNo"] for e in out["preview"]["entries"]} >= {inv}
    assert sum(Decimal(g["amount"]) for g in out["preview"]["glEntries"]) == 0
    assert (await entry(ledger, inv))["open"] is True
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM customer_ledger_entries WHERE document_no = 'PAY-1'"
            )
            == 0
        )
    finally:
        await conn.close()


async def test_apply_to_oldest_customer_pays_oldest_due_first(ledger: GraphQLClient) -> None:
    await setup_customer(ledger, "C3", applicationMethod="APPLY_TO_OLDEST")
    newer = await _invoice(ledger, "INV-N", "100.00", "C3", "2026-03-05")
    older = await _invoice(ledger, "INV-O", "100.00", "C3", "2026-03-01")
    await post_lines(ledger, [{"customerNo": "C3", "documentNo": "PAY", "amount": "-150.00"}])
    assert (await entry(ledger, older))["open"] is False
    assert (await entry(ledger, newer))["remainingAmount"] == "50.00"


async def test_all_lines_post_or_none(ledger: GraphQLClient, db_url: str) -> None:
    inv = await _invoice(ledger, "INV-1", "100.00", "C2")
    out = await post_lines(
        ledger,
        [
            {
                "customerNo": "C2",
                "documentNo": "P1",
                "amount": "-50.00",
                "applyTo": [{"entryNo": inv}],
            },
            {
                "customerNo": "C2",
                "documentNo": "P2",
                "amount": "-10.00",
                "applyTo": [{"entryNo": 999999}],
            },
        ],
    )
    assert out["errors"][0]["code"] == "ENTRY_NOT_FOUND"
    assert out["errors"][0]["field"] == ["input", "lines", "1", "applyTo", "0", "entryNo"]
    assert (await entry(ledger, inv))["remainingAmount"] == "100.00"


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("closed", "ENTRY_CLOSED"),
        ("other_customer", "ENTRY_OF_OTHER_PARTY"),
        ("wrong_sign", "WRONG_SIGN"),
        ("too_much", "AMOUNT_EXCEEDS_REMAINING"),
        ("unknown_doc", "UNKNOWN_APPLIES_TO_DOC"),
        ("positive_payment", "WRONG_SIGN"),
        ("unknown_bank", "UNKNOWN_BANK_ACCOUNT"),
    ],
)
async def test_bad_applications_are_typed_errors_and_change_nothing(
    ledger: GraphQLClient, db_url: str, case: str, code: str
) -> None:
    inv = await _invoice(ledger, "INV-1", "100.00", "C2")
    other = await _invoice(ledger, "INV-X", "100.00", "C1")
    closed = await _invoice(ledger, "INV-C", "10.00", "C2")
    await post_lines(
        ledger,
        [
            {
                "customerNo": "C2",
                "documentNo": "PC",
                "amount": "-10.00",
                "applyTo": [{"entryNo": closed}],
            }
        ],
    )
    base = {"customerNo": "C2", "documentNo": "PAY", "amount": "-50.00"}
    variants: dict[str, dict[str, Any]] = {
        "closed": {"applyTo": [{"entryNo": closed}]},
        "other_customer": {"applyTo": [{"entryNo": other}]},
        "wrong_sign": {"applyTo": [{"entryNo": inv, "amountToApply": "-10.00"}]},
        "too_much": {"applyTo": [{"entryNo": inv, "amountToApply": "150.00"}]},
        "unknown_doc": {"appliesToDocType": "INVOICE", "appliesToDocNo": "NOPE"},
        "positive_payment": {"amount": "50.00", "applyTo": [{"entryNo": inv}]},
        "unknown_bank": {"balAccountNo": "NOBANK", "applyTo": [{"entryNo": inv}]},
    }
    variant = variants[case]
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        count = "SELECT count(*) FROM detailed_customer_ledger_entries"
        before = await conn.fetchval(count)
        out = await post_lines(ledger, [{**base, **variant}])
        assert out["errors"][0]["code"] == code, out
        assert await conn.fetchval(count) == before
    finally:
        await conn.close()


async def test_idempotent_cash_receipts_replay(ledger: GraphQLClient) -> None:
    inv = await _invoice(ledger, "INV-1", "100.00", "C2")
    line = {
        "customerNo": "C2",
        "documentNo": "PAY",
        "amount": "-100.00",
        "applyTo": [{"entryNo": inv}],
    }
    first = await post_lines(ledger, [line], idempotencyKey="cr-1")
    second = await post_lines(ledger, [line], idempotencyKey="cr-1")
    assert second["replayed"] is True
    assert second["entries"][0]["entryNo"] == first["entries"][0]["entryNo"]
