"""The job that lays out an aged receivables or payables report as a PDF for a download: the
rows are read the way the GraphQL report reads them (store.reports.aging), the PDF comes back
to the waiting API as the job's result. Nothing is stored, so running it twice is harmless."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.reports import AgingBasis, aging_layout
from store.reports.aging import PAYABLES, RECEIVABLES, aged_rows
from store.statements.deliveries import load_sender
from workers.render.aged_report import build_aged_report_view, render_aged_report_pdf
from workers.send_delivery import company_info

LEDGERS = {RECEIVABLES.name: RECEIVABLES, PAYABLES.name: PAYABLES}


async def render_aged_report(
    ctx: dict[str, Any],
    ledger: str,
    as_of: str,
    basis: str,
    periods: list[str],
    currency_code: str | None,
    party_nos: list[str] | None,
) -> bytes:
    """The PDF of the report with these arguments (see store.reports.queue.AgedReportJob)."""
    engine: AsyncEngine = ctx["engine"]
    layout = aging_layout(date.fromisoformat(as_of), AgingBasis(basis), periods)
    async with engine.connect() as conn:
        sender = await load_sender(conn)
        rows = [
            row
            async for page in aged_rows(
                conn, LEDGERS[ledger], layout, currency_code=currency_code, party_nos=party_nos
            )
            for row in page
        ]
    view = build_aged_report_view(
        ledger, layout, rows, company_info(sender), sender.lcy_code, currency_code
    )
    # Typst compiles synchronously; keep the event loop (and other jobs) responsive
    return await asyncio.to_thread(render_aged_report_pdf, view)
