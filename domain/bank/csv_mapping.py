"""Banks without camt/MT940 export CSV in their own layout; a saved mapping says how to read it."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, fields

from domain.bank.errors import ParseError
from domain.errors import ErrorCode

_MAX_SKIP_ROWS = 1000
_DECIMAL_SEPARATORS = (".", ",")
_THOUSANDS_SEPARATORS = ("", ".", ",", " ", "'", "\u00a0", "\u202f")


@dataclass(frozen=True, slots=True, kw_only=True)
class CsvColumns:
    """Which column holds what: header text when the file has a header, else "0", "1", ..."""

    booking_date: str | None = None
    value_date: str | None = None
    amount: str | None = None
    debit_amount: str | None = None
    credit_amount: str | None = None
    debit_credit_indicator: str | None = None
    description: tuple[str, ...] = ()
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    end_to_end_id: str | None = None
    currency: str | None = None
    balance_before: str | None = None
    balance_after: str | None = None

    def mapped(self) -> dict[str, str]:
        """Every single-column field that is mapped, by field name (description excluded)."""
        result: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str):
                result[item.name] = value
        return result


@dataclass(frozen=True, slots=True, kw_only=True)
class CsvMapping:
    """How to read one bank's CSV export (like a BC data exchange definition)."""

    delimiter: str = ","
    quote_char: str | None = '"'
    encoding: str = "utf-8"
    has_header: bool = True
    skip_rows: int = 0
    date_format: str = "%Y-%m-%d"
    decimal_separator: str = "."
    thousands_separator: str | None = None
    account_iban: str | None = None
    currency_code: str | None = None
    debit_indicators: tuple[str, ...] = ()
    columns: CsvColumns


def _invalid(message: str, *path: str) -> ParseError:
    return ParseError(
        message,
        "csvMapping." + ".".join(path),
        code=ErrorCode.INVALID_INPUT,
        field=("csvMapping", *path),
    )


def validate_mapping(mapping: CsvMapping) -> None:
    """Refuse a mapping that cannot read any file (raised as ParseError with INVALID_INPUT)."""
    if len(mapping.delimiter) != 1 or mapping.delimiter in "\r\n":
        raise _invalid(
            "the delimiter must be exactly one character (not a line break)", "delimiter"
        )
    if mapping.quote_char is not None and (
        len(mapping.quote_char) != 1 or mapping.quote_char in ("\r", "\n", mapping.delimiter)
    ):
        raise _invalid(
            "the quote character must be one character, different from the delimiter",
            "quoteChar",
        )
    try:
        codecs.lookup(mapping.encoding)
    except LookupError:
        raise _invalid(f"{mapping.encoding!r} is not a known encoding", "encoding") from None
    if not 0 <= mapping.skip_rows <= _MAX_SKIP_ROWS:
        raise _invalid(f"skipRows must be between 0 and {_MAX_SKIP_ROWS}", "skipRows")
    if not re.search(r"%[dmyYbBj]", mapping.date_format):
        raise _invalid(
            f"{mapping.date_format!r} is not a date format (use e.g. %d-%m-%Y)", "dateFormat"
        )
    if mapping.decimal_separator not in _DECIMAL_SEPARATORS:
        raise _invalid("the decimal separator must be '.' or ','", "decimalSeparator")
    thousands = mapping.thousands_separator or ""
    if thousands not in _THOUSANDS_SEPARATORS or thousands == mapping.decimal_separator:
        raise _invalid(
            "the thousands separator must be empty, '.', ',', a space or an apostrophe, "
            "and differ from the decimal separator",
            "thousandsSeparator",
        )
    if mapping.currency_code is not None and not re.fullmatch(r"[A-Z]{3}", mapping.currency_code):
        raise _invalid("the currency code must be three capital letters (ISO 4217)", "currencyCode")
    _validate_columns(mapping)


def _validate_columns(mapping: CsvMapping) -> None:
    columns = mapping.columns
    if columns.booking_date is None:
        raise _invalid("the booking date column is required", "columns", "bookingDate")
    split_amounts = columns.debit_amount is not None or columns.credit_amount is not None
    if columns.amount is None and not split_amounts:
        raise _invalid(
            "map either the amount column or the debit and/or credit amount columns",
            "columns",
            "amount",
        )
    if columns.amount is not None and split_amounts:
        raise _invalid(
            "map the amount column or the debit/credit amount columns, not both",
            "columns",
            "amount",
        )
    if columns.debit_credit_indicator is not None and not mapping.debit_indicators:
        raise _invalid(
            "list the indicator values that mean money out (e.g. ['D', 'Af'])",
            "debitIndicators",
        )
    if columns.debit_credit_indicator is not None and columns.amount is None:
        raise _invalid(
            "a debit/credit indicator column needs the amount column", "columns", "amount"
        )
    references = [*columns.mapped().values(), *columns.description]
    for reference in references:
        if not reference.strip():
            raise _invalid("a column name cannot be empty", "columns")
        if not mapping.has_header and not reference.isdigit():
            raise _invalid(
                f"without a header row columns are numbers from 0, not {reference!r}", "columns"
            )
