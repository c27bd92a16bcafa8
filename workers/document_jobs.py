"""The job that sends one issued reminder or finance charge memo: rendered once (PDF and
e-mail stored on the delivery, so every attempt and the download are the same document), then
delivered through the statements' exactly-once sequence (workers.send_delivery)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from store.collections.deliveries import REMINDER, DocumentDelivery, load_document_delivery
from store.collections.finance_charges import load_memos
from store.collections.reminders import get_reminder_terms, load_reminders
from store.db import driver_connection
from store.parties.master import CUSTOMER, get_party
from store.records import CustomerRecord
from store.statements.deliveries import (
    StoredEmail,
    load_sender,
    save_rendering,
    stored_email,
)
from store.statements.ledger import statement_customer
from workers.render.collection_email import render_collection_email
from workers.render.collection_pdf import render_collection_pdf
from workers.render.collection_view import CollectionView, build_memo_view, build_reminder_view
from workers.send_delivery import Outgoing, company_info, deliver


async def _view(
    conn: AsyncConnection, delivery: DocumentDelivery, customer: CustomerRecord
) -> CollectionView:
    sender = await load_sender(conn)
    company = company_info(sender)
    recipient = statement_customer(customer)
    if delivery.document_kind == REMINDER:
        (reminder,) = await load_reminders(conn, [delivery.document_id])
        terms = await get_reminder_terms(conn, reminder.terms_code)
        level = next((x for x in terms.levels if x.no == reminder.level), None) if terms else None
        return build_reminder_view(reminder, recipient, company, sender.lcy_code, level)
    (memo,) = await load_memos(conn, [delivery.document_id])
    return build_memo_view(memo, recipient, company, sender.lcy_code)


async def _rendered(
    engine: AsyncEngine, delivery: DocumentDelivery, customer: CustomerRecord
) -> StoredEmail:
    async with driver_connection(engine) as pg:
        existing = await stored_email(pg, delivery.id)
    if existing is not None:
        return existing
    async with engine.connect() as conn:
        view = await _view(conn, delivery, customer)
    # Typst compiles synchronously; keep the event loop (and other jobs) responsive
    pdf = await asyncio.to_thread(render_collection_pdf, view)
    subject, html, text = render_collection_email(view)
    return await save_rendering(
        engine, delivery.id, None, StoredEmail(pdf, subject, text, html), [view.currency]
    )


async def send_document(ctx: dict[str, Any], delivery_id: int) -> str:
    """Render and deliver one reminder or memo; returns the delivery's final or current
    status ("MISSING" for an unknown id or a statement run's delivery)."""
    engine: AsyncEngine = ctx["engine"]
    async with engine.connect() as conn:
        delivery = await load_document_delivery(conn, delivery_id)
        customer = (
            None if delivery is None else await get_party(conn, CUSTOMER, delivery.customer_no)
        )
    if delivery is None or customer is None:
        return "MISSING"
    out = Outgoing(
        delivery_id=delivery.id,
        status=delivery.status,
        stage=delivery.stage,
        output=delivery.output,
        message_id=delivery.message_id,
        customer_no=customer.no,
        email=customer.email,
        filename=f"{delivery.document_no}.pdf",
    )
    return await deliver(ctx, out, lambda: _rendered(engine, delivery, customer))
