"""Statement runs end to end: the API in-process, `lettrage worker` as a real subprocess, and
an aiosmtpd sink in this process that records every message (and writes .eml files)."""

from __future__ import annotations

import asyncio
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from aiosmtpd.controller import Controller
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.config import AppConfig
from tests.api.conftest import GraphQLClient, make_key
from tests.api.ledger_helpers import post_invoice, setup_customer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SinkHandler:
    """Accepts mail into `messages` and `directory`; can refuse recipients or answer slowly."""

    directory: Path
    messages: list[bytes] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    delay_after_accept: float = 0.0

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        content = envelope.original_content or envelope.content
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / f"{uuid.uuid4().hex}.eml").write_bytes(content)
        self.messages.append(content)
        if self.delay_after_accept:
            await asyncio.sleep(self.delay_after_accept)
        return f"250 queued as {len(self.messages)}"

    def parsed(self) -> list[Message]:
        return [email.message_from_bytes(m) for m in list(self.messages)]

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.parsed()]


@dataclass
class Sink:
    handler: SinkHandler
    port: int


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[Sink]:
    handler = SinkHandler(tmp_path / "mailbox")
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Sink(handler, port)
    finally:
        controller.stop()


@pytest.fixture
async def queue_name(redis_url: str) -> AsyncIterator[str]:
    name = f"lettrage:test:{uuid.uuid4().hex[:12]}"
    yield name
    client = aioredis.Redis.from_url(redis_url)
    try:
        await client.delete(name)
    finally:
        await client.aclose()


@pytest.fixture
async def app_config(db_url: str, redis_url: str, tmp_path: Path) -> AppConfig:
    return AppConfig(database_url=db_url, redis_url=redis_url, data_dir=tmp_path)


@pytest.fixture
async def http(app_config: AppConfig, queue_name: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(app_config)
    app.state.statement_queue = queue_name
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
async def admin_key(db_url: str) -> str:
    return await make_key(db_url, ["read", "post", "admin"], "admin")


@pytest.fixture
async def gql(http: httpx.AsyncClient, admin_key: str) -> GraphQLClient:
    return GraphQLClient(http, admin_key)


WorkerFactory = Callable[..., subprocess.Popen[bytes]]


@pytest.fixture
def start_worker(
    db_url: str, redis_url: str, queue_name: str, sink: Sink, tmp_path: Path
) -> Iterator[WorkerFactory]:
    """Start `lettrage worker` processes on this test's queue; all are stopped at the end."""
    procs: list[subprocess.Popen[bytes]] = []
    lettrage = shutil.which("lettrage", path=str(Path(sys.executable).parent)) or "lettrage"

    def start(**env: str) -> subprocess.Popen[bytes]:
        full = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "LETTRAGE_DATA_DIR": str(tmp_path / "data"),
            "LETTRAGE_QUEUE_NAME": queue_name,
            "LETTRAGE_JOB_TIMEOUT": "2",
            "LETTRAGE_SMTP_MAX_ATTEMPTS": "2",
            "LETTRAGE_SMTP_RETRY_SECONDS": "0.2",
            "LETTRAGE_MAIL_PROBE_DIR": str(sink.handler.directory),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(sink.port),
            "SMTP_FROM": "statements@example.com",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        proc = subprocess.Popen(
            [lettrage, "worker"], env=full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        procs.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stderr is not None:
                proc.stderr.close()


RUN_FIELDS = """id status total rendered sent ready failed cancelled pending
deliveries { id customerNo currencyCode currencyCodes status error uncertain attempts
  messageId recipient smtpReply pdfUrl }"""

REQUEST_RUN = f"""mutation ($i: RequestStatementRunInput!) {{
  requestStatementRun(input: $i) {{ replayed run {{ {RUN_FIELDS} }}
    errors {{ code message field }} }}
}}"""

RUN_QUERY = f"query ($id: Int!) {{ statementRun(id: $id) {{ {RUN_FIELDS} }} }}"

RETRY_RUN = f"""mutation ($i: RetryStatementRunInput!) {{
  retryStatementRun(input: $i) {{ retried run {{ {RUN_FIELDS} }} errors {{ code message }} }}
}}"""


async def request_run(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    data = await gql.call(
        REQUEST_RUN, {"i": {"startDate": "2026-03-01", "endDate": "2026-03-31", **fields}}
    )
    payload: dict[str, Any] = data["requestStatementRun"]
    return payload


async def get_run(gql: GraphQLClient, run_id: int) -> dict[str, Any]:
    data = await gql.call(RUN_QUERY, {"id": run_id})
    run: dict[str, Any] = data["statementRun"]
    return run


async def wait_for_run(
    gql: GraphQLClient,
    run_id: int,
    done: Callable[[dict[str, Any]], bool] | None = None,
    timeout: float = 40.0,
    worker: subprocess.Popen[bytes] | None = None,
) -> dict[str, Any]:
    """Poll until `done(run)` (default: the run is COMPLETED)."""
    check = done or (lambda r: r["status"] == "COMPLETED")
    deadline = time.monotonic() + timeout
    while True:
        run = await get_run(gql, run_id)
        if check(run):
            return run
        if worker is not None and worker.poll() is not None:
            err = worker.stderr.read().decode() if worker.stderr else ""
            raise AssertionError(f"worker exited with {worker.returncode}: {err[-2000:]}")
        assert time.monotonic() < deadline, f"run did not finish in time: {run}"
        await asyncio.sleep(0.1)


async def seed_customers(gql: GraphQLClient, count: int) -> dict[str, str]:
    """`count` EUR customers C01.. each with one invoice of (100 × n) + 0.50; returns
    customer no -> expected closing balance as printed in English."""
    expected: dict[str, str] = {}
    for n in range(1, count + 1):
        no = f"C{n:02d}"
        await setup_customer(gql, no, email=f"{no.lower()}@example.com")
        amount = f"{100 * n * 11}.50"
        out = await post_invoice(
            gql, customerNo=no, documentNo=f"INV-{no}", postingDate="2026-03-10", amount=amount
        )
        assert out["errors"] == [], out
        expected[no] = f"{100 * n * 11:,}.50"
    return expected
