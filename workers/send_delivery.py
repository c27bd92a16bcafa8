"""Every document the workers send (statements, reminders, finance charge memos) goes through
this one sequence, so each gets the same exactly-once guarantees: a job may run twice (arq
retries, a worker killed mid-job), so every step first reads what the delivery row says has
already happened, and a message that may have reached the server is never blindly resent."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from arq import Retry
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.delivery import OPEN_DELIVERY, DeliveryStatus, is_uncertain
from domain.errors import DomainError
from store.statements.deliveries import (
    SenderInfo,
    StoredEmail,
    claim_for_sending,
    finish_delivery,
    mark_data_stage,
    release_for_retry,
)
from workers.config import DeliveryPolicy
from workers.delivery import (
    DeliveryFailure,
    UncertainDelivery,
    accepted_by_mailbox,
    send_message,
)
from workers.mime import Attachment, build_message
from workers.render import CompanyInfo, RenderError
from workers.smtp_sessions import SmtpSessions

log = structlog.get_logger(__name__)
# a job returns the delivery's status as a plain string (arq keeps it in Redis)
SENT = DeliveryStatus.SENT.value
READY = DeliveryStatus.READY.value
FAILED = DeliveryStatus.FAILED.value

UNCERTAIN = (
    "uncertain: the connection to the SMTP server broke after the message was handed over, "
    "so it may have been delivered; not resent (check the mailbox, then retry with "
    "includeUncertain)"
)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One delivery row as the sender needs it, whatever the document."""

    delivery_id: int
    status: str
    stage: str
    output: str
    message_id: str
    customer_no: str
    email: str
    filename: str


def company_info(sender: SenderInfo) -> CompanyInfo:
    """The sender as printed: the setup's address holds one line per line break."""
    return CompanyInfo(
        name=sender.name,
        address_lines=tuple(x.strip() for x in sender.address.splitlines() if x.strip()),
        email=sender.email,
        vat_no=sender.vat_no,
        logo_png=sender.logo_png,
    )


async def deliver(
    ctx: dict[str, Any], out: Outgoing, rendered: Callable[[], Awaitable[StoredEmail]]
) -> str:
    """Render (once: ``rendered`` returns the stored rendering when there is one), then store
    for download or e-mail; returns the delivery's final or current status."""
    engine: AsyncEngine = ctx["engine"]
    sessions: SmtpSessions = ctx.get("smtp_sessions") or SmtpSessions(ctx["smtp"], keep=0)
    policy: DeliveryPolicy = ctx["delivery_policy"]
    if out.status not in OPEN_DELIVERY:
        return out.status
    try:
        email = await rendered()
    except (RenderError, DomainError) as exc:
        reason = getattr(exc, "message", None) or str(exc)
        await finish_delivery(engine, out.delivery_id, FAILED, error=f"rendering: {reason}")
        return FAILED
    if out.output == "DOWNLOAD":
        await finish_delivery(engine, out.delivery_id, READY)
        return READY
    if is_uncertain(out.status, out.stage):
        return await _resolve_uncertain(engine, out, policy, sessions, email)
    return await _send(engine, out, policy, sessions, email)


async def _resolve_uncertain(
    engine: AsyncEngine,
    out: Outgoing,
    policy: DeliveryPolicy,
    sessions: SmtpSessions,
    email: StoredEmail,
) -> str:
    """A previous attempt died after DATA. Look the Message-ID up where we can; without a
    way to look, record FAILED/uncertain rather than risk a second e-mail."""
    if policy.probe_dir is None:
        await finish_delivery(engine, out.delivery_id, FAILED, error=UNCERTAIN, uncertain=True)
        return FAILED
    found = await asyncio.to_thread(accepted_by_mailbox, policy.probe_dir, out.message_id)
    if found:
        reply = f"found in {policy.probe_dir} by Message-ID after an interrupted attempt"
        await finish_delivery(engine, out.delivery_id, SENT, smtp_reply=reply)
        return SENT
    log.info("delivery_resend_after_probe", delivery_id=out.delivery_id, message_id=out.message_id)
    await release_for_retry(
        engine, out.delivery_id, "previous attempt interrupted; not in the mailbox"
    )
    return await _send(engine, out, policy, sessions, email)


async def _send(
    engine: AsyncEngine,
    out: Outgoing,
    policy: DeliveryPolicy,
    sessions: SmtpSessions,
    email: StoredEmail,
) -> str:
    d_id = out.delivery_id
    if not out.email:
        error = f"customer {out.customer_no} has no e-mail address (the PDF can be downloaded)"
        await finish_delivery(engine, d_id, FAILED, error=error)
        return FAILED
    try:
        message = build_message(
            sender=sessions.config.sender,
            recipient=out.email,
            message_id=out.message_id,
            subject=email.subject,
            text=email.text,
            html=email.html,
            attachment=Attachment(out.filename, email.pdf),
        )
    except ValueError as exc:  # e.g. an address that is not one mailbox: no retry will help
        await finish_delivery(engine, d_id, FAILED, error=f"message: {exc}")
        return FAILED
    attempt = await claim_for_sending(engine, d_id, out.email)
    if attempt is None:  # cancelled, or another job got further meanwhile
        return "SKIPPED"
    try:
        reply = await send_message(
            sessions,
            out.email,
            message,
            lambda: mark_data_stage(engine, d_id),
        )
    except UncertainDelivery as exc:
        # the row stays SENDING at stage DATA: the next try resolves it like a crash would
        log.warning("delivery_uncertain", delivery_id=d_id, reason=exc.reason)
        raise Retry(defer=policy.backoff(1)) from exc
    except DeliveryFailure as exc:
        if exc.permanent:
            await finish_delivery(engine, d_id, FAILED, error=exc.reason)
            return FAILED
        if attempt >= policy.max_attempts:
            error = f"gave up after {attempt} attempts: {exc.reason}"
            await finish_delivery(engine, d_id, FAILED, error=error)
            return FAILED
        await release_for_retry(engine, d_id, exc.reason)
        raise Retry(defer=policy.backoff(attempt)) from exc
    await finish_delivery(engine, d_id, SENT, smtp_reply=reply)
    return SENT
