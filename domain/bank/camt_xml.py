"""camt elements are read by local name, so every schema version (.02 to .13) reads alike."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from lxml import etree

from domain.bank.errors import ParseError
from domain.bank.fields import clean, parse_plain_decimal
from domain.bank.xml_safety import element_path, local_name

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|T)")


def children(element: etree._Element | None, name: str) -> list[etree._Element]:
    """Direct children of ``element`` with local name ``name``."""
    if element is None:
        return []
    return [c for c in element if local_name(c) == name]


def child(element: etree._Element | None, *names: str) -> etree._Element | None:
    """The first descendant along the local-name path ``names`` (None when absent)."""
    current = element
    for name in names:
        if current is None:
            return None
        current = next((c for c in current if local_name(c) == name), None)
    return current


def text_of(element: etree._Element | None) -> str | None:
    """The stripped text of an element; None when absent or empty."""
    if element is None:
        return None
    return clean(element.text)


def signed_amount(element: etree._Element) -> tuple[Decimal, str | None]:
    """``Amt`` of ``element`` with the sign of its ``CdtDbtInd`` (DBIT negative)."""
    amt = child(element, "Amt")
    if amt is None:
        raise ParseError("the amount <Amt> is missing", element_path(element))
    value = parse_plain_decimal((amt.text or "").strip())
    if value is None:
        raise ParseError(f"{(amt.text or '').strip()!r} is not an amount", element_path(amt))
    indicator_el = child(element, "CdtDbtInd")
    indicator = (text_of(indicator_el) or "").strip()
    if indicator not in ("CRDT", "DBIT"):
        where = element_path(indicator_el) if indicator_el is not None else element_path(element)
        raise ParseError(
            f"the credit/debit indicator must be CRDT or DBIT, not {indicator!r}", where
        )
    return (-value if indicator == "DBIT" else value), clean(amt.get("Ccy"))


def read_date(holder: etree._Element | None) -> date | None:
    """``Dt`` or ``DtTm`` inside ``holder``: the calendar date as written (no time zone shift)."""
    if holder is None:
        return None
    for name in ("Dt", "DtTm"):
        element = child(holder, name)
        if element is not None:
            return iso_date(element)
    return None


def iso_date(element: etree._Element) -> date:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ss...`` as the calendar date written."""
    text = (element.text or "").strip()
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise ParseError(f"{text[:40]!r} is not a date", element_path(element))
