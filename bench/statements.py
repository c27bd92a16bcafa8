"""Statement run throughput: one `lettrage worker` rendering and e-mailing N statements to a
local SMTP sink, its peak memory, and Typst vs WeasyPrint rendering of the same statements.

python -m bench.statements [--customers 10000 --entries 20 --baseline 50]

Needs DATABASE_URL (a scratch database is created on that server) and Redis at REDIS_URL
(default redis://127.0.0.1:6379/0). The WeasyPrint baseline needs `weasyprint` (a bench-only
dependency); without it only our side is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import psutil
import redis.asyncio as aioredis
from arq.constants import health_check_key_suffix

from bench.common import asyncpg_kwargs, machine_speed_ms, median, report, scratch_database
from bench.read_open_entries import CLE_COLS, DCLE_COLS
from bench.smtp_sink import LeanSink
from domain.statements import AgingBy, Statement, StatementOptions, build_statement
from lettrage.smtp_sink import start_smtp_sink
from store.db import create_engine
from store.parties.master import CUSTOMER, get_party
from store.statements.deliveries import load_sender
from store.statements.ledger import statement_customer, statement_entries
from store.statements.queue import enqueue_deliveries
from store.statements.runs import StatementRunRequest, create_statement_run, pending_jobs
from workers.render import CompanyInfo, render_statement_pdf
from workers.render.view import StatementView, build_view
from workers.send_delivery import company_info

START = date(2026, 1, 1)
END = date(2026, 3, 31)
CUSTOMER_COLS = [
    "no",
    "name",
    "address",
    "email",
    "language_code",
    "currency_code",
    "application_method",
    "customer_posting_group",
]


def _cle(
    no: int, customer: str, posted: date, kind: str, doc: str, amount: Decimal, rem: Decimal
) -> tuple[Any, ...]:
    due = posted + timedelta(days=30) if kind == "INVOICE" else posted
    return (
        no,
        customer,
        posted,
        posted,
        kind,
        doc,
        f"PO-{no}" if kind == "INVOICE" else "",
        "",
        "",
        Decimal(1),
        amount,
        amount,
        rem,
        rem,
        rem != 0,
        due,
        Decimal(0),
        Decimal(0),
        Decimal(0),
        "DOMESTIC",
        False,
        no,
    )


def _dcle(
    entry: int, customer: str, kind: str, posted: date, doc_type: str, doc: str, amount: Decimal
) -> tuple[Any, ...]:
    return (entry, customer, kind, posted, doc_type, doc, "", amount, amount, False, entry)


async def load(url: str, customers: int, entries: int) -> int:
    """Customers with an e-mail address and ~``entries`` ledger entries each in Q1 2026:
    invoices, about half of them paid by a payment entry applied to them."""
    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    rng = random.Random(7)
    try:
        await conn.execute(
            "UPDATE company_setup SET name = 'Lettrage Bench SA', "
            "address = E'1 rue du Bench\\n75001 Paris', email = 'ar@bench.example' WHERE id = 1"
        )
        await conn.copy_records_to_table(
            "customers",
            columns=CUSTOMER_COLS,
            records=[
                (
                    f"C{i:06d}",
                    f"Customer {i} Ltd",
                    f"{i} Market Street\nSpringfield",
                    f"c{i}@customers.example",
                    "fr" if i % 4 == 0 else "en",
                    "",
                    "MANUAL",
                    "DOMESTIC",
                )
                for i in range(customers)
            ],
        )
        entry_no = 0
        span = (END - START).days
        for c in range(customers):
            cust = f"C{c:06d}"
            cles: list[tuple[Any, ...]] = []
            dcles: list[tuple[Any, ...]] = []
            made = 0
            while made < entries:
                entry_no += 1
                inv = entry_no
                amount = Decimal(rng.randint(1000, 500000)) / 100
                posted = START + timedelta(days=rng.randint(0, span - 10))
                paid = made + 1 < entries and rng.random() < 0.5
                cles.append(
                    _cle(
                        inv,
                        cust,
                        posted,
                        "INVOICE",
                        f"I{inv}",
                        amount,
                        Decimal(0) if paid else amount,
                    )
                )
                dcles.append(
                    _dcle(inv, cust, "INITIAL_ENTRY", posted, "INVOICE", f"I{inv}", amount)
                )
                made += 1
                if paid:
                    entry_no += 1
                    pay = entry_no
                    on = posted + timedelta(days=rng.randint(1, 9))
                    cles.append(_cle(pay, cust, on, "PAYMENT", f"P{pay}", -amount, Decimal(0)))
                    dcles += [
                        _dcle(pay, cust, "INITIAL_ENTRY", on, "PAYMENT", f"P{pay}", -amount),
                        _dcle(pay, cust, "APPLICATION", on, "PAYMENT", f"P{pay}", amount),
                        _dcle(inv, cust, "APPLICATION", on, "PAYMENT", f"P{pay}", -amount),
                    ]
                    made += 1
            await conn.copy_records_to_table(
                "customer_ledger_entries", columns=CLE_COLS, records=cles
            )
            await conn.copy_records_to_table(
                "detailed_customer_ledger_entries", columns=DCLE_COLS, records=dcles
            )
        await conn.execute("SELECT setval('customer_ledger_entries_entry_no_seq', $1)", entry_no)
        await conn.execute(f"SELECT setval('transaction_no_seq', {entry_no})")
        await conn.execute("ANALYZE")
        return entry_no
    finally:
        await conn.close()


def request() -> StatementRunRequest:
    """A full statement: every Q1 movement, the overdue section and the aging band."""
    return StatementRunRequest(
        start_date=START,
        end_date=END,
        include_aging=True,
        aging_by=AgingBy.DUE_DATE,
        aging_period="30D",
        include_overdue=True,
    )


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system) used so far by a process and by its live children."""
    process = psutil.Process(pid)
    times = process.cpu_times()
    own = times.user + times.system
    children = 0.0
    for child in process.children(recursive=True):
        try:
            t = child.cpu_times()
        except psutil.Error:
            continue
        children += t.user + t.system
    return own, children


class RssSampler:
    """Peak resident memory of a process (and its children), sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                rss = self.process.memory_info().rss
                rss += sum(c.memory_info().rss for c in self.process.children(recursive=True))
            except psutil.Error:
                return
            self.peak = max(self.peak, rss)
            self._stop.wait(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def start_worker(url: str, redis_url: str, queue: str, smtp_port: int, log: Path) -> Any:
    exe = shutil.which("lettrage", path=str(Path(sys.executable).parent)) or "lettrage"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "LETTRAGE_QUEUE_NAME": queue,
        "LETTRAGE_DATA_DIR": str(log.parent / "data"),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_FROM": "ar@bench.example",
        "LOG_LEVEL": "WARNING",
    }
    with log.open("wb") as err:
        return subprocess.Popen([exe, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=err)


async def wait_for_worker(redis_url: str, queue: str, proc: Any, log: Path) -> None:
    """The worker is polling its queue once arq has written the queue's health-check key."""
    redis = aioredis.Redis.from_url(redis_url)
    try:
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError(f"worker exited: {log.read_text()[-2000:]}")
            if await redis.exists(queue + health_check_key_suffix):
                return
            await asyncio.sleep(0.1)
        raise RuntimeError("worker did not start within 60 s")
    finally:
        await redis.aclose()


async def run_statements(
    url: str, redis_url: str, queue: str
) -> tuple[float, float, dict[str, int]]:
    """Request the run, enqueue it, wait for COMPLETED; (enqueue s, total s, counts)."""
    engine = create_engine(url, pool_size=2)
    redis = aioredis.Redis.from_url(redis_url)
    conn = await asyncpg.connect(**asyncpg_kwargs(url))
    try:
        t0 = time.perf_counter()
        run_id, _ = await create_statement_run(engine, request())
        async with engine.connect() as c:
            jobs = await pending_jobs(c, run_id)
        await enqueue_deliveries(redis, jobs, queue)
        enqueued = time.perf_counter() - t0
        last, polls = -1, 0
        while True:
            status = await conn.fetchval("SELECT status FROM statement_runs WHERE id = $1", run_id)
            if status in ("COMPLETED", "CANCELLED"):
                break
            await asyncio.sleep(0.2)
            polls += 1
            if polls % 25:  # progress every 5 s: counting the deliveries is not free
                continue
            done = await conn.fetchval(
                "SELECT count(*) FROM statement_deliveries WHERE run_id = $1 "
                "AND status NOT IN ('PENDING', 'SENDING')",
                run_id,
            )
            if done // 1000 != last // 1000:
                print(
                    f"  ... {done}/{len(jobs)} after {time.perf_counter() - t0:.0f} s", flush=True
                )
            last = done
        total = time.perf_counter() - t0
        rows = await conn.fetch(
            "SELECT status, count(*) AS n FROM statement_deliveries WHERE run_id = $1 "
            "GROUP BY status",
            run_id,
        )
        return enqueued, total, {r["status"]: r["n"] for r in rows}
    finally:
        await conn.close()
        await redis.aclose()
        await engine.dispose()


async def statements_for(url: str, count: int) -> tuple[list[Statement], CompanyInfo]:
    """The statements of the first ``count`` customers, computed as the worker does."""
    engine = create_engine(url, pool_size=2)
    req = request()
    out: list[Statement] = []
    try:
        async with engine.connect() as conn:
            sender = await load_sender(conn)
            nos = await conn.exec_driver_sql(f"SELECT no FROM customers ORDER BY no LIMIT {count}")
            customers = [await get_party(conn, CUSTOMER, r.no) for r in nos.all()]
            for customer in customers:
                assert customer is not None
                pg = (await conn.get_raw_connection()).driver_connection
                entries = await statement_entries(pg, customer.no, req.end_date)
                options = StatementOptions(
                    start_date=req.start_date,
                    end_date=req.end_date,
                    include_aging=req.include_aging,
                    aging_by=req.aging_by,
                    aging_period=req.aging_period,
                    include_overdue=req.include_overdue,
                    lcy_code=sender.lcy_code,
                )
                out.append(build_statement(statement_customer(customer), entries, options))
    finally:
        await engine.dispose()
    return out, company_info(sender)


CSS = """@page { size: A4; margin: 18mm 15mm; @bottom-right { content: "Page " counter(page)
" of " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; }
.head { display: flex; justify-content: space-between; }
h1 { font-size: 16pt; margin: 0 0 4mm; } h2 { font-size: 11pt; margin: 6mm 0 2mm; }
table { width: 100%; border-collapse: collapse; } thead { display: table-header-group; }
th { text-align: left; border-bottom: 1px solid #444; background: #eee; }
td, th { padding: 1mm 1.5mm; } td.n, th.n { text-align: right; }
tr.total td { border-top: 1px solid #444; font-weight: bold; }
.box { border: 1px solid #999; padding: 2mm; }"""


def statement_html(v: StatementView) -> str:
    """The same statement view the Typst template prints, laid out as HTML + CSS."""
    e = html.escape
    out = [f"<html><head><style>{CSS}</style></head><body><div class='head'><div>"]
    out.append(f"<b>{e(v.company.name)}</b><br>")
    out += [f"{e(x)}<br>" for x in v.company.address_lines]
    out.append(f"{e(v.company.email)}</div><div class='box'><h1>{e(v.t('statement'))}</h1>")
    out.append(f"{e(v.statement_date)}<br>{e(v.customer_no)}<br>{e(v.period)}</div></div>")
    out.append(f"<p><b>{e(v.customer_name)}</b><br>")
    out += [f"{e(x)}<br>" for x in v.customer_address]
    out.append("</p>")
    for s in v.sections:
        out.append(f"<h2>{e(s.heading)}</h2><table><thead><tr><th>Date</th><th>Document</th>")
        out.append("<th>Your ref.</th><th>Due</th><th class='n'>Amount</th>")
        out.append("<th class='n'>Balance</th></tr></thead><tbody>")
        out.append(
            f"<tr><td colspan='5'>{e(s.opening_label)}</td>"
            f"<td class='n'>{e(s.opening_balance)}</td></tr>"
        )
        for ln in s.lines:
            out.append(
                f"<tr><td>{e(ln.date)}</td><td>{e(ln.document)}</td><td>{e(ln.your_ref)}</td>"
                f"<td>{e(ln.due_date)}</td><td class='n'>{e(ln.amount)}</td>"
                f"<td class='n'>{e(ln.balance)}</td></tr>"
            )
        out.append(
            f"<tr class='total'><td colspan='5'>{e(s.closing_label)}</td>"
            f"<td class='n'>{e(s.closing_balance)}</td></tr></tbody></table>"
        )
        if s.has_overdue:
            out.append(f"<h2>{e(s.overdue_title)}</h2><table><thead><tr><th>Document</th>")
            out.append("<th>Your ref.</th><th>Due</th><th class='n'>Days</th>")
            out.append("<th class='n'>Original</th><th class='n'>Remaining</th></tr></thead>")
            for o in s.overdue:
                out.append(
                    f"<tr><td>{e(o.document)}</td><td>{e(o.your_ref)}</td><td>{e(o.due_date)}"
                    f"</td><td class='n'>{e(o.days_overdue)}</td><td class='n'>"
                    f"{e(o.original_amount)}</td><td class='n'>{e(o.remaining)}</td></tr>"
                )
            out.append(
                f"<tr class='total'><td colspan='5'></td><td class='n'>{e(s.overdue_total)}"
                "</td></tr></table>"
            )
        if s.aging is not None:
            a = s.aging
            out.append(f"<h2>{e(a.title)}</h2><table><thead><tr>")
            out += [f"<th class='n'>{e(h)}</th>" for h in a.headers]
            out.append("<th class='n'>Total</th></tr></thead><tr>")
            out += [f"<td class='n'>{e(x)}</td>" for x in a.amounts]
            out.append(f"<td class='n'>{e(a.total)}</td></tr></table>")
    out.append("</body></html>")
    return "".join(out)


def weasyprint_subsetter() -> str:
    """WeasyPrint subsets the embedded fonts with the HarfBuzz-Subset C library when it is
    installed, else with fontTools (deprecated, and about two thirds of its time per page)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    fast = harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)
    return "HarfBuzz" if fast else "fontTools"


def render_baseline(
    statements: list[Statement], company: CompanyInfo
) -> tuple[float, float | None]:
    """Median ms per statement: our Typst PDF, and WeasyPrint on the same statement as HTML
    (None when WeasyPrint is not installed). Each renderer is warmed up once first."""
    render_statement_pdf(statements[0], company)
    typst_ms = []
    for st in statements:
        t = time.perf_counter()
        render_statement_pdf(st, company)
        typst_ms.append((time.perf_counter() - t) * 1000)
    try:
        import weasyprint
    except ImportError:
        return median(typst_ms), None
    weasyprint.HTML(string=statement_html(build_view(statements[0], company))).write_pdf()
    weasy_ms = []
    for st in statements:
        t = time.perf_counter()
        weasyprint.HTML(string=statement_html(build_view(st, company))).write_pdf()
        weasy_ms.append((time.perf_counter() - t) * 1000)
    return median(typst_ms), median(weasy_ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--baseline", type=int, default=50)
    parser.add_argument(
        "--sink",
        choices=("lean", "aiosmtpd"),
        default="lean",
        help="the receiving SMTP server (aiosmtpd costs ~9 ms of CPU per e-mail on 2 cores)",
    )
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    queue = f"bench-statements-{uuid.uuid4().hex[:8]}"
    with scratch_database() as url, tempfile.TemporaryDirectory(prefix="lettrage-bench-") as tmp:
        t = time.perf_counter()
        entries = asyncio.run(load(url, args.customers, args.entries))
        report(f"load {entries} ledger entries with COPY", time.perf_counter() - t, "s", None)
        mail = Path(tmp) / "mail"
        sink = LeanSink() if args.sink == "lean" else start_smtp_sink(mail)
        log = Path(tmp) / "worker.log"
        worker = start_worker(url, redis_url, queue, sink.port, log)
        try:
            asyncio.run(wait_for_worker(redis_url, queue, worker, log))
            sampler = RssSampler(worker.pid)
            load_before = os.getloadavg()
            report("machine sum(range(10**6)), best of 5", machine_speed_ms(), "ms", None)
            cpu_before = cpu_seconds(worker.pid)
            enqueued, total, counts = asyncio.run(run_statements(url, redis_url, queue))
            cpu_after = cpu_seconds(worker.pid)
            load_after = os.getloadavg()
            peak = sampler.stop()
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            sink.stop()
        n = sum(counts.values())
        if isinstance(sink, LeanSink):  # a Message-ID seen twice counts once
            emails = len(set(sink.box.message_ids()) - {b""})
            if emails != len(sink.box.messages):
                raise SystemExit(f"{len(sink.box.messages)} e-mails, {emails} Message-IDs")
        else:
            emails = len(list(mail.glob("*.eml")))
        sessions = f" over {sink.box.sessions} SMTP sessions" if isinstance(sink, LeanSink) else ""
        print(f"deliveries: {counts}; e-mails in the sink: {emails}{sessions}", flush=True)
        if counts.get("SENT") != args.customers or emails != args.customers:
            print(f"worker log: {log.read_text()[-2000:]}", flush=True)
            raise SystemExit("not every statement was sent exactly once")
        report(f"statement run, {n} customers (1 worker)", total, "s", 180.0)
        report("  request + enqueue", enqueued, "s", None)
        report("  ms per statement (render + send)", total * 1000 / n, "ms", None)
        report("  worker peak RSS", peak / 2**20, "MB", 500.0)
        # on a shared machine the wall time depends on the other jobs; CPU time much less
        report(
            "  CPU ms per statement, worker loop",
            (cpu_after[0] - cpu_before[0]) * 1000 / n,
            "ms",
            None,
        )
        report(
            "  CPU ms per statement, render processes",
            (cpu_after[1] - cpu_before[1]) * 1000 / n,
            "ms",
            None,
        )
        print(
            "load average (1 min) before/after the run: "
            f"{load_before[0]:.2f} / {load_after[0]:.2f} on {os.cpu_count()} cores",
            flush=True,
        )
        if args.baseline <= 0:
            return
        statements, company = asyncio.run(statements_for(url, args.baseline))
        typst_ms, weasy_ms = render_baseline(statements, company)
        report(f"Typst render_statement_pdf p50 ({len(statements)})", typst_ms, "ms", weasy_ms)
        if weasy_ms is not None:
            subsetter = weasyprint_subsetter()
            print(f"WeasyPrint subsets fonts with {subsetter}", flush=True)
            if subsetter == "HarfBuzz":
                report("  WeasyPrint / Typst (target >= 50)", weasy_ms / typst_ms, "x", 50.0)
            else:  # the baseline would be 3-4x slower than WeasyPrint as it is meant to run
                report("  WeasyPrint / Typst (not comparable)", weasy_ms / typst_ms, "x", None)
                print("install libharfbuzz-subset0 for the baseline that counts", flush=True)
        else:
            print("WeasyPrint is not installed: only our side was measured", flush=True)


if __name__ == "__main__":
    main()
