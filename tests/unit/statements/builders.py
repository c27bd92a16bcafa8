"""Small ledger builders for statement tests: entries with their detailed entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.statements import (
    AgingBy,
    DocumentType,
    MovementType,
    StatementCustomer,
    StatementEntry,
    StatementMovement,
    StatementOptions,
    StatementStyle,
)

CUSTOMER = StatementCustomer(
    no="C-10000",
    name="Cannon Group PLC",
    address_lines=("192 Market Square", "Birmingham B27 4KT"),
    email="ap@cannon.example",
    language_code="ENU",
    currency_code="",
)


_PREFIX = {DocumentType.INVOICE: "INV", DocumentType.PAYMENT: "PAY", DocumentType.CREDIT_MEMO: "CM"}


def d(text: str) -> date:
    return date.fromisoformat(text)


def money(text: str) -> Decimal:
    return Decimal(text)


def entry(
    entry_no: int,
    document_type: DocumentType | None,
    posted: str,
    amount: str,
    *movements: tuple[str, MovementType, str],
    currency: str = "",
    due: str | None = None,
    document_no: str | None = None,
) -> StatementEntry:
    """An entry whose initial entry is on its posting date, followed by ``movements``."""
    detailed = (StatementMovement(d(posted), MovementType.INITIAL_ENTRY, money(amount)),) + tuple(
        StatementMovement(d(when), kind, money(value)) for when, kind, value in movements
    )
    prefix = _PREFIX.get(document_type, "DOC") if document_type else "DOC"
    return StatementEntry(
        entry_no=entry_no,
        document_type=document_type,
        document_no=document_no or f"{prefix}-{entry_no}",
        posting_date=d(posted),
        amount=money(amount),
        detailed=detailed,
        currency_code=currency,
        due_date=d(due) if due else None,
        external_document_no=f"PO-{entry_no}" if document_type is DocumentType.INVOICE else "",
    )


def invoice(
    entry_no: int,
    posted: str,
    amount: str,
    *movements: tuple[str, MovementType, str],
    due: str | None = None,
    currency: str = "",
) -> StatementEntry:
    """An invoice due on ``due`` (default: its posting date)."""
    return entry(
        entry_no,
        DocumentType.INVOICE,
        posted,
        amount,
        *movements,
        currency=currency,
        due=due or posted,
    )


def payment(
    entry_no: int,
    posted: str,
    amount: str,
    *movements: tuple[str, MovementType, str],
    currency: str = "",
) -> StatementEntry:
    """A payment (negative amount); payments carry no due date."""
    return entry(entry_no, DocumentType.PAYMENT, posted, amount, *movements, currency=currency)


def applied(when: str, amount: str) -> tuple[str, MovementType, str]:
    return (when, MovementType.APPLICATION, amount)


def discount(when: str, amount: str) -> tuple[str, MovementType, str]:
    return (when, MovementType.PAYMENT_DISCOUNT, amount)


def options(
    start: str = "2026-03-01",
    end: str = "2026-03-31",
    *,
    style: StatementStyle = StatementStyle.BALANCE,
    include_aging: bool = False,
    aging_by: AgingBy = AgingBy.DUE_DATE,
    aging_period: str = "1M+CM",
    include_overdue: bool = False,
    language_code: str = "",
) -> StatementOptions:
    """Options for a March 2026 statement in a company whose LCY is EUR."""
    return StatementOptions(
        start_date=d(start),
        end_date=d(end),
        style=style,
        include_aging=include_aging,
        aging_by=aging_by,
        aging_period=aging_period,
        include_overdue=include_overdue,
        language_code=language_code,
        lcy_code="EUR",
    )
