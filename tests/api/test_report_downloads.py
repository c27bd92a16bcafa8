"""The aged reports' CSV and PDF downloads through the real server; the PDF is laid out by a
worker (the real `build_worker`, in this process, on this test's queue)."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
import warnings
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pypdf import PdfReader

from api.app import create_app
from api.config import AppConfig
from store.reports.queue import AgedReportJob, render_aged_report_pdf
from tests.api.conftest import GraphQLClient, make_key
from tests.api.report_helpers import aged, known_ledger, known_payables
from workers.config import WorkerConfig
from workers.settings import build_worker


@pytest.fixture
def queue_name() -> str:
    return f"lettrage:test:reports:{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def http(app_config: AppConfig, queue_name: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(app_config)
    app.state.statement_queue = queue_name
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
async def worker(
    db_url: str, redis_url: str, queue_name: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[None]:
    running = build_worker(
        WorkerConfig(db_url, redis_url, render_processes=0, queue_name=queue_name)
    )
    task = asyncio.create_task(running.async_run())
    try:
        yield
    finally:
        with warnings.catch_warnings():  # arq 0.28 closes its pool with redis' deprecated close()
            warnings.simplefilter("ignore", DeprecationWarning)
            await running.close()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


@pytest.fixture
async def ledger(gql: GraphQLClient) -> GraphQLClient:
    await known_ledger(gql)
    return gql


async def get(gql: GraphQLClient, http: httpx.AsyncClient, url: str) -> httpx.Response:
    return await http.get(url, headers={"Authorization": f"Bearer {gql.key}"})


async def test_csv_holds_every_row_of_the_report(
    ledger: GraphQLClient, http: httpx.AsyncClient
) -> None:
    page = await aged(ledger, first=1)
    got = await get(ledger, http, page["csvUrl"])
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert 'filename="aged-receivables-2026-03-31.csv"' in got.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(got.text)))
    assert table == [
        [
            "customerNo",
            "name",
            "currencyCode",
            "notDue",
            "1-30 days",
            "31-60 days",
            "61-90 days",
            "Over 90 days",
            "total",
            "totalLcy",
        ],
        ["C1", "Customer C1", "EUR", "300.00", "500.00", "0.00", "-50.00", "800.00"]
        + ["1550.00", "1550.00"],
        ["C1", "Customer C1", "USD", "0.00", "100.00", "0.00", "0.00", "0.00", "100.00", "90.00"],
        ["C2", "Customer C2", "EUR", "0.00", "0.00", "250.00", "0.00", "0.00", "250.00", "250.00"],
    ]


async def test_csv_follows_the_report_arguments(
    ledger: GraphQLClient, http: httpx.AsyncClient
) -> None:
    page = await aged(ledger, by="POSTING_DATE", periods=["1M", "1M"], cur="USD")
    assert "agingBy=POSTING_DATE" in page["csvUrl"]
    table = list(csv.reader(io.StringIO((await get(ledger, http, page["csvUrl"])).text)))
    assert table[0][3:] == ["1-31 days", "32-62 days", "Over 62 days", "total", "totalLcy"]
    assert table[1:] == [["C1", "Customer C1", "USD", "100.00", "0.00", "0.00", "100.00", "90.00"]]


async def test_payables_csv(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    await known_payables(gql)
    got = await get(gql, http, "/reports/aged-payables.csv?asOf=2026-03-31")
    table = list(csv.reader(io.StringIO(got.text)))
    assert table[0][0] == "vendorNo"
    assert table[1] == [
        "V1",
        "Supplier One",
        "EUR",
        "0.00",
        "-120.00",
        "0.00",
        "0.00",
        "-60.00",
    ] + [
        "-180.00",
        "-180.00",
    ]


async def test_pdf_shows_the_rows_and_totals(
    ledger: GraphQLClient, http: httpx.AsyncClient, worker: None
) -> None:
    page = await aged(ledger)
    got = await get(ledger, http, page["pdfUrl"])
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(got.content)).pages)
    for expected in (
        "Aged Accounts Receivable",
        "Aged as of",
        "Mar 31, 2026",
        "Customer C1",
        "Customer C2",
        "1-30 days",
        "Over 90 days",
        "1,550.00",
        "800.00",
        "Total USD",
        "Total: 1,890.00 EUR",
    ):
        assert expected in text, (expected, text)
    again = await get(ledger, http, page["pdfUrl"])
    assert again.content == got.content  # dated by the as-of date: the same report, same bytes


async def test_downloads_need_a_read_key(
    ledger: GraphQLClient, http: httpx.AsyncClient, db_url: str
) -> None:
    url = (await aged(ledger))["csvUrl"]
    assert (await http.get(url)).status_code == 401
    poster = await make_key(db_url, ["post"], "poster")
    assert (await http.get(url, headers={"Authorization": f"Bearer {poster}"})).status_code == 403


@pytest.mark.parametrize(
    ("url", "status", "code", "field"),
    [
        (
            "/reports/aged-receivables.csv?customerNos=NOPE",
            400,
            "UNKNOWN_CUSTOMER",
            ["customerNos", "0"],
        ),
        (
            "/reports/aged-receivables.pdf?periods=1M&periods=0D",
            400,
            "INVALID_DATE_FORMULA",
            ["periods", "1"],
        ),
        ("/reports/aged-receivables.csv?asOf=31-03-2026", 400, "INVALID_INPUT", ["asOf"]),
        ("/reports/aged-receivables.csv?agingBy=ENTRY_DATE", 400, "INVALID_INPUT", ["agingBy"]),
        ("/reports/aged-payables.csv?vendorNos=V9", 400, "UNKNOWN_VENDOR", ["vendorNos", "0"]),
        ("/reports/aged-receivables.xlsx", 404, None, None),
        ("/reports/ledger.csv", 404, None, None),
    ],
)
async def test_bad_download_arguments(
    gql: GraphQLClient,
    http: httpx.AsyncClient,
    url: str,
    status: int,
    code: str | None,
    field: list[str] | None,
) -> None:
    got = await get(gql, http, url)
    assert got.status_code == status
    assert got.json().get("code") == code
    assert got.json().get("field") == field


async def test_pdf_without_a_worker_is_a_503_not_a_hang(
    ledger: GraphQLClient, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def quick(redis: object, queue: str, job: AgedReportJob) -> bytes:
        return await render_aged_report_pdf(redis, queue, job, timeout=0.3)

    # no worker on this test's queue; wait 0.3 s instead of the route's 120 s
    monkeypatch.setattr("api.report_route.render_aged_report_pdf", quick)
    got = await get(ledger, http, "/reports/aged-receivables.pdf?asOf=2026-03-31")
    assert got.status_code == 503
    assert "lettrage worker" in got.json()["error"]
