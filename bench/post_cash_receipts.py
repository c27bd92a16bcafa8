"""Cash receipt posting rate: service layer and GraphQL vs a COPY of the same rows (as many
rows per table as the service run inserted; the median of three COPY runs).

python -m bench.post_cash_receipts [--invoices 100000 --lines 20000 --batch 500 --clients 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
import uvloop
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.auth import hash_key, new_key
from api.config import AppConfig
from bench.common import asyncpg_kwargs, machine_speed_ms, report, scratch_database
from bench.read_open_entries import CLE_COLS, DCLE_COLS, GL_COLS
from domain.posting.journal import ApplyToInput, CashReceiptLine
from lettrage.gc_tuning import settle_after_startup
from store import setup
from store.api_keys import create_api_key
from store.db import create_engine
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


def plan(
    invoices: int, customers: int, lines: int, seed: int, first: int = 1
) -> list[CashReceiptLine]:
    """Each payment pays 1-3 invoices (entries first..invoices) of one customer that still has
    some, each invoice paid at most once; fewer lines only when the invoices run out."""
    rng = random.Random(seed)
    by_customer: dict[int, list[int]] = {}
    for n in range(first, invoices + 1):
        by_customer.setdefault(n % customers, []).append(n)
    alive = sorted(by_customer)
    out = []
    for i in range(lines):
        if not alive:
            break
        j = rng.randrange(len(alive))
        c = alive[j]
        pool = by_customer[c]
        chosen = [pool.pop() for _ in range(min(len(pool), rng.randint(1, 3)))]
        if not pool:
            alive[j] = alive[-1]
            alive.pop()
        out.append(
            CashReceiptLine(
                posting_date=DAY,
                document_no=f"P{seed}-{i}",
                amount=Decimal(-100 * len(chosen)),
                bal_account_no="BANK",
                customer_no=f"C{c:05d}",
                apply_to=tuple(ApplyToInput(n) for n in chosen),
            )
        )
    return out


TABLES = (
    "customer_ledger_entries",
    "detailed_customer_ledger_entries",
    "gl_entries",
    "bank_account_ledger_entries",
)


async def row_counts(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    try:
        return {t: int(await conn.fetchval(f"SELECT count(*) FROM {t}")) for t in TABLES}
    finally:
        await conn.close()


async def post_service(url: str, lines: list[CashReceiptLine], batch: int) -> float:
    engine = create_engine(url, pool_size=4)
    try:
        t = time.perf_counter()
        for i in range(0, len(lines), batch):
            await post_cash_receipt_lines(engine, lines[i : i + batch])
        return time.perf_counter() - t
    finally:
        await engine.dispose()


async def post_graphql(
    url: str, key: str, lines: list[CashReceiptLine], batch: int, clients: int = 1
) -> float:
    """Batches through the ASGI app in-process; with several clients, client k posts batches
    k, k + clients, ... at the same time as the others (their customers may overlap)."""
    app = create_app(
        AppConfig(database_url=url, redis_url="redis://127.0.0.1:1/0", data_dir=Path("/tmp"))
    )
    mutation = """mutation ($i: PostCashReceiptLinesInput!) { postCashReceiptLines(input: $i)
      { errors { code message } } }"""
    batches = [lines[i : i + batch] for i in range(0, len(lines), batch)]

    async def client_run(client: httpx.AsyncClient, mine: list[list[CashReceiptLine]]) -> None:
        for chunk in mine:
            variables = {"i": {"lines": [_line_input(x) for x in chunk]}}
            r = await client.post(
                "/graphql",
                headers={"Authorization": f"Bearer {key}"},
                json={"query": mutation, "variables": variables},
            )
            errors = r.json()["data"]["postCashReceiptLines"]["errors"]
            if errors:
                raise RuntimeError(errors)

    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://b", timeout=600
        ) as client:
            t = time.perf_counter()
            await asyncio.gather(*(client_run(client, batches[k::clients]) for k in range(clients)))
            return time.perf_counter() - t


def _line_input(x: CashReceiptLine) -> dict[str, object]:
    return {
        "postingDate": x.posting_date.isoformat(),
        "documentNo": x.document_no,
        "amount": str(x.amount),
        "balAccountNo": "BANK",
        "customerNo": x.customer_no,
        "applyTo": [{"entryNo": a.entry_no} for a in x.apply_to],
    }


async def copy_baseline(url: str, written: dict[str, int], run: int = 0) -> float:
    """COPY as many rows into each table as the service run inserted (payments, detailed
    entries each pointing to one of them, G/L and bank entries), in one transaction."""
    n = written["customer_ledger_entries"]
    first = 10**9 + run * 10**7
    cles = [
        (first + i, "C00000", DAY, DAY, "PAYMENT", f"X{i}", "", "", "", Decimal(1))
        + (Decimal(-1), Decimal(-1), Decimal(0), Decimal(0), False, DAY)
        + (Decimal(0), Decimal(0), Decimal(0), "DOMESTIC", False, first + i)
        for i in range(n)
    ]
    per = max(1, written["detailed_customer_ledger_entries"] // max(n, 1))
    dcles = [
        (first + min(i // per, n - 1), "C00000", "APPLICATION", DAY, "PAYMENT", f"X{i}", "")
        + (Decimal(-1), Decimal(-1), False, first + i)
        for i in range(written["detailed_customer_ledger_entries"])
    ]
    gls = [
        ("1100", DAY, "PAYMENT", f"X{i}", "", Decimal(1), "CUSTOMER", "C00000", first + i)
        for i in range(written["gl_entries"])
    ]
    bank = [
        ("BANK", DAY, "PAYMENT", f"X{i}", "", "", Decimal(1), Decimal(1), True, first + i)
        for i in range(written["bank_account_ledger_entries"])
    ]
    bank_cols = ["bank_account_no", "posting_date", "document_type", "document_no"]
    bank_cols += ["description", "currency_code", "amount", "amount_lcy", "open"]
    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    try:
        t = time.perf_counter()
        async with conn.transaction():
            await conn.copy_records_to_table(
                "customer_ledger_entries", columns=CLE_COLS, records=cles
            )
            await conn.copy_records_to_table(
                "detailed_customer_ledger_entries", columns=DCLE_COLS, records=dcles
            )
            await conn.copy_records_to_table("gl_entries", columns=GL_COLS, records=gls)
            await conn.copy_records_to_table(
                "bank_account_ledger_entries",
                columns=[*bank_cols, "transaction_no"],
                records=bank,
            )
        return time.perf_counter() - t
    finally:
        await conn.close()


SAME_ROWS = {  # every column the posting wrote but the serial entry no. and the timestamp
    "detailed_customer_ledger_entries": [
        "cust_ledger_entry_no", "customer_no", "entry_type", "posting_date", "document_type",
        "document_no", "currency_code", "amount", "amount_lcy", "applied_cust_ledger_entry_no",
        "application_no", "pmt_disc_possible_delta", "unapplies_application_no", "unapplied",
        "unapplied_by_entry_no", "transaction_no",
    ],
    "gl_entries": [
        "gl_account_no", "posting_date", "document_type", "document_no", "description",
        "amount", "source_type", "source_no", "transaction_no",
    ],
}  # fmt: skip


async def last_entry_nos(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    try:
        sql = "SELECT coalesce(max(entry_no), 0) FROM {}"
        return {t: int(await conn.fetchval(sql.format(t))) for t in SAME_ROWS}
    finally:
        await conn.close()


async def copy_same_rows(url: str, since: dict[str, int], upto: dict[str, int]) -> float:
    """COPY once more, in one transaction, the very detailed and G/L entries the service run
    wrote (same values, so the same index keys and foreign keys), as the issue words the
    baseline: the same number of detailed + G/L rows."""
    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    try:
        rows = {
            t: await conn.fetch(
                f"SELECT {', '.join(cols)} FROM {t} WHERE entry_no > $1 AND entry_no <= $2 "
                "ORDER BY entry_no",
                since[t],
                upto[t],
            )
            for t, cols in SAME_ROWS.items()
        }
        records = {t: [tuple(r) for r in rs] for t, rs in rows.items()}
        t0 = time.perf_counter()
        async with conn.transaction():
            for t, cols in SAME_ROWS.items():
                await conn.copy_records_to_table(t, columns=cols, records=records[t])
        return time.perf_counter() - t0
    finally:
        await conn.close()


async def run(
    url: str, invoices: int, customers: int, lines: int, batch: int, clients: int
) -> None:
    engine = create_engine(url, pool_size=1)
    await setup.upsert_bank_account(engine, "BANK", {"gl_account_no": "1100"})
    key = new_key()
    await create_api_key(engine, "bench", hash_key(key), ["read", "post", "admin"])
    await engine.dispose()
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    report("machine sum(range(10**6)), best of 5", machine_speed_ms(), "ms", None)
    service_lines = plan(invoices // 2, customers, lines, 1)
    settle_after_startup()  # as `lettrage serve` and the worker do once started (the app too)
    before, since = await row_counts(url), await last_entry_nos(url)
    service_s = await post_service(url, service_lines, batch)
    after, upto = await row_counts(url), await last_entry_nos(url)
    written = {t: after[t] - before[t] for t in TABLES}
    print(f"rows written by the service run: {written}", flush=True)

    gql_lines = plan(invoices, customers, lines, 2, first=invoices // 2 + 1)
    gql_s = await post_graphql(url, key, gql_lines, batch, clients)
    copy_s = statistics.median([await copy_baseline(url, written, run) for run in range(3)])
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)
    n = len(service_lines)
    report("cash receipt lines/s (service layer)", n / service_s, "lines/s", n / copy_s)
    name = "GraphQL" if clients == 1 else f"GraphQL, {clients} clients"
    report(f"cash receipt lines/s ({name})", len(gql_lines) / gql_s, "lines/s", n / copy_s)
    report("service / COPY, synthetic, every table", service_s / copy_s, "x", None)
    same = statistics.median([await copy_same_rows(url, since, upto) for _ in range(3)])
    report("service / COPY, same detailed + G/L rows", service_s / same, "x", None)
    report("GraphQL / COPY, same detailed + G/L rows", gql_s / same, "x", None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--clients", type=int, default=1, help="concurrent GraphQL clients")
    parser.add_argument(
        "--loop",
        choices=("uvloop", "asyncio"),
        default="uvloop",
        help="event loop of the posting runs (`lettrage serve` and the worker run on uvloop)",
    )
    args = parser.parse_args()
    factory = uvloop.new_event_loop if args.loop == "uvloop" else asyncio.new_event_loop
    with scratch_database() as url:
        asyncio.run(load(url, args.invoices, args.customers))
        with asyncio.Runner(loop_factory=factory) as runner:
            runner.run(
                run(url, args.invoices, args.customers, args.lines, args.batch, args.clients)
            )


if __name__ == "__main__":
    main()
