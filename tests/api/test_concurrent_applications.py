"""50 concurrent clients paying the same 20 invoices: locks in entry-no. order keep the
ledger exact (no over-application, G/L balanced, remaining = Σ detailed entries)."""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal

import asyncpg
import pytest

from store.posting import receipt_batch
from tests.api.cash_helpers import post_lines, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer
from tests.conftest import _asyncpg_dsn


@pytest.mark.parametrize("per_batch", [1, 3], ids=["one-line", "three-lines-in-parts"])
async def test_fifty_clients_never_over_apply(
    gql: GraphQLClient, db_url: str, per_batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With three lines a batch, each line's rows are written as a part of their own while
    the next is computed, and a later line's error rolls back parts already written."""
    monkeypatch.setattr(receipt_batch, "WRITE_EVERY", 1)
    await setup_customer(gql, "C1")
    await setup_bank(gql)
    invoices = []
    for i in range(20):
        out = await post_invoice(
            gql, customerNo="C1", documentNo=f"INV-{i}", postingDate="2026-03-01", amount="100.00"
        )
        invoices.append(int(out["entry"]["entryNo"]))
    rng = random.Random(5)

    async def client(n: int) -> list[str]:
        codes = []
        for k in range(2):
            lines = []
            for j in range(per_batch):
                chosen = rng.sample(invoices, rng.randint(1, 3))
                amounts = [Decimal(rng.randint(10, 60)) for _ in chosen]
                apply_to = [
                    {"entryNo": e, "amountToApply": f"{a}.00"}
                    for e, a in zip(chosen, amounts, strict=True)
                ]
                total = sum(amounts, Decimal(0))
                lines.append(
                    {
                        "customerNo": "C1",
                        "documentNo": f"P{n}-{k}-{j}",
                        "amount": f"{-total}.00",
                        "applyTo": apply_to,
                    }
                )
            out = await post_lines(gql, lines)
            codes += [e["code"] for e in out["errors"]]
        return codes

    results = await asyncio.gather(*(client(n) for n in range(50)))
    codes = {c for r in results for c in r}
    assert codes <= {"AMOUNT_EXCEEDS_REMAINING", "ENTRY_CLOSED"}, codes
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        rows = await conn.fetch(
            "SELECT e.entry_no, e.amount, e.remaining_amount, e.open, "
            "(SELECT sum(amount) FROM detailed_customer_ledger_entries d "
            " WHERE d.cust_ledger_entry_no = e.entry_no) AS total "
            "FROM customer_ledger_entries e"
        )
        for r in rows:
            assert r["remaining_amount"] == r["total"], dict(r)
            if r["entry_no"] in invoices:
                assert Decimal(0) <= r["remaining_amount"] <= r["amount"], dict(r)
                assert r["open"] == (r["remaining_amount"] != 0)
        unbalanced = await conn.fetchval(
            "SELECT count(*) FROM (SELECT transaction_no FROM gl_entries GROUP BY 1 "
            "HAVING sum(amount) <> 0) t"
        )
        assert unbalanced == 0
        applied = await conn.fetchval(
            "SELECT count(*) FROM detailed_customer_ledger_entries WHERE entry_type = 'APPLICATION'"
        )
        assert applied > 40
        payments = await conn.fetchval(
            "SELECT count(*) FROM customer_ledger_entries WHERE document_type = 'PAYMENT'"
        )
        assert payments % per_batch == 0  # whole batches or nothing
    finally:
        await conn.close()
