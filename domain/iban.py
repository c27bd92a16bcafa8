"""Bank matching keys on IBANs, so only valid, normalised IBANs are ever stored."""

from __future__ import annotations

from collections.abc import Sequence

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from domain.errors import DomainError, ErrorCode


def normalize_iban(value: str, field: Sequence[str] = ("iban",)) -> str:
    """Validate (checksum, country length) and return the compact upper-case form."""
    try:
        return str(IBAN(value).compact)
    except SchwiftyException as exc:
        raise DomainError(
            ErrorCode.INVALID_IBAN, f"{value!r} is not a valid IBAN: {exc}", list(field)
        ) from exc
