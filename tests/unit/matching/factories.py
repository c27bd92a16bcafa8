"""Small builders for matcher tests: realistic defaults, override what the test is about."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.matching import Ledger, MatchEntry, MatchLine

ACME_IBAN = "NL91ABNA0417164300"
ZEBRA_IBAN = "DE89370400440532013000"
UNKNOWN_IBAN = "GB29NWBK60161331926819"
STATEMENT_DATE = date(2026, 3, 2)


def entry(entry_no: int, amount: str, **overrides: Any) -> MatchEntry:
    """A customer invoice of Acme Trading B.V. (C0001), due in February 2026."""
    values: dict[str, Any] = {
        "entry_no": entry_no,
        "ledger": Ledger.CUSTOMER,
        "party_no": "C0001",
        "party_name": "Acme Trading B.V.",
        "party_ibans": (ACME_IBAN,),
        "document_type": "Invoice",
        "document_no": f"INV-{1000 + entry_no}",
        "posting_date": date(2026, 1, 1),
        "due_date": date(2026, 2, 1),
        "remaining_amount": Decimal(amount),
        "currency_code": "EUR",
    }
    values.update(overrides)
    return MatchEntry(**values)


def zebra_entry(entry_no: int, amount: str, **overrides: Any) -> MatchEntry:
    """An invoice of another customer, Zebra Logistics GmbH (C0002), due a little later."""
    values: dict[str, Any] = {
        "party_no": "C0002",
        "party_name": "Zebra Logistics GmbH",
        "party_ibans": (ZEBRA_IBAN,),
        "document_no": f"ZL-{9000 + entry_no}",
        "due_date": date(2026, 2, 15),
    }
    values.update(overrides)
    return entry(entry_no, amount, **values)


def vendor_entry(entry_no: int, amount: str, **overrides: Any) -> MatchEntry:
    """A purchase invoice (negative) of Paper Supplies GmbH (V0001)."""
    values: dict[str, Any] = {
        "ledger": Ledger.VENDOR,
        "party_no": "V0001",
        "party_name": "Paper Supplies GmbH",
        "party_ibans": (ZEBRA_IBAN,),
        "document_no": f"PI-{5000 + entry_no}",
    }
    values.update(overrides)
    return entry(entry_no, amount, **values)


def line(line_id: int, amount: str, text: str = "", **overrides: Any) -> MatchLine:
    values: dict[str, Any] = {
        "line_id": line_id,
        "amount": Decimal(amount),
        "booking_date": STATEMENT_DATE,
        "currency_code": "EUR",
        "counterparty_name": None,
        "counterparty_iban": None,
        "text": text,
    }
    values.update(overrides)
    return MatchLine(**values)
