"""SWIFT MT940 packs dates, marks and amounts into fixed fields; read them exactly, or refuse."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.bank.errors import ParseError

_BALANCE = re.compile(
    r"(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>\d{1,18}(?:,\d{0,6})?)\s*$"
)
_STATEMENT_LINE = re.compile(
    r"(?P<value_date>\d{6})(?P<entry_date>\d{4}|\s{4})?(?P<mark>R?[CD])(?P<funds>[A-Z])?\s?"
    r"(?P<amount>\d{1,18}(?:,\d{0,6})?)(?P<type>[A-Z][A-Z0-9 ]{3})?(?P<rest>.*)$"
)
# Days more than this apart mean the MMDD entry date lies in the neighbouring year.
_YEAR_BOUNDARY_DAYS = 330


@dataclass(frozen=True, slots=True)
class Balance:
    """A :60F:/:62F:-style balance: signed amount, currency and date."""

    amount: Decimal
    currency: str
    on: date


@dataclass(frozen=True, slots=True)
class EntryLine:
    """The :61: statement line as written (first line plus its continuation lines)."""

    value_date: date
    entry_date: date | None
    amount: Decimal
    transaction_type: str | None
    customer_reference: str | None
    bank_reference: str | None
    supplementary_details: str | None


def swift_amount(text: str) -> Decimal:
    """``1234,56`` / ``203,`` / ``0,`` -> Decimal (the comma is the decimal mark)."""
    whole, _, fraction = text.partition(",")
    return Decimal(f"{whole}.{fraction or '0'}")


def swift_date(text: str, where: str) -> date:
    """``YYMMDD`` (00-79 -> 20xx, 80-99 -> 19xx).

    A day past the end of its month (banks send 30 February for month-end interest) is
    read as the last day of that month, as the mt940 library does.
    """
    year = int(text[0:2])
    year += 2000 if year < 80 else 1900
    month, day = int(text[2:4]), int(text[4:6])
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise ParseError(f"{text!r} is not a date (YYMMDD)", where)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def parse_balance(value: str, where: str) -> Balance:
    """Read a balance field such as ``C140219EUR662,23``."""
    match = _BALANCE.match(value)
    if match is None:
        raise ParseError(
            f"{value[:60]!r} is not a balance (mark C/D, YYMMDD date, currency, amount)", where
        )
    amount = swift_amount(match.group("amount"))
    return Balance(
        amount=-amount if match.group("mark") == "D" else amount,
        currency=match.group("currency"),
        on=swift_date(match.group("date"), where),
    )


def parse_entry_line(lines: list[str], where: str) -> EntryLine:
    """Read a :61: field: ``YYMMDD[MMDD]mark[funds]amount type reference[//bank ref]``.

    Credit (C) and reversal of a debit (RD) are incoming (positive); debit (D) and
    reversal of a credit (RC) are outgoing (negative). Lines after the first are the
    supplementary details.
    """
    match = _STATEMENT_LINE.match(lines[0])
    if match is None:
        raise ParseError(
            f"{lines[0][:60]!r} is not a statement line "
            "(YYMMDD date, optional MMDD, mark C/D/RC/RD, amount, type, reference)",
            where,
        )
    value_date = swift_date(match.group("value_date"), where)
    amount = swift_amount(match.group("amount"))
    if match.group("mark") in ("D", "RC"):
        amount = -amount
    reference, separator, bank_reference = match.group("rest").partition("//")
    supplementary = "\n".join(lines[1:]).strip()
    return EntryLine(
        value_date=value_date,
        entry_date=_entry_date(match.group("entry_date"), value_date, where),
        amount=amount,
        transaction_type=match.group("type"),
        customer_reference=reference.strip() or None,
        bank_reference=(bank_reference.strip() or None) if separator else None,
        supplementary_details=supplementary or None,
    )


def _entry_date(text: str | None, value_date: date, where: str) -> date | None:
    """The MMDD booking date, in the year that puts it nearest the value date."""
    if text is None or not text.strip():
        return None
    month, day = int(text[:2]), int(text[2:])
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise ParseError(f"{text!r} is not an entry date (MMDD)", where)
    year = value_date.year
    candidate = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    if (value_date - candidate).days >= _YEAR_BOUNDARY_DAYS:
        year += 1
    elif (candidate - value_date).days >= _YEAR_BOUNDARY_DAYS:
        year -= 1
    else:
        return candidate
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
