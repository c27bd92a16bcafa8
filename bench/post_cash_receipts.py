"""Cash receipt posting rate: service layer and GraphQL vs a COPY of the same rows.

python -m bench.post_cash_receipts [--invoices 100000 --lines 20000 --batch 500]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.auth import hash_key, new_key
from api.config import AppConfig
from bench.common import asyncpg_kwargs, report, scratch_database
from bench.read_open_entries import CLE_COLS, DCLE_COLS, GL_COLS
from store import setup
from store.api_keys import create_api_key
from store.db import create_engine
from store.journals import ApplyToInput, CashReceiptLine
from store.posting.cash_receipts import post_cash_receipt_lines

DAY = date(2026, 3, 1)


async def load(url: str, invoices: int, customers: int) -> None:
    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    try:
        await conn.copy_records_to_table(
            "customers",
            columns=[
                "no",
                "name",
                "address",
                "email",
                "language_code",
                "currency_code",
                "application_method",
                "customer_posting_group",
            ],
            records=[
                (f"C{i:05d}", f"Customer {i}", "", "", "en", "", "MANUAL", "DOMESTIC")
                for i in range(customers)
            ],
        )
        amount = Decimal("100.00")
        await conn.copy_records_to_table(
            "customer_ledger_entries",
            columns=CLE_COLS,
            records=[
                (
                    n,
                    f"C{n % customers:05d}",
                    DAY,
                    DAY,
                    "INVOICE",
                    f"I{n}",
                    "",
                    "",
                    "",
                    Decimal(1),
                    amount,
                    amount,
                    amount,
                    amount,
                    True,
                    DAY,
                    Decimal(0),
                    Decimal(0),
                    Decimal(0),
                    "DOMESTIC",
                    False,
                    n,
                )
                for n in range(1, invoices + 1)
            ],
        )
        await conn.copy_records_to_table(
            "detailed_customer_ledger_entries",
            columns=DCLE_COLS,
            records=[
                (
                    n,
                    f"C{n % customers:05d}",
                    "INITIAL_ENTRY",
                    DAY,
                    "INVOICE",
                    f"I{n}",
                    "",
                    amount,
                    amount,
                    False,
                    n,
                )
                for n in range(1, invoices + 1)
            ],
        )
        await conn.execute(f"SELECT setval('customer_ledger_entries_entry_no_seq', {invoices})")
        await conn.execute(f"SELECT setval('transaction_no_seq', {invoices})")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def plan(invoices: int, customers: int, lines: int, seed: int) -> list[CashReceiptLine]:
    """Each payment pays 1-3 invoices of one customer, each invoice paid at most once."""
    rng = random.Random(seed)
    by_customer: dict[int, list[int]] = {}
    for n in range(1, invoices + 1):
        by_customer.setdefault(n % customers, []).append(n)
    out = []
    for i in range(lines):
        c = rng.randrange(customers)
        pool = by_customer[c]
        k = min(len(pool), rng.randint(1, 3))
        if k == 0:
            continue
        chosen = [pool.pop() for _ in range(k)]
        out.append(
            CashReceiptLine(
                posting_date=DAY,
                document_no=f"P{seed}-{i}",
                amount=Decimal(-100 * k),
                bal_account_no="BANK",
                customer_no=f"C{c:05d}",
                apply_to=tuple(ApplyToInput(n) for n in chosen),
            )
        )
    return out


async def run(url: str, invoices: int, customers: int, lines: int, batch: int) -> None:
    engine = create_engine(url, pool_size=4)
    await setup.upsert_bank_account(engine, "BANK", {"gl_account_no": "1100"})
    key = new_key()
    await create_api_key(engine, "bench", hash_key(key), ["read", "post", "admin"])
    service_lines = plan(invoices // 2, customers, lines, 1)
    t = time.perf_counter()
    for i in range(0, len(service_lines), batch):
        await post_cash_receipt_lines(engine, service_lines[i : i + batch])
    service_s = time.perf_counter() - t
    await engine.dispose()

    gql_lines = [
        line
        for line in plan(invoices, customers, lines * 3, 2)
        if all(a.entry_no > invoices // 2 for a in line.apply_to)
    ][:lines]
    app = create_app(
        AppConfig(database_url=url, redis_url="redis://127.0.0.1:1/0", data_dir=Path("/tmp"))
    )
    mutation = """mutation ($i: PostCashReceiptLinesInput!) { postCashReceiptLines(input: $i)
      { errors { code message } } }"""
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://b", timeout=600
        ) as client:
            t = time.perf_counter()
            for i in range(0, len(gql_lines), batch):
                chunk = [
                    {
                        "postingDate": x.posting_date.isoformat(),
                        "documentNo": x.document_no,
                        "amount": str(x.amount),
                        "balAccountNo": "BANK",
                        "customerNo": x.customer_no,
                        "applyTo": [{"entryNo": a.entry_no} for a in x.apply_to],
                    }
                    for x in gql_lines[i : i + batch]
                ]
                r = await client.post(
                    "/graphql",
                    headers={"Authorization": f"Bearer {key}"},
                    json={"query": mutation, "variables": {"i": {"lines": chunk}}},
                )
                errors = r.json()["data"]["postCashReceiptLines"]["errors"]
                if errors:
                    raise RuntimeError(errors)
            gql_s = time.perf_counter() - t

    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    try:
        n = len(service_lines)
        rows_dcle = [
            (
                1,
                "C00000",
                "APPLICATION",
                DAY,
                "PAYMENT",
                f"X{i}",
                "",
                Decimal(-1),
                Decimal(-1),
                False,
                10**9 + i,
            )
            for i in range(n * 4)
        ]
        rows_gl = [
            ("1100", DAY, "PAYMENT", f"X{i}", "", Decimal(1), "CUSTOMER", "C00000", 10**9 + i)
            for i in range(n * 2)
        ]
        rows_cle = [
            (
                10**9 + i,
                "C00000",
                DAY,
                DAY,
                "PAYMENT",
                f"X{i}",
                "",
                "",
                "",
                Decimal(1),
                Decimal(-1),
                Decimal(-1),
                Decimal(0),
                Decimal(0),
                False,
                DAY,
                Decimal(0),
                Decimal(0),
                Decimal(0),
                "DOMESTIC",
                False,
                10**9 + i,
            )
            for i in range(n)
        ]
        t = time.perf_counter()
        async with conn.transaction():
            await conn.copy_records_to_table(
                "customer_ledger_entries", columns=CLE_COLS, records=rows_cle
            )
            await conn.copy_records_to_table(
                "detailed_customer_ledger_entries", columns=DCLE_COLS, records=rows_dcle
            )
            await conn.copy_records_to_table("gl_entries", columns=GL_COLS, records=rows_gl)
        copy_s = time.perf_counter() - t
    finally:
        await conn.close()
    report(
        "cash receipt lines/s (service layer)",
        len(service_lines) / service_s,
        "lines/s",
        len(service_lines) / copy_s,
    )
    report(
        "cash receipt lines/s (GraphQL)",
        len(gql_lines) / gql_s,
        "lines/s",
        len(service_lines) / copy_s,
    )
    report("service time / COPY time", service_s / copy_s, "x", None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    with scratch_database() as url:
        asyncio.run(load(url, args.invoices, args.customers))
        asyncio.run(run(url, args.invoices, args.customers, args.lines, args.batch))


if __name__ == "__main__":
    main()
