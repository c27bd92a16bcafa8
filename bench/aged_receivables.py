"""agedReceivables latency on 1,000,000 ledger entries: one page through GraphQL in-process
beside the same SQL through asyncpg.

python -m bench.aged_receivables [--customers 10000 --per-customer 100 --samples 200]

The ledger is loaded with COPY as bench/read_open_entries.py does: 10,000 customers x 100
invoices posted over two years, a fifth of them still open, the others closed by an
application 1-60 days after posting; every fifth customer also bills in USD. A page is
`first: 50` (customer, currency) rows aged by due date in 30-day buckets as of 2025-06-30,
starting after a random customer; the baseline runs the store's SQL text itself.
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
from typing import Any

import asyncpg
import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy.dialects import postgresql

from api.app import create_app
from api.auth import hash_key, new_key
from api.config import AppConfig
from api.pagination import encode_cursor
from bench.common import asyncpg_kwargs, percentile, report, scratch_database
from domain.reports import AgingBasis, aging_layout
from lettrage.logging import configure_logging
from store.api_keys import create_api_key
from store.db import create_engine
from store.reports.aging import RECEIVABLES, page_query

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
    "closed_at_date",
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
AS_OF = date(2025, 6, 30)
USD_RATE = Decimal("0.9")


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
            no = f"C{c:06d}"
            cles: list[tuple[Any, ...]] = []
            dcles: list[tuple[Any, ...]] = []
            for _k in range(per_customer):
                entry_no += 1
                usd = c % 5 == 0 and rng.random() < 0.3
                currency, factor = ("USD", USD_RATE) if usd else ("", Decimal(1))
                amount = Decimal(rng.randint(1000, 500000)) / 100
                lcy = (amount * factor).quantize(Decimal("0.01"))
                posted = start + timedelta(days=rng.randint(0, 700))
                is_open = rng.random() < 0.2
                paid = None if is_open else posted + timedelta(days=rng.randint(1, 60))
                rem, rem_lcy = (amount, lcy) if is_open else (Decimal(0), Decimal(0))
                cles.append(
                    (
                        entry_no,
                        no,
                        posted,
                        posted - timedelta(days=rng.randint(0, 3)),
                        "INVOICE",
                        f"I{entry_no}",
                        "",
                        "",
                        currency,
                        factor,
                        amount,
                        lcy,
                        rem,
                        rem_lcy,
                        is_open,
                        posted + timedelta(days=30),
                        Decimal(0),
                        Decimal(0),
                        Decimal(0),
                        "DOMESTIC",
                        paid,
                        False,
                        entry_no,
                    )
                )
                dcles.append(
                    (entry_no, no, "INITIAL_ENTRY", posted, "INVOICE", f"I{entry_no}", currency)
                    + (amount, lcy, False, entry_no)
                )
                if paid is not None:
                    dcles.append(
                        (entry_no, no, "APPLICATION", paid, "PAYMENT", f"P{entry_no}", currency)
                        + (-amount, -lcy, False, entry_no)
                    )
            await conn.copy_records_to_table(
                "customer_ledger_entries", columns=CLE_COLS, records=cles
            )
            await conn.copy_records_to_table(
                "detailed_customer_ledger_entries", columns=DCLE_COLS, records=dcles
            )
        await conn.execute("SELECT setval('customer_ledger_entries_entry_no_seq', $1)", entry_no)
        await conn.execute(f"SELECT setval('transaction_no_seq', {entry_no})")
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


QUERY = """query ($after: String) {
  agedReceivables(asOf: "2025-06-30", agingBy: DUE_DATE, periods: "30D", first: 50,
                  after: $after) {
    edges { node { customerNo currencyCode notDue buckets { label from to amount }
                   total totalLcy } }
    pageInfo { hasNextPage endCursor } } }"""


def filter_sql() -> str:
    """The alternative measured beside it: the bucket sums computed in SQL (SUM ... FILTER),
    one column per bucket, instead of the entries' (date, amount) arrays bucketed in Python."""
    layout = aging_layout(AS_OF, AgingBasis.DUE_DATE, ["30D"])
    sums = [f"sum(r.rem) FILTER (WHERE e.due_date > '{AS_OF}') AS not_due"]
    for i, c in enumerate(layout.columns):
        low = "" if c.start is None else f"e.due_date >= '{c.start}' AND "
        sums.append(f"sum(r.rem) FILTER (WHERE {low}e.due_date <= '{c.end}') AS b{i}")
    return f"""SELECT p.no, p.name, g.* FROM customers p CROSS JOIN LATERAL (
  SELECT e.currency_code, {", ".join(sums)}, sum(r.rem_lcy) AS total_lcy
  FROM (SELECT d.cust_ledger_entry_no AS entry_no, sum(d.amount) AS rem,
               sum(d.amount_lcy) AS rem_lcy
        FROM detailed_customer_ledger_entries d
        WHERE d.customer_no = p.no AND d.posting_date <= '{AS_OF}'
        GROUP BY d.cust_ledger_entry_no HAVING sum(d.amount) <> 0) r
  JOIN customer_ledger_entries e ON e.entry_no = r.entry_no
  GROUP BY e.currency_code) g
WHERE p.no >= $1 AND (p.no, g.currency_code) > ($1, '')
ORDER BY p.no, g.currency_code LIMIT 51"""


def raw_sql() -> tuple[str, list[Any]]:
    """The store's page query as SQL text with asyncpg ($n) parameters, in its order."""
    layout = aging_layout(AS_OF, AgingBasis.DUE_DATE, ["30D"])
    statement = page_query(RECEIVABLES, layout, None, None, ("C000000", ""), 51)
    compiled = statement.compile(dialect=postgresql.dialect(paramstyle="numeric_dollar"))
    names = compiled.positiontup or []
    return str(compiled), [compiled.params[n] for n in names]


async def measure(url: str, customers: int, samples: int) -> None:
    key = new_key()
    engine = create_engine(url, pool_size=2)
    await create_api_key(engine, "bench", hash_key(key), ["read"])
    await engine.dispose()
    app = create_app(
        AppConfig(database_url=url, redis_url="redis://127.0.0.1:1/0", data_dir=Path("/tmp"))
    )
    rng = random.Random(11)
    # start after a random customer (not the first page only); its cursor is (customer, "")
    picks = [f"C{rng.randrange(max(1, customers - 60)):06d}" for _ in range(samples)]
    sql, params = raw_sql()
    headers = {"Authorization": f"Bearer {key}"}
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:

            async def gql_ms(after: str) -> float:
                t = time.perf_counter()
                r = await client.post(
                    "/graphql",
                    json={"query": QUERY, "variables": {"after": encode_cursor([after, ""])}},
                    headers=headers,
                )
                body = r.json()
                if r.status_code != 200 or "errors" in body:
                    raise RuntimeError(r.text)
                assert len(body["data"]["agedReceivables"]["edges"]) == 50
                return (time.perf_counter() - t) * 1000

            conn = await asyncpg.connect(**asyncpg_kwargs(url))
            try:
                statement = await conn.prepare(sql)

                async def raw_ms(after: str) -> float:
                    t = time.perf_counter()
                    rows = await statement.fetch(*_with_cursor(params, after))
                    assert len(rows) == 51
                    return (time.perf_counter() - t) * 1000

                for c in picks:  # warm pass: both sides read the same cached pages
                    await statement.fetch(*_with_cursor(params, c))
                for c in picks[:20]:
                    await gql_ms(c)
                cpu_start = time.process_time()
                api = [await gql_ms(c) for c in picks]
                cpu_ms = (time.process_time() - cpu_start) * 1000 / len(picks)
                raw = [await raw_ms(c) for c in picks]
                sql_buckets = await conn.prepare(filter_sql())

                async def filter_ms(after: str) -> float:
                    t = time.perf_counter()
                    assert len(await sql_buckets.fetch(after)) == 51
                    return (time.perf_counter() - t) * 1000

                for c in picks:
                    await sql_buckets.fetch(c)
                in_sql = [await filter_ms(c) for c in picks]
                plan = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *params)
            finally:
                await conn.close()
    for pct in (50, 95):
        report(
            f"agedReceivables p{pct} (GraphQL, 50 rows)",
            percentile(api, pct),
            "ms",
            percentile(raw, pct),
        )
    for pct in (50, 95):
        report(
            f"page SQL, buckets in SQL p{pct} (asyncpg)",
            percentile(in_sql, pct),
            "ms",
            percentile(raw, pct),
        )
    report("agedReceivables CPU per request (mean)", cpu_ms, "ms", None)
    print(f"load average: {os.getloadavg()[0]:.2f}", flush=True)
    print("plan (baseline):\n" + "\n".join(r[0] for r in plan), flush=True)


def _with_cursor(params: list[Any], after: str) -> list[Any]:
    return [after if p == "C000000" else p for p in params]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--per-customer", type=int, default=100)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    configure_logging(os.environ.get("LOG_LEVEL", "WARNING"))
    with scratch_database() as url:
        t = time.perf_counter()
        asyncio.run(load(url, args.customers, args.per_customer))
        report("load ledger with COPY", time.perf_counter() - t, "s", None)
        asyncio.run(measure(url, args.customers, args.samples))


if __name__ == "__main__":
    main()
