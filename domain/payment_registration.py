"""BC's Payment Registration: the user ticks documents and types what was received; this
turns those ticks into payments (one per document, or one lump payment per customer/date)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.errors import DomainError, ErrorCode


@dataclass(frozen=True, slots=True)
class OpenDocument:
    entry_no: int
    customer_no: str
    document_no: str
    currency_code: str
    remaining_amount: Decimal
    remaining_pmt_disc_possible: Decimal
    pmt_discount_date: date | None
    pmt_disc_tolerance_date: date | None
    max_payment_tolerance: Decimal


@dataclass(frozen=True, slots=True)
class Registration:
    document: OpenDocument
    amount_received: Decimal
    date_received: date


@dataclass(frozen=True, slots=True)
class PaymentPlan:
    customer_no: str
    currency_code: str
    date_received: date
    document_no: str
    amount: Decimal  # negative: money received from the customer (BC sign convention)
    apply_to: tuple[tuple[int, Decimal | None], ...]  # (entry no., amount to apply or all)


def discount_last_date(doc: OpenDocument) -> date | None:
    return doc.pmt_disc_tolerance_date or doc.pmt_discount_date


def discount_if_paid_on(doc: OpenDocument, day: date) -> Decimal:
    """The discount a full payment on `day` would get (0 when the last date has passed)."""
    last = discount_last_date(doc)
    if last is None or day > last:
        return Decimal(0)
    return doc.remaining_pmt_disc_possible


def _amount_to_apply(reg: Registration) -> Decimal | None:
    """None (apply all: the engine grants discount/tolerance) unless it is a partial payment."""
    doc = reg.document
    settles_at = doc.remaining_amount - discount_if_paid_on(doc, reg.date_received)
    if reg.amount_received >= settles_at - abs(doc.max_payment_tolerance):
        return None
    return reg.amount_received


def plan_payments(registrations: Sequence[Registration], lump: bool) -> tuple[PaymentPlan, ...]:
    """One payment per document, or (lump) one per customer, currency and date received."""
    seen: set[int] = set()
    for i, reg in enumerate(registrations):
        where = ["lines", str(i)]
        if reg.document.entry_no in seen:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"entry {reg.document.entry_no} is registered twice",
                [*where, "entryNo"],
            )
        seen.add(reg.document.entry_no)
        if reg.amount_received <= 0:
            raise DomainError(
                ErrorCode.INVALID_AMOUNT,
                "amount received must be positive",
                [*where, "amountReceived"],
            )
        if reg.document.remaining_amount <= 0:
            raise DomainError(
                ErrorCode.ENTRY_CLOSED,
                f"{reg.document.document_no} has nothing left to pay",
                [*where, "entryNo"],
            )
    if not lump:
        return tuple(
            PaymentPlan(
                r.document.customer_no,
                r.document.currency_code,
                r.date_received,
                f"PR-{r.document.document_no}",
                -r.amount_received,
                ((r.document.entry_no, _amount_to_apply(r)),),
            )
            for r in registrations
        )
    groups: dict[tuple[str, str, date], list[Registration]] = {}
    for reg in registrations:
        key = (reg.document.customer_no, reg.document.currency_code, reg.date_received)
        groups.setdefault(key, []).append(reg)
    return tuple(
        PaymentPlan(
            customer,
            currency,
            day,
            f"PR-{customer}-{day.isoformat()}",
            -sum((r.amount_received for r in regs), Decimal(0)),
            tuple((r.document.entry_no, _amount_to_apply(r)) for r in regs),
        )
        for (customer, currency, day), regs in groups.items()
    )
