"""Money travels as decimal strings and dates as ISO strings: JSON numbers would lose cents."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import strawberry
from graphql import GraphQLError

_DECIMAL_RE = re.compile(r"^-?\d{1,18}(\.\d{1,10})?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_decimal(value: object) -> Decimal:
    if not isinstance(value, str):
        raise GraphQLError(
            f'Decimal must be a string such as "1234.50", got {type(value).__name__}'
        )
    if not _DECIMAL_RE.match(value):
        raise GraphQLError(
            f"Decimal must be a plain decimal string (up to 18 digits and 10 decimals), "
            f"got {value[:40]!r}"
        )
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guarantees it
        raise GraphQLError(f"invalid decimal {value!r}") from exc


def serialize_decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError("non-finite decimal cannot be serialised")
    return format(value, "f")


def parse_date(value: object) -> dt.date:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise GraphQLError(f"Date must be an ISO date string YYYY-MM-DD, got {value!r:.40}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise GraphQLError(f"invalid date {value!r}: {exc}") from exc


DECIMAL = strawberry.scalar(
    name="Decimal",
    description='Exact decimal as a JSON string, e.g. "1234.50". Floats, NaN and Infinity '
    "are refused.",
    serialize=serialize_decimal,
    parse_value=parse_decimal,
)

DATE = strawberry.scalar(
    name="Date",
    description="Calendar date as an ISO string YYYY-MM-DD.",
    serialize=lambda d: d.isoformat(),
    parse_value=parse_date,
)

SCALAR_MAP: dict[object, Any] = {Decimal: DECIMAL, dt.date: DATE}
