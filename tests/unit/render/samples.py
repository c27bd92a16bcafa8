"""Statements to render: a two-currency ledger long enough to need two A4 pages."""

from __future__ import annotations

import struct
import zlib
from datetime import date, timedelta
from decimal import Decimal

from domain.statements import (
    AgingBy,
    DocumentType,
    MovementType,
    Statement,
    StatementCustomer,
    StatementEntry,
    StatementMovement,
    StatementOptions,
    StatementStyle,
    build_statement,
)
from workers.render import CompanyInfo

START, END = date(2026, 1, 1), date(2026, 3, 31)


def tiny_png(width: int = 40, height: int = 12) -> bytes:
    """A valid solid-colour RGB PNG, built by hand."""
    rows = b"".join(b"\x00" + bytes((31, 58, 95)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


COMPANY = CompanyInfo(
    name="CRONUS France SA",
    address_lines=("5 rue de la Paix", "75002 Paris"),
    email="compta@cronus.example",
    vat_no="FR40123456789",
    logo_png=tiny_png(),
)


def _entry(
    no: int,
    kind: DocumentType,
    posted: date,
    amount: Decimal,
    currency: str = "",
    later: tuple[StatementMovement, ...] = (),
    due: date | None = None,
    external: str = "",
) -> StatementEntry:
    initial = StatementMovement(posted, MovementType.INITIAL_ENTRY, amount)
    return StatementEntry(
        entry_no=no,
        document_type=kind,
        document_no=f"{'INV' if kind is DocumentType.INVOICE else 'PAY'}-{no:04d}",
        external_document_no=external,
        posting_date=posted,
        amount=amount,
        currency_code=currency,
        due_date=due,
        detailed=(initial, *later),
    )


def ledger(invoices: int = 28) -> list[StatementEntry]:
    """EUR (LCY) invoices, some paid, plus a USD invoice partly paid; closing balances are
    EUR 1,234,567.89 + Σ open invoices and USD 12,345.67."""
    entries = [_entry(1, DocumentType.INVOICE, date(2025, 12, 1), Decimal("1234567.89"), due=START)]
    no = 2
    for i in range(invoices):
        posted = START + timedelta(days=2 * i)
        amount = Decimal(100 + i)
        paid = i % 3 == 0
        later = (
            (StatementMovement(posted + timedelta(days=5), MovementType.APPLICATION, -amount),)
            if paid
            else ()
        )
        entries.append(
            _entry(
                no,
                DocumentType.INVOICE,
                posted,
                amount,
                later=later,
                due=posted + timedelta(days=30),
                external=f"PO-{i}",
            )
        )
        no += 1
        if paid:
            back = StatementMovement(posted + timedelta(days=5), MovementType.APPLICATION, amount)
            entries.append(
                _entry(no, DocumentType.PAYMENT, posted + timedelta(days=5), -amount, later=(back,))
            )
            no += 1
    usd_paid = StatementMovement(date(2026, 3, 10), MovementType.APPLICATION, Decimal("-2000.00"))
    entries.append(
        _entry(
            no,
            DocumentType.INVOICE,
            date(2026, 2, 1),
            Decimal("14345.67"),
            currency="USD",
            later=(usd_paid,),
            due=date(2026, 3, 3),
        )
    )
    back = StatementMovement(date(2026, 3, 10), MovementType.APPLICATION, Decimal("2000.00"))
    entries.append(
        _entry(
            no + 1,
            DocumentType.PAYMENT,
            date(2026, 3, 10),
            Decimal("-2000.00"),
            currency="USD",
            later=(back,),
        )
    )
    return entries


def daily_ledger(count: int) -> list[StatementEntry]:
    """``count`` open EUR invoices posted through the period (a statement of ``count`` lines)."""
    days = (END - START).days
    return [
        _entry(
            i + 1,
            DocumentType.INVOICE,
            START + timedelta(days=i * days // count),
            Decimal(100 + i),
            due=START + timedelta(days=i * days // count + 30),
            external=f"PO-{i}",
        )
        for i in range(count)
    ]


def statement(
    *,
    language: str = "ENU",
    name: str = "Selangorian Ltd.",
    address: tuple[str, ...] = ("Sunset Boulevard 12", "Kuala Lumpur"),
    invoices: int = 28,
    style: StatementStyle = StatementStyle.BALANCE,
    entries: list[StatementEntry] | None = None,
) -> Statement:
    customer = StatementCustomer(
        no="C-30000", name=name, address_lines=address, language_code=language
    )
    options = StatementOptions(
        start_date=START,
        end_date=END,
        style=style,
        include_aging=True,
        aging_by=AgingBy.DUE_DATE,
        aging_period="1M+CM",
        include_overdue=True,
        lcy_code="EUR",
    )
    return build_statement(customer, ledger(invoices) if entries is None else entries, options)
