"""The job that turns one delivery of a statement run into a PDF and an e-mail, at most once
per customer: it may run twice (arq retries, a worker killed mid-job), so every step first
reads what the delivery row says has already happened (workers.send_delivery)."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from arq import Retry
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.delivery import OPEN_DELIVERY
from domain.statements import AgingBy, StatementEntry, StatementOptions, StatementStyle
from store.db import driver_connection
from store.statements.deliveries import (
    DeliveryContext,
    SenderInfo,
    StoredEmail,
    load_job,
    save_rendering,
    stored_email,
)
from store.statements.ledger import statement_customer, statement_entries
from workers.render_pool import RenderPool, RenderRequest
from workers.send_delivery import Outgoing, company_info, deliver

_IN_THREAD = RenderPool(0)  # when the caller set up no pool (jobs called in-process)


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What the job read: the stored rendering, or else what rendering needs."""

    job: DeliveryContext
    stored: StoredEmail | None = None
    request: RenderRequest | None = None


async def _load(engine: AsyncEngine, delivery_id: int) -> _Loaded | None:
    """Every read of the job on one connection: the delivery with its run, customer and
    sender in one query, then the stored rendering or the ledger."""
    async with driver_connection(engine) as pg:
        loaded = await load_job(pg, delivery_id)
        if loaded is None:
            return None
        job, sender = loaded
        if job.delivery.status not in OPEN_DELIVERY:
            return _Loaded(job)
        if job.delivery.has_pdf:  # rendered by an earlier attempt: send what was stored
            stored = await stored_email(pg, delivery_id)
            assert stored is not None
            return _Loaded(job, stored=stored)
        entries = await statement_entries(pg, job.customer.no, job.run.end_date)
    return _Loaded(job, request=_request(job, sender, entries))


def _request(
    job: DeliveryContext, sender: SenderInfo, entries: list[StatementEntry]
) -> RenderRequest:
    run = job.run
    options = StatementOptions(
        start_date=run.start_date,
        end_date=run.end_date,
        style=StatementStyle(run.style),
        include_aging=run.include_aging,
        aging_by=AgingBy(run.aging_by),
        aging_period=run.aging_period,
        include_overdue=run.include_overdue,
        language_code=run.language_code,
        lcy_code=sender.lcy_code,
    )
    company = company_info(sender)
    return RenderRequest(statement_customer(job.customer), tuple(entries), options, company)


async def _rendered(ctx: dict[str, Any], loaded: _Loaded) -> StoredEmail:
    if loaded.stored is not None:
        return loaded.stored
    assert loaded.request is not None
    pool: RenderPool = ctx.get("render_pool") or _IN_THREAD
    try:
        r = await pool.render(loaded.request)
    except BrokenProcessPool as exc:
        # a render process died (killed, out of memory); nothing was sent: run the job again
        raise Retry(defer=1) from exc
    job = loaded.job
    return await save_rendering(
        ctx["engine"],
        job.delivery.id,
        job.run.id,
        StoredEmail(r.pdf, r.subject, r.text, r.html),
        r.currency_codes,
    )


async def send_statement(ctx: dict[str, Any], delivery_id: int) -> str:
    """Render and deliver one statement; returns the delivery's final or current status."""
    loaded = await _load(ctx["engine"], delivery_id)
    if loaded is None:
        return "MISSING"
    d, customer = loaded.job.delivery, loaded.job.customer
    out = Outgoing(
        delivery_id=d.id,
        status=d.status,
        stage=d.stage,
        output=d.output,
        message_id=d.message_id,
        customer_no=customer.no,
        email=customer.email,
        filename=f"statement-{customer.no}-{loaded.job.run.end_date.isoformat()}.pdf",
    )
    return await deliver(ctx, out, lambda: _rendered(ctx, loaded))
