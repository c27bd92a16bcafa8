"""Banks write accounts, amounts and free text a hundred ways; normalise them once, alike."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

_SPACES = re.compile(r"\s+")
_CURRENCY_SUFFIX = re.compile(r"^(?P<account>.+?)(?P<currency>[A-Z]{3})$")


def compact(value: str | None) -> str | None:
    """Drop every blank and upper-case: how account identifiers are compared."""
    if value is None:
        return None
    result = _SPACES.sub("", value).upper()
    return result or None


def clean(value: str | None) -> str | None:
    """Strip a free-text value; an empty value is absent."""
    if value is None:
        return None
    result = value.strip()
    return result or None


def squash(value: str | None) -> str | None:
    """Collapse runs of blanks and line breaks into one space (for display and matching)."""
    if value is None:
        return None
    return clean(_SPACES.sub(" ", value))


def join_text(parts: Iterable[str | None]) -> str | None:
    """Join the non-empty parts with a space, dropping exact repeats (same text twice)."""
    seen: list[str] = []
    for part in parts:
        text = squash(part)
        if text and text not in seen:
            seen.append(text)
    return " ".join(seen) or None


def valid_iban(value: str | None) -> str | None:
    """The compact IBAN when ``value`` is a valid IBAN (checksum, length), else None."""
    candidate = compact(value)
    if candidate is None or len(candidate) > 34:
        return None
    try:
        return str(IBAN(candidate).compact)
    except (SchwiftyException, ValueError):
        return None


def classify_account(value: str | None) -> tuple[str | None, str | None]:
    """Split an own-account identifier into (IBAN, other account number).

    A valid IBAN (optionally followed by its currency, as Dutch MT940 files write
    ``NL34RABO0142623393 EUR``) goes to the first slot; anything else (German
    ``BLZ/Konto``, a US account number, an anonymised IBAN with a wrong checksum) is kept
    as written in the second.
    """
    text = clean(value)
    if text is None:
        return None, None
    iban = valid_iban(text)
    if iban is not None:
        return iban, None
    packed = compact(text) or ""
    suffix = _CURRENCY_SUFFIX.match(packed)
    if suffix is not None:
        iban = valid_iban(suffix.group("account"))
        if iban is not None:
            return iban, None
    return None, text


def parse_plain_decimal(text: str) -> Decimal | None:
    """Read ``1234.56`` style text (no sign, no separators); None when it is not that."""
    if not re.fullmatch(r"\d{1,18}(?:\.\d{1,10})?", text):
        return None
    return Decimal(text)
