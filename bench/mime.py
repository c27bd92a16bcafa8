"""Building a statement e-mail: our hand-written MIME builder (workers.mime.build_message)
against the standard library's (EmailMessage, policy SMTP, as_bytes), on the same realistic
message, in one process.

python -m bench.mime [--messages 300]

The message: a French statement of ~20 ledger entries (half paid), rendered as the worker
does (Typst PDF, HTML and text bodies, a non-ASCII subject), sent by a sender with a
non-ASCII display name, and again by a bare address (the default SMTP_FROM). Median ms per
message, each builder warmed up once; the stdlib is the baseline. Needs no database.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate

from bench.common import machine_speed_ms, median, report
from domain.statements import (
    AgingBy,
    DocumentType,
    MovementType,
    StatementCustomer,
    StatementEntry,
    StatementMovement,
    StatementOptions,
    build_statement,
)
from workers.mime import Attachment, build_message
from workers.render import CompanyInfo, render_email, render_statement_pdf

START, END = date(2026, 1, 1), date(2026, 3, 31)
COMPANY = CompanyInfo(
    name="Société Générale des Établissements Dupré",
    address_lines=("5 rue de la Paix", "75002 Paris"),
    email="compta@dupre.example",
    vat_no="FR40123456789",
    logo_png=None,
)
SENDERS = {
    "non-ASCII display name": "Établissements Dupré – Comptabilité <compta@dupre.example>",
    "bare address": "statements@lettrage.invalid",
}


def _entries(count: int) -> list[StatementEntry]:
    """Invoices through the quarter, every other one paid a few days later."""
    out: list[StatementEntry] = []
    no = 0
    for i in range(count // 2 + count % 2):
        no += 1
        posted = START + timedelta(days=4 * i)
        amount = Decimal(1000 + 37 * i) + Decimal("0.45")
        paid = i % 2 == 0 and len(out) + 2 <= count
        applied = StatementMovement(posted + timedelta(days=6), MovementType.APPLICATION, -amount)
        out.append(
            StatementEntry(
                entry_no=no,
                document_type=DocumentType.INVOICE,
                document_no=f"FA-{no:05d}",
                posting_date=posted,
                amount=amount,
                detailed=(
                    StatementMovement(posted, MovementType.INITIAL_ENTRY, amount),
                    *((applied,) if paid else ()),
                ),
                external_document_no=f"BC-{i:04d}",
                due_date=posted + timedelta(days=30),
            )
        )
        if paid:
            no += 1
            on = posted + timedelta(days=6)
            out.append(
                StatementEntry(
                    entry_no=no,
                    document_type=DocumentType.PAYMENT,
                    document_no=f"RG-{no:05d}",
                    posting_date=on,
                    amount=-amount,
                    detailed=(
                        StatementMovement(on, MovementType.INITIAL_ENTRY, -amount),
                        StatementMovement(on, MovementType.APPLICATION, amount),
                    ),
                )
            )
    return out


def stdlib_message(
    *,
    sender: str,
    recipient: str,
    message_id: str,
    subject: str,
    text: str,
    html: str,
    attachment: Attachment,
) -> bytes:
    """The same message with the stdlib: quoted-printable bodies, as ours."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id
    msg["MIME-Version"] = "1.0"
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    msg.add_attachment(
        attachment.content, maintype="application", subtype="pdf", filename=attachment.filename
    )
    return msg.as_bytes()


def _median_ms(build: Callable[[], bytes], count: int) -> float:
    build()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        build()
        times.append((time.perf_counter() - started) * 1000)
    return median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    customer = StatementCustomer(
        no="C00042",
        name="Boulangerie Lefèvre SARL",
        address_lines=("12 place de l'Église", "69002 Lyon"),
        email="jean.lefevre@boulangerie.example",
        language_code="FRA",
    )
    options = StatementOptions(
        start_date=START,
        end_date=END,
        include_aging=True,
        aging_by=AgingBy.DUE_DATE,
        aging_period="30D",
        include_overdue=True,
        language_code="FRA",
        lcy_code="EUR",
    )
    statement = build_statement(customer, _entries(20), options)
    pdf = render_statement_pdf(statement, COMPANY)
    subject, html, text = render_email(statement, COMPANY)
    print(
        f"message: PDF {len(pdf) / 1024:.1f} KB, HTML {len(html) / 1024:.1f} KB, "
        f"text {len(text) / 1024:.1f} KB, subject {subject!r}",
        flush=True,
    )
    report("machine sum(range(10**6)), best of 5", machine_speed_ms(), "ms", None)
    for label, sender in SENDERS.items():
        parts = {
            "sender": sender,
            "recipient": customer.email,
            "message_id": "<run-12-C00042@lettrage>",
            "subject": subject,
            "text": text,
            "html": html,
            "attachment": Attachment("relevé-C00042-2026-03-31.pdf", pdf),
        }
        stdlib_ms = _median_ms(lambda p=parts: stdlib_message(**p), args.messages)  # type: ignore[misc]
        ours_ms = _median_ms(lambda p=parts: build_message(**p), args.messages)  # type: ignore[misc]
        print(f"sender: {label} ({sender})", flush=True)
        report("  stdlib EmailMessage p50", stdlib_ms, "ms", None)
        report("  workers.mime.build_message p50", ours_ms, "ms", stdlib_ms)
        report("  stdlib / ours", stdlib_ms / ours_ms, "x", None)


if __name__ == "__main__":
    main()
