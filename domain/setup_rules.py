"""Setup values are checked before they are stored: a bad formula or a negative tolerance
would otherwise surface much later, in the middle of a posting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from domain.dates import parse_formula
from domain.errors import DomainError, ErrorCode

APPLN_BETWEEN_CURRENCIES = ("NONE", "EMU", "ALL")
APPLICATION_METHODS = ("MANUAL", "APPLY_TO_OLDEST")


def check_code(value: str, field: Sequence[str], max_len: int = 20) -> str:
    code = value.strip()
    if not code or len(code) > max_len or any(c.isspace() for c in code):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{field[-1]} must be 1 to {max_len} characters without spaces, got {value!r}",
            list(field),
        )
    return code


def check_formula(value: str, field: Sequence[str]) -> str:
    """Validate a date formula (raises INVALID_DATE_FORMULA naming the position)."""
    try:
        parse_formula(value)
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, list(field)) from exc
    return value.strip()


def check_precision_value(value: Decimal, field: Sequence[str]) -> Decimal:
    if value <= 0 or value > 1000:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            f"a rounding precision must be positive (e.g. 0.01, 1), got {value}",
            list(field),
        )
    return value


def check_pct(value: Decimal, field: Sequence[str]) -> Decimal:
    if not Decimal(0) <= value <= Decimal(100):
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            f"a percentage must be between 0 and 100, got {value}",
            list(field),
        )
    return value


def check_non_negative(value: Decimal, field: Sequence[str]) -> Decimal:
    if value < 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, f"{field[-1]} cannot be negative, got {value}", list(field)
        )
    return value


def check_choice(value: str, choices: Sequence[str], field: Sequence[str]) -> str:
    if value not in choices:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{field[-1]} must be one of {', '.join(choices)}",
            list(field),
        )
    return value


def check_posting_window(allow_from: date | None, allow_to: date | None) -> None:
    if allow_from and allow_to and allow_from > allow_to:
        raise DomainError(
            ErrorCode.DATES_OUT_OF_ORDER,
            f"allowPostingFrom {allow_from} is after allowPostingTo {allow_to}",
            ["allowPostingTo"],
        )


def check_email(value: str, field: Sequence[str]) -> str:
    email = value.strip()
    if email and ("@" not in email or " " in email or email.startswith("@") or email.endswith("@")):
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"{value!r} is not an e-mail address", list(field)
        )
    return email
