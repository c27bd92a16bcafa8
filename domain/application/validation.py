"""An application must never close the wrong entry or more than is owed, so every input is
checked before anything is computed; errors point at the input that is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from domain.application.currency import check_currency
from domain.application.model import (
    ApplicationMethod,
    ApplicationSetup,
    ApplyTarget,
    DocumentType,
    LedgerEntryState,
)
from domain.errors import DomainError, ErrorCode


def sign(value: Decimal) -> int:
    """-1, 0 or 1."""
    return int(value > 0) - int(value < 0)


def target_field(index: int, name: str) -> list[str]:
    """The input path of a field of the index-th applyTo item."""
    return ["applyTo", str(index), name]


def validate_application(
    applying: LedgerEntryState,
    targets: Sequence[ApplyTarget],
    setup: ApplicationSetup,
    posting_date: date,
    method: ApplicationMethod,
) -> None:
    """Raise a DomainError for the first input that cannot be applied."""
    if not applying.open or applying.remaining_amount == 0:
        raise DomainError(
            ErrorCode.ENTRY_CLOSED,
            f"Entry {applying.entry_no} ({applying.document_no}) is closed: "
            "there is nothing left on it to apply.",
            field=["entryNo"],
        )
    if not targets:
        raise DomainError(
            ErrorCode.NOTHING_TO_APPLY,
            f"No open entry was given to apply entry {applying.entry_no} to.",
            field=["applyTo"],
        )
    if method is ApplicationMethod.APPLIES_TO_DOC and len(targets) > 1:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "An applies-to document names exactly one entry.",
            field=["applyTo"],
        )
    applying_sign = sign(applying.remaining_amount)
    has_opposite = any(sign(t.entry.remaining_amount) == -applying_sign for t in targets)
    seen: set[int] = set()
    for index, target in enumerate(targets):
        _validate_target(applying, target, index, seen, has_opposite, applying_sign, method, setup)
    latest = max([applying.posting_date, *(t.entry.posting_date for t in targets)])
    if posting_date < latest:
        raise DomainError(
            ErrorCode.POSTING_DATE_NOT_ALLOWED,
            f"The application cannot be posted on {posting_date.isoformat()}, before the "
            f"posting date of an entry it applies ({latest.isoformat()}).",
            field=["postingDate"],
        )


def _validate_target(
    applying: LedgerEntryState,
    target: ApplyTarget,
    index: int,
    seen: set[int],
    has_opposite: bool,
    applying_sign: int,
    method: ApplicationMethod,
    setup: ApplicationSetup,
) -> None:
    entry = target.entry
    where = target_field(index, "entryNo")
    if entry.entry_no == applying.entry_no or entry.entry_no in seen:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"Entry {entry.entry_no} appears twice in the application.",
            field=where,
        )
    seen.add(entry.entry_no)
    if not entry.open or entry.remaining_amount == 0:
        raise DomainError(
            ErrorCode.ENTRY_CLOSED,
            f"Entry {entry.entry_no} ({entry.document_no}) is already closed.",
            field=where,
        )
    if entry.party_no != applying.party_no:
        raise DomainError(
            ErrorCode.ENTRY_OF_OTHER_PARTY,
            f"Entry {entry.entry_no} ({entry.document_no}) belongs to {entry.party_no}, "
            f"not to {applying.party_no}.",
            field=where,
        )
    if sign(entry.remaining_amount) == applying_sign:
        allowed = (
            method is ApplicationMethod.APPLIES_TO_ID
            and entry.document_type is DocumentType.CREDIT_MEMO
            and has_opposite
        )
        if not allowed:
            raise DomainError(
                ErrorCode.WRONG_SIGN,
                f"Entry {entry.entry_no} ({entry.document_no}) has the same sign as entry "
                f"{applying.entry_no}: only entries of the opposite sign can be closed by it.",
                field=where,
            )
    amount = target.amount_to_apply
    if amount is not None:
        amount_field = target_field(index, "amountToApply")
        if amount == 0:
            raise DomainError(
                ErrorCode.INVALID_AMOUNT,
                f"The amount to apply to entry {entry.entry_no} must not be zero.",
                field=amount_field,
            )
        if sign(amount) != sign(entry.remaining_amount):
            raise DomainError(
                ErrorCode.WRONG_SIGN,
                f"The amount to apply to entry {entry.entry_no} must have the sign of its "
                f"remaining amount {entry.remaining_amount}.",
                field=amount_field,
            )
        if abs(amount) > abs(entry.remaining_amount):
            raise DomainError(
                ErrorCode.AMOUNT_EXCEEDS_REMAINING,
                f"The amount to apply {amount} is more than the remaining amount "
                f"{entry.remaining_amount} of entry {entry.entry_no} ({entry.document_no}).",
                field=amount_field,
            )
    check_currency(applying, entry, setup, where)
