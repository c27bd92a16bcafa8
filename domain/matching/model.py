"""A bank line is only reconciled once it is explained by open entries or a G/L account, so
the matcher speaks in bank lines, open entries, mappings and explained suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.errors import DomainError, ErrorCode
from domain.ledger import Ledger

__all__ = ["Ledger"]

ZERO = Decimal(0)


class Confidence(StrEnum):
    """BC's match confidence; ``level`` is the number used in the score formula."""

    NONE = "NONE"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"

    @property
    def level(self) -> int:
        return _LEVELS[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()


_LEVELS = {Confidence.NONE: 0, Confidence.LOW: 1, Confidence.MEDIUM: 2, Confidence.HIGH: 3}


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchLine:
    """One bank statement transaction: incoming money is positive, outgoing negative."""

    line_id: int
    amount: Decimal
    booking_date: date
    currency_code: str
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    text: str = ""  # remittance information and description, joined


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchEntry:
    """An open customer or vendor ledger entry, with its party's name and bank accounts.

    ``remaining_amount`` keeps BC's signs: customer invoice +, customer credit memo -, vendor
    invoice -, vendor credit memo +. ``remaining_pmt_disc_possible`` has the same sign.
    """

    entry_no: int
    ledger: Ledger
    party_no: str
    party_name: str
    document_type: str
    document_no: str
    posting_date: date
    due_date: date
    remaining_amount: Decimal
    currency_code: str
    party_ibans: tuple[str, ...] = ()
    external_document_no: str = ""
    remaining_pmt_disc_possible: Decimal = ZERO
    pmt_discount_date: date | None = None

    @property
    def key(self) -> tuple[int, Ledger]:
        """Entry numbers are unique per ledger only, so the ledger is part of the identity."""
        return (self.entry_no, self.ledger)


@dataclass(frozen=True, slots=True, kw_only=True)
class TextMapping:
    """BC's "Map text to account": recurring lines (bank fees, interest) go to a G/L account."""

    mapping_text: str
    gl_account_no: str
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchSettings:
    """Knobs of the matcher.

    ``name_similarity_threshold`` is on rapidfuzz ``fuzz.token_set_ratio`` (0-100) over
    normalised names (see docs/matching.md for why 90 and not 85). The amount window of a
    line is ± max(``amount_tolerance``, |amount| × ``amount_tolerance_pct`` / 100).
    """

    name_similarity_threshold: int = 90
    amount_tolerance: Decimal = ZERO
    amount_tolerance_pct: Decimal = ZERO
    max_entries_per_line: int = 5

    def __post_init__(self) -> None:
        if not 0 < self.name_similarity_threshold <= 100:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "the name similarity threshold must be between 1 and 100 "
                f"(got {self.name_similarity_threshold})",
                ["settings", "nameSimilarityThreshold"],
            )
        if self.amount_tolerance < 0:
            raise DomainError(
                ErrorCode.INVALID_AMOUNT,
                f"the amount tolerance cannot be negative (got {self.amount_tolerance})",
                ["settings", "amountTolerance"],
            )
        if not ZERO <= self.amount_tolerance_pct <= 100:
            raise DomainError(
                ErrorCode.INVALID_AMOUNT,
                "the amount tolerance % must be between 0 and 100 "
                f"(got {self.amount_tolerance_pct})",
                ["settings", "amountTolerancePct"],
            )
        if not 1 <= self.max_entries_per_line <= 20:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "one payment can be split over 1 to 20 documents (1 turns sums off), "
                f"got {self.max_entries_per_line}",
                ["settings", "maxEntriesPerLine"],
            )


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a suggestion was made: the BC rule hit, the line fields that matched, sentences."""

    rule: str
    matched_fields: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Apply ``amount`` of the line to ``entry`` (or post it to ``gl_account_no``).

    ``amount`` carries the sign of the bank line; it is zero for a NONE suggestion.
    """

    line_id: int
    entry: MatchEntry | None
    gl_account_no: str | None
    amount: Decimal
    score: int
    confidence: Confidence
    explanation: Explanation
