"""openEntries latency on 1,000,000 ledger entries, GraphQL vs raw SQL; posting vs COPY.

python -m bench.read_open_entries [--customers 10000 --per-customer 100 --samples 300]

Logs are configured as `lettrage serve` does (JSON on stderr) at LOG_LEVEL, WARNING by default,
so per-request lines do not flood the terminal (at INFO the figures do not move measurably).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.auth import hash_key, new_key
from api.config import AppConfig
from bench.common import asyncpg_kwargs, percentile, report, scratch_database
from lettrage.gc_tuning import settle_after_startup
from lettrage.logging import configure_logging
from store.api_keys import create_api_key
from store.db import create_engine

CLE_COLS = [
    "entry_no",
    "customer_no",
    "posting_date",
    "document_date",
    "document_type",
    "document_no",
    "external_document_no",
    "description",
    "currency_code",
    "currency_factor",
    "amount",
    "amount_lcy",
    "remaining_amount",
    "remaining_amount_lcy",
    "open",
    "due_date",
    "original_pmt_disc_possible",
    "remaining_pmt_disc_possible",
    "max_payment_tolerance",
    "customer_posting_group",
    "reversed",
    "transaction_no",
]
DCLE_COLS = [
    "cust_ledger_entry_no",
    "customer_no",
    "entry_type",
    "posting_date",
    "document_type",
    "document_no",
    "currency_code",
    "amount",
    "amount_lcy",
    "unapplied",
    "transaction_no",
]
GL_COLS = [
    "gl_account_no",
    "posting_date",
    "document_type",
    "document_no",
    "description",
    "amount",
    "source_type",
    "source_no",
    "transaction_no",
]


async def load(url: str, customers: int, per_customer: int) -> None:
    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    rng = random.Random(7)
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
                (f"C{i:06d}", f"Customer {i}", "", "", "en", "", "MANUAL", "DOMESTIC")
                for i in range(customers)
            ],
        )
        start = date(2024, 1, 1)
        entry_no = 0
        for c in range(customers):
            cles, dcles = [], []
            for _k in range(per_customer):
                entry_no += 1
                amount = Decimal(rng.randint(1000, 500000)) / 100
                posted = start + timedelta(days=rng.randint(0, 700))
                is_open = rng.random() < 0.2
                rem = amount if is_open else Decimal(0)
                cles.append(
                    (
                        entry_no,
                        f"C{c:06d}",
                        posted,
                        posted,
                        "INVOICE",
                        f"I{entry_no}",
                        "",
                        "",
                        "",
                        Decimal(1),
                        amount,
                        amount,
                        rem,
                        rem,
                        is_open,
                        posted + timedelta(days=30),
                        Decimal(0),
                        Decimal(0),
                        Decimal(0),
                        "DOMESTIC",
                        False,
                        entry_no,
                    )
                )
                dcles.append(
                    (
                        entry_no,
                        f"C{c:06d}",
                        "INITIAL_ENTRY",
                        posted,
                        "INVOICE",
                        f"I{entry_no}",
                        "",
                        amount,
                        amount,
                        False,
                        entry_no,
                    )
                )
                if not is_open:
                    paid = posted + timedelta(days=rng.randint(1, 60))
                    dcles.append(
                        (
                            entry_no,
                            f"C{c:06d}",
                            "APPLICATION",
                            paid,
                            "PAYMENT",
                            f"P{entry_no}",
                            "",
                            -amount,
                            -amount,
                            False,
                            entry_no,
                        )
                    )
            await conn.copy_records_to_table(
                "customer_ledger_entries", columns=CLE_COLS, records=cles
            )
            await conn.copy_records_to_table(
                "detailed_customer_ledger_entries", columns=DCLE_COLS, records=dcles
            )
        await conn.execute("SELECT setval('customer_ledger_entries_entry_no_seq', $1)", entry_no)
        await conn.execute(f"SELECT setval('transaction_no_seq', {entry_no})")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


QUERY = """query ($c: String!) { openEntries(customerNo: $c, first: 50) { edges { node {
  entryNo documentNo dueDate amount remainingAmount } } pageInfo { hasNextPage endCursor } } }"""
QUERY_AS_OF = """query ($c: String!) { openEntries(customerNo: $c, asOf: "2025-01-01", first: 50)
  { edges { node { entryNo remainingAmount } } } }"""
RAW = """SELECT entry_no, document_no, due_date, amount, remaining_amount
FROM customer_ledger_entries WHERE customer_no = $1 AND open
ORDER BY due_date, entry_no LIMIT 51"""
AS_OF = date(2025, 1, 1)
RAW_AS_OF = """SELECT c.entry_no, r.rem, r.rem_lcy
FROM customer_ledger_entries c CROSS JOIN LATERAL (
  SELECT coalesce(sum(d.amount), 0) AS rem, coalesce(sum(d.amount_lcy), 0) AS rem_lcy
  FROM detailed_customer_ledger_entries d
  WHERE d.cust_ledger_entry_no = c.entry_no AND d.posting_date <= $2) r
WHERE c.customer_no = $1 AND c.posting_date <= $2 AND r.rem <> 0
ORDER BY c.due_date, c.entry_no LIMIT 51"""


async def measure(url: str, customers: int, samples: int, posts: int) -> None:
    key = new_key()
    engine = create_engine(url, pool_size=2)
    await create_api_key(engine, "bench", hash_key(key), ["read", "post", "admin"])
    await engine.dispose()
    app = create_app(
        AppConfig(database_url=url, redis_url="redis://127.0.0.1:1/0", data_dir=Path("/tmp")),
        after_startup=settle_after_startup,  # as `lettrage serve` does
    )
    rng = random.Random(11)
    picks = [f"C{rng.randrange(customers):06d}" for _ in range(samples)]
    headers = {"Authorization": f"Bearer {key}"}
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:

            async def gql_ms(query: str, c: str) -> float:
                t = time.perf_counter()
                r = await client.post(
                    "/graphql", json={"query": query, "variables": {"c": c}}, headers=headers
                )
                if r.status_code != 200 or "errors" in r.json():
                    raise RuntimeError(r.text)
                return (time.perf_counter() - t) * 1000

            conn = await asyncpg.connect(**asyncpg_kwargs(url))
            try:

                async def raw_ms(sql: str, *args: object) -> float:
                    t = time.perf_counter()
                    await conn.fetch(sql, *args)
                    return (time.perf_counter() - t) * 1000

                # Warm pass: both sides then read the same (cached) pages, so the comparison
                # measures the API's overhead, not which side touched a page first.
                for c in picks:
                    await conn.fetch(RAW, c)
                    await conn.fetch(RAW_AS_OF, c, AS_OF)
                for c in picks[:20]:
                    await gql_ms(QUERY, c)
                cpu_start = time.process_time()
                api = [await gql_ms(QUERY, c) for c in picks]
                cpu_ms = (time.process_time() - cpu_start) * 1000 / len(picks)
                raw = [await raw_ms(RAW, c) for c in picks]
                api_as_of = [await gql_ms(QUERY_AS_OF, c) for c in picks]
                raw_as_of = [await raw_ms(RAW_AS_OF, c, AS_OF) for c in picks]
                plan = await conn.fetch("EXPLAIN " + RAW, picks[0])
            finally:
                await conn.close()

            for name, values, baseline in (
                ("openEntries p50 (GraphQL, in-process)", api, raw),
                ("openEntries asOf p50 (GraphQL)", api_as_of, raw_as_of),
            ):
                for pct in (50, 95):
                    label = name.replace("p50", f"p{pct}")
                    report(label, percentile(values, pct), "ms", percentile(baseline, pct))
            report("GraphQL overhead p50", percentile(api, 50) - percentile(raw, 50), "ms", None)
            report("GraphQL overhead p95", percentile(api, 95) - percentile(raw, 95), "ms", None)
            report("openEntries CPU per request (mean)", cpu_ms, "ms", None)
            print(f"load average: {os.getloadavg()[0]:.2f}", flush=True)
            print("plan:", " | ".join(r[0] for r in plan), flush=True)

            mutation = """mutation ($i: PostSalesDocumentInput!) { postSalesInvoice(input: $i)
              { entry { entryNo } errors { code message } } }"""
            t = time.perf_counter()
            for i in range(posts):
                r = await client.post(
                    "/graphql",
                    headers=headers,
                    json={
                        "query": mutation,
                        "variables": {
                            "i": {
                                "customerNo": picks[i % len(picks)],
                                "documentNo": f"B-{i}",
                                "postingDate": "2026-01-15",
                                "amount": "123.45",
                            }
                        },
                    },
                )
                body = r.json()["data"]["postSalesInvoice"]
                assert not body["errors"], body
            api_s = time.perf_counter() - t

    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    try:
        base = 10_000_000
        cles = [
            (
                base + i,
                picks[i % len(picks)],
                date(2026, 1, 15),
                date(2026, 1, 15),
                "INVOICE",
                f"CP-{i}",
                "",
                "",
                "",
                Decimal(1),
                Decimal("123.45"),
                Decimal("123.45"),
                Decimal("123.45"),
                Decimal("123.45"),
                True,
                date(2026, 1, 15),
                Decimal(0),
                Decimal(0),
                Decimal(0),
                "DOMESTIC",
                False,
                base + i,
            )
            for i in range(posts)
        ]
        dcles = [
            (
                base + i,
                picks[i % len(picks)],
                "INITIAL_ENTRY",
                date(2026, 1, 15),
                "INVOICE",
                f"CP-{i}",
                "",
                Decimal("123.45"),
                Decimal("123.45"),
                False,
                base + i,
            )
            for i in range(posts)
        ]
        gls = [
            row
            for i in range(posts)
            for row in (
                (
                    "1200",
                    date(2026, 1, 15),
                    "INVOICE",
                    f"CP-{i}",
                    "",
                    Decimal("123.45"),
                    "CUSTOMER",
                    picks[i % len(picks)],
                    base + i,
                ),
                (
                    "4000",
                    date(2026, 1, 15),
                    "INVOICE",
                    f"CP-{i}",
                    "",
                    Decimal("-123.45"),
                    "CUSTOMER",
                    picks[i % len(picks)],
                    base + i,
                ),
            )
        ]
        t = time.perf_counter()
        async with conn.transaction():
            await conn.copy_records_to_table(
                "customer_ledger_entries", columns=CLE_COLS, records=cles
            )
            await conn.copy_records_to_table(
                "detailed_customer_ledger_entries", columns=DCLE_COLS, records=dcles
            )
            await conn.copy_records_to_table("gl_entries", columns=GL_COLS, records=gls)
        copy_s = time.perf_counter() - t
    finally:
        await conn.close()
    report("invoice posting via GraphQL", posts / api_s, "docs/s", posts / copy_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--per-customer", type=int, default=100)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--posts", type=int, default=500)
    args = parser.parse_args()
    configure_logging(os.environ.get("LOG_LEVEL", "WARNING"))
    with scratch_database() as url:
        t = time.perf_counter()
        asyncio.run(load(url, args.customers, args.per_customer))
        report("load ledger with COPY", time.perf_counter() - t, "s", None)
        asyncio.run(measure(url, args.customers, args.samples, args.posts))


if __name__ == "__main__":
    main()
