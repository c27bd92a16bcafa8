"""The application engine closes customer and vendor entries by BC's rules; the store only
locks, loads, calls these functions and inserts what they return."""

from __future__ import annotations

from domain.application.engine import apply
from domain.application.model import (
    MONEY_DOCUMENTS,
    ApplicationMethod,
    ApplicationResult,
    ApplicationSetup,
    ApplnBetweenCurrencies,
    ApplyTarget,
    DetailedEntry,
    DetailedEntryType,
    DocumentType,
    EntryUpdate,
    GlLine,
    GlRole,
    LedgerEntryState,
    Note,
    NoteCode,
)
from domain.application.oldest import apply_to_oldest, select_oldest
from domain.application.revaluation import adjust_exchange_rates
from domain.application.tolerance import max_payment_tolerance
from domain.application.unapply import reverse_entry, unapply
from domain.application.unapply_order import check_unapply_order

__all__ = [
    "MONEY_DOCUMENTS",
    "ApplicationMethod",
    "ApplicationResult",
    "ApplicationSetup",
    "ApplnBetweenCurrencies",
    "ApplyTarget",
    "DetailedEntry",
    "DetailedEntryType",
    "DocumentType",
    "EntryUpdate",
    "GlLine",
    "GlRole",
    "LedgerEntryState",
    "Note",
    "NoteCode",
    "adjust_exchange_rates",
    "apply",
    "apply_to_oldest",
    "check_unapply_order",
    "max_payment_tolerance",
    "reverse_entry",
    "select_oldest",
    "unapply",
]
