"""The job that turns one delivery of a statement run into a PDF and an e-mail, at most once
per customer: it may run twice (arq retries, a worker killed mid-job), so every step first
reads what the delivery row says has already happened."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from arq import Retry
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.errors import DomainError
from domain.statements import (
    AgingBy,
    Statement,
    StatementOptions,
    StatementStyle,
    build_statement,
)
from store.statement_deliveries import (
    STAGE_DATA,
    DeliveryContext,
    StoredEmail,
    claim_for_sending,
    finish_delivery,
    load_delivery,
    load_sender,
    mark_data_stage,
    release_for_retry,
    save_rendering,
    stored_email,
)
from store.statement_ledger import statement_customer, statement_entries
from workers.delivery import (
    Attachment,
    DeliveryFailure,
    DeliveryPolicy,
    SmtpConfig,
    UncertainDelivery,
    accepted_by_mailbox,
    build_message,
    send_message,
)
from workers.render import CompanyInfo, RenderError, render_email, render_statement_pdf

log = structlog.get_logger(__name__)

UNCERTAIN = (
    "uncertain: the connection to the SMTP server broke after the message was handed over, "
    "so it may have been delivered; not resent (check the mailbox, then retry with "
    "includeUncertain)"
)


async def _render(
    engine: AsyncEngine, job: DeliveryContext
) -> tuple[Statement, bytes, str, str, str]:
    run = job.run
    async with engine.connect() as conn:
        sender = await load_sender(conn)
        entries = await statement_entries(conn, job.customer.no, run.end_date)
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
    statement = build_statement(statement_customer(job.customer), entries, options)
    company = CompanyInfo(
        name=sender.name,
        address_lines=tuple(x.strip() for x in sender.address.splitlines() if x.strip()),
        email=sender.email,
        vat_no=sender.vat_no,
        logo_png=sender.logo_png,
    )
    # Typst compiles synchronously; keep the event loop (and other jobs) responsive
    pdf = await asyncio.to_thread(render_statement_pdf, statement, company)
    subject, html, text = render_email(statement, company)
    return statement, pdf, subject, html, text


async def _rendered(engine: AsyncEngine, job: DeliveryContext) -> StoredEmail:
    async with engine.connect() as conn:
        existing = await stored_email(conn, job.delivery.id)
    if existing is not None:
        return existing
    statement, pdf, subject, html, text = await _render(engine, job)
    codes = [s.currency_code for s in statement.sections]
    return await save_rendering(
        engine, job.delivery.id, job.run.id, StoredEmail(pdf, subject, text, html), codes
    )


async def send_statement(ctx: dict[str, Any], delivery_id: int) -> str:
    """Render and deliver one statement; returns the delivery's final or current status."""
    engine: AsyncEngine = ctx["engine"]
    smtp: SmtpConfig = ctx["smtp"]
    policy: DeliveryPolicy = ctx["delivery_policy"]
    async with engine.connect() as conn:
        job = await load_delivery(conn, delivery_id)
    if job is None:
        return "MISSING"
    d = job.delivery
    if d.status not in ("PENDING", "SENDING"):
        return d.status
    try:
        email = await _rendered(engine, job)
    except (RenderError, DomainError) as exc:
        reason = getattr(exc, "message", None) or str(exc)
        await finish_delivery(engine, d.id, d.run_id, "FAILED", error=f"rendering: {reason}")
        return "FAILED"
    if d.output == "DOWNLOAD":
        await finish_delivery(engine, d.id, d.run_id, "READY")
        return "READY"
    if d.status == "SENDING" and d.stage == STAGE_DATA:
        return await _resolve_uncertain(engine, job, policy, smtp, email)
    return await _send(engine, job, policy, smtp, email)


async def _resolve_uncertain(
    engine: AsyncEngine,
    job: DeliveryContext,
    policy: DeliveryPolicy,
    smtp: SmtpConfig,
    email: StoredEmail,
) -> str:
    """A previous attempt died after DATA. Look the Message-ID up where we can; without a
    way to look, record FAILED/uncertain rather than risk a second e-mail."""
    d = job.delivery
    if policy.probe_dir is None:
        await finish_delivery(engine, d.id, d.run_id, "FAILED", error=UNCERTAIN, uncertain=True)
        return "FAILED"
    found = await asyncio.to_thread(accepted_by_mailbox, policy.probe_dir, d.message_id)
    if found:
        reply = f"found in {policy.probe_dir} by Message-ID after an interrupted attempt"
        await finish_delivery(engine, d.id, d.run_id, "SENT", smtp_reply=reply)
        return "SENT"
    log.info("statement_resend_after_probe", delivery_id=d.id, message_id=d.message_id)
    await release_for_retry(engine, d.id, "previous attempt interrupted; not in the mailbox")
    return await _send(engine, job, policy, smtp, email)


async def _send(
    engine: AsyncEngine,
    job: DeliveryContext,
    policy: DeliveryPolicy,
    smtp: SmtpConfig,
    email: StoredEmail,
) -> str:
    d, customer = job.delivery, job.customer
    if not customer.email:
        await finish_delivery(
            engine,
            d.id,
            d.run_id,
            "FAILED",
            error=f"customer {customer.no} has no e-mail address (the PDF can be downloaded)",
        )
        return "FAILED"
    attempt = await claim_for_sending(engine, d.id, customer.email)
    if attempt is None:  # cancelled, or another job got further meanwhile
        return "SKIPPED"
    message = build_message(
        sender=smtp.sender,
        recipient=customer.email,
        message_id=d.message_id,
        subject=email.subject,
        text=email.text,
        html=email.html,
        attachment=Attachment(
            f"statement-{customer.no}-{job.run.end_date.isoformat()}.pdf", email.pdf
        ),
    )
    try:
        reply = await send_message(
            smtp, customer.email, message, lambda: mark_data_stage(engine, d.id)
        )
    except UncertainDelivery as exc:
        # the row stays SENDING at stage DATA: the next try resolves it like a crash would
        log.warning("statement_delivery_uncertain", delivery_id=d.id, reason=exc.reason)
        raise Retry(defer=policy.backoff(1)) from exc
    except DeliveryFailure as exc:
        if exc.permanent:
            await finish_delivery(engine, d.id, d.run_id, "FAILED", error=exc.reason)
            return "FAILED"
        if attempt >= policy.max_attempts:
            error = f"gave up after {attempt} attempts: {exc.reason}"
            await finish_delivery(engine, d.id, d.run_id, "FAILED", error=error)
            return "FAILED"
        await release_for_retry(engine, d.id, exc.reason)
        raise Retry(defer=policy.backoff(attempt)) from exc
    await finish_delivery(engine, d.id, d.run_id, "SENT", smtp_reply=reply)
    return "SENT"
